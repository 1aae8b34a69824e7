// The daily arXiv e-mail digest ("cs daily Subj-class mailing"): a mail header, a preamble that
// says which days' submissions it holds, then one block per paper: a "\\" line, the "arXiv:" id,
// metadata fields (continuation lines indented), a "\\" line, the abstract, and an end line
// "\\ ( https://arxiv.org/abs/<id> ,  45kb)". New submissions, cross-lists and replacements
// follow one another between "%%--%%" rules; replacements carry no abstract.
//
// The helpers the arXiv listing page reader shares (dates, author lists, duplicates) live here
// too, so the same paper read from a digest and from a listing gets the same values.
import { MONTHS, MONTH_NAMES } from '../dates'
import type { ImportWarning } from '../domain'
import { titleKey } from '../titleKey'
import { splitLines } from '../text'
import type { Line } from '../text'
import { cleanUrl, normaliseDoi, splitArxivId } from './fields'
import { ImportError } from './types'
import type { Importer, PaperMeta, ParsedPaper, ParseResult } from './types'
import { Warnings } from './warnings'

// ---------------------------------------------------------------------------------------------
// Shared with the listing reader

// splitArxivId's old-style pattern, normaliseDoi's and cleanUrl's trailing-punctuation patterns
// are quadratic on a long run of '-' or of punctuation: they only ever see values of a length
// an identifier, a DOI or a URL can have.
const MAX_ID_CHARS = 64
const MAX_DOI_CHARS = 300
const MAX_URL_CHARS = 2000

/** "2408.01234v2" or "math/0601001" as an arXiv id; null for anything else or anything long. */
export function arxivIdOf(token: string): { id: string; version: number | null } | null {
  return token.length > MAX_ID_CHARS ? null : splitArxivId(token)
}

/** The DOI a "DOI:" field starts with, normalised; null when there is none. */
export function doiOf(value: string): string | null {
  const token = value.trim().split(/\s/, 1)[0] ?? ''
  return token.length > MAX_DOI_CHARS ? null : normaliseDoi(token)
}

