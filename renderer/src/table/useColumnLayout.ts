// The columns' widths and order as the user left them, kept in this browser's storage and
// checked when read back (a column gone, a new one, a width out of bounds).
import { useCallback, useState } from 'react'
import { paperColumns } from './paperColumns'
import { validOrder, validWidths } from './columnLayout'
import type { ColumnSpec, ColumnWidths } from './columnLayout'

export const WIDTHS_KEY = 'lectern.columnWidths'
export const ORDER_KEY = 'lectern.columnOrder'

/** Every column as the layout sees it, in the default order. */
export const COLUMN_SPECS: ColumnSpec[] = paperColumns.map((c) => ({
  id: c.id!,
  width: c.meta!.width,
  resize: c.meta!.resize,
  optional: c.meta!.optional,
}))

const IDS = COLUMN_SPECS.map((c) => c.id)

function read<T>(key: string, valid: (stored: unknown) => T): T {
  try {
    return valid(JSON.parse(window.localStorage.getItem(key) ?? 'null'))
  } catch {
    // Storage refused or held something else.
    return valid(null)
  }
}

function write(key: string, value: unknown): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // Not kept across restarts; the table works all the same.
  }
}

export interface ColumnLayoutState {
  widths: ColumnWidths
  order: string[]
  /**
   * Gives a column a width (px, within its bounds); `keep` stores it (a drag stores where it
   * ends, not every step on the way).
   */
  setWidth: (id: string, width: number, keep: boolean) => void
  /** Back to the column's default width. */
  resetWidth: (id: string) => void
  setOrder: (order: string[]) => void
  /** Every width and the order back to the defaults. */
  reset: () => void
}

export function useColumnLayout(): ColumnLayoutState {
  const [widths, setWidths] = useState<ColumnWidths>(() =>
    read(WIDTHS_KEY, (s) => validWidths(s, COLUMN_SPECS)),
  )
  const [order, setOrderState] = useState<string[]>(() =>
    read(ORDER_KEY, (s) => validOrder(s, IDS)),
  )
  const setWidth = useCallback((id: string, width: number, keep: boolean) => {
    setWidths((current) => {
      const next = validWidths({ ...current, [id]: width }, COLUMN_SPECS)
      if (keep) write(WIDTHS_KEY, next)
      return next
    })
  }, [])
  const resetWidth = useCallback((id: string) => {
    setWidths((current) => {
      const { [id]: _gone, ...next } = current
      write(WIDTHS_KEY, next)
      return next
    })
  }, [])
  const setOrder = useCallback((next: string[]) => {
    const valid = validOrder(next, IDS)
    write(ORDER_KEY, valid)
    setOrderState(valid)
  }, [])
  const reset = useCallback(() => {
    write(WIDTHS_KEY, {})
    write(ORDER_KEY, IDS)
    setWidths({})
    setOrderState(validOrder(null, IDS))
  }, [])
  return { widths, order, setWidth, resetWidth, setOrder, reset }
}
