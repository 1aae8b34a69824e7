// Spreadsheet exports (CSV and TSV): Scopus, Web of Science, Zotero, or a table made by hand.
// A header row names the columns; columns are matched to a paper's fields by name, with the
// synonyms those exports use, and a mapping the user chose can override the names.
//
// Also here, for want of a module of their own yet: what every record-based reader does to the
// values it finds (one-line titles, paragraphs, identifiers from DOIs and links) and the rule
// that two copies of one paper in one dump are one paper. The BibTeX reader uses them too.
import Papa from 'papaparse'
import { normaliseText } from '../text'
import { titleKey } from '../titleKey'
import { cleanUrl, normaliseDoi, splitArxivId, stripHtml, yearOf } from './fields'
import type { ImportWarning } from '../domain'
import { CSV_FIELDS, ImportError } from './types'
import type { CsvField, Importer, PaperMeta, ParsedPaper, ParseResult } from './types'
import { Warnings } from './warnings'

// Values as every record reader keeps them

/**
 * Text on one line, runs of white space (line breaks included) as one space. Not fields.ts's
 * `unwrap`: its /\s*\n\s*\/ retries a long run of spaces from each position in it (quadratic).
 */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** Paragraphs separated by a blank line kept apart ("\n\n"), the lines within each joined. */
export function paragraphs(text: string): string {
  const out: string[] = []
  let current: string[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current.length) out.push(oneLine(current.join(' ')))
      current = []
    } else current.push(line)
  }
  if (current.length) out.push(oneLine(current.join(' ')))
  return out.filter((p) => p !== '').join('\n\n')
}

/**
 * The normal forms in fields.ts use regular expressions that are quadratic on long runs of
 * punctuation; identifiers and links are short, so longer values are not identifiers at all.
 */
const MAX_ID_CHARS = 256
const MAX_URL_CHARS = 2048

export function doiOf(value: string): string | null {
  const v = value.trim()
  return v.length > MAX_ID_CHARS ? null : normaliseDoi(v)
}

export function arxivIdOf(value: string): { id: string; version: number | null } | null {
  const v = value.trim()
  return v.length > MAX_ID_CHARS ? null : splitArxivId(v)
}

/** An arXiv DOI (10.48550/arXiv.2408.01234) names the arXiv paper; splitArxivId misses it. */
export function arxivIdOfDoi(doi: string): { id: string; version: number | null } | null {
  const m = /^10\.48550\/arxiv\.(\S+)$/i.exec(doi)
  return m ? arxivIdOf(m[1]!) : null
}

/**
 * The arXiv paper an arxiv.org link points at. Only the path after /abs/ or /pdf/ is read:
 * splitArxivId takes "hep-th/9901001" after a slash for "th/9901001".
 */
