// Hugging Face paper JSON: the `/api/daily_papers` listing, the `/api/papers/<id>` and
// `/api/papers/search` answers, and the arrays that common scrapers of those pages write.
//
// This file also holds the JSON reading that CSL-JSON shares. JSON.parse builds the values but
// says neither where each record starts (every paper needs its line) nor, portably, where broken
// JSON breaks, so one linear scan of the text validates it, locates each record and, when the
// text is not JSON, names the line and column of the first fault.
import { parseDumpDate } from '../dates'
import { titleKey } from '../titleKey'
import { cleanUrl, normaliseDoi, splitArxivId, stripHtml, unwrap, yearOf } from './fields'
import { ImportError } from './types'
import type { FormatId, Importer, PaperMeta, ParsedPaper, ParseResult } from './types'
import { Warnings } from './warnings'

// ---------------------------------------------------------------------------------------------
// Scanning JSON text

/** Where one top-level JSON value lies, and where the records inside it start. */
export interface JsonRoot {
  start: number
  /** Just past the value's last character. */
  end: number
  /** For an array: where each element starts. */
  elements: number[]
  /** For an object: where the elements of each of its array-valued members start. */
  memberElements: Map<string, number[]> | null
}

export type JsonScan =
  | { ok: true; roots: JsonRoot[] }
  | {
      ok: false
      offset: number
      message: string
      /** Where the list or object that the text ends inside opens. */
      opener: number | null
    }

interface Frame {
  array: boolean
  start: number
  /** Element starts recorded for this array (a member of the root object), if wanted. */
  elements: number[] | null
}

// What the scan expects next.
const VALUE = 0
const VALUE_OR_CLOSE = 1
const KEY = 2
const KEY_OR_CLOSE = 3
const COLON = 4
const AFTER_VALUE = 5

const QUOTE = 0x22
const BACKSLASH = 0x5c
const ESCAPABLE = new Set([...'"\\/bfnrt'].map((c) => c.charCodeAt(0)))

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

/** A character as a message shows it; the invisible ones by their code. */
function shown(c: number): string {
  const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
  if (c < 0x20 || c === 0x7f) return `control character ${code}`
  if (c === 0xfeff) return `byte-order mark ${code}`
  const char = String.fromCharCode(c)
  if (/\s/.test(char)) return `space character ${code}`
  return `‘${char}’`
}

/**
 * Checks that `text` from `from` on is JSON as JSON.parse reads it — one value or several one
 * after another (JSON Lines, or two saved answers pasted together) — and records where each
 * top-level value, each element of a top-level array and each element of an array member of a
 * top-level object starts. Iterative, so deep nesting costs memory for its depth only, and linear.
 */
