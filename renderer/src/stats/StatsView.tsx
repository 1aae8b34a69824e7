// The Statistics view, shown in the main area in place of the table: its header (the span of
// weeks, the way back to the papers) and, once counted, the figures or what will show there.
import { useEffect, useRef, useState } from 'react'
import { classNames } from '../styles/classNames'
import { ReadingFigures } from './ReadingFigures'
import { StatsEmpty } from './StatsEmpty'
import { useReadingStats } from './useReadingStats'
import styles from './StatsView.module.css'

interface Props {
  /** Back to the papers: the view's own button, and Escape within it. */
  onClose: () => void
}

/** The spans offered, in weeks. */
const SPANS = [
  { weeks: 4, label: '4 weeks' },
  { weeks: 13, label: '3 months' },
  { weeks: 26, label: '6 months' },
  { weeks: 52, label: '1 year' },
  { weeks: 104, label: '2 years' },
] as const

const DEFAULT_WEEKS = 26

export function StatsView({ onClose }: Props) {
  const [weeks, setWeeks] = useState(DEFAULT_WEEKS)
  const stats = useReadingStats(weeks)
  // The view replaces the table: say so to a screen reader by moving the focus to its heading.
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  const settled = stats.isSuccess && !stats.isPlaceholderData

  let body: React.ReactNode
  if (stats.isPending) {
    body = (
      <p className={styles.message} role="status">
        Counting…
      </p>
    )
  } else if (stats.isError) {
    body = (
      <div className={classNames(styles.message, 'error')} role="alert">
        <p>Could not count your reading: {stats.error.message}</p>
        <button type="button" onClick={() => void stats.refetch()}>
          Try again
        </button>
      </div>
    )
  } else if (stats.data.funnel.papers === 0) {
    body = <StatsEmpty />
  } else {
    body = <ReadingFigures stats={stats.data} />
  }

  return (
    <section
      className={styles.view}
      aria-labelledby="stats-heading"
      aria-busy={!settled}
      data-testid="stats-view"
      data-ready={settled ? 'true' : 'false'}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) onClose()
      }}
    >
      <header className={styles.header}>
        <h2 id="stats-heading" className={styles.title} ref={heading} tabIndex={-1}>
          Statistics
        </h2>
        {stats.data && stats.data.funnel.papers > 0 && (
          <label className={styles.span}>
            <span className="muted">Weeks shown</span>
            <select value={weeks} onChange={(e) => setWeeks(Number(e.target.value))}>
              {SPANS.map((s) => (
                <option key={s.weeks} value={s.weeks}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={onClose}>
          Back to papers
        </button>
      </header>
      <div className={styles.body}>{body}</div>
    </section>
  )
}
