// The table's window onto a query's rows: the virtualiser, the pages of rows it needs, and the
// total that comes with each page. Only the rows around the viewport are ever fetched, so 100
// papers and 100,000 cost the same to show.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { PaperPage, PaperQuery, PaperRow } from '../../../shared/domain'
import { PAGE_SIZE, pageQuery } from '../hooks/queries'
import type { Cell } from './paperColumns'
import { MAX_SCROLL_HEIGHT, listTopFor, maxListTop, rowsInView, scrollMap } from './rowWindow'
import type { ScrollMap } from './rowWindow'

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

/**
 * `heightOf`: a row's height for a query (a search shows a second line). The rows are drawn at
 * the height of the query they are of (`drawn`), the shown query's until the new one's arrive.
 */
export function usePaperWindow(
  query: PaperQuery,
  heightOf: (query: PaperQuery) => number = () => ROW_HEIGHT,
) {
  const scrollRef = useRef<HTMLDivElement>(null)
  // The count comes with the rows (so a filter, and later a search, is counted exactly as it
  // is asked), from the first page: the virtualiser needs it before it knows which pages are in
  // view. While a new query loads, the previous one's rows stay on screen rather than flash.
  const head = useQuery({ ...pageQuery(query, 0), placeholderData: keepPreviousData })
  const total = head.data?.total ?? 0
  // The query whose rows the table shows. Until a new query's first page arrives, its rows in
  // view are the shown query's at the same places (the scroll stays where it was): a page's
  // observer is new for a new query, so React Query's keepPreviousData has nothing to keep, and
  // every row would flash to a grey bar and back (and be drawn twice).
  const client = useQueryClient()
  const [shown, setShown] = useState(query)
  const arrived = head.isSuccess && !head.isPlaceholderData
  if (arrived && shown !== query) setShown(query)
  const waiting = head.isPlaceholderData
  /** The query whose rows are on screen. */
  const drawn = waiting ? shown : query
  const rowHeight = heightOf(drawn)
  // A list a browser can make as tall as it is goes to the virtualiser; a taller one (hundreds
  // of thousands of rows) is scaled to fit (see rowWindow.ts and useScaledWindow).
  // Read once: it is asked on every render, and only a test changes it.
  const [cap] = useState(maxScrollHeight)
  const fits = total * rowHeight <= cap
  const virtualizer = useVirtualizer({
    count: fits ? total : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    enabled: fits,
  })
  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight])
  const scaled = useScaledWindow(scrollRef, fits ? 0 : total, rowHeight, cap)

  const items = fits ? virtualizer.getVirtualItems() : scaled.items
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
    queries: pages.map((p) => ({
      ...pageQuery(query, p),
      placeholderData: (previous: PaperPage | undefined) =>
        previous ??
        (waiting ? client.getQueryData<PaperPage>(pageQuery(shown, p).queryKey) : undefined),
    })),
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

  const range = fits ? virtualizer.range : scaled.range
  const startIndex = range?.startIndex ?? 0
  const endIndex = range?.endIndex ?? -1
  // The rows the keys move through: none while the rows on screen are the previous query's
  // (they are shown, not chosen: their places are not the new query's).
  const rows = useMemo(
    () =>
      cells.flatMap((cell, i): WindowRow[] =>
        cell.id !== null && !waiting
          ? [
              {
                paper: cell,
                index: first + i,
                visible: first + i >= startIndex && first + i <= endIndex,
              },
            ]
          : [],
      ),
    [cells, first, startIndex, endIndex, waiting],
  )

  const scaledScrollTo = scaled.scrollToIndex
  const scrollToIndex = useCallback(
    (index: number) =>
      fits ? virtualizer.scrollToIndex(index, { align: 'auto' }) : scaledScrollTo(index),
    [fits, virtualizer, scaledScrollTo],
  )

  return {
    scrollRef,
    /** The query's first page has arrived (the count is known). */
    ready: head.isSuccess,
    error: head.error,
    retry: head.refetch,
    /** What the search could not read (from the first page). */
    searchNotes: head.data?.searchNotes ?? NO_NOTES,
    /** The scrolled content's height. */
    height: fits ? virtualizer.getTotalSize() : scaled.height,
    /** Rows are placed in a layer that stays in view (a scaled list; see useScaledWindow). */
    scaled: !fits,
    /** The view's height (the layer's, when scaled). */
    viewport: scaled.viewport,
    items,
    /** The rows from `first` to the last one rendered, loaded or not. */
    cells,
    first,
    /** The loaded rows among them (none while `stale`). */
    rows,
    /** The rows on screen are the previous query's, until the new query's first page arrives. */
    stale: waiting,
    /** The query whose rows are on screen (the previous one while `stale`), and their height. */
    drawn,
    rowHeight,
    total,
    scrollToIndex,
  }
}

