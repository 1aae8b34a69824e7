// A name asked for in a small dialog (save a view, rename a tag): Enter confirms, Escape cancels.
// What the name will do is said under the field as it is typed.
import { useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { useModalDialog } from '../hooks/useModalDialog'
import buttonStyles from '../styles/button.module.css'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import styles from './NameDialog.module.css'

interface Props {
  /** The dialog's accessible name and heading ("Save this view"). */
  title: string
  /** The field's label ("Name"). */
  field: string
  initial: string
  maxLength: number
  /** The confirming button's text for this name ("Save", "Merge"). */
  confirm: (name: string) => string
  /** Why this name cannot be taken, or null when it can. */
  problem?: (name: string) => string | null
  /** What the name will do, said under the field. */
  hint?: (name: string) => ReactNode
  busy?: boolean
  /** A refusal from the library, shown until the name changes. */
  error?: string | null
  onConfirm: (name: string) => void
  onClose: () => void
  children?: ReactNode
}

export function NameDialog({
  title,
  field,
  initial,
  maxLength,
  confirm,
  problem,
  hint,
  busy,
  error,
  onConfirm,
  onClose,
  children,
}: Props) {
  const [name, setName] = useState(initial)
  // Problems are said once the user has typed; a refusal stays while the name it was for does.
  const [edited, setEdited] = useState(false)
  const [submitted, setSubmitted] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const ref = useModalDialog(input)
  const trimmed = name.trim()
  // While saving, the list the name is checked against may already hold it: no refusal then.
  const refusal = busy ? null : trimmed ? (problem?.(trimmed) ?? null) : 'Give it a name.'
  const shownError = edited ? refusal : error && submitted === trimmed ? error : null
  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.dialog)}
      aria-label={title}
      onClose={onClose}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault()
          if (refusal || busy) return
          setSubmitted(trimmed)
          onConfirm(trimmed)
        }}
      >
        <h2>{title}</h2>
        {children}
        <label className={styles.field}>
          <span>{field}</span>
          <input
            ref={input}
            type="text"
            value={name}
            maxLength={maxLength}
            onFocus={(e) => e.currentTarget.select()}
            onChange={(e) => {
              setName(e.target.value)
              setEdited(true)
            }}
            aria-invalid={shownError ? true : undefined}
            aria-describedby="name-dialog-hint"
          />
        </label>
        <p id="name-dialog-hint" className={styles.hint} aria-live="polite">
          {shownError ? <span className="error">{shownError}</span> : (hint?.(trimmed) ?? '')}
        </p>
        <div className={dialogStyles.buttons}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={buttonStyles.primary} disabled={busy || !!refusal}>
            {confirm(trimmed)}
          </button>
        </div>
      </form>
    </dialog>
  )
}