export function scanJson(text: string, from = 0): JsonScan {
  const n = text.length
  const roots: JsonRoot[] = []
  const stack: Frame[] = []
  let root: JsonRoot | null = null
  /** The member of the root object whose value comes next. */
  let key = ''
  /** Whether the last top-level value was a string, number or literal: nothing may follow it. */
  let scalarRoot = false
  let state = VALUE
  let i = from

  const fail = (offset: number, message: string, opener: number | null = null): JsonScan => ({
    ok: false,
    offset,
    message,
    opener,
  })

  /** Called when a value starts at `i`, to note where records start. */
  const noteStart = (): void => {
    const depth = stack.length
    if (depth === 0) {
      root = { start: i, end: -1, elements: [], memberElements: null }
    } else if (depth === 1 && stack[0]!.array) {
      root!.elements.push(i)
    } else if (depth === 2 && stack[1]!.elements) {
      stack[1]!.elements.push(i)
    }
  }

  /** A value has ended at `i` (exclusive). */
  const valueDone = (): void => {
    if (stack.length === 0) {
      root!.end = i
      scalarRoot = !'[{'.includes(text[root!.start]!)
      roots.push(root!)
      root = null
      state = VALUE
    } else {
      state = AFTER_VALUE
    }
  }

  /** Scans the string starting at `i`; returns its end or a failure. */
  const scanString = (): number | JsonScan => {
    const start = i
    let j = i + 1
    for (;;) {
      if (j >= n) {
        return fail(start, 'a text value starting here is never closed (a " is missing)')
      }
      const c = text.charCodeAt(j)
      if (c === QUOTE) return j + 1
      if (c === BACKSLASH) {
        const e = text.charCodeAt(j + 1)
        if (ESCAPABLE.has(e)) {
          j += 2
          continue
        }
        if (e === 0x75) {
          for (let k = 2; k < 6; k += 1) {
            if (!isHex(text.charCodeAt(j + k))) {
              return fail(j, 'a \\u escape in a text value needs four hexadecimal digits')
            }
          }
          j += 6
          continue
        }
        if (j + 1 >= n)
          return fail(start, 'a text value starting here is never closed (a " is missing)')
        return fail(j, `invalid escape \\${String.fromCharCode(e)} in a text value`)
      }
      if (c < 0x20) {
        return fail(
          j,
          c === 0x0a || c === 0x0d
            ? 'a text value runs onto the next line: a closing " is missing, or the line break must be written \\n'
            : `${shown(c)} inside a text value (JSON needs it escaped)`,
        )
      }
      j += 1
    }
  }

  /** Scans the number starting at `i`; returns its end or a failure. */
  const scanNumber = (): number | JsonScan => {
    let j = i
    if (text.charCodeAt(j) === 0x2d) j += 1
    const first = text.charCodeAt(j)
    if (first === 0x30) j += 1
    else if (isDigit(first)) while (isDigit(text.charCodeAt(j))) j += 1
    else return fail(i, 'invalid number')
    if (text.charCodeAt(j) === 0x2e) {
      j += 1
      if (!isDigit(text.charCodeAt(j)))
        return fail(i, 'invalid number: digits must follow the decimal point')
      while (isDigit(text.charCodeAt(j))) j += 1
    }
    const e = text.charCodeAt(j)
    if (e === 0x65 || e === 0x45) {
      j += 1
      const sign = text.charCodeAt(j)
      if (sign === 0x2b || sign === 0x2d) j += 1
      if (!isDigit(text.charCodeAt(j)))
        return fail(i, 'invalid number: digits must follow the exponent')
      while (isDigit(text.charCodeAt(j))) j += 1
    }
    return j
  }

  const closes = (c: number): boolean => c === 0x5d || c === 0x7d

  for (;;) {
    while (i < n && isJsonSpace(text.charCodeAt(i))) i += 1
    if (i >= n) {
      const open = stack[stack.length - 1]
      if (!open) return { ok: true, roots }
      const what = open.array ? 'a list ‘[’' : 'an object ‘{’'
      return fail(n, `the text ends before ${what} is closed`, open.start)
    }
    const c = text.charCodeAt(i)
    switch (state) {
      case VALUE_OR_CLOSE:
      case VALUE: {
        if (closes(c)) {
          const open = stack[stack.length - 1]
          if (state === VALUE_OR_CLOSE && c === 0x5d) {
            stack.pop()
            i += 1
            valueDone()
            break
          }
          if (open?.array && c === 0x5d) {
            return fail(i, 'a comma just before ‘]’ (JSON allows no comma after the last element)')
          }
          return fail(i, `unexpected ${shown(c)} where a value was expected`)
        }
        // Values may follow one another (JSON Lines, concatenated answers) when they are lists
        // or objects: anything after a lone string or number is not what anyone saved.
        if (stack.length === 0 && roots.length > 0 && (scalarRoot || (c !== 0x7b && c !== 0x5b))) {
          return fail(i, `unexpected ${shown(c)} after the end of the JSON`)
        }
        noteStart()
        if (c === 0x7b) {
          stack.push({ array: false, start: i, elements: null })
          i += 1
          state = KEY_OR_CLOSE
        } else if (c === 0x5b) {
          const memberOfRoot = stack.length === 1 && !stack[0]!.array
          const elements = memberOfRoot ? [] : null
          if (elements) (root!.memberElements ??= new Map()).set(key, elements)
          stack.push({ array: true, start: i, elements })
          i += 1
          state = VALUE_OR_CLOSE
        } else if (c === QUOTE) {
          const end = scanString()
          if (typeof end !== 'number') return end
          i = end
          valueDone()
        } else if (c === 0x2d || isDigit(c)) {
          const end = scanNumber()
          if (typeof end !== 'number') return end
          i = end
          valueDone()
        } else {
          const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i))
          if (!literal) {
            const hint =
              c === 0x27
                ? ' (JSON puts text in double quotes)'
                : /[A-Za-z]/.test(String.fromCharCode(c))
                  ? ' (JSON puts text in double quotes; its only words are true, false and null)'
                  : ''
            return fail(i, `unexpected ${shown(c)} where a value was expected${hint}`)
          }
          i += literal.length
          valueDone()
        }
        break
      }
      case KEY_OR_CLOSE:
      case KEY: {
        if (c === 0x7d) {
          if (state === KEY) {
            return fail(i, 'a comma just before ‘}’ (JSON allows no comma after the last member)')
          }
          stack.pop()
          i += 1
          valueDone()
          break
        }
        if (c !== QUOTE) {
          return fail(i, `unexpected ${shown(c)} where a member name in double quotes was expected`)
        }
        const start = i
        const end = scanString()
        if (typeof end !== 'number') return end
        i = end
        if (stack.length === 1) {
          const raw = text.slice(start + 1, end - 1)
          key = raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw
        }
        state = COLON
        break
      }
      case COLON: {
        if (c !== 0x3a)
          return fail(i, `unexpected ${shown(c)} where ‘:’ was expected after a member name`)
        i += 1
        state = VALUE
        break
      }
      default: {
        const open = stack[stack.length - 1]!
        if (c === 0x2c) {
          i += 1
          state = open.array ? VALUE : KEY
        } else if (c === (open.array ? 0x5d : 0x7d)) {
          stack.pop()
          i += 1
          valueDone()
        } else {
          const expected = open.array ? '‘,’ or ‘]’' : '‘,’ or ‘}’'
          return fail(i, `unexpected ${shown(c)} where ${expected} was expected`)
        }
      }
    }
  }
}

