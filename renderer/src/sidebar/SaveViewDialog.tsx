// Save this view…: the table's search and filters kept under a name, as a smart view.
import { NameDialog } from './NameDialog'
import { MAX_VIEW_NAME } from './SavedViewItem'
import { describeFilters, suggestedName } from './viewFilters'
import type { ViewFilters } from './viewFilters'

interface Props {
  filters: ViewFilters
  nameProblem: (name: string) => string | null
  busy: boolean
  error: string | null
  onSave: (name: string) => void
  onClose: () => void
}

export function SaveViewDialog({ filters, nameProblem, busy, error, onSave, onClose }: Props) {
  return (
    <NameDialog
      title="Save this view"
      field="Name"
      initial={suggestedName(filters)}
      maxLength={MAX_VIEW_NAME}
      confirm={() => 'Save'}
      problem={nameProblem}
      busy={busy}
      error={error}
      onConfirm={onSave}
      onClose={onClose}
    >
      <p>
        Shows <strong>{describeFilters(filters)}</strong>.
      </p>
      <p className="muted">
        It keeps the search and the filters, not a list of papers: papers that match later appear in
        it too.
        {filters.importId !== null && ' The filter by import is not kept.'}
      </p>
    </NameDialog>
  )
}
