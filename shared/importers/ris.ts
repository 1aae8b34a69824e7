// RIS, the export format of reference managers and databases (Zotero, Mendeley, EndNote, Scopus,
// Web of Science, publishers' sites): one field a line, "TI  - A Title" (a tag of two capitals
// or a capital and a digit, two spaces, a hyphen, a space), each record from "TY  - JOUR" to
// "ER  - ". A line without a tag continues the field before it.
import { splitLinks } from '../links'
import { splitLines } from '../text'
import { cleanUrl, normaliseDoi, splitArxivId, stripHtml, unwrap, yearOf } from './fields'
import { ImportError } from './types'
import { mergeCopies, warningsOf } from './copies'
import type { Note } from './copies'
import type { Importer, PaperMeta, ParsedPaper, ParseResult } from './types'

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

// ---------------------------------------------------------------------------------------------
// Lines and records

/**
 * "TI  - text", "ER  -" (the trailing space is gone once lines are trimmed). Two spaces exactly:
 * with one, a wrapped abstract line such as "US - China trade …" would read as a tag.
 */
const TAG_LINE = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/

/** Lines some publishers (Elsevier, Wiley, ACS) write before the first record. */
const EXPORT_HEADER = /^(?:Provider|Database|Content):/

interface Field {
  tag: string
  /** The value's first line and the lines that continue it; '' where a blank line was. */
  lines: string[]
}

interface RisRecord {
  line: number
  fields: Field[]
}

/** A line as read, without the byte-order mark that files joined together carry inside. */
function lineText(raw: string): string {
  return raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
}

interface Reading {
  records: RisRecord[]
  notes: Note[]
  skipped: number
  firstContentLine: number | null
}

/** The records of the text in one pass, with notes on what lay outside them. */
function readRecords(text: string): Reading {
  const records: RisRecord[] = []
  const notes: Note[] = []
  let skipped = 0
  let firstContentLine: number | null = null
  let record: RisRecord | null = null
  let field: Field | null = null
  let blanks = 0
  let stray: { line: number; text: string } | null = null

  const endStray = (): void => {
    if (!stray) return
    const { line, text: what } = stray
    skipped += 1
    notes.push({
      line,
      message: () =>
        `text outside any RIS record (no “TY  - ” line before it) was skipped: “${shorten(what)}”`,
    })
    stray = null
  }
  const open = (line: number, type: string): void => {
    field = { tag: 'TY', lines: [type] }
    record = { line, fields: [field] }
    blanks = 0
  }

  for (const { number, text: raw } of splitLines(text)) {
    const line = lineText(raw)
    const blank = line.trim() === ''
    if (!blank && firstContentLine === null) firstContentLine = number
    const tag = TAG_LINE.exec(line)
    const current = record as RisRecord | null
    if (current === null) {
      if (tag?.[1] === 'TY') {
        endStray()
        open(number, tag[2] ?? '')
      } else if (blank) {
        endStray()
      } else if (!(records.length === 0 && EXPORT_HEADER.test(line))) {
        stray ??= { line: number, text: line.trim() }
      }
      continue
    }
    if (tag) {
      blanks = 0
      if (tag[1] === 'ER') {
        records.push(current)
        record = null
        field = null
      } else if (tag[1] === 'TY') {
        const next = number
        notes.push({
          line: current.line,
          message: () =>
            `the record at line ${current.line} has no “ER  - ” line; it was ended where the next record starts (line ${next})`,
        })
        records.push(current)
        open(number, tag[2] ?? '')
      } else {
        field = { tag: tag[1]!, lines: [tag[2] ?? ''] }
        current.fields.push(field)
      }
      continue
    }
    if (blank) {
      // Between records, or a paragraph break if a continuation line follows.
      blanks += 1
      continue
    }
    const continued = field as Field | null
    if (continued) {
      if (blanks > 0) continued.lines.push('')
      continued.lines.push(line)
    }
    blanks = 0
  }
  const last = record as RisRecord | null
  if (last) {
    notes.push({
      line: last.line,
      message: () =>
        `the last record (line ${last.line}) has no closing “ER  - ” line; it was read to the end of the file`,
    })
    records.push(last)
  }
  endStray()
  return { records, notes, skipped, firstContentLine }
}

// ---------------------------------------------------------------------------------------------
// Fields

function fieldsOf(record: RisRecord, tags: string[]): Field[] {
  return record.fields.filter((field) => tags.includes(field.tag))
}

