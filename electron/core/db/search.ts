// Full-text search: the query language (shared/search.ts) made into an FTS4 MATCH expression and
// SQL conditions, ranked by BM25 computed from FTS4's matchinfo. The index (`papers_fts`, an
// FTS4 table over the papers table's own text) is kept in step by triggers, so every change —
// an import, an edit, a delete, an undo, a journal replayed — updates it in the same statement.
import type { SqlValue } from 'sql.js'
import { parseSearch } from '../../../shared/search'
import type { ParsedSearch, SearchAtom, SearchTerm } from '../../../shared/search'
import { statusCode } from './statusCodes'
import { tagCondition } from './tags'

/** The indexed columns, in the index's order (matchinfo reports them so). */
export const FTS_COLUMNS = ['title', 'abstract', 'authors', 'note', 'tags'] as const

/** How much a hit in each column counts: the title says most about what a paper is. */
const COLUMN_WEIGHTS = [4, 1, 2, 2, 2]

const K1 = 1.2
const B = 0.75

/** BM25's constants and the columns' weights, for ranking.ts (which must score as bm25 does). */
export function bm25Weights(): { k1: number; b: number; columns: readonly number[] } {
  return { k1: K1, b: B, columns: COLUMN_WEIGHTS }
}

/**
 * BM25 of one row from `matchinfo(papers_fts, 'pcnalx')`: for each phrase of the query and each
 * column, how often it occurs here, in how many rows at all, and the column's length here and on
 * average. Registered with SQLite as `lectern_bm25`.
 */
export function bm25(info: Uint8Array): number {
  const view = new DataView(info.buffer, info.byteOffset, info.byteLength)
  const at = (i: number): number => view.getUint32(i * 4, true)
  const phrases = at(0)
  const columns = at(1)
  const rows = at(2)
  // a: average length per column (columns values); l: this row's lengths; x: 3 per phrase/column.
  const avgAt = 3
  const lenAt = avgAt + columns
  const hitsAt = lenAt + columns
  let score = 0
  for (let p = 0; p < phrases; p += 1) {
    for (let c = 0; c < columns; c += 1) {
      const x = hitsAt + 3 * (c + p * columns)
      const here = at(x)
      if (here === 0) continue
      const withHits = at(x + 2)
      const idf = Math.log(1 + (rows - withHits + 0.5) / (withHits + 0.5))
      const avg = at(avgAt + c) || 1
      const length = at(lenAt + c)
      const tf = (here * (K1 + 1)) / (here + K1 * (1 - B + (B * length) / avg))
      score += idf * tf * (COLUMN_WEIGHTS[c] ?? 1)
    }
  }
  return score
}

type TextTerm = Extract<SearchTerm, { kind: 'text' }>

/** One phrase of a MATCH expression: its words, the last one maybe a prefix, in one column or any. */
export interface MatchPhrase {
  words: string[]
  prefix: boolean
  column: number | null
}

/**
 * A MATCH expression as a value (see compileSearch): every group must match (a group when any of
 * its phrases does), none of the excluded phrases may. Its phrases in the expression's order,
 * which is matchinfo's.
 */
export interface MatchTree {
  groups: MatchPhrase[][]
  excluded: MatchPhrase[]
}

/** The phrase a text atom puts in the MATCH expression (null where phraseOf gives none). */
function matchPhraseOf(term: TextTerm): MatchPhrase | null {
  if (term.field && term.words.length !== 1) return null
  return {
    words: term.words,
    prefix: term.prefix,
    column: term.field ? columnIndex(term.field) : null,
  }
}

/**
 * One text atom as FTS4 query syntax: a quoted phrase (so no word is read as an operator), or
 * `column:word`. Null for a phrase in one column, which FTS4 cannot say (see conditionOf).
 */
function phraseOf(term: TextTerm): string | null {
  const words = term.words.join(' ') + (term.prefix ? '*' : '')
  if (!term.field) return `"${words}"`
  // The words are letters and digits only, lower-case: never an operator (those are upper-case).
  return term.words.length === 1 ? `${term.field}:${words}` : null
}

/** The index of a column in the index's own order. */
function columnIndex(field: string): number {
  return (FTS_COLUMNS as readonly string[]).indexOf(field)
}

/**
 * Whether the MATCH expression's first phrase occurs in a column of the row at hand: from
 * matchinfo's 'x', three 32-bit counts per phrase and column, the first of them the row's own
 * hits. Compared as bytes, in SQLite: a function called back in JavaScript for it cost 6 µs a
 * row (80 ms for 6,000 papers at 100k, where this takes 40).
 */
export const IN_COLUMN = `substr(matchinfo(papers_fts, 'x'), 12 * ? + 1, 4) <> x'00000000'`

