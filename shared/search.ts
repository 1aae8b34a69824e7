// The search box's language, read into a plain value that the core turns into SQL and the
// window uses to highlight. Reading never fails: what cannot be understood is searched as words
// or left out, with a note the window shows under the box.
//
//   diffusion model        both words (in any field)
//   "flow matching"        the phrase
//   diffus*                words that start with "diffus"
//   -survey                not this word (also -"a phrase", -tag:x, -is:starred)
//   vision OR language     either (binds tighter than the implied AND)
//   title: abstract: author: note: tag:     only in that field (tag: is the exact tag, or tag:ml*)
//   status:read  year:2024  year:2020..2024  year:>=2021  has:note  has:abstract  has:tags  is:starred
import { STATUS_LABELS, STATUSES } from './domain'
import type { Status } from './domain'

/** The text fields the index holds (their names in the database). */
export type TextField = 'title' | 'abstract' | 'authors' | 'note' | 'tags'

export type SearchTerm =
  | {
      kind: 'text'
      /** Only in this field; any when null. */
      field: TextField | null
      /** The words, lower-case, as the index splits them. */
      words: string[]
      /** The last word is a prefix. */
      prefix: boolean
    }
  | { kind: 'tag'; name: string; prefix: boolean }
  | { kind: 'status'; status: Status }
  | { kind: 'year'; from: number | null; to: number | null }
  | { kind: 'has'; what: 'note' | 'abstract' | 'tags' | 'authors' }
  | { kind: 'starred' }

export interface SearchAtom {
  negated: boolean
  term: SearchTerm
}

export interface ParsedSearch {
  /** Every group must match; a group matches when any of its atoms does. */
  groups: SearchAtom[][]
  /** Gentle words about what was not understood, for the window to show under the box. */
  notes: string[]
}

const FIELD_NAMES: Record<string, TextField | 'tag' | 'status' | 'year' | 'has' | 'is'> = {
  title: 'title',
  abstract: 'abstract',
  author: 'authors',
  authors: 'authors',
  note: 'note',
  notes: 'note',
  tag: 'tag',
  tags: 'tag',
  status: 'status',
  year: 'year',
  has: 'has',
  is: 'is',
}

const STATUS_WORDS: Record<string, Status> = {
  new: 'new',
  inbox: 'new',
  'to-read': 'to-read',
  toread: 'to-read',
  'to read': 'to-read',
  reading: 'reading',
  read: 'read',
  skipped: 'skipped',
  skip: 'skipped',
}

const MIN_YEAR = 0
const MAX_YEAR = 9999

/**
 * The words of a query (or of a text, for comparing with one): runs of letters, digits and
 * combining marks, lower-case. Nothing else is changed: the index's own tokenizer (unicode61,
 * accents removed) reads a query's words exactly as it read the papers, so "schrodinger" finds
 * "Schrödinger", and words in any script are found as written.
 */
export function searchWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? []
}

interface Token {
  negated: boolean
  field: string | null
  value: string
  quoted: boolean
  /** A bare OR (or |) between atoms. */
  or: boolean
}