/** Line and column (1-based) of offsets met in increasing order, counting CRLF, CR and LF as one. */
export class LineCounter {
  private pos = 0
  private line = 1
  private lineStart = 0

  constructor(
    private readonly text: string,
    /** Characters before this on line 1 (a byte-order mark) do not count as columns. */
    private readonly firstColumnAt = 0,
  ) {
    this.lineStart = firstColumnAt
  }

  at(offset: number): { line: number; column: number } {
    if (offset < this.pos) {
      this.pos = 0
      this.line = 1
      this.lineStart = this.firstColumnAt
    }
    const { text } = this
    for (; this.pos < offset; this.pos += 1) {
      const c = text.charCodeAt(this.pos)
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(this.pos + 1) !== 0x0a)) {
        this.line += 1
        this.lineStart = this.pos + 1
      }
    }
    return { line: this.line, column: Math.max(1, offset - this.lineStart + 1) }
  }
}

// ---------------------------------------------------------------------------------------------
// Records

/** One value a JSON dump lists, with where it starts. */
export interface JsonRecord {
  value: unknown
  /** 1-based line where the record starts. */
  line: number
  /** 1-based position among the dump's records, for messages. */
  number: number
  /** The object the record was listed in (`{ "date": …, "papers": [ … ] }`), if any. */
  container: Record<string, unknown> | null
}

/** Members under which a wrapping object lists its records. */
const LIST_KEYS = ['papers', 'items', 'results', 'data', 'records', 'entries']

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An own member of a parsed object (never one inherited from Object.prototype). */
export function member(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined
}

/** The list a wrapping object holds its records in, when it is a wrapper and not a record. */
function listKeyOf(value: Record<string, unknown>): string | null {
  if (Object.hasOwn(value, 'title') || Object.hasOwn(value, 'paper')) return null
  return LIST_KEYS.find((k) => Array.isArray(member(value, k))) ?? null
}

/**
 * The records of a JSON dump: the elements of a top-level array, the elements of a wrapping
 * object's `papers` (or `items`, `results`…) list, or a top-level object itself; for JSON Lines
 * and values pasted one after another, those of each value in turn. Throws ImportError with the
 * line (and, in the message, the column) where the text stops being JSON.
 */