export function arxivIdOfUrl(url: string): { id: string; version: number | null } | null {
  const m = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/([^?#\s]+)/i.exec(url)
  return m ? arxivIdOf(m[1]!.replace(/\.pdf$/i, '')) : null
}

/** A web link as a field holds it, or null when the field holds no web link. */
export function urlOf(value: string): string | null {
  const v = value.trim()
  if (v.length > MAX_URL_CHARS || !/^https?:\/\/\S+$/i.test(v)) return null
  const cleaned = cleanUrl(v)
  // cleanUrl is meant for links in prose; a field holds just the link, and a closing
  // parenthesis that has its opening one is part of it (…/wiki/Foo_(bar)).
  if (v.endsWith(')') && !cleaned.endsWith(')')) {
    const open = (v.match(/\(/g) ?? []).length
    const close = (v.match(/\)/g) ?? []).length
    if (open === close) return v
  }
  return cleaned
}

/** Keywords as a list: split on semicolons when there are any (keywords may hold commas). */
export function splitKeywords(value: string): string[] {
  const parts = value.includes(';') ? value.split(';') : value.split(',')
  const seen = new Set<string>()
  const out: string[] = []
  for (const part of parts) {
    const k = oneLine(part)
    if (k && !seen.has(k.toLowerCase())) {
      seen.add(k.toLowerCase())
      out.push(k)
    }
  }
  return out
}

/** Accents that named HTML entities add to a letter: "&egrave;" is "e" with U+0300. */
const ENTITY_ACCENTS: Record<string, string> = {
  acute: '\u0301',
  grave: '\u0300',
  circ: '\u0302',
  uml: '\u0308',
  tilde: '\u0303',
  ring: '\u030A',
  cedil: '\u0327',
  caron: '\u030C',
}

const GREEK =
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega'

/** Named entities beyond the five stripHtml knows: letters with accents, Greek, typography. */
const NAMED_ENTITIES = new Map<string, string>([
  ...GREEK.split(' ').flatMap((name, i): [string, string][] => {
    const lower: [string, string] = [name, String.fromCharCode(0x3b1 + i)]
    // No capital final sigma: U+03A2 is unassigned.
    if (name === 'sigmaf') return [lower]
    return [lower, [name[0]!.toUpperCase() + name.slice(1), String.fromCharCode(0x391 + i)]]
  }),
  ...Object.entries({
    szlig: 'ß',
    aelig: 'æ',
    AElig: 'Æ',
    oslash: 'ø',
    Oslash: 'Ø',
    eth: 'ð',
    ETH: 'Ð',
    thorn: 'þ',
    THORN: 'Þ',
    ndash: '–',
    mdash: '—',
    lsquo: '‘',
    rsquo: '’',
    ldquo: '“',
    rdquo: '”',
    hellip: '…',
    times: '×',
    deg: '°',
    plusmn: '±',
    micro: 'µ',
    middot: '·',
    copy: '©',
    reg: '®',
    trade: '™',
    sect: '§',
    laquo: '«',
    raquo: '»',
    euro: '€',
    pound: '£',
  }),
])

/**
 * HTML inside a field as plain text: stripHtml, after the named entities it does not know
 * ("Ir&egrave;ne" is "Irène"; left alone, its ";" would also split an author list there).
 */
export function htmlText(value: string): string {
  const named = value.replace(/&([A-Za-z]+);/g, (whole, name: string) => {
    const known = NAMED_ENTITIES.get(name)
    if (known) return known
    const m = /^([A-Za-z])(acute|grave|circ|uml|tilde|ring|cedil|caron)$/.exec(name)
    const letter = m ? `${m[1]}${ENTITY_ACCENTS[m[2]!]}`.normalize('NFC') : ''
    return letter.length === 1 ? letter : whole
  })
  return stripHtml(named)
}

/** Metadata with the empty parts left out, so that papers compare equal however they were read. */
export function compactMeta(meta: PaperMeta): PaperMeta | undefined {
  const out: PaperMeta = {}
  if (meta.year) out.year = meta.year
  if (meta.arxivId) {
    out.arxivId = meta.arxivId
    if (meta.arxivVersion) out.arxivVersion = meta.arxivVersion
  }
  if (meta.doi) out.doi = meta.doi
  if (meta.venue) out.venue = meta.venue
  if (meta.keywords?.length) out.keywords = meta.keywords
  if (meta.urls?.length) out.urls = meta.urls
  return Object.keys(out).length ? out : undefined
}

/** Where warnings go; `make` is called only for those kept. */
export interface WarningSink {
  add(line: number | null, make: () => string): void
}

/** Beyond this many, warnings are only counted (only the first hundred are listed anyway). */
const MAX_SORTED_WARNINGS = 100_000

/**
 * Warnings gathered in passes (reading the records, then checking each paper, then merging
 * copies) and listed in the order of their lines, as the user reads the file.
 */
export class WarningsByLine implements WarningSink {
  private readonly notes: { line: number | null; make: () => string }[] = []
  private surplus = 0

  add(line: number | null, make: () => string): void {
    if (this.notes.length < MAX_SORTED_WARNINGS) this.notes.push({ line, make })
    else this.surplus += 1
  }

  list(): ImportWarning[] {
    const warnings = new Warnings()
    // Array.prototype.sort is stable: warnings about one line keep their order.
    const sorted = [...this.notes].sort(
      (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
    )
    for (const note of sorted) warnings.add(note.line, note.make)
    for (let i = 0; i < this.surplus; i += 1) warnings.add(null, () => '')
    return warnings.list()
  }
}

/** The warning for a paper that came without an abstract (after copies were merged). */
export function warnNoAbstract(
  papers: ParsedPaper[],
  warnings: WarningSink,
  describe: (paper: ParsedPaper) => string,
): void {
  for (const paper of papers) {
    if (!paper.abstract) {
      warnings.add(
        paper.line,
        () => `${describe(paper)} has no abstract; imported with the title only`,
      )
    }
  }
}

// Two copies of one paper in one dump

interface TitleGroup {
  /** Indexes (into the kept papers) of the papers with this title, in order. */
  members: number[]
  /** The first member that may still be without an arXiv id; fields are only ever filled. */
  noArxiv: number
  noDoi: number
  neither: number
}

/**
 * Copies of one paper inside one dump are one paper, recognised as the library recognises
 * papers: the same arXiv id, else the same DOI, else the same title — unless both have arXiv ids
 * or DOIs and these differ. The first copy is kept; what it lacks is filled from the later one.
 * Linear: a title's copies are found through cursors that only move forward.
 */
export function mergeCopies(
  papers: ParsedPaper[],
  warnings: WarningSink,
  describe: (paper: ParsedPaper) => string,
): ParsedPaper[] {
  const kept: ParsedPaper[] = []
  const byArxiv = new Map<string, number>()
  const byDoi = new Map<string, number>()
  const byTitle = new Map<string, TitleGroup>()
  const has = (i: number, field: 'arxivId' | 'doi'): boolean => Boolean(kept[i]!.meta?.[field])

  const firstOf = (group: TitleGroup, paper: ParsedPaper): number | undefined => {
    const arxiv = Boolean(paper.meta?.arxivId)
    const doi = Boolean(paper.meta?.doi)
    const m = group.members
    if (!arxiv && !doi) return m[0]
    if (arxiv && !doi) {
      while (group.noArxiv < m.length && has(m[group.noArxiv]!, 'arxivId')) group.noArxiv += 1
      return m[group.noArxiv]
    }
    if (!arxiv && doi) {
      while (group.noDoi < m.length && has(m[group.noDoi]!, 'doi')) group.noDoi += 1
      return m[group.noDoi]
    }
    while (
      group.neither < m.length &&
      (has(m[group.neither]!, 'arxivId') || has(m[group.neither]!, 'doi'))
    ) {
      group.neither += 1
    }
    return m[group.neither]
  }

  for (const paper of papers) {
    const arxiv = paper.meta?.arxivId
    const doi = paper.meta?.doi
    const key = titleKey(paper.title)
    let same: number | undefined
    let rule = ''
    if (arxiv && byArxiv.has(arxiv)) {
      same = byArxiv.get(arxiv)
      rule = `arXiv ${arxiv}`
    } else if (doi && byDoi.has(doi)) {
      same = byDoi.get(doi)
      rule = `DOI ${doi}`
    } else if (key) {
      const group = byTitle.get(key)
      same = group && firstOf(group, paper)
      rule = 'same title'
    }
    if (same === undefined) {
      const index = kept.length
      kept.push(paper)
      if (arxiv) byArxiv.set(arxiv, index)
      if (doi) byDoi.set(doi, index)
      if (key) {
        const group = byTitle.get(key)
        if (group) group.members.push(index)
        else byTitle.set(key, { members: [index], noArxiv: 0, noDoi: 0, neither: 0 })
      }
      continue
    }
    const first = kept[same]!
    const filled = fillIn(first, paper, byArxiv, byDoi)
    if (filled.meta?.arxivId && !first.meta?.arxivId) byArxiv.set(filled.meta.arxivId, same)
    if (filled.meta?.doi && !first.meta?.doi) byDoi.set(filled.meta.doi, same)
    kept[same] = filled
    warnings.add(
      paper.line,
      () =>
        `${describe(paper)} is the same paper as the one at line ${first.line} (${rule}); read as one`,
    )
  }
  return kept
}

/** `first` with what it lacks taken from `later`; an id another paper holds is not taken. */
function fillIn(
  first: ParsedPaper,
  later: ParsedPaper,
  byArxiv: Map<string, number>,
  byDoi: Map<string, number>,
): ParsedPaper {
  const a = first.meta ?? {}
  const b = later.meta ?? {}
  const meta: PaperMeta = { ...a }
  if (!a.year && b.year) meta.year = b.year
  if (!a.arxivId && b.arxivId && !byArxiv.has(b.arxivId)) {
    meta.arxivId = b.arxivId
    if (b.arxivVersion) meta.arxivVersion = b.arxivVersion
  }
  if (!a.doi && b.doi && !byDoi.has(b.doi)) meta.doi = b.doi
  if (!a.venue && b.venue) meta.venue = b.venue
  if (!a.keywords?.length && b.keywords?.length) meta.keywords = b.keywords
  if (!a.urls?.length && b.urls?.length) meta.urls = b.urls
  const merged: ParsedPaper = {
    ...first,
    abstract: first.abstract || later.abstract,
    authors: first.authors.length ? first.authors : later.authors,
    dumpDate: first.dumpDate ?? later.dumpDate,
    dumpDateText: first.dumpDate ? first.dumpDateText : later.dumpDateText,
  }
  const compact = compactMeta(meta)
  if (compact) merged.meta = compact
  else delete merged.meta
  return merged
}

// Columns

export { CSV_FIELDS } from './types'
export type { CsvField } from './types'

/**
 * Header names each field is read from (compared after `headerKey`), most informative first:
 * where several are present, the first one with a value in a row is used (for keywords, all of
 * them). The two-letter names are Web of Science's field tags.
 */
const SYNONYMS: Record<Exclude<CsvField, 'ignore'>, string[]> = {
  title: ['title', 'article title', 'document title', 'paper title', 'ti'],
  abstract: ['abstract', 'abstract note', 'summary', 'description', 'ab'],
  authors: ['author full names', 'af', 'authors', 'author', 'au'],
  year: ['year', 'publication year', 'py', 'date', 'publication date'],
  doi: ['doi', 'di'],
  url: ['url', 'link'],
  arxiv: ['arxiv', 'arxiv id', 'eprint', 'archive id'],
  venue: ['source title', 'journal', 'publication title', 'venue', 'journal title', 'so'],
  keywords: ['author keywords', 'keywords', 'manual tags', 'de'],
}

/** A header as compared: case, spacing, underscores and a trailing colon do not matter. */
function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/[\s_]+/g, ' ')
    .replace(/:$/, '')
    .toLowerCase()
}

const DELIMITERS = [',', ';', '\t'] as const
type Delimiter = (typeof DELIMITERS)[number]

/**
 * The first records of `text` (quote-aware: a quoted field may hold delimiters and line breaks),
 * each with how many times every candidate delimiter occurs outside quotes. Linear, and it stops
 * after `max` records. `complete` is false for a record cut off by the end of the text.
 */
function firstRecords(
  text: string,
  max: number,
): { counts: Record<Delimiter, number>; start: number; end: number; complete: boolean }[] {
  const records = []
  let counts = { ',': 0, ';': 0, '\t': 0 }
  let start = 0
  let quoted = false
  let i = 0
  for (; i < text.length && records.length < max; i += 1) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') quoted = false
      continue
    }
    if (c === '"') quoted = true
    else if (c === ',' || c === ';' || c === '\t') counts[c] += 1
    else if (c === '\n') {
      records.push({ counts, start, end: i, complete: true })
      counts = { ',': 0, ';': 0, '\t': 0 }
      start = i + 1
    }
  }
  if (records.length < max && start < text.length) {
    records.push({ counts, start, end: text.length, complete: false })
  }
  return records
}