/**
 * A list taller than a browser can make an element, scaled to fit (see rowWindow.ts). Where the
 * list is — its position in its own pixels, a fraction kept between scroll events, since a
 * browser rounds `scrollTop` — is the truth; `scrollTop` follows it. The rows are drawn in a
 * layer that stays in view (position: sticky), at their places relative to the view's top, so
 * the browser's own scrolling never moves them out of step. The wheel and the paging keys move
 * the list by its own pixels, as in any other list; dragging the scrollbar moves it by the
 * map. For a list that fits (count 0 here) it does nothing.
 */
function useScaledWindow(
  ref: React.RefObject<HTMLDivElement | null>,
  count: number,
  rowHeight: number,
  cap: number,
): {
  items: { index: number; start: number; key: number }[]
  range: { startIndex: number; endIndex: number }
  height: number
  viewport: number
  scrollToIndex: (index: number) => void
} {
  const active = count > 0
  const [viewport, setViewport] = useState(0)
  const [listTop, setListTop] = useState(0)
  const map = useMemo<ScrollMap>(
    () => scrollMap(count, rowHeight, viewport, cap),
    [count, rowHeight, viewport, cap],
  )
  const state = useRef({ listTop: 0, written: -1, map })
  const limit = maxListTop(count, rowHeight, viewport)

  /** Moves the list to `top` (its own pixels) and the scrollbar with it. */
  const moveTo = useCallback(
    (top: number) => {
      const el = ref.current
      if (!el) return
      const s = state.current
      s.listTop = Math.min(Math.max(0, top), limit)
      s.written = Math.round(s.map.toScroll(s.listTop))
      el.scrollTop = s.written
      setListTop(s.listTop)
    },
    [ref, limit],
  )

  // A new map (the count, the row height or the view changed): the list stays where it was.
  useLayoutEffect(() => {
    state.current.map = map
    if (active) moveTo(state.current.listTop)
  }, [map, active, moveTo])

  useLayoutEffect(() => {
    const el = ref.current
    if (!el || !active) return
    const size = (): void => setViewport(el.clientHeight)
    size()
    const resize = new ResizeObserver(size)
    resize.observe(el)
    // A scroll not of our making (the scrollbar dragged, Home or End): the list follows the map.
    const scroll = (): void => {
      const s = state.current
      if (Math.abs(el.scrollTop - s.written) < 1) return
      s.written = el.scrollTop
      s.listTop = s.map.toList(el.scrollTop)
      setListTop(s.listTop)
    }
    const wheel = (e: WheelEvent): void => {
      // Zoom (ctrl), sideways (shift, or mostly x): the browser's.
      if (e.ctrlKey || e.shiftKey || Math.abs(e.deltaY) < Math.abs(e.deltaX)) return
      e.preventDefault()
      const unit = e.deltaMode === 1 ? rowHeight : e.deltaMode === 2 ? el.clientHeight : 1
      moveTo(state.current.listTop + e.deltaY * unit)
    }
    const keys = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement
      if (!el.contains(target) || e.altKey || e.ctrlKey || e.metaKey) return
      if (target.closest('input, textarea, select, [contenteditable="true"]')) return
      const page = el.clientHeight - rowHeight
      if (e.key === 'PageDown') moveTo(state.current.listTop + page)
      else if (e.key === 'PageUp') moveTo(state.current.listTop - page)
      else return
      e.preventDefault()
    }
    el.addEventListener('scroll', scroll, { passive: true })
    el.addEventListener('wheel', wheel, { passive: false })
    el.addEventListener('keydown', keys)
    return () => {
      resize.disconnect()
      el.removeEventListener('scroll', scroll)
      el.removeEventListener('wheel', wheel)
      el.removeEventListener('keydown', keys)
    }
  }, [ref, active, rowHeight, moveTo])

  const view = useMemo(
    () =>
      active
        ? rowsInView({ count, rowHeight, listTop, viewport, overscan: 4 })
        : { items: [], startIndex: 0, endIndex: -1 },
    [active, count, rowHeight, listTop, viewport],
  )
  const items = useMemo(() => view.items.map((i) => ({ ...i, key: i.index })), [view.items])
  const scrollToIndex = useCallback(
    (index: number) => {
      const top = listTopFor({ index, rowHeight, listTop: state.current.listTop, viewport })
      if (top !== null) moveTo(top)
    },
    [rowHeight, viewport, moveTo],
  )
  return {
    items,
    range: { startIndex: view.startIndex, endIndex: view.endIndex },
    height: map.height,
    viewport,
    scrollToIndex,
  }
}

/**
 * MAX_SCROLL_HEIGHT, or a smaller one set in `localStorage['lectern.maxScrollHeight']` (to try
 * the scaled list on a small library; never below a tall window).
 */
function maxScrollHeight(): number {
  try {
    const set = Number(globalThis.localStorage?.getItem('lectern.maxScrollHeight'))
    return set >= 2000 && set < MAX_SCROLL_HEIGHT ? set : MAX_SCROLL_HEIGHT
  } catch {
    return MAX_SCROLL_HEIGHT
  }
}
