// The CSL-JSON export: the items citeproc reads, and reading the file back with Lectern's own
// CSL-JSON importer.
import { describe, expect, it } from 'vitest'
import type { Paper } from '../../../shared/domain'
import { exportPapers } from '../../../shared/exporters'
import { citationKeys } from '../../../shared/exporters/names'
import { detectFormats, parseDump } from '../../../shared/importers'
import { NOW } from '../../helpers/importers'
import {
  AWKWARD,
  EXPORT_CONTEXT,
  citedFields,
  citedFieldsRead,
  makePaper,
} from '../../helpers/papers'

const cslJson = (papers: Paper[]): string => exportPapers('csl-json', { ...EXPORT_CONTEXT, papers })

describe('CSL-JSON export', () => {
  it('writes an item a paper, pretty-printed, ids the BibTeX citation keys', () => {
    const text = cslJson(AWKWARD)
    expect(
      text.startsWith('[\n  {\n    "type": "article-journal",\n    "id": "vaswani2017attention",'),
    ).toBe(true)
    const items = JSON.parse(text) as { id: string }[]
    expect(items.map((i) => i.id)).toEqual(citationKeys(AWKWARD))
  })

  it('writes names as family and given parts, particles and suffixes apart, or as literals', () => {
    const [transformer, schrodinger, scaling, divergences] = JSON.parse(cslJson(AWKWARD)) as Record<
      string,
      unknown
    >[]
    expect(transformer).toEqual({
      type: 'article-journal',
      id: 'vaswani2017attention',
      title: 'Attention Is All You Need: {BERT} & 50% of $O(n^2)$ #1',
      author: [
        { family: 'Vaswani', given: 'Ashish' },
        { family: 'Kaiser', given: 'Łukasz' },
        { family: 'Beethoven', given: 'Ludwig', 'non-dropping-particle': 'van' },
        { family: 'King', given: 'Martin Luther', suffix: 'Jr.' },
      ],
      issued: { 'date-parts': [[2017]] },
      'container-title': 'Advances in Neural Information Processing Systems',
      number: 'arXiv:1706.03762',
      DOI: '10.48550/arxiv.1706.03762',
      URL: 'https://arxiv.org/abs/1706.03762',
      // CSL's rich text would read "<i>" as markup: entities keep it text.
      abstract:
        'The dominant "sequence transduction" models use 100% recurrence_or_convolution.\n\n' +
        'We propose the Transformer: ~2× faster, $\\mathcal{O}(1)$ per step &amp; &lt;i>parallel&lt;/i>.',
      keyword: 'attention, sequence models, neural',
    })
    expect(schrodinger).toMatchObject({
      type: 'article-journal',
      author: [{ family: 'Schrödinger', given: 'Erwin' }],
      'container-title': 'Annalen der Physik',
      DOI: '10.1002/andp.19263840404',
    })
    expect(schrodinger).not.toHaveProperty('number')
    // A preprint: CSL's "article", arXiv as its publisher, as Zotero writes one.
    expect(scaling).toEqual({
      type: 'article',
      id: 'openaiscaling',
      title: 'Scaling laws for neural language models with Transformer and GPT-4',
      author: [{ literal: 'OpenAI' }],
      number: 'arXiv:2001.08361',
      publisher: 'arXiv',
      URL: 'https://arxiv.org/abs/2001.08361v1',
    })
    // Nothing unknown is written as empty.
    expect(divergences).toEqual({
      type: 'article',
      id: 'anondivergences',
      title: AWKWARD[3]!.title,
      abstract: AWKWARD[3]!.abstract,
      URL: 'https://example.org/a_b?c=1&d=2#frag',
    })
  })

  it('never writes the reading note', () => {
    expect(cslJson(AWKWARD)).not.toContain('Self-attention')
    expect(cslJson(AWKWARD)).not.toContain('"note"')
  })

  it('writes a name with a comma as a literal', () => {
    const [item] = JSON.parse(cslJson([makePaper({ authors: ['Smith, J.'] })])) as {
      author: unknown[]
    }[]
    expect(item!.author).toEqual([{ literal: 'Smith, J.' }])
  })
})

describe('CSL-JSON export read back by the CSL-JSON importer', () => {
  it('gives the same title, abstract, authors, year, DOI, arXiv id and venue', () => {
    const result = parseDump(cslJson(AWKWARD), NOW, 'csl-json')
    expect(result.skipped).toBe(0)
    expect(result.papers.map(citedFieldsRead)).toEqual(AWKWARD.map(citedFields))
    expect(result.papers.map((p) => p.meta?.urls ?? [])).toEqual(
      AWKWARD.map((p) => p.urls.slice(0, 1)),
    )
  })

  it('gives the keywords, split at commas: CSL holds them in one comma-separated string', () => {
    const result = parseDump(cslJson(AWKWARD), NOW, 'csl-json')
    expect(result.papers[0]!.meta?.keywords).toEqual(['attention', 'sequence models', 'neural'])
  })

  it('is recognised as CSL-JSON', () => {
    expect(detectFormats(cslJson(AWKWARD))[0]!.format).toBe('csl-json')
  })
})
