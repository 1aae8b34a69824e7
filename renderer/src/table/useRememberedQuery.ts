// The table's sort (with its further keys), view (status, tag, stars) and search, remembered across reloads and restarts (in this browser's
// storage). A filter by one import is not: that import may be gone next time.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Dispatch, SetStateAction } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { pageQuery } from '../hooks/queries'
import { NO_SELECTION } from './useKeyboardTriage'
import type { Selection } from './useKeyboardTriage'
import { DEFAULT_QUERY, SORT_FIELDS, STATUSES } from '../../../shared/domain'
import type { PaperQuery } from '../../../shared/domain'
import { validThenBy, withValidSort } from './sortKeys'

const STORAGE_KEY = 'lectern.view'

/** The remembered view, if storage holds one that still makes sense; else the default. */
function remembered(): PaperQuery {
  try {
    const stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null') as {
      sort?: { field?: unknown; direction?: unknown }
      thenBy?: unknown
      status?: unknown
      search?: unknown
      tag?: unknown
      starred?: unknown
    } | null
    const field = stored?.sort?.field
    const direction = stored?.sort?.direction
    const status = stored?.status
    if (
      (SORT_FIELDS as readonly unknown[]).includes(field) &&
      (direction === 'asc' || direction === 'desc') &&
      (status === null || (STATUSES as readonly unknown[]).includes(status))
    ) {
      const sort = { field, direction } as PaperQuery['sort']
      // Keys that no longer make sense are left out; the rest of the view stands.
      const thenBy = validThenBy(sort, stored?.thenBy)
      return {
        sort,
        ...(thenBy ? { thenBy } : {}),
        status: status as PaperQuery['status'],
        search: typeof stored?.search === 'string' ? stored.search : '',
        tag: typeof stored?.tag === 'string' ? stored.tag : null,
        starred: stored?.starred === true,
      }
    }
  } catch {
    // Storage refused or held something else: the default view.
  }
  return DEFAULT_QUERY
}

/**
 * The query; a change to it; and a query the user is about to ask for (a header pressed, not yet
 * released), whose first page is asked for at once. A change asks for the new query's first page
 * at once too, before the table renders it: asked from the table, the request left only after a
 * render with the old rows (15–20 ms at 100k papers in Chromium).
 */
export function useRememberedQuery(): [
  PaperQuery,
  (change: (q: PaperQuery) => PaperQuery) => void,
  (next: PaperQuery) => void,
] {
  const client = useQueryClient()
  const [query, setQuery] = useState<PaperQuery>(remembered)
  // The latest query asked for, ahead of the render that shows it, so that two changes in one
  // event build on each other.
  const latest = useRef(query)
  useEffect(() => {
    try {
      window.localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({
          sort: query.sort,
          thenBy: query.thenBy ?? [],
          status: query.status,
          search: query.search ?? '',
          tag: query.tag ?? null,
          starred: query.starred ?? false,
        }),
      )
    } catch {
      // Not remembered; the view works all the same.
    }
  }, [query.sort, query.thenBy, query.status, query.search, query.tag, query.starred])
  // Only a page never asked for: one that failed is not asked for again by the same query (the
  // table shows its error, as it would without this), and one asked for ahead is not asked twice
  // (one changed meanwhile, by a save while the header was held, is asked for again as the
  // table shows it: it was marked out of date).
  const askFirstPage = useCallback(
    (next: PaperQuery) => {
      const first = pageQuery(next, 0)
      if (!client.getQueryState(first.queryKey)) void client.prefetchQuery(first)
    },
    [client],
  )
  // Whatever the change (a search sorts by relevance, which takes no further keys), the query
  // asked for is one the contract accepts.
  const change = useCallback(
    (how: (q: PaperQuery) => PaperQuery) => {
      const next = withValidSort(how(latest.current))
      latest.current = next
      askFirstPage(next)
      setQuery(next)
    },
    [askFirstPage],
  )
  const ahead = useCallback((next: PaperQuery) => askFirstPage(withValidSort(next)), [askFirstPage])
  return [query, change, ahead]
}

const SELECTION_KEY = 'lectern.selection'

/**
 * The paper selected and its place in the list, remembered likewise: after a reload the same
 * paper is open and the table scrolled to it.
 */
export function useRememberedSelection(): [Selection, Dispatch<SetStateAction<Selection>>] {
  const [selection, setSelection] = useState<Selection>(() => {
    try {
      const stored = JSON.parse(window.localStorage.getItem(SELECTION_KEY) ?? 'null') as {
        id?: unknown
        index?: unknown
      } | null
      const whole = (n: unknown): n is number =>
        typeof n === 'number' && Number.isInteger(n) && n >= 0
      if (stored && whole(stored.id)) {
        return { id: stored.id, index: whole(stored.index) ? stored.index : null }
      }
    } catch {
      // Nothing remembered.
    }
    return NO_SELECTION
  })
  useEffect(() => {
    try {
      window.localStorage.setItem(SELECTION_KEY, JSON.stringify(selection))
    } catch {
      // Not remembered.
    }
  }, [selection])
  return [selection, setSelection]
}