export function readJsonRecords(text: string): JsonRecord[] {
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const lines = new LineCounter(text, from)
  const scan = scanJson(text, from)
  if (!scan.ok) {
    let opener = ''
    if (scan.opener !== null) {
      const open = lines.at(scan.opener)
      opener = ` (it opens at line ${open.line}, column ${open.column})`
    }
    const at = lines.at(scan.offset)
    throw new ImportError(
      `not valid JSON at column ${at.column}: ${scan.message}${opener}`,
      at.line,
    )
  }
  if (scan.roots.length === 0) throw new ImportError('the file is empty')

  const records: JsonRecord[] = []
  const add = (value: unknown, offset: number, container: JsonRecord['container']): void => {
    records.push({ value, line: lines.at(offset).line, number: records.length + 1, container })
  }
  for (const root of scan.roots) {
    let value: unknown
    try {
      value = JSON.parse(text.slice(root.start, root.end))
    } catch (error) {
      // The scan accepts exactly what JSON.parse does; this is only a guard against an engine limit.
      throw new ImportError(
        `this JSON could not be read: ${error instanceof Error ? error.message : String(error)}`,
        lines.at(root.start).line,
      )
    }
    if (Array.isArray(value)) {
      value.forEach((element: unknown, k) => add(element, root.elements[k] ?? root.start, null))
      continue
    }
    const listKey = isObject(value) ? listKeyOf(value) : null
    if (isObject(value) && listKey !== null) {
      const starts = root.memberElements?.get(listKey) ?? []
      const list = value[listKey] as unknown[]
      list.forEach((element: unknown, k) => add(element, starts[k] ?? root.start, value))
      continue
    }
    add(value, root.start, null)
  }
  return records
}

/** What a value is, for a message about a record that is not an object. */
function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return 'a text value'
  if (typeof value === 'number') return 'a number'
  if (typeof value === 'boolean') return `${value}`
  return 'not an object'
}

// ---------------------------------------------------------------------------------------------
// Field values to the normal forms of fields.ts

/** Text of a field: a string, a number written out, or the first text of a list (Crossref titles). */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'string') return item
  }
  return undefined
}

function unixLines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
}

/** A title as one line, markup removed. */
export function cleanTitle(value: unknown): string {
  const text = textOf(value)
  return text === undefined ? '' : unwrap(stripHtml(text))
}

/** A person's name, a keyword or a venue as one line. */
export const cleanLine = cleanTitle

/**
 * An abstract: markup removed (the JATS paragraphs of Crossref abstracts, whose namespaced
 * tags stripHtml does not know, included), hard wraps joined, blank-line paragraph breaks kept.
 */
export function cleanAbstract(value: unknown): string {
  const raw = textOf(value)
  if (raw === undefined) return ''
  let text = unixLines(raw)
  if (text.includes('<')) {
    text = text
      // Crossref heads its abstracts with a "<jats:title>Abstract</jats:title>".
      .replace(/<jats:title>[^<]{0,100}<\/jats:title>/gi, '')
      .replace(/<\/(?:jats:)?p\s*>/gi, '\n\n')
      .replace(/<\/?jats:[a-z-]+(?:\s[^<>]*)?\/?>/gi, '')
  }
  text = stripHtml(text)
  const paragraphs: string[] = []
  for (const paragraph of text.split(/\n[^\S\n]*\n/)) {
    const line = unwrap(paragraph)
    if (line) paragraphs.push(line)
  }
  return paragraphs.join('\n\n')
}

/** The DOI a field holds, in its normal form. */
export function doiIn(value: unknown): string | undefined {
  const text = textOf(value)
  return (text !== undefined && normaliseDoi(text)) || undefined
}

/** A web link in a field, cleaned; undefined when the field is not one. */
export function urlIn(value: unknown): string | undefined {
  const text = textOf(value)?.trim()
  if (!text || !/^https?:\/\/\S/i.test(text) || /\s/.test(text)) return undefined
  const url = cleanUrl(text)
  return url.length > 8 ? url : undefined
}

export type ArxivRef = { id: string; version: number | null }

/** The arXiv identifier an identifier field ("2408.01234v2", "arXiv:hep-th/9901001") holds. */
export function arxivIdIn(value: unknown): ArxivRef | undefined {
  const text = textOf(value)
  return (text && splitArxivId(text)) || undefined
}

