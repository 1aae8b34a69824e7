// The table's columns laid out: the order and widths the user chose (checked when read back from
// storage), fitted to the table's width so that the title always keeps room to be read. Pure, so
// that the rules are tested without a browser.
import type { ColumnWidth } from './paperColumns'

/** The column that stays first: the star is a control of its row, like a checkbox column. */
export const PINNED_COLUMN = 'starred'

/** The last track: the Columns menu. */
export const MENU_TRACK = 28

/** The title's least width (px): less on a very narrow table, where it has 40% of it. */
export const TITLE_MIN = 200

/** A column as the layout needs it (from its definition in paperColumns.tsx). */
export interface ColumnSpec {
  id: string
  width: ColumnWidth
  /** Absent for the title, which takes the room left. */
  resize?: { min: number; max: number }
  /** The user may hide it (and so the layout may leave it out when there is no room). */
  optional?: boolean
}

/** Widths the user gave columns (px), by id; the others have their default. */
export type ColumnWidths = Record<string, number>

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n))

/** Stored widths that still make sense: known resizable columns, numbers, within bounds. */
export function validWidths(stored: unknown, columns: readonly ColumnSpec[]): ColumnWidths {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {}
  const out: ColumnWidths = {}
  for (const c of columns) {
    const value = (stored as Record<string, unknown>)[c.id]
    if (c.resize && typeof value === 'number' && Number.isFinite(value)) {
      out[c.id] = Math.round(clamp(value, c.resize.min, c.resize.max))
    }
  }
  return out
}

/**
 * A stored order that still makes sense: unknown ids and repeats dropped, columns it does not
 * name (new ones) appended, the pinned column first.
 */
export function validOrder(stored: unknown, ids: readonly string[]): string[] {
  const order: string[] = []
  if (Array.isArray(stored)) {
    for (const id of stored) {
      if (typeof id === 'string' && ids.includes(id) && !order.includes(id)) order.push(id)
    }
  }
  for (const id of ids) if (!order.includes(id)) order.push(id)
  return ids.includes(PINNED_COLUMN)
    ? [PINNED_COLUMN, ...order.filter((id) => id !== PINNED_COLUMN)]
    : order
}

/** The order with a column moved one place up (-1) or down (+1); the pinned column stays. */
export function moveColumn(order: readonly string[], id: string, delta: -1 | 1): string[] {
  const from = order.indexOf(id)
  const to = from + delta
  if (from === -1 || id === PINNED_COLUMN || to < 0 || to >= order.length) return [...order]
  if (order[to] === PINNED_COLUMN) return [...order]
  const next = [...order]
  next[from] = order[to]!
  next[to] = id
  return next
}

/** The order with a column put just before or just after another. */
export function placeColumn(
  order: readonly string[],
  id: string,
  target: { before: string } | { after: string },
): string[] {
  const anchor = 'before' in target ? target.before : target.after
  if (id === anchor || id === PINNED_COLUMN || !order.includes(id) || !order.includes(anchor)) {
    return [...order]
  }
  const rest = order.filter((c) => c !== id)
  const at = rest.indexOf(anchor) + ('before' in target ? 0 : 1)
  // Nothing goes before the pinned column.
  const index = rest[0] === PINNED_COLUMN ? Math.max(1, at) : at
  return [...rest.slice(0, index), id, ...rest.slice(index)]
}

/** The columns of a table this wide, laid out. */
export interface Layout {
  /** The grid's tracks, for the header and every row alike (the Columns menu's last). */
  template: string
  /** The columns shown, in order. */
  shown: string[]
  /** The columns asked for that the table has no room for. */
  dropped: string[]
  /** Each shown column's width as laid out (px); null for a share of the room (as wide as it falls). */
  widths: Record<string, number | null>
  /** The most each resizable shown column may take now (px): its bound, or the room there is. */
  maxWidths: Record<string, number>
  /** The title's least width now (px). */
  titleMin: number
}

/** The title's least width on a table this wide. */
export function titleMinWidth(tableWidth: number): number {
  return Number.isFinite(tableWidth) ? Math.min(TITLE_MIN, Math.round(tableWidth * 0.4)) : 0
}

