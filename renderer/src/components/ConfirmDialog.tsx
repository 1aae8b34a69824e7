// A question before something that changes the library (delete, undo an import): Enter
// confirms, Escape cancels. The focus starts on the confirming button, not on Cancel.
import { useRef } from 'react'
import type { ReactNode } from 'react'
import { useModalDialog } from '../hooks/useModalDialog'
import buttonStyles from '../styles/button.module.css'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import styles from './ConfirmDialog.module.css'

interface Props {
  /** The dialog's accessible name ("Delete paper"). */
  label: string
  title: ReactNode
  /** The confirming button's text. */
  confirm: string
  busy?: boolean
  children: ReactNode
  onConfirm: () => void
  onClose: () => void
}

export function ConfirmDialog({
  label,
  title,
  confirm,
  busy,
  children,
  onConfirm,
  onClose,
}: Props) {
  const confirmButton = useRef<HTMLButtonElement>(null)
  const ref = useModalDialog(confirmButton)
  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.dialog)}
      aria-label={label}
      onClose={onClose}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault()
          onConfirm()
        }}
      >
        <h2>{title}</h2>
        {children}
        <div className={dialogStyles.buttons}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={buttonStyles.danger} ref={confirmButton} disabled={busy}>
            {confirm}
          </button>
        </div>
      </form>
    </dialog>
  )
}
