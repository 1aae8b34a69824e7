// A name edited in place: Enter or leaving the field keeps it, Escape leaves it as it was.
import { useId, useRef, useState } from 'react'
import styles from '../components/Sidebar.module.css'

interface Props {
  initial: string
  /** The field's accessible name ("Name of the view “To read ML”"). */
  label: string
  maxLength: number
  /** Why a name cannot be taken, or null when it can. */
  problem: (name: string) => string | null
  /** The new name, or null when nothing is to change. */
  onDone: (name: string | null) => void
}

export function RenameField({ initial, label, maxLength, problem, onDone }: Props) {
  const [name, setName] = useState(initial)
  const errorId = useId()
  const trimmed = name.trim()
  const refusal = trimmed === initial ? null : trimmed ? problem(trimmed) : 'Give it a name.'
  // Enter ends the edit and the field goes, which may blur it too: the edit ends once.
  const ended = useRef(false)
  const end = (name: string | null): void => {
    if (ended.current) return
    ended.current = true
    onDone(name)
  }
  const finish = (keep: boolean): void => {
    if (!keep || trimmed === initial) end(null)
    else if (!refusal) end(trimmed)
  }
  return (
    <>
      <input
        className={styles.rename}
        type="text"
        value={name}
        maxLength={maxLength}
        aria-label={label}
        aria-invalid={refusal ? true : undefined}
        aria-describedby={refusal ? errorId : undefined}
        // The field takes the place of the button the user chose Rename for.
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            finish(true)
          } else if (e.key === 'Escape') {
            e.preventDefault()
            e.stopPropagation()
            finish(false)
          }
        }}
        // Leaving the field keeps a name that can be kept, and drops one that cannot.
        onBlur={() => (refusal ? end(null) : finish(true))}
      />
      {refusal && (
        <p id={errorId} className={`${styles.renameError} error`} role="alert">
          {refusal}
        </p>
      )}
    </>
  )
}
