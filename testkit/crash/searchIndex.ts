// The library's indexes checked against its papers: the full-text index (`papers_fts`, FTS4
// over `papers`) and the tag index (`paper_tags`), both kept in step by triggers. After a crash
// they must agree with the papers exactly as they do in normal running; one out of step loses
// papers from searches as surely as a lost change loses a note.
import type { Paper } from '../../shared/domain'
import { parseSearch, searchWords, tagKey } from '../../shared/search'
import type { SearchAtom, TextField } from '../../shared/search'
import { loadEngine } from '../../electron/core/db/database'
import type { Library } from '../../electron/core/store/library'

/**
 * A word as the index keeps it: `searchWords` splits and lower-cases, and the index's tokenizer
 * (unicode61, remove_diacritics=2) also drops accents, so that "schrodinger" finds the
 * generated titles' "Schrödinger".
 */
function indexWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}+/gu, '')
}

/** A paper with the words of each text field, as the index splits them. */
interface Indexed {
  paper: Paper
  words: Record<TextField, string[]>
}

function indexed(paper: Paper): Indexed {
  const words = (text: string): string[] => searchWords(text).map(indexWord)
  return {
    paper,
    words: {
      title: words(paper.title),
      abstract: words(paper.abstract),
      authors: words(JSON.stringify(paper.authors)),
      note: words(paper.note),
      tags: words(JSON.stringify(paper.tags)),
    },
  }
}

/** Whether a paper matches one atom of a query, read from its fields alone. */
function atomMatches({ paper: p, words }: Indexed, atom: SearchAtom): boolean {
  const t = atom.term
  let hit: boolean
  switch (t.kind) {
    case 'text':
      hit = (t.field ? [words[t.field]] : Object.values(words)).some((ws) =>
        ws.some((_, i) =>
          t.words.map(indexWord).every((w, j) => {
            const have = ws[i + j]
            if (have === undefined) return false
            return t.prefix && j === t.words.length - 1 ? have.startsWith(w) : have === w
          }),
        ),
      )
      break
    case 'tag':
      hit = p.tags.some((x) =>
        t.prefix ? tagKey(x).startsWith(tagKey(t.name)) : tagKey(x) === tagKey(t.name),
      )
      break
    case 'status':
      hit = p.status === t.status
      break
    case 'year':
      hit =
        p.year !== null &&
        (t.from === null || p.year >= t.from) &&
        (t.to === null || p.year <= t.to)
      break
    case 'has':
      hit = {
        note: p.note !== '',
        abstract: p.abstract !== '',
        tags: p.tags.length > 0,
        authors: p.authors.length > 0,
      }[t.what]
      break
    case 'starred':
      hit = p.starred
      break
  }
  return atom.negated ? !hit : hit
}

function scan(all: Indexed[], query: string): number[] {
  const { groups } = parseSearch(query)
  return all
    .filter((p) => groups.every((g) => g.some((a) => atomMatches(p, a))))
    .map((p) => p.paper.id)
    .sort((a, b) => a - b)
}

/**
 * The ids a query should find among `papers`, read from their fields alone (no index): what the
 * search is tested against, here and in tests/unit/search.test.ts.
 */
export function expectedIds(papers: Paper[], query: string): number[] {
  return scan(papers.map(indexed), query)
}

export interface SearchMismatch {
  query: string
  /** Papers the query should find and the library did not. */
  missing: number[]
  /** Papers the library found that the query should not. */
  extra: number[]
}

/**
 * Each query through the library (`listPapers({ search })`) against a plain scan of `papers`
 * (`expectedIds`, accents dropped as the index drops them). `papers` is every paper the library has.
 * Returns the queries whose ids differ, and how many papers the queries should find in all.
 */
export function checkSearches(
  lib: Library,
  papers: Paper[],
  queries: string[],
): { mismatches: SearchMismatch[]; found: number } {
  const all = papers.map(indexed)
  const mismatches: SearchMismatch[] = []
  let found = 0
  for (const query of queries) {
    const want = new Set(scan(all, query))
    const got = new Set(
      lib
        .listPapers({
          sort: { field: 'addedAt', direction: 'asc' },
          search: query,
          offset: 0,
          limit: -1,
        })
        .rows.map((r) => r.id),
    )
    found += want.size
    const missing = [...want].filter((id) => !got.has(id)).sort((a, b) => a - b)
    const extra = [...got].filter((id) => !want.has(id)).sort((a, b) => a - b)
    if (missing.length > 0 || extra.length > 0) mismatches.push({ query, missing, extra })
  }
  return { mismatches, found }
}

export interface IndexReport {
  /** Rows `paper_tags` should have (one per paper and tag, spelled as the paper has it). */
  tagRows: number
  /** `paper_tags` rows missing, and rows it has that no paper's tags explain ("id tag"). */
  tagRowsMissing: string[]
  tagRowsExtra: string[]
  /** What FTS4's own `integrity-check` said when the index does not match `papers`; null if it does. */
  ftsProblem: string | null
}

/** `paper_tags` against `papers.tags`, and the FTS index against `papers` (FTS4 integrity-check). */
export async function checkIndexes(lib: Library, papers: Paper[]): Promise<IndexReport> {
  const want = new Set<string>()
  for (const p of papers) for (const tag of p.tags) want.add(`${p.id} ${tag}`)
  const SQL = await loadEngine()
  const db = new SQL.Database(lib.exportBytes())
  try {
    const have = new Set(
      (db.exec('SELECT paper_id, tag FROM paper_tags')[0]?.values ?? []).map(
        ([id, tag]) => `${Number(id)} ${String(tag)}`,
      ),
    )
    let ftsProblem: string | null = null
    try {
      db.run(`INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')`)
    } catch (error) {
      ftsProblem = (error as Error).message
    }
    return {
      tagRows: want.size,
      tagRowsMissing: [...want].filter((row) => !have.has(row)),
      tagRowsExtra: [...have].filter((row) => !want.has(row)),
      ftsProblem,
    }
  } finally {
    db.close()
  }
}
