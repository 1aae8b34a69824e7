// Which rows of a long list of fixed-height rows are in view, and where to draw them. A browser
// cannot make an element as tall as a million rows (Chromium stops near 33.5 million pixels,
// Firefox near 17.9 million): past MAX_SCROLL_HEIGHT the list is given that height, and scroll
// positions are scaled so that the scrollbar's whole travel still reaches every row.

/** The tallest the scrolled list is made; well under every browser's largest element. */
export const MAX_SCROLL_HEIGHT = 15_000_000

/** How the list's own positions (row × height) map to the scrolled element's. */
export interface ScrollMap {
  /** The scrolled content's height in pixels. */
  height: number
  /** Pixels of the list per pixel scrolled: 1 unless the list is taller than the maximum. */
  scale: number
  toList(scrollTop: number): number
  toScroll(listTop: number): number
}

export function scrollMap(
  count: number,
  rowHeight: number,
  viewport: number,
  max = MAX_SCROLL_HEIGHT,
): ScrollMap {
  const full = count * rowHeight
  if (full <= max) {
    return { height: full, scale: 1, toList: (top) => top, toScroll: (top) => top }
  }
  // The last scroll position shows the last rows: travel maps onto travel.
  const scale = Math.max(1, full - viewport) / Math.max(1, max - viewport)
  return {
    height: max,
    scale,
    toList: (top) => top * scale,
    toScroll: (top) => top / scale,
  }
}

/** A row to draw: its index, and its top (in the scrolled content, or in the view when scaled). */
export interface WindowItem {
  index: number
  start: number
}

/** The largest list position: the last rows at the bottom of the view. */
export function maxListTop(count: number, rowHeight: number, viewport: number): number {
  return Math.max(0, count * rowHeight - viewport)
}

/**
 * The rows in view with the list at `listTop` (and `overscan` on each side), each with its top
 * relative to the view's top: a scaled list draws them in a layer that stays in view.
 */
export function rowsInView(options: {
  count: number
  rowHeight: number
  listTop: number
  viewport: number
  overscan: number
}): { items: WindowItem[]; startIndex: number; endIndex: number } {
  const { count, rowHeight, viewport, overscan } = options
  if (count === 0) return { items: [], startIndex: 0, endIndex: -1 }
  const listTop = Math.min(Math.max(0, options.listTop), maxListTop(count, rowHeight, viewport))
  const startIndex = Math.min(count - 1, Math.floor(listTop / rowHeight))
  const endIndex = Math.min(
    count - 1,
    Math.max(startIndex, Math.ceil((listTop + viewport) / rowHeight) - 1),
  )
  const items: WindowItem[] = []
  const first = Math.max(0, startIndex - overscan)
  const last = Math.min(count - 1, endIndex + overscan)
  for (let index = first; index <= last; index += 1) {
    items.push({ index, start: index * rowHeight - listTop })
  }
  return { items, startIndex, endIndex }
}

/**
 * The list position that brings row `index` into view (null: it is in view already): at the
 * top when it is above, at the bottom when it is below.
 */
export function listTopFor(options: {
  index: number
  rowHeight: number
  listTop: number
  viewport: number
}): number | null {
  const { index, rowHeight, listTop, viewport } = options
  const rowTop = index * rowHeight
  if (rowTop < listTop) return rowTop
  if (rowTop + rowHeight > listTop + viewport) return rowTop + rowHeight - viewport
  return null
}