/**
 * Lays out the columns asked for (in order) on a table `tableWidth` px wide. Each column but the
 * title has the width the user gave it, else its default; a share (fr) keeps its least width as
 * a floor. When they do not all fit beside the title's least width, the wider ones give up room
 * first (down to their least widths); then optional columns are left out, the rightmost first,
 * the columns of the sort last (its last key first); and only on a table too narrow even for
 * what is left does every column narrow alike. So the title is never squeezed out and nothing
 * overflows, whatever widths were stored.
 */
export function layoutColumns(
  columns: readonly ColumnSpec[],
  stored: ColumnWidths,
  tableWidth: number,
  /** The columns of the sort, first key first: kept while others can make room. */
  sortedBy: readonly string[] = [],
): Layout {
  const titleMin = titleMinWidth(tableWidth)
  const room = tableWidth - MENU_TRACK - titleMin
  const least = (c: ColumnSpec): number => c.resize?.min ?? 0
  const others = (list: readonly ColumnSpec[]) => list.filter((c) => c.resize)

  let shown = [...columns]
  const dropped: string[] = []
  const sum = (list: readonly ColumnSpec[], f: (c: ColumnSpec) => number) =>
    list.reduce((n, c) => n + f(c), 0)
  const droppable = (c: ColumnSpec): boolean => !!c.optional && !!c.resize && c.id !== PINNED_COLUMN
  const rank = (c: ColumnSpec): number => sortedBy.indexOf(c.id)
  while (sum(others(shown), least) > room) {
    const unsorted = shown.findLast((c) => droppable(c) && rank(c) === -1)
    const sorted = shown
      .filter((c) => droppable(c) && rank(c) !== -1)
      .sort((a, b) => rank(b) - rank(a))[0]
    const last = unsorted ?? sorted
    if (!last) break
    dropped.unshift(last.id)
    shown = shown.filter((c) => c !== last)
  }

  // What each wants: the user's width, its default in px, or (a share) its floor.
  const size = new Map<string, number>()
  for (const c of others(shown)) {
    const chosen = stored[c.id]
    const wanted = chosen ?? (typeof c.width === 'number' ? c.width : least(c))
    size.set(c.id, clamp(wanted, least(c), c.resize!.max))
  }
  const total = [...size.values()].reduce((a, b) => a + b, 0)
  if (total > room) {
    const slack = others(shown).map((c) => size.get(c.id)! - least(c))
    const slackTotal = slack.reduce((a, b) => a + b, 0)
    const excess = total - room
    if (slackTotal >= excess) {
      // The wider a column is beyond its least, the more it gives.
      others(shown).forEach((c, i) => {
        size.set(c.id, Math.floor(size.get(c.id)! - (excess * slack[i]!) / slackTotal))
      })
    } else {
      const scale = Math.max(0, room) / sum(others(shown), least)
      for (const c of others(shown)) size.set(c.id, Math.floor(least(c) * scale))
    }
  }

  const fixed = (c: ColumnSpec): boolean =>
    stored[c.id] !== undefined || typeof c.width === 'number'
  const used = [...size.values()].reduce((a, b) => a + b, 0)
  const widths: Record<string, number | null> = {}
  const maxWidths: Record<string, number> = {}
  const tracks = shown.map((c) => {
    if (!c.resize) {
      const fr = typeof c.width === 'number' ? 1 : c.width.fr
      return `minmax(${titleMin}px, ${fr}fr)`
    }
    const px = size.get(c.id)!
    maxWidths[c.id] = Math.max(px, Math.min(c.resize.max, Math.floor(room - (used - px))))
    if (fixed(c)) {
      widths[c.id] = px
      return `${px}px`
    }
    widths[c.id] = null
    return `minmax(${px}px, ${(c.width as { fr: number }).fr}fr)`
  })
  return {
    template: [...tracks, `${MENU_TRACK}px`].join(' '),
    shown: shown.map((c) => c.id),
    dropped,
    widths,
    maxWidths,
    titleMin,
  }
}
