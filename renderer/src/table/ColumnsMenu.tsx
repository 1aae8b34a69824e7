// The Columns menu: which of the optional columns (authors, dates, year, venue, arXiv id, DOI)
// the table shows, and in what order (Move up / Move down, for the keyboard; dragging a header
// does the same with the pointer). The choices are kept in this browser's storage, per
// installation.
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { ColumnChoices } from './paperColumns'
import { columnName, paperColumns } from './paperColumns'
import { PINNED_COLUMN, moveColumn } from './columnLayout'
import styles from './ColumnsMenu.module.css'

const STORAGE_KEY = 'lectern.columns'

/** The user's column choices, kept across restarts (storage may be missing or refuse). */
export function useColumnChoices(): [ColumnChoices, (id: string, shown: boolean) => void] {
  const [choices, setChoices] = useState<ColumnChoices>(() => {
    try {
      const stored: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}')
      return stored && typeof stored === 'object' ? (stored as ColumnChoices) : {}
    } catch {
      return {}
    }
  })
  const choose = (id: string, shown: boolean): void => {
    setChoices((current) => {
      const next = { ...current, [id]: shown }
      try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next))
      } catch {
        // Not kept across restarts; shown for now all the same.
      }
      return next
    })
  }
  return [choices, choose]
}

const BY_ID = new Map(paperColumns.map((c) => [c.id!, c]))

interface Props {
  /** Whether each column is to show: the user's choice, else its default. */
  chosen: Record<string, boolean>
  /** Columns chosen that the table has no room for at its width now. */
  noRoom: readonly string[]
  onChoose: (id: string, shown: boolean) => void
  /** Every column, in the table's order. */
  order: readonly string[]
  onOrder: (order: string[]) => void
  /** Widths and order back to the defaults. */
  onReset: () => void
}

export function ColumnsMenu({ chosen, noRoom, onChoose, order, onOrder, onReset }: Props) {
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  // After a move the row is elsewhere: the keyboard stays on its button (or, at an end, the other).
  const refocus = useRef<{ id: string; delta: -1 | 1 } | null>(null)
  useLayoutEffect(() => {
    const want = refocus.current
    refocus.current = null
    if (!want || !root.current) return
    const button = (delta: number) =>
      root.current!.querySelector<HTMLButtonElement>(
        `button[data-move="${want.id}"][data-delta="${delta}"]`,
      )
    const same = button(want.delta)
    ;(same && !same.disabled ? same : button(-want.delta))?.focus()
  }, [order])
  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent | KeyboardEvent): void => {
      if (event instanceof KeyboardEvent) {
        if (event.key !== 'Escape') return
        event.stopPropagation()
        root.current?.querySelector('button')?.focus()
      } else if (root.current?.contains(event.target as Node)) {
        return
      }
      setOpen(false)
    }
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', close, true)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', close, true)
    }
  }, [open])
  const move = (id: string, delta: -1 | 1): void => {
    refocus.current = { id, delta }
    onOrder(moveColumn(order, id, delta))
  }
  return (
    <div className={styles.menu} ref={root} role="columnheader" aria-label="Columns">
      <button
        type="button"
        className={styles.toggle}
        aria-expanded={open}
        aria-haspopup="true"
        title="Columns"
        aria-label="Columns"
        onClick={() => setOpen(!open)}
      >
        ⋮
      </button>
      {open && (
        <fieldset className={styles.panel}>
          <legend className={styles.legend}>Show and order columns</legend>
          <ul className={styles.list}>
            {order.map((id, index) => {
              const column = BY_ID.get(id)
              if (!column) return null
              const name = columnName(column)
              const optional = !!column.meta?.optional
              const pinned = id === PINNED_COLUMN
              return (
                <li key={id} className={styles.option}>
                  <label
                    className={styles.label}
                    title={optional ? undefined : `${name} is always shown`}
                  >
                    <input
                      type="checkbox"
                      checked={optional ? (chosen[id] ?? false) : true}
                      disabled={!optional}
                      onChange={(event) => onChoose(id, event.target.checked)}
                    />
                    {name}
                    {noRoom.includes(id) && (
                      <span className={styles.noRoom} title="The table is too narrow for it now">
                        {' '}
                        (no room)
                      </span>
                    )}
                  </label>
                  {pinned ? (
                    <span className={styles.pinned}>stays first</span>
                  ) : (
                    <span className={styles.moves}>
                      {([-1, 1] as const).map((delta) => {
                        const up = delta === -1
                        const blocked = up
                          ? index === 0 || order[index - 1] === PINNED_COLUMN
                          : index === order.length - 1
                        return (
                          <button
                            key={delta}
                            type="button"
                            className={styles.move}
                            data-move={id}
                            data-delta={delta}
                            aria-label={`Move ${name} ${up ? 'up' : 'down'}`}
                            title={
                              up ? 'Move up (left in the table)' : 'Move down (right in the table)'
                            }
                            disabled={blocked}
                            onClick={() => move(id, delta)}
                          >
                            {up ? '↑' : '↓'}
                          </button>
                        )
                      })}
                    </span>
                  )}
                </li>
              )
            })}
          </ul>
          <button type="button" className={styles.reset} onClick={onReset}>
            Reset widths and order
          </button>
        </fieldset>
      )}
    </div>
  )
}
