// The table's window onto a query's rows: the virtualiser, the pages of rows it needs, and the
// total that comes with each page. Only the rows around the viewport are ever fetched, so 100
// papers and 100,000 cost the same to show.
import { useCallback, useEffect, useMemo, useRef } from 'react'
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { PaperPage, PaperQuery, PaperRow } from '../../../shared/domain'
import { PAGE_SIZE, pageQuery } from '../hooks/queries'
import type { Cell } from './paperColumns'

/** Two lines: a long title wraps rather than being cut. */
export const ROW_HEIGHT = 46
/** While searching, a row has a second line: where the abstract or note matches. */
export const SEARCH_ROW_HEIGHT = 54

const NO_NOTES: string[] = []

/** A loaded row with its place in the sorted list; `visible` when it is inside the viewport. */
export interface WindowRow {
  paper: PaperRow
  index: number
  visible: boolean
}

/** Stable, so that useQueries hands back the same array while no page changes. */
function pageData(results: { data?: PaperPage }[]): (PaperPage | undefined)[] {
  return results.map((r) => r.data)
}

export function usePaperWindow(query: PaperQuery, rowHeight = ROW_HEIGHT) {
  const scrollRef = useRef<HTMLDivElement>(null)
  // The count comes with the rows (so a filter, and later a search, is counted exactly as it
  // is asked), from the first page: the virtualiser needs it before it knows which pages are in
  // view. While a new query loads, the previous one's rows stay on screen rather than flash.
  const head = useQuery({ ...pageQuery(query, 0), placeholderData: keepPreviousData })
  const total = head.data?.total ?? 0
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  })
  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight])

  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? -1
  const pages = useMemo(() => {
    if (last < 0) return [0]
    const list: number[] = []
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p += 1) {
      list.push(p)
    }
    return list
  }, [first, last])

  const loaded = useQueries({
    queries: pages.map((p) => ({ ...pageQuery(query, p), placeholderData: keepPreviousData })),
    combine: pageData,
  })

  const cells = useMemo<Cell[]>(() => {
    const out: Cell[] = []
    for (let index = first; index <= last; index += 1) {
      const page = loaded[pages.indexOf(Math.floor(index / PAGE_SIZE))]
      out.push(page?.rows[index - page.offset] ?? { id: null, index })
    }
    return out
  }, [first, last, pages, loaded])

  const range = virtualizer.range
  const startIndex = range?.startIndex ?? 0
  const endIndex = range?.endIndex ?? -1
  const rows = useMemo(
    () =>
      cells.flatMap((cell, i): WindowRow[] =>
        cell.id !== null
          ? [
              {
                paper: cell,
                index: first + i,
                visible: first + i >= startIndex && first + i <= endIndex,
              },
            ]
          : [],
      ),
    [cells, first, startIndex, endIndex],
  )

  const scrollToIndex = useCallback(
    (index: number) => virtualizer.scrollToIndex(index, { align: 'auto' }),
    [virtualizer],
  )

  return {
    scrollRef,
    /** The query's first page has arrived (the count is known). */
    ready: head.isSuccess,
    error: head.error,
    retry: head.refetch,
    /** What the search could not read (from the first page). */
    searchNotes: head.data?.searchNotes ?? NO_NOTES,
    virtualizer,
    items,
    /** The rows from `first` to the last one rendered, loaded or not. */
    cells,
    first,
    /** The loaded rows among them. */
    rows,
    total,
    scrollToIndex,
  }
}
