// Choosing a reader for a dump, and refusing what cannot be read with a message that says why.
import { parseDailyPapers } from './dailyPapers'
import { ImportError } from './types'
import type { ParseResult } from './types'

export { ImportError } from './types'
export type { ParsedPaper, ParseResult } from './types'

/** Formats recognised but not yet readable, with how to recognise them. */
const NOT_YET: { name: string; test: (head: string) => boolean }[] = [
  { name: 'BibTeX', test: (h) => /^\s*@[a-z]+\s*\{/im.test(h) },
  { name: 'RIS', test: (h) => /^TY {2}- /m.test(h) },
  { name: 'JSON', test: (h) => /^\s*[[{]/.test(h) },
  { name: 'arXiv Atom/XML', test: (h) => /^\s*<\?xml|^\s*<feed\b/i.test(h) },
]

export function parseDump(text: string, now: Date): ParseResult {
  const nul = text.indexOf('\u0000')
  if (nul !== -1) {
    const line = text.slice(0, nul).split('\n').length
    throw new ImportError('this is not a text file (it contains NUL bytes)', line)
  }
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '')
  if (head.trim() === '') throw new ImportError('the file is empty')
  for (const format of NOT_YET) {
    if (format.test(head)) {
      throw new ImportError(
        `this looks like ${format.name}, which Lectern cannot import yet; paste the text of a Daily Papers page instead`,
        1,
      )
    }
  }
  const result = parseDailyPapers(text, now)
  if (result.papers.length === 0) {
    throw new ImportError(
      'no papers found: expected a title line, a blank line and an abstract paragraph for each paper',
    )
  }
  return result
}
