// The table's order as a list of keys: a click sorts by one column, Shift+click adds a column
// as a further key for the papers the others leave equal (or reverses it), up to three keys.
// The rules the contract holds a query to are kept here too, so the view never asks for an
// order it would refuse (a remembered one included).
import { MAX_SORT_KEYS, SORT_FIELDS } from '../../../shared/domain'
import type { PaperQuery, Sort, SortDirection, SortField } from '../../../shared/domain'

/** The keys the table is sorted by, first to last; none when it is ranked by relevance. */
export function sortKeys(query: Pick<PaperQuery, 'sort' | 'thenBy'>): Sort[] {
  return query.sort.field === 'relevance' ? [] : [query.sort, ...(query.thenBy ?? [])]
}

const reversed = (key: Sort): Sort => ({
  ...key,
  direction: key.direction === 'asc' ? 'desc' : 'asc',
})

/**
 * The query after a click on a column's header. A plain click sorts by that column alone
 * (reversed if it was already the first key); `add` (Shift) adds it as the next key, or
 * reverses it where it is already a key; with three keys, a fourth takes the third's place.
 */
export function withSortClick(
  query: PaperQuery,
  field: SortField,
  firstDirection: SortDirection,
  add: boolean,
): PaperQuery {
  const keys = sortKeys(query)
  const at = keys.findIndex((k) => k.field === field)
  let next: Sort[]
  if (!add || keys.length === 0) {
    next = [at === 0 ? reversed(keys[0]!) : { field, direction: firstDirection }]
  } else if (at !== -1) {
    next = keys.map((k, i) => (i === at ? reversed(k) : k))
  } else {
    next = [...keys.slice(0, MAX_SORT_KEYS - 1), { field, direction: firstDirection }]
  }
  const [sort, ...thenBy] = next as [Sort, ...Sort[]]
  const { thenBy: _old, ...rest } = query
  return thenBy.length > 0 ? { ...rest, sort, thenBy } : { ...rest, sort }
}

function isSort(value: unknown): value is Sort {
  const v = value as { field?: unknown; direction?: unknown } | null
  return (
    !!v &&
    typeof v === 'object' &&
    (SORT_FIELDS as readonly unknown[]).includes(v.field) &&
    (v.direction === 'asc' || v.direction === 'desc')
  )
}

/**
 * The further keys that may follow `sort` out of what is given (stored, or after a change of
 * the sort): sorts of other fields than the sort's and each other's, never relevance, at most
 * MAX_SORT_KEYS - 1; none after relevance. Undefined when none remain.
 */
export function validThenBy(sort: Sort, thenBy: unknown): Sort[] | undefined {
  if (sort.field === 'relevance' || !Array.isArray(thenBy)) return undefined
  const keys: Sort[] = []
  for (const key of thenBy) {
    if (!isSort(key) || key.field === 'relevance') continue
    if (key.field === sort.field || keys.some((k) => k.field === key.field)) continue
    if (keys.length < MAX_SORT_KEYS - 1) keys.push({ field: key.field, direction: key.direction })
  }
  return keys.length > 0 ? keys : undefined
}

/**
 * The query with further keys the contract accepts: the same query when it has them (searching
 * sorts by relevance, which takes none; going back to a column may meet a key of it).
 */
export function withValidSort(query: PaperQuery): PaperQuery {
  if (query.thenBy === undefined) return query
  const thenBy = validThenBy(query.sort, query.thenBy)
  if (
    thenBy?.length === query.thenBy.length &&
    thenBy.every(
      (k, i) => k.field === query.thenBy![i]!.field && k.direction === query.thenBy![i]!.direction,
    )
  ) {
    return query
  }
  const { thenBy: _old, ...rest } = query
  return thenBy ? { ...rest, thenBy } : rest
}

const ORDINALS = ['first', 'second', 'third']

/** How a key is said to assistive technology: "second sort key, ascending". */
export function describeKey(rank: number, direction: SortDirection): string {
  return `${ORDINALS[rank] ?? `key ${rank + 1}`} sort key, ${direction === 'asc' ? 'ascending' : 'descending'}`
}
