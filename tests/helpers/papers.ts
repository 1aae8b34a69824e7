// Papers as the library gives them, for tests of what is done with them (exports).
import type { Paper } from '../../shared/domain'
import type { ParsedPaper } from '../../shared/importers/types'

/** A paper with every field set to what a freshly imported paper has; `overrides` on top. */
export function makePaper(overrides: Partial<Paper> = {}): Paper {
  const paper: Paper = {
    id: 1,
    title: 'A Paper',
    authors: [],
    status: 'new',
    dumpDate: null,
    addedAt: '2026-11-01T09:00:00.000Z',
    hasNote: false,
    starred: false,
    tags: [],
    readAt: null,
    abstract: '',
    note: '',
    year: null,
    arxivId: null,
    arxivVersion: null,
    doi: null,
    venue: null,
    keywords: [],
    urls: [],
    seenIn: [],
    dumpDateText: null,
    statusChangedAt: null,
    noteUpdatedAt: null,
    importId: null,
    source: null,
    statusHistory: [],
    ...overrides,
  }
  return { ...paper, hasNote: overrides.hasNote ?? paper.note !== '' }
}

/**
 * Four papers with what exports find hard: TeX's special characters, accents, braces, quotes,
 * commas and paragraphs in abstracts, math, names with particles and suffixes, a paper with no
 * authors and no year, one known only by its arXiv id, one only by its DOI, and Markdown notes.
 */
export const AWKWARD: Paper[] = [
  makePaper({
    id: 11,
    title: 'Attention Is All You Need: {BERT} & 50% of $O(n^2)$ #1',
    authors: ['Ashish Vaswani', 'Łukasz Kaiser', 'Ludwig van Beethoven', 'Martin Luther King Jr.'],
    year: 2017,
    venue: 'Advances in Neural Information Processing Systems',
    doi: '10.48550/arxiv.1706.03762',
    arxivId: '1706.03762',
    arxivVersion: 7,
    keywords: ['attention', 'sequence models, neural'],
    urls: ['https://arxiv.org/abs/1706.03762', 'https://github.com/tensorflow/tensor2tensor'],
    abstract:
      'The dominant "sequence transduction" models use 100% recurrence_or_convolution.\n\n' +
      'We propose the Transformer: ~2× faster, $\\mathcal{O}(1)$ per step & <i>parallel</i>.',
    status: 'read',
    statusChangedAt: '2026-11-20T08:30:00.000Z',
    statusHistory: [
      { status: 'to-read', at: '2026-11-02T10:00:00.000Z' },
      { status: 'read', at: '2026-11-20T08:30:00.000Z' },
    ],
    note: '## Key idea\n\n*Self-attention* replaces recurrence — see `eq. 1`.\n\n- [ ] re-read §3.2\n',
    noteUpdatedAt: '2026-11-21T19:05:00.000Z',
    addedAt: '2026-11-01T09:00:00.000Z',
    importId: 1,
    source: 'zotero.bib',
    seenIn: [
      { importId: 1, source: 'zotero.bib', format: 'bibtex', at: '2026-11-01T09:00:00.000Z' },
    ],
  }),
  makePaper({
    id: 12,
    title: 'Quantisierung als Eigenwertproblem — Schrödinger’s “wave” equation, revisited',
    authors: ['Erwin Schrödinger'],
    year: 1926,
    venue: 'Annalen der Physik',
    doi: '10.1002/andp.19263840404',
    abstract:
      'In this paper I wish to consider, first, the simple case of the hydrogen atom, and show that the customary quantum conditions can be replaced by another postulate.\n\n' +
      'Second paragraph: commas, "quotes", semicolons; and a {braced} aside.',
    status: 'to-read',
    statusChangedAt: '2026-11-03T12:00:00.000Z',
    statusHistory: [{ status: 'to-read', at: '2026-11-03T12:00:00.000Z' }],
    addedAt: '2026-11-01T09:00:01.000Z',
  }),
  makePaper({
    id: 13,
    title: 'Scaling laws for neural language models with Transformer and GPT-4',
    authors: ['OpenAI'],
    arxivId: '2001.08361',
    arxivVersion: 1,
    urls: ['https://arxiv.org/abs/2001.08361v1', 'https://arxiv.org/pdf/2001.08361v1'],
    status: 'reading',
    statusChangedAt: '2026-11-25T07:00:00.000Z',
    statusHistory: [{ status: 'reading', at: '2026-11-25T07:00:00.000Z' }],
    note: '- loss ∝ N^-0.076\n- compare with [Chinchilla](https://arxiv.org/abs/2203.15556)\n\n```python\nplot(N, L)\n',
    noteUpdatedAt: '2026-11-25T07:10:00.000Z',
    addedAt: '2026-11-01T09:00:02.000Z',
    dumpDate: '2026-10-30',
    dumpDateText: 'Oct 30',
  }),
  makePaper({
    id: 14,
    title: '$\\alpha$-Divergences from $5 to $10 -- ‘tilde’ ~ caret ^ backslash \\ {unbalanced',
    abstract: 'See https://example.org/a_b?c=1&d=2#frag for 100% of the code.',
    // As an import keeps it: the link its abstract names is one of its links.
    urls: ['https://example.org/a_b?c=1&d=2#frag'],
    addedAt: '2026-11-01T09:00:03.000Z',
  }),
]

/** What an export is given besides the papers. */
export const EXPORT_CONTEXT = {
  imports: [],
  exportedAt: '2026-11-30T12:00:00.000Z',
  libraryId: 'b7d5c3a1-0000-4000-8000-000000000001',
}

/** The fields every citation format carries, as a paper has them. */
export function citedFields(paper: Paper) {
  return {
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    year: paper.year,
    doi: paper.doi,
    arxivId: paper.arxivId,
    venue: paper.venue,
  }
}

/** The same fields, as an importer read them back. */
export function citedFieldsRead(paper: ParsedPaper) {
  return {
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    year: paper.meta?.year ?? null,
    doi: paper.meta?.doi ?? null,
    arxivId: paper.meta?.arxivId ?? null,
    venue: paper.meta?.venue ?? null,
  }
}

/** A paper as the Lectern JSON importer must give it back: metadata, and the user's state carried. */
export function parsedFromPaper(paper: Paper): Omit<ParsedPaper, 'line'> {
  const meta: Record<string, unknown> = {}
  if (paper.year !== null) meta.year = paper.year
  if (paper.arxivId !== null) meta.arxivId = paper.arxivId
  if (paper.arxivId !== null && paper.arxivVersion !== null) meta.arxivVersion = paper.arxivVersion
  if (paper.doi !== null) meta.doi = paper.doi
  if (paper.venue !== null) meta.venue = paper.venue
  if (paper.keywords.length) meta.keywords = paper.keywords
  if (paper.urls.length) meta.urls = paper.urls
  return {
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    dumpDate: paper.dumpDate,
    dumpDateText: paper.dumpDateText,
    ...(Object.keys(meta).length ? { meta } : {}),
    carried: {
      status: paper.status,
      note: paper.note,
      noteUpdatedAt: paper.noteUpdatedAt,
      statusChangedAt: paper.statusChangedAt,
      addedAt: paper.addedAt,
      statusHistory: paper.statusHistory,
    },
  }
}
