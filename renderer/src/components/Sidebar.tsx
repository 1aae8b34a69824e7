import { STATUSES, STATUS_LABELS } from '../../../shared/domain'
import type { ImportRecord, LibraryStats, Status } from '../../../shared/domain'
import { formatDate, formatDateTime } from '../format'
import { useImports } from '../hooks/queries'
import { classNames } from '../styles/classNames'
import statusStyles from '../styles/status.module.css'
import styles from './Sidebar.module.css'

interface Props {
  stats: LibraryStats | undefined
  status: Status | null
  onStatus: (status: Status | null) => void
  /** The import whose papers the table shows, if one is chosen. */
  importId: number | null
  onImport: (importId: number | null) => void
  /** Asks to undo an import (it is not undone yet). */
  onUndoImport: (record: ImportRecord) => void
}

/** How many recent imports the sidebar lists (`lectern imports` lists them all). */
const RECENT_IMPORTS = 8

export function Sidebar({ stats, status, onStatus, importId, onImport, onUndoImport }: Props) {
  const imports = useImports()
  const views: { key: Status | null; label: string; count: number | undefined }[] = [
    { key: null, label: 'All papers', count: stats?.total },
    ...STATUSES.map((s) => ({ key: s, label: STATUS_LABELS[s], count: stats?.byStatus[s] })),
  ]
  return (
    <nav className={styles.sidebar} aria-label="Views">
      <ul>
        {views.map((view) => (
          <li key={view.key ?? 'all'}>
            <button
              type="button"
              className={classNames(styles.view, status === view.key && styles.active)}
              aria-current={status === view.key ? 'true' : undefined}
              onClick={() => onStatus(view.key)}
            >
              <span
                className={classNames(styles.dot, view.key && statusStyles[view.key])}
                aria-hidden="true"
              />
              <span className={styles.label}>{view.label}</span>
              <span className={styles.count}>{view.count ?? ''}</span>
            </button>
          </li>
        ))}
      </ul>
      {imports.data && imports.data.length > 0 && (
        <>
          <h2 className={styles.heading} id="imports-heading">
            Imports
          </h2>
          <ul aria-labelledby="imports-heading">
            {imports.data.slice(0, RECENT_IMPORTS).map((i) => (
              <li key={i.id} className={classNames(styles.importItem, i.undoneAt && styles.undone)}>
                <button
                  type="button"
                  className={classNames(styles.view, importId === i.id && styles.active)}
                  aria-current={importId === i.id ? 'true' : undefined}
                  title={
                    `${i.source} (${i.format}${i.dumpDates.length ? `, dump of ${i.dumpDates.map(formatDate).join(', ')}` : ''}), imported ${formatDateTime(i.importedAt)}: ${i.added} added, ${i.duplicates} already in the library` +
                    (i.undoneAt ? ` — undone ${formatDateTime(i.undoneAt)}` : '') +
                    ' — click to show its papers, again to show all'
                  }
                  onClick={() => onImport(importId === i.id ? null : i.id)}
                >
                  <span className={styles.label}>{i.source}</span>
                  {i.undoneAt ? (
                    <span className={styles.undoneMark}>undone</span>
                  ) : (
                    <span className={styles.count}>{i.added + i.duplicates}</span>
                  )}
                </button>
                {!i.undoneAt && (
                  <button
                    type="button"
                    className={styles.undo}
                    aria-label={`Undo import of ${i.source}`}
                    title={`Undo import of ${i.source}…`}
                    onClick={() => onUndoImport(i)}
                  >
                    ↶
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {stats && (
        <p className={classNames(styles.path, 'muted', 'small')} title={stats.path}>
          {stats.path}
        </p>
      )}
    </nav>
  )
}
