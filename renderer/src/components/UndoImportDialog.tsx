import type { ImportRecord } from '../../../shared/domain'
import { ConfirmDialog } from './ConfirmDialog'

interface Props {
  record: ImportRecord
  busy: boolean
  error: string | null
  onConfirm: () => void
  onClose: () => void
}

/** Undoing an import asks first; Enter confirms, Escape cancels. */
export function UndoImportDialog({ record, busy, error, onConfirm, onClose }: Props) {
  const added =
    record.added === 1
      ? 'The paper it added'
      : `The ${record.added.toLocaleString()} papers it added`
  return (
    <ConfirmDialog
      label="Undo import"
      title={<>Undo import of {record.source}?</>}
      confirm="Undo import"
      busy={busy}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <p>
        {added} will be removed, unless you have given {record.added === 1 ? 'it' : 'them'} a status
        or a note
        {record.updated > 0
          ? '; fields it filled in are emptied again (or given the value another import had).'
          : '.'}
      </p>
      {error && (
        <p className="error" role="alert">
          Not undone: {error}
        </p>
      )}
    </ConfirmDialog>
  )
}
