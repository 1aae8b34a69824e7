// Delete a tag from every paper: says how many first; undo puts it back.
import type { TagInfo } from '../../../shared/domain'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { papers } from './viewFilters'

interface Props {
  tag: TagInfo
  busy: boolean
  error: string | null
  onConfirm: () => void
  onClose: () => void
}

export function DeleteTagDialog({ tag, busy, error, onConfirm, onClose }: Props) {
  return (
    <ConfirmDialog
      label="Delete tag"
      title={`Delete the tag “${tag.name}”?`}
      confirm="Delete tag"
      busy={busy}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <p>
        It comes off <strong>{papers(tag.count)}</strong>. The papers stay, with their notes and
        status.
      </p>
      <p className="muted">You can undo this right after.</p>
      {error && (
        <p className="error" role="alert">
          Not deleted: {error}
        </p>
      )}
    </ConfirmDialog>
  )
}
