// Reading statistics (the Statistics view, `lectern stats`): three grouped queries, each one pass
// over papers or status history, so the cost grows with the library and not with the number of
// weeks asked for. Deleted papers take their history with them (ON DELETE CASCADE); the queries
// still join `papers`, so that only papers in the library count.
import { STATUSES } from '../../../shared/domain'
import type { Status } from '../../../shared/domain'
import { TIME_TO_READ_BUCKETS, TOP_TAGS } from '../../../shared/stats'
import type { ReadingStats, TagCount, WeekCounts } from '../../../shared/stats'
import type { Db } from './database'
import { statusCode, statusFromCode } from './statusCodes'

const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS
/** The Unix epoch as a Julian day number, in milliseconds. */
const UNIX_EPOCH_JD_MS = 2_440_587.5 * DAY_MS

const NEW = statusCode('new')
const READ = statusCode('read')
const QUEUED_STATUSES = ['to-read', 'reading', 'read'] as const satisfies readonly Status[]
const QUEUED = QUEUED_STATUSES.map(statusCode).join(', ')

/**
 * An ISO timestamp column as Unix milliseconds, exactly: julianday() holds whole milliseconds,
 * rounding takes off its floating-point dust, and integers compare exactly at bucket edges. Any
 * form SQLite reads ("Z", "+02:00", a space for the T) gives the instant it names.
 */
function unixMs(column: string): string {
  return `(CAST(ROUND(julianday(${column}) * ${DAY_MS}) AS INTEGER) - ${UNIX_EPOCH_JD_MS})`
}

/** The week of `t` (Unix ms) counted from the window's first Monday, `$start`. */
function weekOf(t: string): string {
  return `CAST((${t} - $start) / ${WEEK_MS} AS INTEGER)`
}

/**
 * Papers added in the window, by week. The index on added_at finds them; its bounds (`$from`,
 * `$to`) are a day wider than the window so that a time written with an offset from UTC is still
 * found, then placed exactly.
 */
const IMPORTED_SQL = `SELECT ${weekOf('t')} AS k, COUNT(*) AS n
  FROM (SELECT ${unixMs('added_at')} AS t FROM papers WHERE added_at >= $from AND added_at < $to)
  WHERE t >= $start AND t < $end GROUP BY k`

/**
 * Per paper with a status history: its status now, when it was added, when it first left new,
 * when it was first read, and whether it was ever queued (times in Unix ms). The history is
 * grouped on its own index first, then each group finds its paper.
 */
const FIRSTS = `firsts AS MATERIALIZED (
  SELECT p.status AS status, ${unixMs('p.added_at')} AS added, h.triaged, h.read, h.queued
  FROM (
    SELECT paper_id,
      MIN(CASE WHEN status <> ${NEW} THEN ${unixMs('at')} END) AS triaged,
      MIN(CASE WHEN status = ${READ} THEN ${unixMs('at')} END) AS read,
      MAX(status IN (${QUEUED})) AS queued
    FROM status_history GROUP BY paper_id
  ) h JOIN papers p ON p.id = h.paper_id
)`

/** From being added to first read (ms), per paper read; a history older than the paper counts 0. */
const WAITS = `waits AS MATERIALIZED (
  SELECT MAX(read - added, 0) AS d FROM firsts WHERE read IS NOT NULL AND added IS NOT NULL
)`

/** The ranks (0-based) either side of each quartile's position, q·(n−1). */
const QUARTILES = [0.25, 0.5, 0.75] as const
const QUARTILE_RANKS = QUARTILES.flatMap((q) => [
  `CAST(${q} * (n - 1) AS INTEGER)`,
  `CAST(${q} * (n - 1) AS INTEGER) + 1`,
]).join(', ')

const BUCKET_COUNTS = TIME_TO_READ_BUCKETS.map((b, i) => {
  const from = i === 0 ? 0 : TIME_TO_READ_BUCKETS[i - 1]!.upToDays! * DAY_MS
  return b.upToDays === null
    ? `COUNT(*) FILTER (WHERE d >= ${from})`
    : `COUNT(*) FILTER (WHERE d >= ${from} AND d < ${b.upToDays * DAY_MS})`
}).join(', ')

/**
 * Everything read from the status history, in one statement so that the history is read once.
 * Each row says what it is (`kind`):
 * - `triaged`, `read`: in week `k` of the window, `n` papers were first triaged, first read;
 * - `wait`: the paper at rank `k` in order of wait has waited `n` ms (only the ranks that the
 *   quartiles need);
 * - `sums` (one row): `n` is a JSON object: `byStatus`, papers with a history by their status
 *   now (in STATUSES order); `triaged`, `queued`, `read`, how many of those reached each stage
 *   (by their history or their status now); `waits`, the papers read per time-to-read bucket.
 * Parameters: `$start`, the window's first Monday, and `$end`, the end of this week (Unix ms).
 */
