// The recent imports: each shows the papers it brought (again: all papers), and can be undone
// (not what sync brought: undone here, those papers would be deleted on every computer).
import { isSyncImport } from '../../../shared/domain'
import type { ImportRecord } from '../../../shared/domain'
import { formatDate, formatDateTime } from '../format'
import { useImports } from '../hooks/queries'
import { useReadOnly } from '../hooks/useReadOnly'
import { classNames } from '../styles/classNames'
import styles from '../components/Sidebar.module.css'
import { ViewButton } from './ViewButton'
import { ALL_PAPERS, importKey, importView } from './viewFilters'
import type { ViewFilters } from './viewFilters'

/** How many recent imports the sidebar lists (`lectern imports` lists them all). */
const RECENT_IMPORTS = 8

interface Props {
  current: string | null
  onView: (filters: ViewFilters) => void
  /** Asks to undo an import (it is not undone yet). */
  onUndoImport: (record: ImportRecord) => void
}

function describe(i: ImportRecord): string {
  const dates = i.dumpDates.length ? `, dump of ${i.dumpDates.map(formatDate).join(', ')}` : ''
  return (
    `${i.source} (${i.format}${dates}), imported ${formatDateTime(i.importedAt)}: ` +
    `${i.added} added, ${i.duplicates} already in the library` +
    (i.undoneAt ? ` — undone ${formatDateTime(i.undoneAt)}` : '') +
    ' — click to show its papers, again to show all'
  )
}

export function ImportViews({ current, onView, onUndoImport }: Props) {
  const imports = useImports()
  const readOnly = useReadOnly()
  if (!imports.data || imports.data.length === 0) return null
  return (
    <>
      <h2 className={styles.heading} id="imports-heading">
        Imports
      </h2>
      <ul aria-labelledby="imports-heading">
        {imports.data.slice(0, RECENT_IMPORTS).map((i) => {
          const shown = current === importKey(i.id)
          return (
            <li key={i.id} className={classNames(styles.item, i.undoneAt && styles.undone)}>
              <ViewButton
                label={i.source}
                icon={null}
                count={
                  i.undoneAt ? (
                    <span className={styles.undoneMark}>undone</span>
                  ) : (
                    i.added + i.duplicates
                  )
                }
                current={shown}
                title={describe(i)}
                onClick={() => onView(shown ? ALL_PAPERS : importView(i.id))}
              />
              {!i.undoneAt && !readOnly && !isSyncImport(i) && (
                <button
                  type="button"
                  className={classNames(styles.side, styles.undo)}
                  aria-label={`Undo import of ${i.source}`}
                  title={`Undo import of ${i.source}…`}
                  onClick={() => onUndoImport(i)}
                >
                  ↶
                </button>
              )}
            </li>
          )
        })}
      </ul>
    </>
  )
}
