// Reading statistics: what the Statistics view charts and `lectern stats --json` prints under
// `reading`. Computed by the core from the papers still in the library and their status history.
import type { Status } from './domain'

/**
 * Weeks begin on Monday at 00:00 UTC, wherever the figures are computed: the same library gives
 * the same weeks in the window, the command line on a server and, later, on every synced device
 * (GitHub's contribution graph counts in UTC for the same reason). An evening's reading west of
 * Greenwich may land in the next week; at a week's grain that matters little.
 */
export const WEEK_STARTS = 'Monday 00:00 UTC'

/** One week of the series. */
export interface WeekCounts {
  /** The week's Monday (YYYY-MM-DD, UTC). */
  start: string
  /** Papers added to the library that week (still in it). */
  imported: number
  /** Papers whose first change of status away from new fell that week. */
  triaged: number
  /** Papers marked read for the first time that week. */
  read: number
}

/** How long papers waited between being added and first being marked read, grouped. */
export const TIME_TO_READ_BUCKETS = [
  { id: 'day', label: 'under a day', upToDays: 1 },
  { id: 'week', label: '1–7 days', upToDays: 7 },
  { id: 'month', label: '1 week – 1 month', upToDays: 30 },
  { id: 'quarter', label: '1–3 months', upToDays: 90 },
  { id: 'longer', label: 'over 3 months', upToDays: null },
] as const satisfies readonly { id: string; label: string; upToDays: number | null }[]

export type TimeToReadBucket = (typeof TIME_TO_READ_BUCKETS)[number]['id']

/**
 * From being added to the first time marked read, over every paper in the library whose history
 * reaches read (whatever its status now), all time. Days are fractional (12 hours is 0.5); a read
 * recorded before the paper was added here (a history carried over from another library) is 0.
 */
export interface TimeToRead {
  /** Papers counted. */
  papers: number
  /** Quartiles in days, linearly interpolated between neighbours; null when no paper was read. */
  p25Days: number | null
  medianDays: number | null
  p75Days: number | null
  /** Each paper in one bucket (a bucket holds its lower bound), in TIME_TO_READ_BUCKETS order. */
  histogram: { bucket: TimeToReadBucket; label: string; papers: number }[]
}

/**
 * Where the papers got to, all time: each stage counts the papers that reached it at some point
 * (by their status history or their status now), so each is part of the one before.
 */
export interface Funnel {
  /** Every paper in the library. */
  papers: number
  /** Papers that left new at some point. */
  triaged: number
  /** Papers that were to read, reading or read at some point. */
  queued: number
  /** Papers that were read at some point. */
  read: number
  /** Papers skipped now (beside the funnel: a skipped paper may have been queued before). */
  skipped: number
}

export interface TagCount {
  tag: string
  papers: number
}

/** The most tags `topTags` lists. */
export const TOP_TAGS = 10

export interface ReadingStats {
  /** The moment the figures are for (ISO timestamp). */
  asOf: string
  /** The last N weeks (as asked), oldest first, zero-filled; the last is this week, under way. */
  weeks: WeekCounts[]
  /** The weekly series summed. */
  weekTotals: { imported: number; triaged: number; read: number }
  timeToRead: TimeToRead
  funnel: Funnel
  /** Papers by their status now. */
  byStatus: Record<Status, number>
  /** The most used tags (at most TOP_TAGS), most papers first, then by name; empty without tags. */
  topTags: TagCount[]
}

/** A wait in days, for people: "5 hours", "2.5 days", "40 days". */
export function describeDays(days: number): string {
  if (days < 1 / 24) return 'under an hour'
  if (days < 1) {
    const hours = Math.round(days * 24)
    return hours === 24 ? '1 day' : `${hours} ${hours === 1 ? 'hour' : 'hours'}`
  }
  const rounded = days < 10 ? Math.round(days * 10) / 10 : Math.round(days)
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`
}