/** SQL for one atom that is not part of the MATCH expression; true for the papers it names. */
function conditionOf(term: SearchTerm, params: SqlValue[]): string {
  switch (term.kind) {
    case 'text': {
      const phrase = phraseOf(term)
      if (phrase !== null) {
        params.push(phrase)
        return 'id IN (SELECT docid FROM papers_fts WHERE papers_fts MATCH ?)'
      }
      // A phrase in one column: the phrase anywhere, then only where that column has it.
      params.push(phraseOf({ ...term, field: null }), columnIndex(term.field!))
      return `id IN (SELECT docid FROM papers_fts WHERE papers_fts MATCH ?
        AND ${IN_COLUMN})`
    }
    case 'tag':
      return tagCondition(term.name, term.prefix, params)
    case 'status':
      params.push(statusCode(term.status))
      return 'status = ?'
    case 'year': {
      const parts: string[] = []
      if (term.from !== null) {
        parts.push('year >= ?')
        params.push(term.from)
      }
      if (term.to !== null) {
        parts.push('year <= ?')
        params.push(term.to)
      }
      return parts.length ? `(${parts.join(' AND ')})` : 'year IS NOT NULL'
    }
    case 'has':
      return {
        // The condition of the index papers_with_note (migration 12), which only it serves.
        note: `note <> ''`,
        abstract: `abstract <> ''`,
        tags: `tags <> '[]'`,
        authors: `authors <> '[]'`,
      }[term.what]
    case 'starred':
      return 'starred = 1'
  }
}

function negate(sql: string): string {
  // A NULL (a paper without a year) is "not in 2020..2024", not unknown.
  return `NOT COALESCE((${sql}), 0)`
}

/** A search made ready for SQL. */
export interface CompiledSearch {
  parsed: ParsedSearch
  /**
   * The MATCH expression of what the query looks for in the text (what ranks the results); null
   * when it looks for no words (only filters), or only excludes some.
   */
  match: string | null
  /** The same expression as a value (for ranking.ts); null when match is. */
  tree: MatchTree | null
  /**
   * Further conditions on `papers`, ANDed. Where the query looks for no words but excludes some,
   * the last of them leaves out what the index finds for any of those (EXCLUDED), whose
   * parameter is the last one.
   */
  conditions: string[]
  params: SqlValue[]
  /** The MATCH expression of the words such a query excludes; null otherwise. */
  excluded: string | null
}

/** The condition that leaves out the papers a MATCH expression finds. */
export const EXCLUDED = 'id NOT IN (SELECT docid FROM papers_fts WHERE papers_fts MATCH ?)'

/** Turns a query into a MATCH expression and conditions. */
export function compileSearch(query: string): CompiledSearch {
  const parsed = parseSearch(query)
  const positive: string[] = []
  const excluded: string[] = []
  const tree: MatchTree = { groups: [], excluded: [] }
  const conditions: string[] = []
  const params: SqlValue[] = []
  /** The atom in MATCH syntax, when it can be said there. */
  const expressible = (a: SearchAtom): string | null =>
    a.term.kind === 'text' ? phraseOf(a.term) : null
  for (const group of parsed.groups) {
    const phrases = group.map(expressible)
    if (group.every((a, i) => phrases[i] !== null && !a.negated)) {
      positive.push(phrases.length === 1 ? phrases[0]! : `(${phrases.join(' OR ')})`)
      tree.groups.push(group.map((a) => matchPhraseOf(a.term as TextTerm)!))
      continue
    }
    if (group.length === 1 && phrases[0] !== null) {
      excluded.push(phrases[0]!)
      tree.excluded.push(matchPhraseOf(group[0]!.term as TextTerm)!)
      continue
    }
    const parts = group.map((a) => {
      const sql = conditionOf(a.term, params)
      return a.negated ? negate(sql) : sql
    })
    conditions.push(parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`)
  }
  let match: string | null = null
  let excludedMatch: string | null = null
  if (positive.length > 0) {
    // FTS4's NOT binds tighter than AND: "a AND b NOT c" is a, and b without c.
    // (The exclusions as one NOT of an OR: FTS4 balances a chain of ORs, not one of NOTs, and
    // refuses an expression deeper than 12.)
    match =
      positive.join(' AND ') +
      (excluded.length === 0
        ? ''
        : excluded.length === 1
          ? ` NOT ${excluded[0]}`
          : ` NOT (${excluded.join(' OR ')})`)
  } else if (excluded.length > 0) {
    // Without a, without b: without a OR b (one pass over the index).
    excludedMatch = excluded.join(' OR ')
    params.push(excludedMatch)
    conditions.push(EXCLUDED)
  }
  return {
    parsed,
    match,
    tree: match === null ? null : tree,
    conditions,
    params,
    excluded: excludedMatch,
  }
}

/** Marks the index puts around a hit in a snippet (control characters no stored text keeps). */
export const HIT_START = '\u0002'
export const HIT_END = '\u0003'

/** A snippet as the index returns it, in parts: a hit, or the text between. */
export function snippetParts(marked: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = []
  const re = new RegExp(`${HIT_START}([^${HIT_END}]*)${HIT_END}`, 'g')
  let last = 0
  for (const m of marked.matchAll(re)) {
    if (m.index > last) parts.push({ text: marked.slice(last, m.index), hit: false })
    parts.push({ text: m[1]!, hit: true })
    last = m.index + m[0].length
  }
  if (last < marked.length) parts.push({ text: marked.slice(last), hit: false })
  return parts
}