/** The arXiv identifier in an arxiv.org link ("…/abs/2408.01234v2", "…/pdf/2408.01234v2.pdf"). */
export function arxivIdInUrl(value: unknown): ArxivRef | undefined {
  const text = textOf(value)
  if (!text) return undefined
  const m = /arxiv\.org\/(?:abs|pdf|html|format)\/([^\s?#]{1,60})/i.exec(text)
  return m ? arxivIdIn(m[1]) : undefined
}

/** The arXiv identifier named after "arXiv" in prose ("arXiv: 2408.01234 [cs.CL]"). */
export function arxivIdInProse(value: unknown): ArxivRef | undefined {
  const text = textOf(value)
  if (!text) return undefined
  const lower = text.toLowerCase()
  for (let at = lower.indexOf('arxiv'); at !== -1; at = lower.indexOf('arxiv', at + 5)) {
    const found = arxivIdIn(text.slice(at, at + 40))
    if (found) return found
  }
  return undefined
}

/**
 * The arXiv identifier of an arXiv DOI ("10.48550/arXiv.2408.01234"). Only that prefix: other
 * DOIs hold digits shaped like an identifier ("10.1145/1234.56789").
 */
export function arxivIdInDoi(doi: string | undefined): ArxivRef | undefined {
  const m = doi ? /^10\.48550\/arxiv\.(.{1,60})$/.exec(doi) : null
  return m ? arxivIdIn(m[1]) : undefined
}

/** The first identifier found, in the order given. */
export function firstArxivId(...found: (ArxivRef | undefined)[]): ArxivRef | undefined {
  return found.find((ref) => ref !== undefined)
}

/** A publication year from a date, a year, or a CSL date ({"date-parts": [[2020, 3]]}). */
export function yearIn(value: unknown): number | undefined {
  let text: string | undefined
  if (isObject(value)) {
    // Only text inside: a date nested in a date (hostile JSON nests 100k deep) is not followed.
    const parts = member(value, 'date-parts')
    const first = Array.isArray(parts) && Array.isArray(parts[0]) ? parts[0][0] : undefined
    text =
      textOf(first) ??
      textOf(member(value, 'raw')) ??
      textOf(member(value, 'literal')) ??
      textOf(member(value, 'year'))
  } else {
    text = textOf(value)
  }
  if (text === undefined || text.length > 100) return undefined
  return yearOf(text) ?? undefined
}

/**
 * A listing's date: the day of an ISO timestamp as written ("2024-08-19T13:51:26.000Z" is
 * 2024-08-19, the day Hugging Face's listing shows, which is in UTC), or a short date line.
 */
function listingDate(value: unknown, now: Date): { date: string; text: string } | null {
  const text = textOf(value)?.trim()
  if (!text) return null
  const iso = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(text)
  if (iso) {
    const date = parseDumpDate(iso[1]!, now)
    return date ? { date, text: date } : null
  }
  const date = parseDumpDate(text, now)
  return date ? { date, text } : null
}

/** "Vaswani, Ashish" → "Ashish Vaswani"; a name without exactly one comma as it is. */
function givenFirst(name: string): string {
  const comma = name.indexOf(',')
  if (comma === -1 || name.indexOf(',', comma + 1) !== -1) return name
  const family = name.slice(0, comma).trim()
  const given = name.slice(comma + 1).trim()
  return given && family ? `${given} ${family}` : name
}

/** A person as JSON gives one: {name}, {literal}, {given, family} with CSL's particles, {fullname}. */
export function personName(value: unknown): string {
  if (typeof value === 'string') return cleanLine(givenFirst(value))
  if (!isObject(value)) return ''
  // A literal name ("OpenAI", "The ATLAS Collaboration") is kept as written.
  const literal = cleanLine(member(value, 'literal'))
  if (literal) return literal
  const name = textOf(member(value, 'name'))
  if (name !== undefined && name.trim()) return cleanLine(givenFirst(name))
  const parts = ['given', 'dropping-particle', 'non-dropping-particle', 'family', 'suffix']
    .map((k) => textOf(member(value, k)) ?? '')
    .filter((part) => part.trim() !== '')
  if (parts.length > 0) return cleanLine(parts.join(' '))
  // A Hugging Face author who has linked their account, but whose arXiv name is missing.
  return cleanLine(textOf(member(member(value, 'user'), 'fullname')))
}

/**
 * Authors from a list of names or of people, or from one string: "A. Author, B. Author and
 * C. Author", or "Author, A.; Author, B." (semicolons separate names written family first).
 */
export function authorList(value: unknown): string[] {
  let names: unknown[]
  if (Array.isArray(value)) names = value
  else if (typeof value === 'string') {
    names = value.includes(';')
      ? value.split(';')
      : value.split(/,|&|\band\b/).map((name) => name.trim())
  } else if (isObject(value)) names = [value]
  else return []
  const authors: string[] = []
  for (const name of names) {
    const cleaned = personName(name)
    if (cleaned) authors.push(cleaned)
  }
  return authors
}

/** Keywords from a list, or from one string separated by commas or semicolons. */
export function keywordList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,;]/) : []
  const keywords = new Set<string>()
  for (const item of items) {
    const keyword = cleanLine(item)
    if (keyword) keywords.add(keyword)
  }
  return [...keywords]
}