/** Splits the query into tokens: [-][field:]value or "quoted value", and OR. */
function tokenize(query: string, notes: string[]): Token[] {
  const tokens: Token[] = []
  let i = 0
  let negateNext = false
  while (i < query.length) {
    const ch = query[i]!
    if (/\s/.test(ch)) {
      i += 1
      continue
    }
    let negated: boolean = negateNext
    negateNext = false
    if ((ch === '-' || ch === '!') && i + 1 < query.length && !/\s/.test(query[i + 1]!)) {
      negated = !negated
      i += 1
    }
    let field: string | null = null
    const named = /^([A-Za-z]+):(?=\S)/.exec(query.slice(i, i + 20))
    if (named && Object.prototype.hasOwnProperty.call(FIELD_NAMES, named[1]!.toLowerCase())) {
      field = named[1]!.toLowerCase()
      i += named[0].length
    }
    let value: string
    let quoted = false
    if (query[i] === '"') {
      const end = query.indexOf('"', i + 1)
      quoted = true
      if (end === -1) {
        value = query.slice(i + 1)
        i = query.length
        notes.push('A quote was not closed; it was closed at the end.')
      } else {
        value = query.slice(i + 1, end)
        i = end + 1
        // A prefix star right after the closing quote belongs to the phrase.
        if (query[i] === '*') {
          value += '*'
          i += 1
        }
      }
    } else {
      let end = i
      while (end < query.length && !/\s/.test(query[end]!)) end += 1
      value = query.slice(i, end)
      i = end
    }
    if (!quoted && field === null && !negated && (value === 'OR' || value === '|')) {
      tokens.push({ negated: false, field: null, value, quoted: false, or: true })
      continue
    }
    if (!quoted && field === null && value === 'AND') continue
    if (!quoted && field === null && value === 'NOT') {
      negateNext = !negated
      continue
    }
    tokens.push({ negated, field, value, quoted, or: false })
  }
  return tokens
}

function parseYear(value: string): { from: number | null; to: number | null } | null {
  const year = (s: string): number | null => {
    if (!/^\d{1,4}$/.test(s)) return null
    const n = Number(s)
    return n >= MIN_YEAR && n <= MAX_YEAR ? n : null
  }
  let m = /^(\d{1,4})$/.exec(value)
  if (m) {
    const y = year(m[1]!)
    return y === null ? null : { from: y, to: y }
  }
  m = /^(\d{1,4})?(?:\.\.|-)(\d{1,4})?$/.exec(value)
  if (m && (m[1] || m[2])) {
    const from = m[1] ? year(m[1]) : null
    const to = m[2] ? year(m[2]) : null
    return { from, to }
  }
  m = /^(>=|<=|>|<)(\d{1,4})$/.exec(value)
  if (m) {
    const y = year(m[2]!)
    if (y === null) return null
    switch (m[1]) {
      case '>=':
        return { from: y, to: null }
      case '>':
        return { from: y + 1, to: null }
      case '<=':
        return { from: null, to: y }
      default:
        return { from: null, to: y - 1 }
    }
  }
  return null
}

/** One token as an atom; null (with a note) when there is nothing in it to search for. */
function atomOf(token: Token, notes: string[]): SearchAtom | null {
  const { negated, value } = token
  const field = token.field === null ? null : FIELD_NAMES[token.field]!
  const shown = token.field ? `${token.field}:${value}` : value
  const text = (textField: TextField | null): SearchAtom | null => {
    const prefix = value.endsWith('*')
    const words = searchWords(value)
    if (words.length === 0) {
      if (value.replace(/\*/g, '').trim())
        notes.push(`“${shown}” has no letters or digits to search for.`)
      return null
    }
    return { negated, term: { kind: 'text', field: textField, words, prefix } }
  }
  switch (field) {
    case null:
      return text(null)
    case 'tag': {
      const name = normalizeTag(value.replace(/\*$/, ''))
      if (!name) return null
      return { negated, term: { kind: 'tag', name, prefix: value.endsWith('*') } }
    }
    case 'status': {
      const status = Object.hasOwn(STATUS_WORDS, value.toLowerCase())
        ? STATUS_WORDS[value.toLowerCase()]
        : undefined
      if (!status) {
        notes.push(
          `status: is one of ${STATUSES.map((s) => s).join(', ')} — “${value}” was left out.`,
        )
        return null
      }
      return { negated, term: { kind: 'status', status } }
    }
    case 'year': {
      const range = parseYear(value)
      if (!range) {
        notes.push(
          `year: takes a year (2024), a range (2020..2024) or a bound (>=2021) — “${value}” was left out.`,
        )
        return null
      }
      return { negated, term: { kind: 'year', ...range } }
    }
    case 'has': {
      const what = value.toLowerCase().replace(/s$/, '')
      const known = { note: 'note', abstract: 'abstract', tag: 'tags', author: 'authors' } as const
      if (!Object.hasOwn(known, what)) {
        notes.push(`has: is one of note, abstract, tags, authors — “${value}” was left out.`)
        return null
      }
      return { negated, term: { kind: 'has', what: known[what as keyof typeof known] } }
    }
    case 'is': {
      const what = value.toLowerCase()
      if (what === 'starred' || what === 'star') return { negated, term: { kind: 'starred' } }
      const status = Object.hasOwn(STATUS_WORDS, what) ? STATUS_WORDS[what] : undefined
      if (status) return { negated, term: { kind: 'status', status } }
      notes.push(`is: is starred or a status (is:read) — “${value}” was left out.`)
      return null
    }
    default:
      return text(field)
  }
}

