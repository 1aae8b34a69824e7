import buttonStyles from '../styles/button.module.css'
import styles from './UndoToast.module.css'

interface Props {
  message: string
  /** Present while the change can still be undone. */
  onUndo?: () => void
  busy?: boolean
  onDismiss: () => void
}

/** What just happened, with a way back (Ctrl/⌘+Z does the same). */
export function UndoToast({ message, onUndo, busy, onDismiss }: Props) {
  return (
    <div className={styles.toast} role="status" data-testid="toast">
      <span className={styles.message}>{message}</span>
      {onUndo && (
        <button type="button" onClick={onUndo} disabled={busy} title="Undo (Ctrl+Z)">
          Undo
        </button>
      )}
      <button type="button" className={buttonStyles.icon} aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  )
}