/** PaperMeta without the fields that are unknown. */
export function compactMeta(meta: PaperMeta): PaperMeta {
  const out: PaperMeta = {}
  for (const [k, v] of Object.entries(meta) as [keyof PaperMeta, unknown][]) {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue
    ;(out as Record<string, unknown>)[k] = v
  }
  return out
}

export function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

// ---------------------------------------------------------------------------------------------
// One paper per paper

type Lack = 'arxiv' | 'doi' | 'both'

interface TitleSlots {
  /** The first paper with this title. */
  first: ParsedPaper
  /**
   * Papers with this title lacking an arXiv id, a DOI, or both, oldest first; made when a second
   * paper has the title (most titles have one). Papers that have since gained the id are dropped
   * from the front as they are met, so lookups stay O(1).
   */
  lacking: Record<Lack, { list: ParsedPaper[]; head: number }> | null
}

const lacksArxiv = (p: ParsedPaper): boolean => !p.meta?.arxivId
const lacksDoi = (p: ParsedPaper): boolean => !p.meta?.doi
const LACKS = {
  arxiv: lacksArxiv,
  doi: lacksDoi,
  both: (p: ParsedPaper) => lacksArxiv(p) && lacksDoi(p),
}

/**
 * The papers of one file, a paper listed twice kept once: a copy is the same paper when it has
 * the same arXiv id, else the same DOI, else the same title and no id that differs. The first
 * copy is kept and the fields it lacks are filled from the later one.
 */
export class PaperSet {
  readonly papers: ParsedPaper[] = []
  private readonly byArxiv = new Map<string, ParsedPaper>()
  private readonly byDoi = new Map<string, ParsedPaper>()
  private readonly byTitle = new Map<string, TitleSlots>()

  constructor(private readonly warnings: Warnings) {}

  /** Adds a paper; false when it is a copy of one already there (which it has filled in). */
  add(paper: ParsedPaper): boolean {
    const key = titleKey(paper.title)
    const known = this.find(paper, key)
    if (!known) {
      this.papers.push(paper)
      this.index(paper, key)
      return true
    }
    fillIn(known, paper)
    this.index(known, null)
    this.warnings.add(
      paper.line,
      () =>
        `“${shorten(paper.title)}” is listed again here (first at line ${known.line}); kept once, with what the first copy lacked filled in`,
    )
    return false
  }

  private find(paper: ParsedPaper, key: string): ParsedPaper | undefined {
    const arxivId = paper.meta?.arxivId
    const doi = paper.meta?.doi
    if (arxivId) {
      const same = this.byArxiv.get(arxivId)
      if (same) return same
    }
    if (doi) {
      const same = this.byDoi.get(doi)
      // Not found by arXiv id: a paper with this DOI and an arXiv id has a different one.
      if (same && !(arxivId && same.meta?.arxivId)) return same
    }
    const slots = key === '' ? undefined : this.byTitle.get(key)
    if (!slots) return undefined
    if (!arxivId && !doi) return slots.first
    const which = arxivId && doi ? 'both' : arxivId ? 'arxiv' : 'doi'
    const lacks = LACKS[which]
    if (!slots.lacking) return lacks(slots.first) ? slots.first : undefined
    const lacking = slots.lacking[which]
    while (lacking.head < lacking.list.length && !lacks(lacking.list[lacking.head]!)) {
      lacking.head += 1
    }
    return lacking.list[lacking.head]
  }

  /** Notes a new paper (with its title key) or one that has gained fields (key null). */
  private index(paper: ParsedPaper, key: string | null): void {
    const { arxivId, doi } = paper.meta ?? {}
    if (arxivId && !this.byArxiv.has(arxivId)) this.byArxiv.set(arxivId, paper)
    if (doi && !this.byDoi.has(doi)) this.byDoi.set(doi, paper)
    // A title of punctuation alone says nothing about which paper it is.
    if (key === null || key === '') return
    const slots = this.byTitle.get(key)
    if (!slots) {
      this.byTitle.set(key, { first: paper, lacking: null })
      return
    }
    if (!slots.lacking) {
      const { first } = slots
      const start = (which: Lack): { list: ParsedPaper[]; head: number } => ({
        list: LACKS[which](first) ? [first] : [],
        head: 0,
      })
      slots.lacking = { arxiv: start('arxiv'), doi: start('doi'), both: start('both') }
    }
    for (const which of ['arxiv', 'doi', 'both'] as const) {
      if (LACKS[which](paper)) slots.lacking[which].list.push(paper)
    }
  }
}

