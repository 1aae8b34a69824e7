import { usePaper } from '../hooks/queries'
import { ConfirmDialog } from './ConfirmDialog'

interface Props {
  id: number
  onConfirm: () => void
  onClose: () => void
}

/** Deleting asks first; Enter confirms, Escape cancels. Undo stays possible afterwards. */
export function ConfirmDeleteDialog({ id, onConfirm, onClose }: Props) {
  const paper = usePaper(id)
  return (
    <ConfirmDialog
      label="Delete paper"
      title="Delete this paper?"
      confirm="Delete"
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <p>
        <strong>{paper.data?.title ?? '…'}</strong>
      </p>
      <p className="muted">
        Its note and status history go with it. You can undo this right after (Ctrl+Z).
      </p>
    </ConfirmDialog>
  )
}