/** The delimiter the header row uses: the candidate it holds most of (a comma on a tie). */
function headerDelimiter(counts: Record<Delimiter, number>): Delimiter {
  let best: Delimiter = ','
  for (const d of DELIMITERS) if (counts[d] > counts[best]) best = d
  return best
}

/** The header row's cells, unquoted, as written. */
function headerCells(line: string, delimiter: Delimiter): string[] {
  const parsed = Papa.parse<string[]>(line, { delimiter, newline: '\n', preview: 1 })
  return (parsed.data[0] ?? []).map((h) => h.replace(/^\uFEFF/, '').trim())
}

/** Text as it is parsed: no byte-order mark, "\n" line breaks, blank lines before it dropped. */
function prepare(text: string): { body: string; offset: number } {
  const normal = normaliseText(text)
  let offset = 0
  while (offset < normal.length && /\s/.test(normal[offset]!)) offset += 1
  // Back to the start of the line the header is on, so that indentation stays in its cell.
  while (offset > 0 && normal[offset - 1] !== '\n') offset -= 1
  return { body: normal, offset }
}

function headerOf(body: string, offset: number): { cells: string[]; delimiter: Delimiter } | null {
  const [record] = firstRecords(body.slice(offset), 1)
  if (!record) return null
  const line = body.slice(offset + record.start, offset + record.end)
  const delimiter = headerDelimiter(record.counts)
  return { cells: headerCells(line, delimiter), delimiter }
}

