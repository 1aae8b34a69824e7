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
    <div className="toast" role="status" data-testid="toast">
      <span className="toast-message">{message}</span>
      {onUndo && (
        <button type="button" onClick={onUndo} disabled={busy} title="Undo (Ctrl+Z)">
          Undo
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  )
}