/** The first non-empty value among `tags`, in the order given, as one line. */
function firstValue(record: RisRecord, tags: string[]): string {
  for (const tag of tags) {
    for (const field of fieldsOf(record, [tag])) {
      const value = unwrap(stripHtml(field.lines.join('\n')))
      if (value !== '') return value
    }
  }
  return ''
}

/** The abstract: paragraphs kept apart by a blank line, the hard wraps inside each joined. */
function abstractOf(record: RisRecord): string {
  for (const tag of ['AB', 'N2']) {
    for (const field of fieldsOf(record, [tag])) {
      const paragraphs: string[] = []
      let current: string[] = []
      for (const line of [...field.lines, '']) {
        if (line.trim() !== '') {
          current.push(line)
        } else if (current.length > 0) {
          const paragraph = unwrap(stripHtml(current.join('\n')))
          if (paragraph !== '') paragraphs.push(paragraph)
          current = []
        }
      }
      if (paragraphs.length > 0) return paragraphs.join('\n\n')
    }
  }
  return ''
}

/** "Family, Given" → "Given Family"; "Family, Given, Suffix" → "Given Family Suffix". */
function authorName(raw: string): string {
  const parts = raw.split(',').map((part) => part.trim())
  if (parts.length < 2) return raw
  const [family, given, ...rest] = parts
  return [given, family, ...rest].filter((part) => part !== '').join(' ')
}

function authorsOf(record: RisRecord): string[] {
  // A2 is the secondary author — an editor, mostly — so it stands in only when a record names
  // no one else.
  for (const tags of [['AU', 'A1'], ['A2']]) {
    const authors: string[] = []
    for (const field of fieldsOf(record, tags)) {
      // One author a field; a few exporters put several in one, separated by semicolons.
      for (const one of stripHtml(field.lines.join(' ')).split(';')) {
        const name = authorName(unwrap(one))
        if (name !== '') authors.push(name)
      }
    }
    if (authors.length > 0) return authors
  }
  return []
}

function keywordsOf(record: RisRecord): string[] {
  const keywords: string[] = []
  const seen = new Set<string>()
  for (const field of fieldsOf(record, ['KW'])) {
    // EndNote writes one KW and the rest of the keywords on the lines after it.
    for (const line of field.lines) {
      for (const part of stripHtml(line).split(';')) {
        const keyword = unwrap(part)
        if (keyword !== '' && !seen.has(keyword.toLowerCase())) {
          seen.add(keyword.toLowerCase())
          keywords.push(keyword)
        }
      }
    }
  }
  return keywords
}

/** Web links only: EndNote's "internal-pdf://" and Zotero's "file://" are on someone's disk. */
function urlsOf(record: RisRecord): string[] {
  const urls = new Set<string>()
  for (const field of fieldsOf(record, ['UR', 'L1', 'L2', 'L4', 'LK'])) {
    for (const line of field.lines) {
      for (const segment of splitLinks(stripHtml(line))) {
        if (segment.kind !== 'link') continue
        const url = cleanUrl(segment.url)
        if (url !== '') urls.add(url)
      }
    }
  }
  return [...urls]
}

/** arXiv's own DOIs are "10.48550/arXiv.<id>". */
const ARXIV_DOI = '10.48550/arxiv.'

function arxivIdOf(record: RisRecord, urls: string[], doi: string | null): PaperMeta {
  const found = (candidate: string): PaperMeta | null => {
    const id = splitArxivId(candidate)
    if (!id) return null
    return id.version === null ? { arxivId: id.id } : { arxivId: id.id, arxivVersion: id.version }
  }
  for (const url of urls) {
    const id = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\//i.test(url)
      ? found(url)
      : null
    if (id) return id
  }
  // splitArxivId does not look inside "10.48550/arxiv.2408.01234": the id follows a dot there.
  if (doi?.startsWith(ARXIV_DOI)) {
    const id = found(doi.slice(ARXIV_DOI.length))
    if (id) return id
  }
  // Zotero's note "arXiv:2408.01234 [cs]", and the same in other free-text fields.
  for (const field of fieldsOf(record, ['N1', 'M1', 'M3', 'AN', 'ID', 'C1'])) {
    for (const line of field.lines) {
      const at = line.toLowerCase().indexOf('arxiv:')
      const id = at === -1 ? null : found(line.slice(at + 6))
      if (id) return id
    }
  }
  return {}
}