/** The column names of a CSV/TSV text's header row, as written (for choosing a mapping). */
export function csvHeaders(text: string): string[] {
  const { body, offset } = prepare(text)
  // A trailing delimiter (Web of Science ends every line with a tab) names no column.
  return (headerOf(body, offset)?.cells ?? []).filter((c) => c !== '')
}

/** How sure it is that `head` is CSV/TSV: a header row naming a title, and rows that fit it. */
/**
 * What each column of the header row is read into, with the user's `mapping` applied: the
 * preview shows it, and the user changes it where a column was not recognised.
 */
export function csvColumns(
  text: string,
  mapping?: Record<string, string>,
): { header: string; field: CsvField }[] {
  const { body, offset } = prepare(text)
  const cells = headerOf(body, offset)?.cells ?? []
  const columns = mapColumns(cells, chosenFields(mapping))
  const fieldOf = new Map<number, CsvField>()
  for (const [field, indexes] of columns) for (const i of indexes) fieldOf.set(i, field)
  return cells
    .map((header, i) => ({ header, field: fieldOf.get(i) ?? ('ignore' as CsvField) }))
    .filter((c) => c.header !== '')
}

export function detectCsv(head: string): number {
  const text = normaliseText(head)
  const records = firstRecords(text, 6)
  const header = records[0]
  if (!header) return 0
  const delimiter = headerDelimiter(header.counts)
  const columns = header.counts[delimiter] + 1
  const cells = headerCells(text.slice(header.start, header.end), delimiter).map(headerKey)
  const hasTitle = cells.some((c) => SYNONYMS.title.includes(c))
  const rows = records.slice(1).filter((r) => r.complete && r.end > r.start)
  const consistent = rows.length > 0 && rows.every((r) => r.counts[delimiter] + 1 === columns)
  // A blank line right after the first line: paragraphs (page text whose first title has a
  // comma and a word like "Title" or "Ti"), never a table's header and its first row.
  if (records[1] && records[1].end === records[1].start) return 0
  if (hasTitle && columns >= 2) return consistent ? 0.9 : 0.6
  // One column named "Title": a list of titles, unless blank lines part it into paragraphs
  // (then it is page text whose first paper is called "Title").
  if (hasTitle) return rows.length > 0 && !records.some((r) => r.end === r.start) ? 0.4 : 0
  // A table without a title column: reading it explains what is missing better than
  // reading it as page text would.
  return consistent && columns >= 3 && rows.length >= 2 ? 0.25 : 0
}

