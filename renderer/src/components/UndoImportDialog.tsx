import { useRef } from 'react'
import type { ImportRecord } from '../../../shared/domain'
import { useModalDialog } from '../hooks/useModalDialog'
import buttonStyles from '../styles/button.module.css'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import styles from './UndoImportDialog.module.css'

interface Props {
  record: ImportRecord
  busy: boolean
  error: string | null
  onConfirm: () => void
  onClose: () => void
}

/** Undoing an import asks first; Enter confirms, Escape cancels. */
export function UndoImportDialog({ record, busy, error, onConfirm, onClose }: Props) {
  const confirm = useRef<HTMLButtonElement>(null)
  const ref = useModalDialog(confirm)
  const added =
    record.added === 1
      ? 'The paper it added'
      : `The ${record.added.toLocaleString()} papers it added`
  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.dialog)}
      aria-label="Undo import"
      onClose={onClose}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault()
          onConfirm()
        }}
      >
        <h2>Undo import of {record.source}?</h2>
        <p>
          {added} will be removed, unless you have given {record.added === 1 ? 'it' : 'them'} a
          status or a note
          {record.updated > 0
            ? '; fields it filled in are emptied again (or given the value another import had).'
            : '.'}
        </p>
        {error && (
          <p className="error" role="alert">
            Not undone: {error}
          </p>
        )}
        <div className={dialogStyles.buttons}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={buttonStyles.danger} ref={confirm} disabled={busy}>
            Undo import
          </button>
        </div>
      </form>
    </dialog>
  )
}
