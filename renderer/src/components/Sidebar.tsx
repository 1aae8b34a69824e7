import { STATUSES, STATUS_LABELS } from '../../../shared/domain'
import type { LibraryStats, Status } from '../../../shared/domain'
import { classNames } from '../styles/classNames'
import statusStyles from '../styles/status.module.css'
import styles from './Sidebar.module.css'

interface Props {
  stats: LibraryStats | undefined
  status: Status | null
  onStatus: (status: Status | null) => void
}

export function Sidebar({ stats, status, onStatus }: Props) {
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
      {stats && (
        <p className={classNames(styles.path, 'muted', 'small')} title={stats.path}>
          {stats.path}
        </p>
      )}
    </nav>
  )
}