// Rows

/** Which columns feed each field, by position, in order of preference. */
type ColumnMap = Map<Exclude<CsvField, 'ignore'>, number[]>

/** The user's mapping by header key; refused whole when it names a field that does not exist. */
function chosenFields(mapping: Record<string, string> | undefined): Map<string, CsvField> {
  const chosen = new Map<string, CsvField>()
  for (const [header, field] of Object.entries(mapping ?? {})) {
    if (!(CSV_FIELDS as readonly string[]).includes(field)) {
      throw new ImportError(
        `the column “${header}” is mapped to “${field}”, which is not one of ${CSV_FIELDS.join(', ')}`,
      )
    }
    chosen.set(headerKey(header), field as CsvField)
  }
  return chosen
}

function mapColumns(cells: string[], chosen: Map<string, CsvField>): ColumnMap {
  const keys = cells.map(headerKey)
  const columns: ColumnMap = new Map()
  const add = (field: Exclude<CsvField, 'ignore'>, index: number): void => {
    const list = columns.get(field) ?? []
    list.push(index)
    columns.set(field, list)
  }
  // The user's choices come first; then the synonyms, in their order of preference.
  keys.forEach((key, index) => {
    const field = chosen.get(key)
    if (field && field !== 'ignore') add(field, index)
  })
  for (const [field, names] of Object.entries(SYNONYMS) as [
    Exclude<CsvField, 'ignore'>,
    string[],
  ][]) {
    for (const name of names) {
      keys.forEach((key, index) => {
        if (key === name && !chosen.has(key)) add(field, index)
      })
    }
  }
  return columns
}

function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function noTitleColumn(cells: string[], line: number): ImportError {
  const seen = cells.filter((c) => c !== '')
  const listed = seen
    .slice(0, 20)
    .map((c) => `“${shorten(c, 40)}”`)
    .join(', ')
  const more = seen.length > 20 ? ` and ${seen.length - 20} more` : ''
  return new ImportError(
    `no title column found in the header row (it has ${seen.length ? `${listed}${more}` : 'no names'}); ` +
      `a column named ${SYNONYMS.title
        .filter((n) => n.length > 2)
        .map((n) => `“${n.replace(/\b\w/g, (c) => c.toUpperCase())}”`)
        .join(', ')} or “TI” is read as the title`,
    line,
  )
}

