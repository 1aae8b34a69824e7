// A row's actions (rename, move, delete), behind a ⋯ button that shows them under the row: in a
// narrow sidebar that scrolls, a row of buttons that opens in place is never cut off, and Tab
// reaches each. Escape closes them and gives the focus back to the ⋯ button.
import { useId, useRef } from 'react'
import type { ReactNode } from 'react'
import { useReadOnly } from '../hooks/useReadOnly'
import styles from '../components/Sidebar.module.css'

interface Props {
  /** What the actions act on, for people using a screen reader: `view “To read ML”`. */
  name: string
  open: boolean
  onOpen: (open: boolean) => void
  children: ReactNode
}

export function RowActions({ name, open, onOpen, children }: Props) {
  const id = useId()
  const toggle = useRef<HTMLButtonElement>(null)
  // Every row action (rename, move, delete) changes the library.
  const readOnly = useReadOnly()
  if (readOnly) return null
  return (
    <>
      <button
        ref={toggle}
        type="button"
        className={styles.side}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={`Actions for ${name}`}
        title={`Actions for ${name}`}
        onClick={() => onOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            e.stopPropagation()
            onOpen(false)
          }
        }}
      >
        ⋯
      </button>
      {open && (
        <div
          id={id}
          role="group"
          aria-label={`Actions for ${name}`}
          className={styles.actions}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return
            e.stopPropagation()
            onOpen(false)
            toggle.current?.focus()
          }}
        >
          {children}
        </div>
      )}
    </>
  )
}
