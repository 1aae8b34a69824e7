// Choosing a reader for a dump — by its content, never its file name, unless the user names the
// format — and refusing what cannot be read with a message that says why and where.
import { arxivAtomImporter } from './arxivAtom'
import { arxivDigestImporter } from './arxivDigest'
import { arxivListingImporter } from './arxivListing'
import { bibtexImporter } from './bibtex'
import { cslJsonImporter } from './cslJson'
import { csvImporter } from './csv'
import { parseDailyPapers } from './dailyPapers'
import { hfJsonImporter } from './hfJson'
import { lecternJsonImporter } from './lecternJson'
import { risImporter } from './ris'
import { splitLinks } from '../links'
import { withoutControlsIn } from '../text'
import { cleanUrl } from './fields'
import { FORMATS, ImportError } from './types'
import { Warnings } from './warnings'
import type { FormatId, Importer, ParsedPaper, ParseResult } from './types'

export { ImportError, describeImportError, placeIn, FORMATS } from './types'
export type { FormatId, Importer, ParsedPaper, ParseResult, PaperMeta } from './types'

/**
 * The Daily Papers page text is the plain-text fallback: anything the other readers do not
 * claim is read as paragraphs (title, blank line, abstract).
 */
const dailyPapersImporter: Importer = {
  format: 'daily-papers',
  label: 'Daily Papers page text',
  detect: () => 0.2,
  parse: parseDailyPapers,
}

export const IMPORTERS: readonly Importer[] = [
  dailyPapersImporter,
  hfJsonImporter,
  cslJsonImporter,
  lecternJsonImporter,
  arxivDigestImporter,
  arxivListingImporter,
  arxivAtomImporter,
  bibtexImporter,
  risImporter,
  csvImporter,
]

export const FORMAT_LABELS = Object.fromEntries(
  IMPORTERS.map((i) => [i.format, i.label]),
) as Record<FormatId, string>

export function isFormat(value: string): value is FormatId {
  return (FORMATS as readonly string[]).includes(value)
}

/** How much of the text the readers look at to recognise their format. */
const HEAD_CHARS = 8192

/** The 1-based line of `index`, counting CRLF, CR and LF as one break each, as splitLines does. */
function lineOf(text: string, index: number): number {
  let line = 1
  for (let i = 0; i < index; i += 1) {
    const c = text.charCodeAt(i)
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line += 1
  }
  return line
}

/** The readers that recognise the text, most confident first. */
export function detectFormats(text: string): { format: FormatId; score: number }[] {
  // The format shows where the text starts, however many blank lines come first (\s includes
  // the byte-order mark).
  const start = text.search(/\S/)
  const head = start === -1 ? '' : text.slice(start, start + HEAD_CHARS)
  return IMPORTERS.map((i) => ({ format: i.format, score: head ? i.detect(head) : 0 }))
    .filter((d) => d.score > 0)
    .sort((a, b) => b.score - a.score)
}

/** How the user asked for a dump to be read. */
export interface ReadOptions {
  /** CSV/TSV: header → field, for columns whose names are not recognised (see CSV_FIELDS). */
  mapping?: Record<string, string>
}

/** A dump as a host hands it to the library, with the choices the user made in the preview. */
export interface DumpInput extends ReadOptions {
  /** The file name (or "pasted text", "stdin"). */
  source: string
  /** The text; empty where it came in `pieces`. */
  text: string
  /**
   * The text as a host received it, in pieces (a large dump is uploaded so), when it did: a
   * reader that can take pieces takes them as they are, where joining 100 MB of them into one
   * string would stop the process for a second (see dumpText).
   */
  pieces?: readonly string[]
  /** The format; recognised from the content when left out. */
  format?: FormatId
  /** Only these papers (0-based, in the order the preview lists them); all when left out. */
  only?: number[]
}

