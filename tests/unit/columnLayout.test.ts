// The table's columns laid out: the order and widths read back from storage are mended, moves
// keep the star first, and the layout fits any table width — the defaults exactly as the narrow
// window rules (dropBelow) left them, stored widths however wide without squeezing the title.
import { describe, expect, it } from 'vitest'
import {
  MENU_TRACK,
  PINNED_COLUMN,
  layoutColumns,
  moveColumn,
  placeColumn,
  titleMinWidth,
  validOrder,
  validWidths,
} from '../../renderer/src/table/columnLayout'
import type { ColumnSpec } from '../../renderer/src/table/columnLayout'
import { columnVisibility } from '../../renderer/src/table/paperColumns'
import { COLUMN_SPECS } from '../../renderer/src/table/useColumnLayout'
import type { LibraryStats } from '../../shared/domain'

const IDS = COLUMN_SPECS.map((c) => c.id)
const SPEC = new Map(COLUMN_SPECS.map((c) => [c.id, c]))

/** A library whose papers have authors and tags: every column shows that can by default. */
const STATS = { withAuthors: 3, withTags: 2 } as LibraryStats

/** The columns a table this wide asks for, in the default order. */
function asked(width: number, choices: Record<string, boolean> = {}): ColumnSpec[] {
  const visible = columnVisibility(STATS, choices, width)
  return COLUMN_SPECS.filter((c) => visible[c.id])
}

/** The width the grid would need at least: each track's fixed part or floor. */
function leastWidth(template: string): number {
  return template
    .split(/ (?![^(]*\))/)
    .map((track) => Number(/(\d+)px/.exec(track)?.[1] ?? 0))
    .reduce((a, b) => a + b, 0)
}

describe('a stored order', () => {
  it('keeps what it knows, once, appends new columns, and puts the star first', () => {
    expect(validOrder(['doi', 'bogus', 'title', 'doi', 7, 'starred', 'status'], IDS)).toEqual([
      'starred',
      'doi',
      'title',
      'status',
      ...IDS.filter((id) => !['starred', 'doi', 'title', 'status'].includes(id)),
    ])
    for (const junk of [null, 'title', { title: 1 }, 42]) expect(validOrder(junk, IDS)).toEqual(IDS)
    expect(IDS[0]).toBe(PINNED_COLUMN)
  })

  it('moves one place at a time, never before or with the star', () => {
    const order = ['starred', 'title', 'status', 'year']
    expect(moveColumn(order, 'status', -1)).toEqual(['starred', 'status', 'title', 'year'])
    expect(moveColumn(order, 'status', 1)).toEqual(['starred', 'title', 'year', 'status'])
    expect(moveColumn(order, 'title', -1)).toEqual(order)
    expect(moveColumn(order, 'year', 1)).toEqual(order)
    expect(moveColumn(order, 'starred', 1)).toEqual(order)
    expect(moveColumn(order, 'bogus', 1)).toEqual(order)
  })

  it('places a dragged column before or after another', () => {
    const order = ['starred', 'title', 'status', 'year', 'venue']
    expect(placeColumn(order, 'venue', { before: 'title' })).toEqual([
      'starred',
      'venue',
      'title',
      'status',
      'year',
    ])
    expect(placeColumn(order, 'title', { after: 'venue' })).toEqual([
      'starred',
      'status',
      'year',
      'venue',
      'title',
    ])
    expect(placeColumn(order, 'title', { before: 'starred' })).toEqual(order)
    expect(placeColumn(order, 'starred', { after: 'venue' })).toEqual(order)
    expect(placeColumn(order, 'year', { before: 'year' })).toEqual(order)
  })
})

describe('stored widths', () => {
  it('keep numbers for resizable columns, within their bounds', () => {
    expect(
      validWidths(
        { status: 150, year: 5, venue: 1e6, title: 400, bogus: 10, doi: 'wide', arxivId: NaN },
        COLUMN_SPECS,
      ),
    ).toEqual({
      status: 150,
      year: SPEC.get('year')!.resize!.min,
      venue: SPEC.get('venue')!.resize!.max,
    })
    for (const junk of [null, [], 'x', 3]) expect(validWidths(junk, COLUMN_SPECS)).toEqual({})
  })

  it('every column but the title may be resized, its default within its bounds', () => {
    for (const c of COLUMN_SPECS) {
      if (c.id === 'title') {
        expect(c.resize).toBeUndefined()
        continue
      }
      expect(c.resize, c.id).toBeDefined()
      if (typeof c.width === 'number') {
        expect(c.width, c.id).toBeGreaterThanOrEqual(c.resize!.min)
        expect(c.width, c.id).toBeLessThanOrEqual(c.resize!.max)
      }
    }
  })
})