/** Reads a query. Never throws: see `notes`. */
export function parseSearch(query: string): ParsedSearch {
  const notes: string[] = []
  const groups: SearchAtom[][] = []
  let joinNext = false
  for (const token of tokenize(query, notes)) {
    if (token.or) {
      if (groups.length === 0) notes.push('OR needs something on each side.')
      else joinNext = true
      continue
    }
    const atom = atomOf(token, notes)
    if (!atom) continue
    if (joinNext && groups.length > 0) groups[groups.length - 1]!.push(atom)
    else groups.push([atom])
    joinNext = false
  }
  if (joinNext) notes.push('OR needs something on each side.')
  return { groups, notes: [...new Set(notes)] }
}

/** Whether a query asks for anything at all (an empty or unreadable one shows everything). */
export function isEmptySearch(parsed: ParsedSearch): boolean {
  return parsed.groups.length === 0
}

/**
 * The words worth marking in what the user reads: those the query looks for (not excluded),
 * each with whether it is a prefix.
 */
export function highlightTerms(parsed: ParsedSearch): { word: string; prefix: boolean }[] {
  const out: { word: string; prefix: boolean }[] = []
  for (const group of parsed.groups) {
    for (const atom of group) {
      if (atom.negated || atom.term.kind !== 'text') continue
      const { words, prefix } = atom.term
      words.forEach((word, i) => out.push({ word, prefix: prefix && i === words.length - 1 }))
    }
  }
  return out
}

/** The most characters a tag may have. */
export const MAX_TAG_CHARS = 100

/**
 * The form two names of one tag share (tags ignore case, in every script): lower case, with a
 * final sigma as any other (Unicode's case folding does so; toLowerCase writes “ΦΥΣ” as “φυσ”
 * but “ΦΥΣΙΚΗΣ” with a final “ς”).
 */
export function tagKey(name: string): string {
  return name.toLowerCase().replace(/ς/g, 'σ')
}

/** A tag as it is kept: trimmed, inner white space made single spaces; '' when nothing is left. */
export function normalizeTag(name: string): string {
  return name
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_TAG_CHARS)
}

/** For the help popover and `lectern search --help`: each piece of syntax, with an example. */
export const SEARCH_SYNTAX: { example: string; meaning: string }[] = [
  { example: 'diffusion policy', meaning: 'both words, anywhere' },
  { example: '"flow matching"', meaning: 'the exact phrase' },
  { example: 'diffus*', meaning: 'words starting with “diffus”' },
  { example: '-survey', meaning: 'without this word (also -tag:x, -is:starred)' },
  { example: 'vision OR language', meaning: 'either one' },
  { example: 'title:transformer', meaning: 'in one field: title, abstract, author, note' },
  { example: 'tag:robotics', meaning: 'papers with this tag (tag:ml* for a prefix)' },
  {
    example: 'status:to-read',
    meaning: `a status: ${STATUSES.map((s) => STATUS_LABELS[s].toLowerCase()).join(', ')}`,
  },
  { example: 'year:2020..2024', meaning: 'a year, a range, or year:>=2021' },
  { example: 'has:note', meaning: 'with a note (also has:abstract, has:tags, has:authors)' },
  { example: 'is:starred', meaning: 'starred papers' },
]
