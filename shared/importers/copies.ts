// Copies of one paper inside one file: an export may list a paper twice (two pages saved one
// after another, a paper in two collections). One shared rule, so every format merges alike.
import { titleKey } from '../titleKey'
import type { PaperMeta, ParsedPaper } from './types'
import { Warnings } from './warnings'

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

/** Enough for any real file; past it a pathological one stops costing a scan per paper. */
const MAX_SAME_TITLE = 50

export type Note = { line: number | null; message: () => string }

function conflicts(a: ParsedPaper, b: ParsedPaper): boolean {
  const [x, y] = [a.meta ?? {}, b.meta ?? {}]
  return (
    (x.arxivId !== undefined && y.arxivId !== undefined && x.arxivId !== y.arxivId) ||
    (x.doi !== undefined && y.doi !== undefined && x.doi !== y.doi)
  )
}

function fillFrom(kept: ParsedPaper, copy: ParsedPaper): void {
  if (kept.abstract === '' && copy.abstract !== '') kept.abstract = copy.abstract
  if (kept.authors.length === 0 && copy.authors.length > 0) kept.authors = copy.authors
  const meta: PaperMeta = { ...kept.meta }
  for (const [key, value] of Object.entries(copy.meta ?? {})) {
    if (meta[key as keyof PaperMeta] === undefined) Object.assign(meta, { [key]: value })
  }
  kept.meta = meta
}

/**
 * One paper per arXiv id, else per DOI, else per title — but two papers with one title and
 * different DOIs or arXiv ids stay two. The first copy is kept and filled from the later ones.
 */
export function mergeCopies(papers: ParsedPaper[], notes: Note[]): ParsedPaper[] {
  const kept: ParsedPaper[] = []
  const byArxiv = new Map<string, ParsedPaper>()
  const byDoi = new Map<string, ParsedPaper>()
  const byTitle = new Map<string, ParsedPaper[]>()
  const remember = (paper: ParsedPaper): void => {
    if (paper.meta?.arxivId && !byArxiv.has(paper.meta.arxivId)) {
      byArxiv.set(paper.meta.arxivId, paper)
    }
    if (paper.meta?.doi && !byDoi.has(paper.meta.doi)) byDoi.set(paper.meta.doi, paper)
  }
  for (const paper of papers) {
    const key = titleKey(paper.title)
    const sameTitle = byTitle.get(key) ?? []
    const arxivId = paper.meta?.arxivId
    const doi = paper.meta?.doi
    let copyOf = arxivId ? byArxiv.get(arxivId) : undefined
    if (!copyOf && doi) {
      const candidate = byDoi.get(doi)
      if (candidate && !conflicts(candidate, paper)) copyOf = candidate
    }
    if (!copyOf && key !== '') copyOf = sameTitle.find((candidate) => !conflicts(candidate, paper))
    if (copyOf) {
      const first = copyOf
      fillFrom(first, paper)
      remember(first)
      notes.push({
        line: paper.line,
        message: () =>
          `“${shorten(paper.title)}” is a second copy of the paper at line ${first.line}; merged into it`,
      })
      continue
    }
    kept.push(paper)
    remember(paper)
    if (sameTitle.length < MAX_SAME_TITLE) byTitle.set(key, [...sameTitle, paper])
  }
  return kept
}

export function warningsOf(notes: Note[]): Warnings {
  const warnings = new Warnings()
  // Stable: notes on one line keep the order they were made in.
  const sorted = [...notes].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  for (const note of sorted) warnings.add(note.line, note.message)
  return warnings
}
