import { usePaper } from '../hooks/queries'
import { ConfirmDialog } from './ConfirmDialog'

interface Props {
  /** The papers to delete: one (named), or several (counted). */
  ids: number[]
  onConfirm: () => void
  onClose: () => void
}

/** Deleting asks first; Enter confirms, Escape cancels. Undo stays possible afterwards. */
export function ConfirmDeleteDialog({ ids, onConfirm, onClose }: Props) {
  const one = ids.length === 1
  const paper = usePaper(one ? ids[0]! : null)
  return (
    <ConfirmDialog
      label={one ? 'Delete paper' : 'Delete papers'}
      title={one ? 'Delete this paper?' : `Delete ${ids.length.toLocaleString()} papers?`}
      confirm="Delete"
      onConfirm={onConfirm}
      onClose={onClose}
    >
      {one && (
        <p>
          <strong>{paper.data?.title ?? '…'}</strong>
        </p>
      )}
      <p className="muted">
        {one
          ? 'Its note and status history go with it.'
          : 'Their notes and status histories go with them.'}{' '}
        You can undo this right after (Ctrl+Z).
      </p>
    </ConfirmDialog>
  )
}