const NO_ABSTRACT = /^\[?no abstract available\.?\]?$/i

/** "Lovelace, Ada (57193…)" as Scopus writes full names: the identifier is not part of the name. */
function withoutId(name: string): string {
  return name.replace(/\s*\(\d+\)$/, '')
}

const INITIALS = /^(?:\p{Lu}\.?-?)+$/u

/** "Family, Given" → "Given Family"; "Vaswani A." (family name, then initials) → "A. Vaswani". */
function givenFirst(name: string): string {
  const n = oneLine(withoutId(name))
  const comma = n.indexOf(',')
  if (comma !== -1) {
    const family = n.slice(0, comma).trim()
    const given = n.slice(comma + 1).trim()
    return given ? `${given} ${family}` : family
  }
  const words = n.split(' ')
  if (words.length >= 2 && !INITIALS.test(words[0]!)) {
    let k = words.length
    while (k > 1 && INITIALS.test(words[k - 1]!)) k -= 1
    if (k < words.length) return [...words.slice(k), ...words.slice(0, k)].join(' ')
  }
  return n
}

/**
 * The names in an authors cell: separated by semicolons ("Lovelace, Ada; Babbage, Charles"),
 * by "and" (BibTeX style), or by commas when each name is "Given Family" — commas between
 * alternating family names and initials ("Vaswani, A., Shazeer, N.") pair them up.
 */
export function splitAuthors(cell: string): string[] {
  const text = oneLine(cell).replace(/[,;]?\s*\bet al\.?$/i, '')
  if (!text) return []
  let names: string[]
  if (text.includes(';')) names = text.split(';').map(givenFirst)
  else if (/\sand\s/i.test(text)) {
    const parts = text.split(/\s+and\s+/i)
    const bibtexStyle = parts.every((p) => (p.match(/,/g) ?? []).length === 1)
    names = bibtexStyle
      ? parts.map(givenFirst)
      : parts.flatMap((p) => p.split(',')).map((p) => oneLine(p))
  } else if (text.includes(',')) {
    const parts = text.split(',').map((p) => oneLine(p))
    if (parts.every((p) => p.includes(' '))) names = parts
    else if (parts.length === 2) names = [givenFirst(text)]
    else if (parts.length % 2 === 0 && parts.every((p, i) => i % 2 === 0 || INITIALS.test(p))) {
      names = []
      for (let i = 0; i < parts.length; i += 2) names.push(`${parts[i + 1]} ${parts[i]}`)
    } else names = parts
  } else names = [givenFirst(text)]
  return names.map((n) => oneLine(n)).filter((n) => n !== '')
}