const HISTORY_SQL = `WITH ${FIRSTS}, ${WAITS}
SELECT 'triaged' AS kind, ${weekOf('triaged')} AS k, COUNT(*) AS n
  FROM firsts WHERE triaged >= $start AND triaged < $end GROUP BY k
UNION ALL
SELECT 'read', ${weekOf('read')} AS k, COUNT(*)
  FROM firsts WHERE read >= $start AND read < $end GROUP BY k
UNION ALL
SELECT 'wait', r, d FROM (
  SELECT d, ROW_NUMBER() OVER (ORDER BY d) - 1 AS r, COUNT(*) OVER () AS n FROM waits
) WHERE r IN (${QUARTILE_RANKS})
UNION ALL
SELECT 'sums', NULL, json_object(
  'byStatus', json_array(${STATUSES.map((s) => `COUNT(*) FILTER (WHERE status = ${statusCode(s)})`).join(', ')}),
  'triaged', COUNT(*) FILTER (WHERE triaged IS NOT NULL OR status <> ${NEW}),
  'queued', COUNT(*) FILTER (WHERE queued OR status IN (${QUEUED})),
  'read', COUNT(*) FILTER (WHERE read IS NOT NULL OR status = ${READ}),
  'waits', json((SELECT json_array(${BUCKET_COUNTS}) FROM waits))
) FROM firsts`

type HistoryRow =
  { kind: 'triaged' | 'read' | 'wait'; k: number; n: number } | { kind: 'sums'; k: null; n: string }

interface HistorySums {
  byStatus: number[]
  triaged: number
  queued: number
  read: number
  waits: number[]
}

/** The Monday (00:00 UTC) of the week `at` falls in, as Unix ms. */
function mondayOf(at: Date): number {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())
  return day - ((at.getUTCDay() + 6) % 7) * DAY_MS
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Linear interpolation between the ranks either side of q·(n−1) (R's and NumPy's default). */
function quartileDays(q: number, n: number, waitByRank: Map<number, number>): number | null {
  if (n === 0) return null
  const position = q * (n - 1)
  const lo = Math.floor(position)
  const low = waitByRank.get(lo)!
  const high = waitByRank.get(lo + 1) ?? low
  return (low + (position - lo) * (high - low)) / DAY_MS
}

/** The most used tags, once tags exist in this schema (they came with a later migration). */
function topTags(db: Db): TagCount[] {
  const columns = new Set(
    db.all<{ name: string }>(`SELECT name FROM pragma_table_info('paper_tags')`).map((c) => c.name),
  )
  if (!columns.has('tag') || !columns.has('paper_id')) return []
  return db.all<{ tag: string; papers: number }>(
    `SELECT t.tag AS tag, COUNT(DISTINCT t.paper_id) AS papers
     FROM paper_tags t JOIN papers p ON p.id = t.paper_id
     GROUP BY t.tag ORDER BY papers DESC, t.tag COLLATE NOCASE, t.tag LIMIT ?`,
    [TOP_TAGS],
  )
}

export function readingStats(db: Db, options: { weeks: number; now: Date }): ReadingStats {
  const count = options.weeks
  if (!Number.isInteger(count) || count < 1) throw new Error(`weeks must be 1 or more: ${count}`)
  const end = mondayOf(options.now) + WEEK_MS
  const start = end - count * WEEK_MS
  const weeks: WeekCounts[] = Array.from({ length: count }, (_, i) => ({
    start: isoDate(start + i * WEEK_MS),
    imported: 0,
    triaged: 0,
    read: 0,
  }))

  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>
  for (const r of db.all<{ status: number; n: number }>(
    'SELECT status, COUNT(*) AS n FROM papers GROUP BY status',
  )) {
    byStatus[statusFromCode(r.status)] = r.n
  }

  const window = { $start: start, $end: end }
  for (const r of db.all<{ k: number; n: number }>(IMPORTED_SQL, {
    ...window,
    $from: isoDate(start - DAY_MS),
    $to: isoDate(end + DAY_MS),
  })) {
    weeks[r.k]!.imported = r.n
  }

  const waitByRank = new Map<number, number>()
  let sumsJson = '{}'
  for (const r of db.all<HistoryRow & Record<string, number | string | null>>(
    HISTORY_SQL,
    window,
  )) {
    if (r.kind === 'sums') sumsJson = r.n
    else if (r.kind === 'wait') waitByRank.set(r.k, r.n)
    else weeks[r.k]![r.kind] = r.n
  }
  const sums = JSON.parse(sumsJson) as HistorySums

  // Papers with no history at all reach the stages their status now says.
  const funnel = {
    papers: 0,
    triaged: sums.triaged,
    queued: sums.queued,
    read: sums.read,
    skipped: byStatus.skipped,
  }
  STATUSES.forEach((status, i) => {
    const withoutHistory = byStatus[status] - sums.byStatus[i]!
    funnel.papers += byStatus[status]
    if (status !== 'new') funnel.triaged += withoutHistory
    if ((QUEUED_STATUSES as readonly Status[]).includes(status)) funnel.queued += withoutHistory
    if (status === 'read') funnel.read += withoutHistory
  })

  const read = sums.waits.reduce((a, b) => a + b, 0)
  return {
    asOf: options.now.toISOString(),
    weeks,
    weekTotals: {
      imported: weeks.reduce((sum, w) => sum + w.imported, 0),
      triaged: weeks.reduce((sum, w) => sum + w.triaged, 0),
      read: weeks.reduce((sum, w) => sum + w.read, 0),
    },
    timeToRead: {
      papers: read,
      p25Days: quartileDays(0.25, read, waitByRank),
      medianDays: quartileDays(0.5, read, waitByRank),
      p75Days: quartileDays(0.75, read, waitByRank),
      histogram: TIME_TO_READ_BUCKETS.map((b, i) => ({
        bucket: b.id,
        label: b.label,
        papers: sums.waits[i]!,
      })),
    },
    funnel,
    byStatus,
    topTags: topTags(db),
  }
}
