import { describe, expect, it } from 'vitest'
import {
  MAX_SCROLL_HEIGHT,
  rowsInView,
  scrollMap,
  scrollTopFor,
} from '../../renderer/src/table/rowWindow'

const ROW = 46
const VIEW = 800

describe('the rows in view of a long list', () => {
  it('a list that fits is drawn where it is, unscaled', () => {
    const map = scrollMap(1000, ROW, VIEW)
    expect(map).toMatchObject({ height: 46_000, scale: 1 })
    const { items, startIndex, endIndex } = rowsInView(map, {
      count: 1000,
      rowHeight: ROW,
      scrollTop: 460,
      viewport: VIEW,
      overscan: 2,
    })
    expect([startIndex, endIndex]).toEqual([10, 27])
    expect(items[0]).toEqual({ index: 8, start: 8 * ROW })
  })

  it('a million rows fit in the cap, and the whole travel reaches every row', () => {
    const count = 1_000_000
    const map = scrollMap(count, ROW, VIEW)
    expect(map.height).toBe(MAX_SCROLL_HEIGHT)
    expect(map.scale).toBeGreaterThan(3)
    const at = (scrollTop: number) =>
      rowsInView(map, { count, rowHeight: ROW, scrollTop, viewport: VIEW, overscan: 0 })
    expect(at(0).startIndex).toBe(0)
    const end = at(MAX_SCROLL_HEIGHT - VIEW)
    expect(end.endIndex).toBe(count - 1)
    // The last row's bottom is the viewport's bottom.
    const lastRow = end.items.at(-1)!
    expect(lastRow.start + ROW).toBeCloseTo(MAX_SCROLL_HEIGHT, 6)
    // Every row is drawn at its place in view: the first one in view at the top of the view.
    const middle = at(7_000_000)
    expect(middle.items[0]!.start).toBeLessThanOrEqual(7_000_000)
    expect(middle.items[0]!.start + ROW).toBeGreaterThan(7_000_000)
  })

  it('brings a row into view from above or below, and leaves one in view alone', () => {
    const count = 1_000_000
    const map = scrollMap(count, ROW, VIEW)
    const bring = (index: number, scrollTop: number) =>
      scrollTopFor(map, { index, rowHeight: ROW, scrollTop, viewport: VIEW })
    const down = bring(count - 1, 0)!
    expect(down).toBeCloseTo(MAX_SCROLL_HEIGHT - VIEW, 6)
    expect(bring(0, down)).toBe(0)
    const start = rowsInView(map, {
      count,
      rowHeight: ROW,
      scrollTop: 5_000_000,
      viewport: VIEW,
      overscan: 0,
    }).startIndex
    expect(bring(start + 3, 5_000_000)).toBeNull()
  })
})
