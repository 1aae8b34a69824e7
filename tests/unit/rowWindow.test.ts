import { describe, expect, it } from 'vitest'
import {
  MAX_SCROLL_HEIGHT,
  listTopFor,
  maxListTop,
  rowsInView,
  scrollMap,
} from '../../renderer/src/table/rowWindow'

const ROW = 46
const VIEW = 800

describe('a list scaled to fit', () => {
  it('a list that fits is not scaled', () => {
    expect(scrollMap(1000, ROW, VIEW)).toMatchObject({ height: 46_000, scale: 1 })
  })

  it('a million rows: the scrollbar travel maps onto the list travel, end to end', () => {
    const count = 1_000_000
    const map = scrollMap(count, ROW, VIEW)
    expect(map.height).toBe(MAX_SCROLL_HEIGHT)
    expect(map.scale).toBeGreaterThan(3)
    expect(map.toList(0)).toBe(0)
    expect(map.toList(MAX_SCROLL_HEIGHT - VIEW)).toBeCloseTo(maxListTop(count, ROW, VIEW), 3)
    expect(map.toScroll(map.toList(1234.5))).toBeCloseTo(1234.5, 6)
  })

  it('draws the rows in view relative to the top of the view, the last one at the bottom', () => {
    const count = 1_000_000
    const at = (listTop: number) =>
      rowsInView({ count, rowHeight: ROW, listTop, viewport: VIEW, overscan: 2 })
    const top = at(0)
    expect([top.startIndex, top.endIndex]).toEqual([0, 17])
    expect(top.items[0]).toEqual({ index: 0, start: 0 })
    const end = at(maxListTop(count, ROW, VIEW))
    expect(end.endIndex).toBe(count - 1)
    expect(end.items.at(-1)!.start + ROW).toBeCloseTo(VIEW, 6)
    // A position past the end (the count shrank under it) is the end, not blank rows.
    expect(at(10 ** 12).endIndex).toBe(count - 1)
    const middle = at(23_000_010)
    expect(middle.items.find((i) => i.index === middle.startIndex)!.start).toBe(-10)
  })

  it('brings a row into view from above or below, and leaves one in view alone', () => {
    const bring = (index: number, listTop: number) =>
      listTopFor({ index, rowHeight: ROW, listTop, viewport: VIEW })
    expect(bring(999_999, 0)).toBe(999_999 * ROW + ROW - VIEW)
    expect(bring(0, 5000)).toBe(0)
    expect(bring(110, 5000)).toBeNull()
  })
})
