// An import under way: how many papers are written, how fast, and a way to call it off (the
// library is then left exactly as it was).
import type { ImportJob } from '../../../shared/domain'
import styles from './ImportProgress.module.css'

const numbers = new Intl.NumberFormat()

interface Props {
  job: ImportJob
  /** Papers written per second, once known. */
  rate: number | null
  onCancel: () => void
  cancelling: boolean
}

export function ImportProgress({ job, rate, onCancel, cancelling }: Props) {
  const { total, done } = job
  const text =
    total === null
      ? `Reading ${job.sources.join(', ')}…`
      : `${numbers.format(done)} of ${numbers.format(total)} papers` +
        (rate !== null ? ` · ${numbers.format(Math.round(rate))} papers/s` : '')
  return (
    <div className={styles.progress}>
      <div
        className={styles.bar}
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total === null ? undefined : done}
        aria-valuetext={text}
      >
        <div
          className={total === null ? styles.waiting : styles.fill}
          style={total === null ? undefined : { width: `${(100 * done) / Math.max(1, total)}%` }}
        />
      </div>
      <p className={styles.text} data-testid="import-progress-text">
        {text}
      </p>
      <div className={styles.buttons}>
        <button type="button" onClick={onCancel} disabled={cancelling} autoFocus>
          {cancelling ? 'Cancelling…' : 'Cancel import'}
        </button>
      </div>
    </div>
  )
}