/** The canonical abstract page of an arXiv id: the same link whichever dump named the paper. */
export function absUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`
}

/**
 * Wrapped lines as one line, as fields.ts's `unwrap` joins them (a newline and the spaces around
 * it become one space, runs of spaces and tabs one space), without its `\s*\n\s*`, which is
 * quadratic on a long run of spaces.
 */
export function oneLine(lines: readonly string[]): string {
  const parts: string[] = []
  for (const line of lines) {
    const part = line.trim()
    if (part) parts.push(part)
  }
  return parts.join(' ').replace(/[ \t]{2,}/g, ' ')
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

interface Token {
  text: string
  start: number
  end: number
  /** A number that belongs to a time of day ("00:30:18"), not to a date. */
  clock: boolean
}

/** Runs of letters and of digits, with where they are. */
function tokensOf(text: string): Token[] {
  const tokens: Token[] = []
  for (const m of text.matchAll(/[A-Za-z]+|\d+/g)) {
    const start = m.index
    const end = start + m[0].length
    tokens.push({ text: m[0], start, end, clock: text[start - 1] === ':' || text[end] === ':' })
  }
  return tokens
}

function monthOf(word: string): number {
  const lower = word.toLowerCase()
  if (lower.length < 3) return 0
  const month = MONTHS.indexOf(lower.slice(0, 3)) + 1
  if (month === 0) return 0
  return MONTH_NAMES[month - 1]!.startsWith(lower) || lower === 'sept' ? month : 0
}

function isDay(token: Token | undefined): token is Token {
  return token !== undefined && !token.clock && /^\d{1,2}$/.test(token.text)
}

function isYear(token: Token | undefined): token is Token {
  return token !== undefined && !token.clock && /^(?:\d{2}|\d{4})$/.test(token.text)
}

/** The day and year around the month at `i`: "20 Aug 2024", "Aug 20, 2024", "Aug 20 00:30 2024". */
function dayAndYear(tokens: Token[], i: number): { day: Token; year: Token; first: number } | null {
  const before = tokens[i - 1]
  const after = tokens[i + 1]
  if (isDay(before) && isYear(after)) return { day: before, year: after, first: i - 1 }
  if (!isDay(after)) return null
  const year = tokens.slice(i + 2, i + 6).find((t) => !t.clock)
  return isYear(year) ? { day: after, year, first: i } : null
}

/**
 * The date a mail header, a preamble or a listing heading writes — "Tue, 20 Aug 2024 00:30:18
 * +0000", "20 Aug 24 00:30:18 GMT", "Tue, Aug 20, 2024 at 2:30 AM", "Tuesday, 20 August 2024"
 * — as an ISO date and the words that say it ("Tue, 20 Aug 2024"). A year of two digits is the
 * arXiv's: 91–99 are the 1990s. Numeric dates ("8/20/24") are left alone: their order is the
 * reader's locale, which the text does not say.
 */
export function readDate(value: string): { iso: string; text: string } | null {
  const text = value.slice(0, 120)
  const tokens = tokensOf(text)
  for (let i = 0; i < tokens.length; i += 1) {
    const month = monthOf(tokens[i]!.text)
    if (month === 0) continue
    const found = dayAndYear(tokens, i)
    if (!found) continue
    const { day, year } = found
    let first = found.first
    const before = tokens[first - 1]
    if (before && WEEKDAYS.includes(before.text.slice(0, 3).toLowerCase())) first -= 1
    const y =
      year.text.length === 2
        ? Number(year.text) + (Number(year.text) >= 91 ? 1900 : 2000)
        : Number(year.text)
    const d = Number(day.text)
    const check = new Date(Date.UTC(y, month - 1, d))
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== d) return null
    const iso = `${y}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`
    return { iso, text: text.slice(tokens[first]!.start, year.end) }
  }
  return null
}

const NAME_ACCENTS: Record<string, string> = {
  '`': '\u0300',
  "'": '\u0301',
  '^': '\u0302',
  '~': '\u0303',
  '=': '\u0304',
  u: '\u0306',
  '.': '\u0307',
  '"': '\u0308',
  r: '\u030A',
  H: '\u030B',
  v: '\u030C',
  c: '\u0327',
  k: '\u0328',
}
const NAME_LETTERS: Record<string, string> = {
  ss: 'ß',
  o: 'ø',
  O: 'Ø',
  l: 'ł',
  L: 'Ł',
  aa: 'å',
  AA: 'Å',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  i: 'ı',
  j: 'ȷ',
}

function accented(accent: string, letter: string): string {
  // \i and \j are the dotless letters TeX puts accents on: í is \'{\i}.
  return letter.replace('\\', '') + (NAME_ACCENTS[accent] ?? '')
}

/**
 * An author's name as TeX writes it in arXiv metadata (M\"uller, Gonz{\'a}lez, \v{S}imon,
 * {\O}stergaard) in the letters it stands for, as listing pages and feeds show it, so that one
 * person has one name in the library. Titles and abstracts keep their TeX; names are sorted and
 * compared, and a backslash in a name is only noise there.
 */
