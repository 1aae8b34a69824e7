// The Columns menu: which of the optional columns (authors, dates, year, venue, arXiv id, DOI)
// the table shows. The choice is kept in this browser's storage, per installation.
import { useEffect, useRef, useState } from 'react'
import type { ColumnChoices } from './paperColumns'
import { paperColumns } from './paperColumns'
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

interface Props {
  visible: Record<string, boolean>
  onChoose: (id: string, shown: boolean) => void
}

export function ColumnsMenu({ visible, onChoose }: Props) {
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
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
          <legend className={styles.legend}>Show columns</legend>
          {paperColumns
            .filter((c) => c.meta?.optional)
            .map((c) => (
              <label key={c.id} className={styles.option}>
                <input
                  type="checkbox"
                  checked={visible[c.id!] ?? false}
                  onChange={(event) => onChoose(c.id!, event.target.checked)}
                />
                {typeof c.header === 'string' ? c.header : c.id}
              </label>
            ))}
        </fieldset>
      )}
    </div>
  )
}
