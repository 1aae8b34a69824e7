import { STATUSES, STATUS_LABELS } from '../../../shared/domain'
import type { Status } from '../../../shared/domain'
import { classNames } from '../styles/classNames'
import statusStyles from '../styles/status.module.css'
import styles from './StatusPicker.module.css'

interface Props {
  value: Status
  onChange: (status: Status) => void
  disabled?: boolean
}

/** The reading status as a row of buttons; keys 1–5 choose them too (see App). */
export function StatusPicker({ value, onChange, disabled }: Props) {
  return (
    <div className={styles.picker} role="radiogroup" aria-label="Reading status">
      {STATUSES.map((status, i) => (
        <button
          key={status}
          type="button"
          role="radio"
          aria-checked={value === status}
          className={classNames(
            styles.option,
            statusStyles[status],
            value === status && styles.active,
          )}
          disabled={disabled}
          onClick={() => onChange(status)}
          title={`${STATUS_LABELS[status]} (${i + 1})`}
        >
          {STATUS_LABELS[status]}
        </button>
      ))}
    </div>
  )
}
