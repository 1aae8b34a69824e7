import { STATUS_LABELS } from '../../../shared/domain'
import type { Paper } from '../../../shared/domain'
import { formatDate, formatDateTime } from '../format'
import { classNames } from '../styles/classNames'
import statusStyles from '../styles/status.module.css'
import styles from './StatusHistory.module.css'

/** The calendar day `iso` (a timestamp) falls on where the reader is, as YYYY-MM-DD. */
function localDay(iso: string): string | null {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return null
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/**
 * Every change of status, oldest first as the library keeps them: "Read · 3 Oct 2026", the time
 * on hover.
 */
export function StatusHistory({ history }: { history: Paper['statusHistory'] }) {
  if (history.length === 0) return null
  return (
    <ol className={styles.history} aria-label="Status history" data-testid="status-history">
      {history.map((change, i) => (
        <li key={i} className={classNames(statusStyles.dotted, statusStyles[change.status])}>
          {STATUS_LABELS[change.status]} ·{' '}
          <time dateTime={change.at} title={formatDateTime(change.at)}>
            {formatDate(localDay(change.at) ?? change.at)}
          </time>
        </li>
      ))}
    </ol>
  )
}