/** Fills what `kept` lacks from `copy`. */
function fillIn(kept: ParsedPaper, copy: ParsedPaper): void {
  if (!kept.abstract && copy.abstract) kept.abstract = copy.abstract
  if (kept.authors.length === 0) kept.authors = copy.authors
  if (kept.dumpDate === null && copy.dumpDate !== null) {
    kept.dumpDate = copy.dumpDate
    kept.dumpDateText = copy.dumpDateText
  }
  if (!copy.meta) return
  const meta: PaperMeta = { ...kept.meta }
  for (const [k, v] of Object.entries(copy.meta) as [keyof PaperMeta, unknown][]) {
    if (meta[k] === undefined) (meta as Record<string, unknown>)[k] = v
  }
  kept.meta = meta
}

// ---------------------------------------------------------------------------------------------
// Importing a JSON dump

/** Reads one record; null when it has no title. */
export type RecordReader = (
  record: Record<string, unknown>,
  context: { line: number; container: Record<string, unknown> | null; now: Date },
) => ParsedPaper | null

/**
 * The papers of a JSON dump: each record read by `read`, records that are not objects or have
 * no title skipped with a warning, those without an abstract kept with one, duplicates merged.
 */
export function importJson(
  format: FormatId,
  text: string,
  now: Date,
  read: RecordReader,
): ParseResult {
  const records = readJsonRecords(text)
  const warnings = new Warnings()
  const papers = new PaperSet(warnings)
  let skipped = 0
  let objects = 0
  for (const record of records) {
    if (!isObject(record.value)) {
      skipped += 1
      warnings.add(
        record.line,
        () => `record ${record.number} is ${kindOf(record.value)}, not a paper; skipped`,
      )
      continue
    }
    objects += 1
    const paper = read(record.value, { line: record.line, container: record.container, now })
    if (!paper) {
      skipped += 1
      warnings.add(record.line, () => `record ${record.number} has no title; skipped`)
      continue
    }
    if (papers.add(paper) && !paper.abstract) {
      warnings.add(
        record.line,
        () => `“${shorten(paper.title)}” has no abstract; imported with the title only`,
      )
    }
  }
  if (papers.papers.length === 0) {
    const first = records[0]
    if (!first) throw new ImportError('no papers: this JSON holds an empty list', 1)
    if (objects === 0) {
      throw new ImportError(
        `no papers: this JSON holds ${kindOf(first.value)} where a paper (an object with a title) was expected`,
        first.line,
      )
    }
    throw new ImportError(
      records.length === 1
        ? 'no papers: the object in this JSON has no title'
        : `no papers: none of the ${records.length} records in this JSON has a title`,
      first.line,
    )
  }
  return { format, papers: papers.papers, warnings: warnings.list(), skipped }
}

// ---------------------------------------------------------------------------------------------
// Hugging Face records

const URL_KEYS = [
  'url',
  'link',
  'arxiv_url',
  'arxivUrl',
  'paper_url',
  'pdf_url',
  'pdf',
  'githubRepo',
  'github',
  'code',
  'projectPage',
  'project_page',
]

/**
 * A daily listing entry ({paper: {…}, publishedAt, …}), a paper as `/api/papers/<id>` gives it
 * ({id, title, summary, authors, publishedAt, …}) or a scraper's record ({title, abstract,
 * authors, url, date, …}).
 */
