// The table's window onto a query's rows: the virtualiser, the pages of rows it needs, and the
// total that comes with each page. Only the rows around the viewport are ever fetched, so 100
// papers and 100,000 cost the same to show.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query'
import type { PaperPage, PaperQuery, PaperRow } from '../../../shared/domain'
import { PAGE_SIZE, pageQuery } from '../hooks/queries'
import type { Cell } from './paperColumns'
import { MAX_SCROLL_HEIGHT, rowsInView, scrollMap, scrollTopFor } from './rowWindow'

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
  const scroll = useScrollPosition(scrollRef)
  const map = useMemo(
    () => scrollMap(total, rowHeight, scroll.viewport, maxScrollHeight()),
    [total, rowHeight, scroll.viewport],
  )
  const { items, startIndex, endIndex } = useMemo(
    () =>
      rowsInView(map, {
        count: total,
        rowHeight,
        scrollTop: scroll.top,
        viewport: scroll.viewport,
        overscan: 12,
      }),
    [map, total, rowHeight, scroll.top, scroll.viewport],
  )
  useScaledScrolling(scrollRef, map.scale, rowHeight)

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
    (index: number) => {
      const el = scrollRef.current
      if (!el) return
      const top = scrollTopFor(map, {
        index,
        rowHeight,
        scrollTop: el.scrollTop,
        viewport: el.clientHeight,
      })
      if (top !== null) el.scrollTop = top
    },
    [map, rowHeight],
  )

  return {
    scrollRef,
    /** The query's first page has arrived (the count is known). */
    ready: head.isSuccess,
    error: head.error,
    retry: head.refetch,
    /** What the search could not read (from the first page). */
    searchNotes: head.data?.searchNotes ?? NO_NOTES,
    /** The scrolled content's height (capped; see rowWindow.ts). */
    height: map.height,
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

/** The scrolled element's position and height, as they change. */
function useScrollPosition(ref: React.RefObject<HTMLDivElement | null>): {
  top: number
  viewport: number
} {
  const [position, setPosition] = useState({ top: 0, viewport: 0 })
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const read = (): void =>
      setPosition((p) =>
        p.top === el.scrollTop && p.viewport === el.clientHeight
          ? p
          : { top: el.scrollTop, viewport: el.clientHeight },
      )
    read()
    el.addEventListener('scroll', read, { passive: true })
    const resize = new ResizeObserver(read)
    resize.observe(el)
    return () => {
      el.removeEventListener('scroll', read)
      resize.disconnect()
    }
  }, [ref])
  return position
}

/**
 * In a list scaled to fit (see rowWindow.ts), the wheel and the paging keys move by the list's
 * own pixels, as in any other list, rather than by `scale` times as many.
 */
function useScaledScrolling(
  ref: React.RefObject<HTMLDivElement | null>,
  scale: number,
  rowHeight: number,
): void {
  useEffect(() => {
    const el = ref.current
    if (!el || scale <= 1) return
    const by = (listPixels: number): void => {
      el.scrollTop += listPixels / scale
    }
    const wheel = (e: WheelEvent): void => {
      if (e.ctrlKey || Math.abs(e.deltaY) < Math.abs(e.deltaX)) return
      e.preventDefault()
      const unit = e.deltaMode === 1 ? rowHeight : e.deltaMode === 2 ? el.clientHeight : 1
      by(e.deltaY * unit)
    }
    const keys = (e: KeyboardEvent): void => {
      if (e.target !== el || e.altKey || e.ctrlKey || e.metaKey) return
      const page = el.clientHeight - rowHeight
      if (e.key === 'PageDown') by(page)
      else if (e.key === 'PageUp') by(-page)
      else return
      e.preventDefault()
    }
    el.addEventListener('wheel', wheel, { passive: false })
    el.addEventListener('keydown', keys)
    return () => {
      el.removeEventListener('wheel', wheel)
      el.removeEventListener('keydown', keys)
    }
  }, [ref, scale, rowHeight])
}

/**
 * MAX_SCROLL_HEIGHT, or a smaller one set in `localStorage['lectern.maxScrollHeight']` (to try
 * the scaled list on a small library).
 */
function maxScrollHeight(): number {
  try {
    const set = Number(globalThis.localStorage?.getItem('lectern.maxScrollHeight'))
    return set > 0 && set < MAX_SCROLL_HEIGHT ? set : MAX_SCROLL_HEIGHT
  } catch {
    return MAX_SCROLL_HEIGHT
  }
}