/** Reads a CSV/TSV text; `mapping` (header → field) overrides how columns are recognised. */
export function parseCsv(text: string, mapping?: Record<string, string>): ParseResult {
  const { body, offset } = prepare(text)
  const chosen = chosenFields(mapping)
  const header = /\S/.test(body) ? headerOf(body, offset) : null
  if (!header) throw new ImportError('the file is empty')
  const warnings = new WarningsByLine()
  const papers: ParsedPaper[] = []
  let skipped = 0

  // Lines are counted as the rows go by, never from the start again (linear).
  let counted = 0
  let line = 1
  const lineAt = (pos: number): number => {
    for (let i = body.indexOf('\n', counted); i !== -1 && i < pos; i = body.indexOf('\n', i + 1)) {
      line += 1
      counted = i + 1
    }
    if (counted < pos) counted = pos
    return line
  }

  // Held in an object: TypeScript does not see the callback assign them.
  const state: { columns: ColumnMap | null; width: number; fatal: ImportError | null } = {
    columns: null,
    width: 0,
    fatal: null,
  }
  let rowStart = offset

  Papa.parse<string[]>(body.slice(offset), {
    delimiter: header.delimiter,
    newline: '\n',
    quoteChar: '"',
    skipEmptyLines: false,
    step: (result, parser) => {
      const start = rowStart
      rowStart = offset + result.meta.cursor
      const at = lineAt(start)
      const quoteProblem = result.errors.find((e) => e.type === 'Quotes')
      if (quoteProblem) {
        state.fatal = new ImportError(
          quoteProblem.code === 'MissingQuotes'
            ? 'a quoted field in the row that starts here is never closed: its opening “"” has no closing “"” (a quote inside a field is written twice: "")'
            : 'a quoted field in the row that starts here has text after its closing “"” (a quote inside a field is written twice: "")',
          at,
        )
        parser.abort()
        return
      }
      const cells = result.data
      if (cells.every((c) => c.trim() === '')) return
      if (!state.columns) {
        state.columns = mapColumns(cells, chosen)
        state.width = cells.length
        if (!state.columns.get('title')?.length) {
          state.fatal = noTitleColumn(cells, at)
          parser.abort()
        }
        return
      }
      const width = state.width
      if (cells.length > width && cells.slice(width).some((c) => c.trim() !== '')) {
        warnings.add(
          at,
          () =>
            `this row has ${cells.length} values but the header names ${width} columns; the extra ones were ignored (is a value holding the delimiter not quoted?)`,
        )
      }
      const paper = readRow(cells, state.columns, at)
      if (!paper) {
        skipped += 1
        warnings.add(at, () => 'a row with no title was skipped')
        return
      }
      papers.push(paper)
    },
  })
  if (state.fatal) throw state.fatal
  if (!state.columns) throw new ImportError('no header row found: the table holds no values at all')
  if (papers.length === 0) {
    throw new ImportError(
      skipped
        ? `none of the ${skipped} rows has a title`
        : 'the table has a header row but no rows',
      skipped ? null : lineAt(body.length),
    )
  }
  const merged = mergeCopies(papers, warnings, (p) => `the row at line ${p.line}`)
  warnNoAbstract(merged, warnings, (p) => `“${shorten(p.title)}”`)
  return { format: 'csv', papers: merged, warnings: warnings.list(), skipped }
}

function readRow(cells: string[], columns: ColumnMap, line: number): ParsedPaper | null {
  const values = (field: Exclude<CsvField, 'ignore'>): string[] =>
    (columns.get(field) ?? []).map((i) => cells[i] ?? '').filter((v) => v.trim() !== '')
  const first = (field: Exclude<CsvField, 'ignore'>): string => values(field)[0] ?? ''

  const title = oneLine(htmlText(first('title')))
  if (!title) return null
  // Line and paragraph breaks written as HTML are breaks, not spaces.
  const abstractHtml = first('abstract')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n\n')
  const abstractText = paragraphs(htmlText(abstractHtml))
  const meta: PaperMeta = {}
  const year = values('year')
    .map((v) => yearOf(v.slice(0, 100)))
    .find((y) => y !== null)
  if (year) meta.year = year
  const doi = values('doi')
    .map(doiOf)
    .find((d) => d !== null)
  if (doi) meta.doi = doi
  const urls = values('url')
    .map(urlOf)
    .filter((u): u is string => u !== null)
  if (urls.length) meta.urls = [...new Set(urls)]
  const arxiv =
    values('arxiv')
      .map(arxivIdOf)
      .find((a) => a !== null) ??
    (doi ? arxivIdOfDoi(doi) : null) ??
    urls.map(arxivIdOfUrl).find((a) => a !== null) ??
    null
  if (arxiv) {
    meta.arxivId = arxiv.id
    if (arxiv.version) meta.arxivVersion = arxiv.version
  }
  const venue = oneLine(htmlText(first('venue')))
  if (venue) meta.venue = venue
  const keywords = new Map<string, string>()
  for (const value of values('keywords')) {
    for (const k of splitKeywords(htmlText(value))) {
      if (!keywords.has(k.toLowerCase())) keywords.set(k.toLowerCase(), k)
    }
  }
  if (keywords.size) meta.keywords = [...keywords.values()]

  const paper: ParsedPaper = {
    title,
    abstract: NO_ABSTRACT.test(abstractText) ? '' : abstractText,
    authors: splitAuthors(htmlText(first('authors'))),
    dumpDate: null,
    dumpDateText: null,
    line,
  }
  const compact = compactMeta(meta)
  if (compact) paper.meta = compact
  return paper
}

export interface CsvImporter extends Importer {
  /** `mapping`: header → field (one of CSV_FIELDS), for columns whose names are not known. */
  parse: (text: string, now: Date, mapping?: Record<string, string>) => ParseResult
}

export const csvImporter: CsvImporter = {
  format: 'csv',
  label: 'CSV/TSV',
  detect: detectCsv,
  parse: (text, _now, mapping) => parseCsv(text, mapping),
}
