// The reading figures: this week's counts, then papers by week, the time from import to read,
// how far papers got and the top tags, each a chart with its numbers beside it, as text or as a
// table for screen readers. Its parts are items of the view's grid (StatsView.module.css).
import { useMemo } from 'react'
import { WEEK_STARTS, describeDays } from '../../../shared/stats'
import type { ReadingStats } from '../../../shared/stats'
import { formatDate } from '../format'
import { classNames } from '../styles/classNames'
import { NumbersTable } from './NumbersTable'
import { StatsChart } from './StatsChart'
import type { Series } from './StatsChart'
import type { ThemeColor } from './useThemeColors'
import styles from './ReadingFigures.module.css'

const numbers = new Intl.NumberFormat()
const dayMonth = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
})

function plural(n: number, word: string): string {
  return `${numbers.format(n)} ${word}${n === 1 ? '' : 's'}`
}

/** "; the middle half 2 days to 9 days", when the quartiles differ as people read them. */
function spread(t: ReadingStats['timeToRead']): string {
  const [low, high] = [describeDays(t.p25Days!), describeDays(t.p75Days!)]
  return low === high ? '' : `; the middle half ${low} to ${high}`
}

const FUNNEL: { key: keyof ReadingStats['funnel']; label: string; color: ThemeColor }[] = [
  { key: 'papers', label: 'All papers', color: 'muted' },
  { key: 'triaged', label: 'Triaged', color: 'accent' },
  { key: 'queued', label: 'Queued', color: 'statusToRead' },
  { key: 'read', label: 'Read', color: 'ok' },
  { key: 'skipped', label: 'Skipped', color: 'statusSkipped' },
]

export function ReadingFigures({ stats }: { stats: ReadingStats }) {
  const { weeks, weekTotals, timeToRead, funnel, topTags } = stats
  const thisWeek = weeks.at(-1)!

  const weekly = useMemo(() => {
    const series: Series[] = [
      { label: 'Imported', data: weeks.map((w) => w.imported), color: 'muted' },
      {
        label: 'Triaged',
        data: weeks.map((w) => w.triaged),
        color: 'accent',
        type: 'line',
        dashed: true,
        point: 'triangle',
      },
      { label: 'Read', data: weeks.map((w) => w.read), color: 'ok', type: 'line', point: 'circle' },
    ]
    return {
      labels: weeks.map((w) => dayMonth.format(new Date(`${w.start}T00:00:00Z`))),
      titles: weeks.map((w) => `Week of ${formatDate(w.start)}`),
      series,
    }
  }, [weeks])

  const waits = useMemo(
    () => ({
      labels: timeToRead.histogram.map((b) => b.label),
      series: [
        { label: 'Papers', data: timeToRead.histogram.map((b) => b.papers), color: 'accent' },
      ] satisfies Series[],
    }),
    [timeToRead],
  )

  const stages = useMemo(
    () => ({
      labels: FUNNEL.map((s) => s.label),
      series: [
        {
          label: 'Papers',
          data: FUNNEL.map((s) => funnel[s.key]),
          color: FUNNEL.map((s) => s.color),
        },
      ] satisfies Series[],
    }),
    [funnel],
  )

  const tags = useMemo(
    () => ({
      labels: topTags.map((t) => t.tag),
      series: [
        { label: 'Papers', data: topTags.map((t) => t.papers), color: 'accent' },
      ] satisfies Series[],
    }),
    [topTags],
  )

  const share = (n: number): string =>
    funnel.papers === 0 ? '—' : `${Math.round((100 * n) / funnel.papers)}%`

  return (
    <>
      <dl className={styles.figures} aria-label="This week">
        <div>
          <dt>Imported this week</dt>
          <dd>{numbers.format(thisWeek.imported)}</dd>
        </div>
        <div>
          <dt>Triaged this week</dt>
          <dd>{numbers.format(thisWeek.triaged)}</dd>
        </div>
        <div>
          <dt>Read this week</dt>
          <dd>{numbers.format(thisWeek.read)}</dd>
        </div>
        <div>
          <dt>Median time to read</dt>
          <dd>{timeToRead.medianDays === null ? '—' : describeDays(timeToRead.medianDays)}</dd>
        </div>
      </dl>

      <figure className={classNames(styles.card, styles.wide)} aria-labelledby="stats-weekly">
        <figcaption className={styles.caption}>
          <h3 id="stats-weekly">Papers by week</h3>
          <p className="muted small">
            Last {plural(weeks.length, 'week')}: {numbers.format(weekTotals.imported)} imported,{' '}
            {numbers.format(weekTotals.triaged)} triaged, {numbers.format(weekTotals.read)} read.
            Weeks begin {WEEK_STARTS}.
          </p>
        </figcaption>
        <StatsChart className={styles.chart} {...weekly} />
        <NumbersTable
          caption="Papers imported, first triaged and first read each week"
          columns={['Week of', 'Imported', 'Triaged', 'Read']}
          rows={weeks.map((w) => [formatDate(w.start), w.imported, w.triaged, w.read])}
        />
      </figure>

      <figure className={styles.card} aria-labelledby="stats-waits">
        <figcaption className={styles.caption}>
          <h3 id="stats-waits">Time from import to read</h3>
          <p className="muted small">
            {timeToRead.medianDays === null
              ? 'No paper has been marked read yet. Once some are, this shows how long they waited.'
              : `Median ${describeDays(timeToRead.medianDays)}${spread(timeToRead)}. Over ${plural(timeToRead.papers, 'paper')} read, all time.`}
          </p>
        </figcaption>
        {timeToRead.papers > 0 && (
          <>
            <StatsChart className={styles.chart} horizontal showValues {...waits} />
            <NumbersTable
              caption="Papers read, by how long they waited after being imported"
              columns={['Waited', 'Papers']}
              rows={timeToRead.histogram.map((b) => [b.label, b.papers])}
            />
          </>
        )}
      </figure>

      <figure className={styles.card} aria-labelledby="stats-funnel">
        <figcaption className={styles.caption}>
          <h3 id="stats-funnel">How far papers got</h3>
          <p className="muted small">
            Of {plural(funnel.papers, 'paper')}, {numbers.format(funnel.triaged)} were triaged,{' '}
            {numbers.format(funnel.queued)} queued to read and {numbers.format(funnel.read)} read;{' '}
            {numbers.format(funnel.skipped)} are skipped. Each stage counts the papers that ever
            reached it.
          </p>
        </figcaption>
        <StatsChart className={styles.chart} horizontal showValues {...stages} />
        <NumbersTable
          caption="Papers that reached each stage"
          columns={['Stage', 'Papers', 'Share of all']}
          rows={FUNNEL.map((s) => [s.label, funnel[s.key], share(funnel[s.key])])}
        />
      </figure>

      <figure className={styles.card} aria-labelledby="stats-tags">
        <figcaption className={styles.caption}>
          <h3 id="stats-tags">Top tags</h3>
          <p className="muted small">
            {topTags.length === 0
              ? 'No tags yet. Tag papers and the ones you use most show here.'
              : `The ${plural(topTags.length, 'tag')} on the most papers.`}
          </p>
        </figcaption>
        {topTags.length > 0 && (
          <>
            <StatsChart className={styles.chart} horizontal showValues {...tags} />
            <NumbersTable
              caption="Papers with each tag"
              columns={['Tag', 'Papers']}
              rows={topTags.map((t) => [t.tag, t.papers])}
            />
          </>
        )}
      </figure>
    </>
  )
}