/** A dump's length in characters, in pieces or not. */
export function dumpLength(dump: Pick<DumpInput, 'text' | 'pieces'>): number {
  return dump.pieces ? dump.pieces.reduce((n, p) => n + p.length, 0) : dump.text.length
}

/** A dump's text as one string (its pieces joined: for small dumps, or where nothing else will do). */
export function dumpText(dump: Pick<DumpInput, 'text' | 'pieces'>): string {
  return dump.pieces ? dump.pieces.join('') : dump.text
}

/** The start of a dump's text, at least `chars` of it where it has so many (whole pieces). */
export function dumpHead(dump: Pick<DumpInput, 'text' | 'pieces'>, chars: number): string {
  if (!dump.pieces) return dump.text
  const head: string[] = []
  let length = 0
  for (const piece of dump.pieces) {
    if (length >= chars) break
    head.push(piece)
    length += piece.length
  }
  return head.join('')
}

/**
 * The paper with the links its abstract names (code, project page, data) added to its own,
 * trailing punctuation removed, each once.
 */
function withAbstractLinks(paper: ParsedPaper): ParsedPaper {
  const found: string[] = []
  for (const segment of splitLinks(paper.abstract)) {
    if (segment.kind !== 'link') continue
    const url = cleanUrl(segment.url)
    if (url !== '') found.push(url)
  }
  if (found.length === 0) return paper
  const urls = [...new Set([...(paper.meta?.urls ?? []), ...found])]
  return { ...paper, meta: { ...paper.meta, urls } }
}

/** A name on one line, as the readers leave titles and authors: spaces single, none at the ends. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim()

/**
 * Takes the control characters out of every field of every paper, and out of the warnings (see
 * `withoutControls`): whatever the format, raw in the text or written as an escape that the
 * reader decoded (`\u001b` in JSON, `&#27;` in XML). A title or a name that held some is tidied
 * as the readers tidy them; a paper whose title was nothing else is skipped, with a warning.
 */
function withoutControlCharacters(result: ParseResult): void {
  const papers: ParsedPaper[] = []
  let warnings: Warnings | null = null
  for (const paper of result.papers) {
    const clean = withoutControlsIn(paper)
    if (clean === paper) {
      papers.push(paper)
      continue
    }
    clean.title = oneLine(clean.title)
    clean.authors = clean.authors.map(oneLine).filter((a) => a !== '')
    if (clean.title === '') {
      result.skipped += 1
      warnings ??= Warnings.from(result.warnings)
      warnings.add(
        paper.line,
        () => 'the title is nothing but control characters; the paper is skipped',
      )
      continue
    }
    papers.push(clean)
  }
  result.papers = papers
  result.warnings = withoutControlsIn(warnings?.list() ?? result.warnings)
}

/** Reads a dump in the format named, or the one its content shows. */
export function parseDump(
  text: string,
  now: Date,
  format?: FormatId,
  options: ReadOptions = {},
): ParseResult {
  const nul = text.indexOf('\u0000')
  if (nul !== -1) {
    throw new ImportError('this is not a text file (it contains NUL bytes)', lineOf(text, nul))
  }
  if (text.search(/\S/) === -1) throw new ImportError('the file is empty')
  const chosen = format ?? detectFormats(text)[0]?.format ?? 'daily-papers'
  const importer = IMPORTERS.find((i) => i.format === chosen)!
  const result =
    importer === csvImporter
      ? csvImporter.parse(text, now, options.mapping)
      : importer.parse(text, now)
  withoutControlCharacters(result)
  result.papers = result.papers.map(withAbstractLinks)
  if (result.papers.length === 0) {
    throw new ImportError(
      chosen === 'daily-papers'
        ? 'no papers found: expected a title line, a blank line and an abstract paragraph for each paper (or one of the formats Lectern reads: BibTeX, RIS, CSV, JSON, arXiv)'
        : `no papers found in this ${importer.label}`,
    )
  }
  return result
}