function doiOfRecord(record: RisRecord, urls: string[]): string | null {
  for (const field of fieldsOf(record, ['DO'])) {
    for (const line of field.lines) {
      const doi = normaliseDoi(stripHtml(line))
      if (doi) return doi
    }
  }
  for (const url of urls) {
    if (/^https?:\/\/(?:dx\.)?doi\.org\//i.test(url)) {
      const doi = normaliseDoi(url)
      if (doi) return doi
    }
  }
  return null
}

function metaOf(record: RisRecord): PaperMeta {
  const urls = urlsOf(record)
  const doi = doiOfRecord(record, urls)
  const meta: PaperMeta = {}
  // PY is the year; Y1 and DA are dates ("2020/03/15/"). Y2 is when Zotero saw the page.
  for (const tag of ['PY', 'Y1', 'DA']) {
    const year = fieldsOf(record, [tag])
      .map((field) => yearOf(field.lines.join(' ')))
      .find((y) => y !== null)
    if (year !== undefined && year !== null) {
      meta.year = year
      break
    }
  }
  Object.assign(meta, arxivIdOf(record, urls, doi))
  if (doi) meta.doi = doi
  // Full names before abbreviations; T2 is the journal, or the book a chapter is in.
  const venue = firstValue(record, ['JF', 'JO', 'T2', 'BT', 'JA', 'J2'])
  if (venue) meta.venue = venue
  const keywords = keywordsOf(record)
  if (keywords.length > 0) meta.keywords = keywords
  if (urls.length > 0) meta.urls = urls
  return meta
}

function titleOf(record: RisRecord): string {
  const type = record.fields[0]?.lines[0]?.trim().toUpperCase() ?? ''
  // BT is a book's own title only in a BOOK record; elsewhere it is the book a chapter is in.
  return firstValue(record, type === 'BOOK' ? ['TI', 'T1', 'CT', 'BT'] : ['TI', 'T1', 'CT'])
}

// ---------------------------------------------------------------------------------------------

export function parseRis(text: string): ParseResult {
  const { records, notes, skipped: stray, firstContentLine } = readRecords(text)
  if (firstContentLine === null) throw new ImportError('the file is empty')
  if (records.length === 0) {
    throw new ImportError(
      'this is not RIS: no record starts with a “TY  - ” line (a tag, two spaces, a hyphen, a space)',
      firstContentLine,
    )
  }
  let skipped = stray
  const papers: ParsedPaper[] = []
  for (const record of records) {
    const title = titleOf(record)
    if (title === '') {
      skipped += 1
      notes.push({
        line: record.line,
        message: () => `the record at line ${record.line} has no title (TI or T1); skipped`,
      })
      continue
    }
    papers.push({
      title,
      abstract: abstractOf(record),
      authors: authorsOf(record),
      // RIS describes papers, not a dated listing: the paper's own date is its year.
      dumpDate: null,
      dumpDateText: null,
      line: record.line,
      meta: metaOf(record),
    })
  }
  const kept = mergeCopies(papers, notes)
  if (kept.length === 0) {
    throw new ImportError(
      records.length === 1
        ? 'no papers: the RIS record has no title (TI or T1)'
        : `no papers: none of the ${records.length} RIS records has a title (TI or T1)`,
      records[0]!.line,
    )
  }
  for (const paper of kept) {
    if (paper.abstract === '') {
      notes.push({
        line: paper.line,
        message: () => `“${shorten(paper.title)}” has no abstract (AB or N2); imported without one`,
      })
    }
  }
  return { format: 'ris', papers: kept, warnings: warningsOf(notes).list(), skipped }
}

/**
 * Sure when the first line that is not a publisher's header is "TY  - " and other tags follow;
 * doubtful when a TY line comes after other text (a note pasted above an export).
 */
export function detectRis(head: string): number {
  let tags = 0
  let types = 0
  let ends = 0
  let first: 'type' | 'tag' | 'other' | null = null
  for (const raw of head.split(/\r\n?|\n/)) {
    const line = lineText(raw).trimEnd()
    if (line.trim() === '') continue
    const tag = TAG_LINE.exec(line)
    if (!tag) {
      if (first === null && !EXPORT_HEADER.test(line)) first = 'other'
      continue
    }
    tags += 1
    if (tag[1] === 'TY') types += 1
    if (tag[1] === 'ER') ends += 1
    first ??= tag[1] === 'TY' ? 'type' : 'tag'
  }
  if (types === 0) return tags >= 3 ? 0.3 : 0
  if (first === 'type') return ends > 0 || tags >= 3 ? 0.98 : 0.9
  return 0.6
}

export const risImporter: Importer = {
  format: 'ris',
  label: 'RIS',
  detect: detectRis,
  parse: parseRis,
}
