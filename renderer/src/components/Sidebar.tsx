import { STATUSES, STATUS_LABELS } from '../../../shared/domain'
import type { LibraryStats, Status } from '../../../shared/domain'

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
    <nav className="sidebar" aria-label="Views">
      <ul>
        {views.map((view) => (
          <li key={view.key ?? 'all'}>
            <button
              type="button"
              className={`view${status === view.key ? ' active' : ''}`}
              aria-current={status === view.key ? 'true' : undefined}
              onClick={() => onStatus(view.key)}
            >
              <span className={view.key ? `dot status-${view.key}` : 'dot'} aria-hidden="true" />
              <span className="view-label">{view.label}</span>
              <span className="count">{view.count ?? ''}</span>
            </button>
          </li>
        ))}
      </ul>
      {stats && (
        <p className="library-path muted small" title={stats.path}>
          {stats.path}
        </p>
      )}
    </nav>
  )
}