describe('the layout', () => {
  it('leaves the default columns as the narrow-window rules do, at every width', () => {
    for (let width = 260; width <= 2400; width += 10) {
      const columns = asked(width)
      const layout = layoutColumns(columns, {}, width)
      expect(layout.dropped, `at ${width}`).toEqual([])
      expect(layout.shown).toEqual(columns.map((c) => c.id))
      // The pixel columns are their defaults.
      for (const c of columns) {
        if (typeof c.width === 'number')
          expect(layout.widths[c.id], `${c.id} at ${width}`).toBe(c.width)
      }
      expect(leastWidth(layout.template), `at ${width}`).toBeLessThanOrEqual(width)
    }
  })

  it('fits any stored widths: the title keeps its least width, nothing overflows', () => {
    const everything = Object.fromEntries(IDS.map((id) => [id, true]))
    const huge = validWidths(Object.fromEntries(IDS.map((id) => [id, 1e6])), COLUMN_SPECS)
    for (let width = 260; width <= 2400; width += 10) {
      const layout = layoutColumns(asked(width, everything), huge, width)
      expect(layout.template, `at ${width}`).toMatch(
        new RegExp(`minmax\\(${titleMinWidth(width)}px, 1fr\\)`),
      )
      expect(leastWidth(layout.template), `at ${width}`).toBeLessThanOrEqual(width)
      expect(titleMinWidth(width)).toBe(Math.min(200, Math.round(width * 0.4)))
      // Every shown column keeps at least its least width while there is room for it.
      if (width >= 600) {
        for (const id of layout.shown) {
          const c = SPEC.get(id)!
          if (c.resize)
            expect(layout.widths[id] ?? c.resize.min, `${id} at ${width}`).toBeGreaterThanOrEqual(
              c.resize.min,
            )
        }
      }
    }
  })

  it('takes room from the widest first, then leaves out the rightmost columns, the sorted last', () => {
    const columns = ['starred', 'title', 'status', 'year', 'venue', 'doi'].map((id) =>
      SPEC.get(id)!,
    )
    // 400 px: the title keeps 160, the menu 28; 212 for the rest.
    const wide = layoutColumns(columns, { status: 200 }, 400)
    expect(wide.dropped).toEqual(['venue', 'doi'])
    expect(wide.widths.status).toBeLessThan(200)
    expect(wide.widths.year).toBeGreaterThanOrEqual(60)
    const sorted = layoutColumns(columns, {}, 400, ['doi', 'year'])
    expect(sorted.shown).toEqual(['starred', 'title', 'status', 'doi'])
    expect(sorted.dropped).toEqual(['year', 'venue'])
    // Roomy: the stored widths as they are, and the most each may take.
    const roomy = layoutColumns(columns, { status: 150, venue: 300 }, 1400)
    expect(roomy.dropped).toEqual([])
    expect(roomy.widths).toMatchObject({
      starred: 32,
      status: 150,
      year: 80,
      venue: 300,
      doi: null,
    })
    expect(roomy.template).toBe(
      `32px minmax(200px, 1fr) 150px 80px 300px minmax(60px, 0.3fr) ${MENU_TRACK}px`,
    )
    expect(roomy.maxWidths.status).toBe(200)
    expect(roomy.maxWidths.venue).toBe(
      Math.min(640, 1400 - MENU_TRACK - 200 - (32 + 150 + 80 + 60)),
    )
  })

  it('before the table is measured, lays out the widths as they are', () => {
    const columns = asked(Infinity)
    const layout = layoutColumns(columns, { status: 180 }, Infinity)
    expect(layout.dropped).toEqual([])
    expect(layout.widths.status).toBe(180)
    expect(layout.titleMin).toBe(0)
    expect(layout.maxWidths.status).toBe(SPEC.get('status')!.resize!.max)
  })
})