export function nameFromTex(name: string): string {
  if (!name.includes('\\') && !name.includes('{') && !name.includes('~')) return name
  return name
    .replace(/\\([`'^~=."])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))/g, (_, a: string, b, c) =>
      accented(a, (b ?? c) as string),
    )
    .replace(/\\([uvHckr])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+(\\?[A-Za-z]))/g, (_, a: string, b, c) =>
      accented(a, (b ?? c) as string),
    )
    .replace(
      /\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z]) ?/g,
      (_, l: string) => NAME_LETTERS[l]!,
    )
    .replace(/[{}]/g, '')
    .replace(/~/g, ' ')
    .normalize('NFC')
}

/** The text without its parenthesised parts, nested ones included; a lone bracket is dropped. */
function withoutParentheses(text: string): string {
  if (!text.includes('(') && !text.includes(')')) return text
  // Which "(" are closed, found first, so that an unclosed one does not swallow the names after it.
  const closed = new Set<number>()
  const open: number[] = []
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '(') open.push(i)
    else if (text[i] === ')' && open.length > 0) closed.add(open.pop()!)
  }
  let out = ''
  let depth = 0
  let from = 0
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]
    if (c !== '(' && c !== ')') continue
    if (depth === 0) out += text.slice(from, i)
    if (c === '(' && closed.has(i)) depth += 1
    else if (c === ')' && depth > 0) depth -= 1
    from = i + 1
  }
  if (depth === 0) out += text.slice(from)
  return out
}

const NAME_SUFFIX = /^(?:Jr|Sr|II|III|IV)\.?$/

/**
 * "A. Author (1), B. Author (1 and 2) and C. Author (2) ((1) MIT, (2) ETH)" → ["A. Author",
 * "B. Author", "C. Author"]: affiliations in parentheses dropped, names split on commas and
 * "and", "Jr." kept with its name, TeX accents as letters.
 */
export function splitAuthors(text: string): string[] {
  // Spaces collapsed first, so that splitting on " and " needs no \s+ (quadratic on long runs).
  const plain = withoutParentheses(text).replace(/\s+/g, ' ')
  const names: string[] = []
  for (const piece of plain.split(/[,;]/)) {
    let part = piece.trim()
    if (part.startsWith('and ')) part = part.slice(4)
    for (const raw of part.split(' and ')) {
      const name = nameFromTex(raw.trim()).replace(/\s+/g, ' ').trim()
      if (!name) continue
      if (NAME_SUFFIX.test(name) && names.length > 0) names[names.length - 1] += ` ${name}`
      else names.push(name)
    }
  }
  return names
}

function sameOrMissing(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b
}

/** Copies into `first` what it lacks and `later` has. */
function fillIn(first: ParsedPaper, later: ParsedPaper): void {
  if (!first.abstract && later.abstract) first.abstract = later.abstract
  if (first.authors.length === 0 && later.authors.length > 0) first.authors = later.authors
  if (first.dumpDate === null && later.dumpDate !== null) {
    first.dumpDate = later.dumpDate
    first.dumpDateText = later.dumpDateText
  }
  if (!later.meta) return
  const meta: PaperMeta = { ...first.meta }
  for (const [key, value] of Object.entries(later.meta) as [keyof PaperMeta, unknown][]) {
    if (meta[key] === undefined && value !== undefined) Object.assign(meta, { [key]: value })
  }
  first.meta = meta
}

/**
 * Two copies of one paper in one dump are one paper: the first, with what it lacks filled in
 * from the later copy. One paper is the same arXiv id, else the same DOI, else the same title —
 * unless the two name different arXiv ids or different DOIs.
 */
export function mergeDuplicates(papers: readonly ParsedPaper[]): ParsedPaper[] {
  const kept: ParsedPaper[] = []
  const byId = new Map<string, ParsedPaper>()
  const byDoi = new Map<string, ParsedPaper>()
  const byTitle = new Map<string, ParsedPaper>()
  const compatible = (a: ParsedPaper, b: ParsedPaper): boolean =>
    sameOrMissing(a.meta?.arxivId, b.meta?.arxivId) && sameOrMissing(a.meta?.doi, b.meta?.doi)
  const remember = (p: ParsedPaper, key: string): void => {
    if (p.meta?.arxivId && !byId.has(p.meta.arxivId)) byId.set(p.meta.arxivId, p)
    if (p.meta?.doi && !byDoi.has(p.meta.doi)) byDoi.set(p.meta.doi, p)
    if (key && !byTitle.has(key)) byTitle.set(key, p)
  }
  for (const paper of papers) {
    const key = titleKey(paper.title)
    const id = paper.meta?.arxivId
    const doi = paper.meta?.doi
    let same = id ? byId.get(id) : undefined
    if (!same && doi) {
      const candidate = byDoi.get(doi)
      if (candidate && compatible(candidate, paper)) same = candidate
    }
    if (!same && key) {
      const candidate = byTitle.get(key)
      if (candidate && compatible(candidate, paper)) same = candidate
    }
    if (same) {
      fillIn(same, paper)
      remember(same, key)
    } else {
      kept.push(paper)
      remember(paper, key)
    }
  }
  return kept
}

// ---------------------------------------------------------------------------------------------
// The digest

/** Field names of a digest entry, lower-case. */
const DIGEST_FIELDS = new Set([
  'date',
  'title',
  'authors',
  'author',
  'categories',
  'comments',
  'journal-ref',
  'doi',
  'report-no',
  'msc-class',
  'acm-class',
  'license',
  'from',
  'proxy',
  'subj-class',
])

/** "Name: value" where Name is one of `names`; null otherwise. */
export function fieldOf(
  text: string,
  names: ReadonlySet<string>,
): { name: string; value: string } | null {
  const colon = text.indexOf(':')
  if (colon < 2 || colon > 20) return null
  const name = text.slice(0, colon).toLowerCase()
  return names.has(name) ? { name, value: text.slice(colon + 1).trim() } : null
}

/** "arXiv:2408.01234 (*cross-listing*)" → its id and what follows it. */
export function arxivLine(
  text: string,
): { id: { id: string; version: number | null }; rest: string } | null {
  if (text.slice(0, 6).toLowerCase() !== 'arxiv:') return null
  const space = text.search(/\s/)
  const token = space === -1 ? text.slice(6) : text.slice(6, space)
  const id = arxivIdOf(token)
  return id ? { id, rest: space === -1 ? '' : text.slice(space).trim() } : null
}

/** The rules between entries and sections: "-----…", "%%--%%--…", "%%%---%%%…". */
function isRule(text: string): boolean {
  return text.length >= 10 && /^[-%]+$/.test(text)
}

/**
 * What a browser adds to each page when a mail is printed (and the print copied back as text):
 * "8/20/24, 2:31 AM   Gmail - cs daily Subj-class mailing 200 1" at the top, the mail's
 * address and "3/17" at the bottom. They fall anywhere, in an abstract too.
 */
function isPrintFurniture(text: string): boolean {
  if (/^https?:\/\/\S+\s+\d{1,4}\/\d{1,4}$/.test(text)) return true
  return (
    /^\d{1,2}[/.]\d{1,2}[/.]\d{2,4},? +\d{1,2}:\d{2}\b/.test(text) &&
    (text.includes('Gmail - ') || text.includes('Subj-class mailing'))
  )
}

/** The lines without print furniture, nor the blank lines around it, which the page break made. */
function withoutPrintFurniture(lines: Line[]): Line[] {
  const kept: Line[] = []
  let afterFurniture = false
  for (const line of lines) {
    const blank = line.text.trim() === ''
    if (blank && afterFurniture) continue
    if (!blank && isPrintFurniture(line.text.trim())) {
      while (kept.length > 0 && kept[kept.length - 1]!.text.trim() === '') kept.pop()
      afterFurniture = true
      continue
    }
    afterFurniture = false
    kept.push(line)
  }
  return kept
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length
}

interface DigestEntry {
  line: number
  /** The indentation of the entry's id line: fields start there, continuations further in. */
  indent: number
  id: { id: string; version: number | null } | null
  replacement: boolean
  fields: Map<string, string[]>
  /** The lines of the field being read, which continuation lines are added to. */
  current: string[] | null
  abstract: { text: string; indent: number }[]
  url: string | null
  dumpDate: string | null
  dumpDateText: string | null
}

/**
 * The abstract's paragraphs. The digest starts each paragraph on an indented line (the first
 * one too) and wraps the rest flush left; a blank line also ends a paragraph. Indentation is
 * measured from the least indented line, in case a mail client indented every line.
 */
function abstractOf(lines: DigestEntry['abstract']): string {
  let least = Infinity
  for (const line of lines) if (line.text) least = Math.min(least, line.indent)
  const paragraphs: string[] = []
  let current: string[] = []
  const flush = (): void => {
    if (current.length > 0) paragraphs.push(oneLine(current))
    current = []
  }
  for (const line of lines) {
    if (!line.text) flush()
    else {
      if (line.indent > least) flush()
      current.push(line.text)
    }
  }
  flush()
  return paragraphs.join('\n\n')
}

/** The link in "\\ ( https://arxiv.org/abs/2408.01234 ,  45kb)". */
function endLineUrl(rest: string): string | null {
  const at = rest.indexOf('http')
  if (at === -1) return null
  const end = rest.slice(at).search(/[\s,]/)
  const url = end === -1 ? rest.slice(at) : rest.slice(at, at + end)
  return url.length > MAX_URL_CHARS ? null : cleanUrl(url)
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

/** A warning to give once the dump is read, in line order with the others. */
export interface PendingWarning {
  line: number
  message: () => string
}

export function noAbstract(paper: ParsedPaper): PendingWarning {
  return {
    line: paper.line,
    message: () => `“${shorten(paper.title)}” has no abstract; imported with the title only`,
  }
}

/** The warnings by line (the first of a line first), capped. */
export function warningsInOrder(pending: PendingWarning[]): ImportWarning[] {
  const warnings = new Warnings()
  for (const w of [...pending].sort((a, b) => a.line - b.line)) warnings.add(w.line, w.message)
  return warnings.list()
}

/**
 * Reads a digest, or several pasted one after another (each paper gets the date of the mail it
 * came in). The mail's Date header is the dump date; without one (a body pasted alone), the end
 * of the "received from … to …" span in the preamble is.
 *
 * A replacement is a paper announced before, listed again with its metadata and no abstract: it
 * is imported with its title, authors and identifiers, and one warning says how many came
 * without an abstract (a warning a paper would only repeat what the digest's layout says). A new
 * submission or cross-list without an abstract is warned about by line; an entry without a title
 * is skipped with a warning. Text between entries (preamble, section headings, a mail client's
 * header and footer) is not part of any paper and is passed over.
 */
export function parseArxivDigest(text: string, _now: Date): ParseResult {
  const lines = withoutPrintFurniture(splitLines(text))
  // The next non-blank line after each line, found in one backward pass.
  const nextContent: number[] = new Array<number>(lines.length)
  for (let i = lines.length - 1, next = -1; i >= 0; i -= 1) {
    nextContent[i] = next
    if (lines[i]!.text.trim() !== '') next = i
  }

  const found: ParsedPaper[] = []
  const replacements = new Set<ParsedPaper>()
  const skips: PendingWarning[] = []
  let entries = 0
  let dumpDate: { iso: string; text: string } | null = null
  let headerDateSinceEntry = false
  let entry: DigestEntry | null = null

  const start = (line: number, indent: number): DigestEntry => {
    entries += 1
    headerDateSinceEntry = false
    return {
      line,
      indent,
      id: null,
      replacement: false,
      fields: new Map(),
      current: null,
      abstract: [],
      url: null,
      dumpDate: dumpDate?.iso ?? null,
      dumpDateText: dumpDate?.text ?? null,
    }
  }

  const finish = (e: DigestEntry): void => {
    const title = oneLine(e.fields.get('title') ?? [])
    if (!title) {
      const what = e.id ? `the entry for arXiv:${e.id.id}` : 'an entry'
      skips.push({ line: e.line, message: () => `${what} has no title; it was skipped` })
      return
    }
    const abstract = abstractOf(e.abstract)
    const meta: PaperMeta = {}
    const id = e.id ?? (e.url ? arxivIdOf(e.url.slice(e.url.indexOf('/abs/') + 5)) : null)
    if (id) {
      meta.arxivId = id.id
      if (id.version !== null) meta.arxivVersion = id.version
    }
    // A replacement's date is its revision's, not the paper's.
    const submitted = e.replacement ? null : readDate(oneLine(e.fields.get('date') ?? []))
    if (submitted) meta.year = Number(submitted.iso.slice(0, 4))
    const doi = doiOf(oneLine(e.fields.get('doi') ?? []))
    if (doi) meta.doi = doi
    const venue = oneLine(e.fields.get('journal-ref') ?? [])
    if (venue) meta.venue = venue
    if (id) meta.urls = [absUrl(id.id)]
    else if (e.url) meta.urls = [e.url]
    const paper: ParsedPaper = {
      title,
      abstract,
      authors: splitAuthors(oneLine(e.fields.get('authors') ?? e.fields.get('author') ?? [])),
      dumpDate: e.dumpDate,
      dumpDateText: e.dumpDateText,
      line: e.line,
      meta,
    }
    found.push(paper)
    if (e.replacement) replacements.add(paper)
  }

  /** Starts an entry at line i if it opens one: a "\\" line before an id or a title, or the id. */
  const opensEntry = (i: number): Line | null => {
    const t = lines[i]!.text.trim()
    if (arxivLine(t) || fieldOf(t, DIGEST_FIELDS)?.name === 'title') return lines[i]!
    if (t !== '\\\\') return null
    const next = nextContent[i]!
    if (next === -1) return null
    const n = lines[next]!.text.trim()
    return arxivLine(n) || fieldOf(n, DIGEST_FIELDS) ? lines[next]! : null
  }

  /** Mail headers and preamble lines: where the digest's date is. */
  const readOutside = (t: string): void => {
    const header = fieldOf(t, DIGEST_FIELDS)
    if (header?.name === 'date') {
      const date = readDate(header.value)
      if (date) {
        dumpDate = date
        headerDateSinceEntry = true
      }
      return
    }
    // A print view puts the date on the sender's line: "no-reply@arxiv.org <…>  Tue, Aug 20, …".
    const sender = t.toLowerCase().lastIndexOf('arxiv.org>')
    if (sender !== -1) {
      const date = readDate(t.slice(sender + 10))
      if (date) {
        dumpDate = date
        headerDateSinceEntry = true
      }
      return
    }
    const received = t.toLowerCase().indexOf('received from')
    if (received !== -1 && !headerDateSinceEntry) {
      const span = t.slice(received + 13)
      const to = span.toLowerCase().indexOf(' to ')
      const date = to === -1 ? null : readDate(span.slice(to + 4))
      if (date) dumpDate = date
    }
  }

  let state: 'outside' | 'meta' | 'abstract' = 'outside'
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i]!.text
    const t = raw.trim()

    if (entry && state !== 'outside') {
      if (isRule(t)) {
        finish(entry)
        entry = null
        state = 'outside'
        continue
      }
      if (t.startsWith('\\\\')) {
        const rest = t.slice(2).trim()
        if (rest.startsWith('(')) {
          entry.url = endLineUrl(rest)
          finish(entry)
          entry = null
          state = 'outside'
          continue
        }
        if (rest === '') {
          const next = nextContent[i]!
          if (next !== -1 && arxivLine(lines[next]!.text.trim())) {
            // The next entry begins; this one lost its end line.
            finish(entry)
            entry = null
            state = 'outside'
          } else if (state === 'meta') {
            state = 'abstract'
            continue
          } else {
            // An end line without its link.
            finish(entry)
            entry = null
            state = 'outside'
            continue
          }
        }
      }
    }

    if (!entry || state === 'outside') {
      if (t === '') continue
      const at = opensEntry(i)
      if (at === null) {
        readOutside(t)
        continue
      }
      entry = start(at.number, indentOf(at.text))
      state = 'meta'
      if (t === '\\\\') continue
    }

    if (state === 'abstract') {
      entry.abstract.push({ text: t, indent: indentOf(raw) })
      continue
    }

    // state === 'meta'
    if (t === '') continue
    const id = arxivLine(t)
    if (id) {
      if (entry.id || entry.fields.size > 0) {
        finish(entry)
        entry = start(lines[i]!.number, indentOf(raw))
      }
      entry.id = id.id
      if (id.rest.toLowerCase().includes('replaced')) entry.replacement = true
      continue
    }
    if (t.toLowerCase().startsWith('replaced with')) {
      entry.replacement = true
      entry.current = null
      continue
    }
    const field = indentOf(raw) <= entry.indent ? fieldOf(t, DIGEST_FIELDS) : null
    if (field) {
      const values = entry.fields.get(field.name)
      if (values) {
        // A field given twice (two pasted copies run together): the first stands.
        entry.current = null
        continue
      }
      entry.current = [field.value]
      entry.fields.set(field.name, entry.current)
    } else if (entry.current) {
      entry.current.push(t)
    }
  }
  if (entry) finish(entry)

  if (entries === 0) {
    const first = lines.find((l) => l.text.trim() !== '')
    throw new ImportError(
      'this is not an arXiv e-mail digest: no entries were found (each starts with a “\\\\” line and an “arXiv:” line)',
      first?.number ?? null,
    )
  }
  // Warnings about missing abstracts wait for duplicates to be merged: a later copy may fill in.
  const papers = mergeDuplicates(found)
  const pending = [...skips]
  const bareReplacements: ParsedPaper[] = []
  for (const paper of papers) {
    if (paper.abstract) continue
    if (replacements.has(paper)) bareReplacements.push(paper)
    else pending.push(noAbstract(paper))
  }
  const n = bareReplacements.length
  if (n > 0) {
    pending.push({
      line: bareReplacements[0]!.line,
      message: () =>
        `${n} replacement${n === 1 ? '' : 's'} imported without abstract: a replacement is a paper announced before and listed again when revised, and the digest gives only its metadata`,
    })
  }
  return {
    format: 'arxiv-digest',
    papers,
    warnings: warningsInOrder(pending),
    skipped: skips.length,
  }
}

/**
 * Unmistakable: the end line "\\ ( https://arxiv.org/abs/…" or "\\" lines with "arXiv:" id lines
 * and metadata fields; the "Subj-class mailing" subject or the "received from" preamble help.
 */
export function detectArxivDigest(head: string): number {
  let backslashes = 0
  let ids = 0
  let fields = 0
  let ends = 0
  let mailing = false
  for (const raw of head.split(/\r\n?|\n/)) {
    const t = raw.trim()
    if (t === '\\\\') backslashes += 1
    else if (t.startsWith('\\\\ (') && t.includes('arxiv.org/abs/')) ends += 1
    else if (arxivLine(t) && !t.includes('[')) ids += 1
    else if (/^(?:Title|Authors|Categories):/.test(t)) fields += 1
    else if (t.includes('Subj-class mailing') || /received from .* GMT/.test(t.slice(0, 200)))
      mailing = true
  }
  if (ends > 0 && ids > 0) return 0.98
  if (backslashes > 0 && ids > 0 && fields > 0) return 0.95
  if (mailing && (ids > 0 || backslashes > 0)) return 0.9
  if (ends > 0) return 0.85
  if (mailing) return 0.6
  if (ids > 0 && fields > 0) return 0.5
  return 0
}

export const arxivDigestImporter: Importer = {
  format: 'arxiv-digest',
  label: 'arXiv e-mail digest',
  detect: detectArxivDigest,
  parse: parseArxivDigest,
}
