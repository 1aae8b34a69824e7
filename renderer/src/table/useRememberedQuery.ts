// The table's sort and status view, remembered across reloads and restarts (in this browser's
// storage). A filter by one import is not: that import may be gone next time.
import { useEffect, useState } from 'react'
import { DEFAULT_QUERY, SORT_FIELDS, STATUSES } from '../../../shared/domain'
import type { PaperQuery } from '../../../shared/domain'

const STORAGE_KEY = 'lectern.view'

/** The remembered view, if storage holds one that still makes sense; else the default. */
function remembered(): PaperQuery {
  try {
    const stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null') as {
      sort?: { field?: unknown; direction?: unknown }
      status?: unknown
    } | null
    const field = stored?.sort?.field
    const direction = stored?.sort?.direction
    const status = stored?.status
    if (
      (SORT_FIELDS as readonly unknown[]).includes(field) &&
      (direction === 'asc' || direction === 'desc') &&
      (status === null || (STATUSES as readonly unknown[]).includes(status))
    ) {
      return {
        sort: { field, direction } as PaperQuery['sort'],
        status: status as PaperQuery['status'],
      }
    }
  } catch {
    // Storage refused or held something else: the default view.
  }
  return DEFAULT_QUERY
}

export function useRememberedQuery(): [
  PaperQuery,
  (change: (q: PaperQuery) => PaperQuery) => void,
] {
  const [query, setQuery] = useState<PaperQuery>(remembered)
  useEffect(() => {
    try {
      window.localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ sort: query.sort, status: query.status }),
      )
    } catch {
      // Not remembered; the view works all the same.
    }
  }, [query.sort, query.status])
  return [query, (change) => setQuery(change)]
}