const readHfRecord: RecordReader = (record, { line, container, now }) => {
  const inner = member(record, 'paper')
  const paper = isObject(inner) ? inner : null
  /** A field of the paper, or of the entry around it. */
  const get = (key: string): unknown => member(paper, key) ?? member(record, key)

  const title = cleanTitle(get('title'))
  if (!title) return null
  const abstract = cleanAbstract(
    get('summary') ?? get('abstract') ?? member(member(record, 'details'), 'abstract'),
  )

  // The day of the listing: Hugging Face's `submittedOnDailyAt` is the day a paper appears on
  // the Daily Papers page (a listing entry's `publishedAt` repeats the arXiv date, the fallback).
  // A scraper's `date` is the listing day it scraped.
  const listed = paper
    ? (listingDate(member(paper, 'submittedOnDailyAt'), now) ??
      listingDate(member(record, 'publishedAt'), now) ??
      listingDate(member(paper, 'publishedAt'), now))
    : (listingDate(member(record, 'submittedOnDailyAt'), now) ??
      listingDate(member(record, 'date'), now) ??
      listingDate(member(container, 'date'), now))

  const doi = doiIn(get('doi') ?? get('DOI'))
  const arxiv = firstArxivId(
    arxivIdIn(get('arxiv_id') ?? get('arxivId') ?? get('arxiv')),
    arxivIdIn(get('id')),
    ...URL_KEYS.map((k) => arxivIdInUrl(get(k))),
    arxivIdInDoi(doi),
  )

  const urls: string[] = []
  const addUrl = (url: string | undefined): void => {
    if (url && !urls.includes(url)) urls.push(url)
  }
  if (arxiv) addUrl(`https://arxiv.org/abs/${arxiv.id}`)
  for (const k of URL_KEYS) addUrl(urlIn(get(k)))

  return {
    title,
    abstract,
    authors: authorList(get('authors') ?? get('author')),
    dumpDate: listed?.date ?? null,
    dumpDateText: listed?.text ?? null,
    line,
    meta: compactMeta({
      year: yearIn(get('publishedAt') ?? get('published') ?? get('published_date') ?? get('year')),
      arxivId: arxiv?.id,
      arxivVersion: arxiv?.version ?? undefined,
      doi,
      venue: cleanLine(get('venue') ?? get('journal') ?? get('conference')) || undefined,
      keywords: keywordList(get('ai_keywords') ?? get('keywords') ?? get('tags')),
      urls,
    }),
  }
}

// ---------------------------------------------------------------------------------------------
// Detection

/** The text after leading whitespace and byte-order marks, or null when it does not open like JSON. */
export function jsonStart(head: string): string | null {
  let i = 0
  while (i < head.length && (/\s/.test(head[i]!) || head[i] === '\uFEFF')) i += 1
  const open = head[i]
  if (open !== '[' && open !== '{') return null
  // What follows the bracket tells JSON (`[{`, `[[`, `["`, `[]`, `{"`, `{}`) from text that
  // happens to open with one ("[1] arXiv:2408.01234", "[Re] A Reproducibility Study").
  let j = i + 1
  while (j < head.length && /\s/.test(head[j]!)) j += 1
  const next = head[j]
  if (next === undefined) return head.slice(i)
  if (open === '[' && !'{["]'.includes(next)) return null
  if (open === '{' && next !== '"' && next !== '}') return null
  return head.slice(i)
}

/** Member names found in `head`, for detection. */
export function namesIn(head: string, names: readonly string[]): number {
  let count = 0
  for (const name of names) if (head.includes(`"${name}"`)) count += 1
  return count
}

/** Keys only Hugging Face's paper API writes. */
const HF_KEYS = [
  'upvotes',
  'publishedAt',
  'submittedOnDailyAt',
  'ai_keywords',
  'ai_summary',
  'numComments',
  'submittedBy',
  'discussionId',
  'githubRepo',
  'projectPage',
  'isAuthorParticipating',
  'thumbnail',
]

/** Keys only CSL-JSON writes. */
export const CSL_KEYS = [
  'date-parts',
  'container-title',
  'citation-key',
  'non-dropping-particle',
  'collection-title',
  'title-short',
  'container-title-short',
  'family',
]

function detectHfJson(head: string): number {
  const json = jsonStart(head)
  if (json === null) return 0
  if (/"paper"\s*:\s*\{/.test(json) && namesIn(json, ['id', 'title', 'authors']) > 0) return 0.97
  const hf = namesIn(json, HF_KEYS)
  const csl = namesIn(json, CSL_KEYS)
  const hasTitle = json.includes('"title"')
  const hasAbstract = namesIn(json, ['summary', 'abstract']) > 0
  if (hf >= 2 && hasTitle && csl === 0) return 0.93
  if (csl > 0) return 0.1
  if (hasTitle && hasAbstract) return 0.7
  if (hasTitle) return 0.5
  // JSON all the same: better told where it is not a list of papers than read as page text.
  return 0.3
}

export const hfJsonImporter: Importer = {
  format: 'hf-json',
  label: 'Hugging Face JSON',
  detect: detectHfJson,
  parse: (text, now) => importJson('hf-json', text, now, readHfRecord),
}
