import { useRef } from 'react'
import { useModalDialog } from '../hooks/useModalDialog'
import { usePaper } from '../hooks/queries'
import buttonStyles from '../styles/button.module.css'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import styles from './ConfirmDeleteDialog.module.css'

interface Props {
  id: number
  onConfirm: () => void
  onClose: () => void
}

/** Deleting asks first; Enter confirms, Escape cancels. Undo stays possible afterwards. */
export function ConfirmDeleteDialog({ id, onConfirm, onClose }: Props) {
  // Enter confirms: the focus goes to Delete, not to the first button (Cancel).
  const confirm = useRef<HTMLButtonElement>(null)
  const ref = useModalDialog(confirm)
  const paper = usePaper(id)
  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.dialog)}
      aria-label="Delete paper"
      onClose={onClose}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault()
          onConfirm()
        }}
      >
        <h2>Delete this paper?</h2>
        <p>
          <strong>{paper.data?.title ?? '…'}</strong>
        </p>
        <p className="muted">
          Its note and status history go with it. You can undo this right after (Ctrl+Z).
        </p>
        <div className={dialogStyles.buttons}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={buttonStyles.danger} ref={confirm}>
            Delete
          </button>
        </div>
      </form>
    </dialog>
  )
}
