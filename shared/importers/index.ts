// Choosing a reader for a dump, and refusing what cannot be read with a message that says why.
import { parseDailyPapers } from './dailyPapers'
import { ImportError } from './types'
import type { ParseResult } from './types'

export { ImportError, describeImportError, placeIn } from './types'
export type { ParsedPaper, ParseResult } from './types'

/** Formats recognised but not yet readable, with how to recognise them. */
const NOT_YET: { name: string; test: (head: string) => boolean }[] = [
  // Not ^\s*: under /m that retries each run of blank lines from every line in it (quadratic).
  { name: 'BibTeX', test: (h) => /^[^\S\r\n\u2028\u2029]*@[a-z]+\s*\{/im.test(h) },
  { name: 'RIS', test: (h) => /^TY {2}- /m.test(h) },
  { name: 'JSON', test: (h) => /^\s*[[{]/.test(h) },
  { name: 'arXiv Atom/XML', test: (h) => /^\s*<\?xml|^\s*<feed\b/i.test(h) },
]

/** The 1-based line of `index`, counting CRLF, CR and LF as one break each, as splitLines does. */
function lineOf(text: string, index: number): number {
  let line = 1
  for (let i = 0; i < index; i += 1) {
    const c = text.charCodeAt(i)
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line += 1
  }
  return line
}

export function parseDump(text: string, now: Date): ParseResult {
  const nul = text.indexOf('\u0000')
  if (nul !== -1) {
    throw new ImportError('this is not a text file (it contains NUL bytes)', lineOf(text, nul))
  }
  // The format shows where the text starts, however many blank lines come first (\s includes
  // the byte-order mark).
  const start = text.search(/\S/)
  if (start === -1) throw new ImportError('the file is empty')
  const head = text.slice(start, start + 4096)
  for (const format of NOT_YET) {
    if (format.test(head)) {
      throw new ImportError(
        `this looks like ${format.name}, which Lectern cannot import yet; paste the text of a Daily Papers page instead`,
        lineOf(text, start),
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
