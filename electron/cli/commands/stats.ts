import { describeDays, WEEK_STARTS } from '../../../shared/stats'
import type { ReadingStats } from '../../../shared/stats'
import { UsageError, flag, stringOption } from '../command'
import type { Command } from '../command'
import { inline, json, statsLines } from '../print'

/** `--weeks N`: a whole number (the contract checks its range), or the contract's default. */
function parseWeeks(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\s*\d+\s*$/.test(value)) {
    throw new UsageError(`--weeks: expected a whole number of weeks, got "${value}"`)
  }
  return Number(value)
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** " (middle half 2 days to 9 days)", when the quartiles differ as people read them. */
function spread(t: ReadingStats['timeToRead']): string {
  const [low, high] = [describeDays(t.p25Days!), describeDays(t.p75Days!)]
  return low === high ? '' : ` (middle half ${low} to ${high})`
}

/** A few lines on reading: this week, the weeks asked for, time to read, top tags. */
function readingLines(r: ReadingStats): string[] {
  const week = r.weeks.at(-1)!
  const t = r.timeToRead
  const counts = (c: { imported: number; triaged: number; read: number }): string =>
    `${c.imported} imported, ${c.triaged} triaged, ${c.read} read`
  return [
    `Reading (weeks from ${WEEK_STARTS}):`,
    `  this week (from ${week.start}): ${counts(week)}`,
    `  last ${plural(r.weeks.length, 'week')} (from ${r.weeks[0]!.start}): ${counts(r.weekTotals)}`,
    t.medianDays === null
      ? '  time to read: no paper read yet'
      : `  time to read: median ${describeDays(t.medianDays)}${spread(t)}, over ${plural(t.papers, 'paper')} read`,
    `  top tags: ${r.topTags.length ? inline(r.topTags.map((tag) => `${tag.tag} (${tag.papers})`).join(', ')) : 'none yet'}`,
  ]
}

export const statsCommand: Command = {
  name: 'stats',
  synopsis: '[--weeks N] [--json]',
  summary: 'counts by status, and reading over the last N weeks (26)',
  options: { weeks: { type: 'string' }, json: { type: 'boolean' } },
  access: 'read',
  async run(ctx) {
    const weeks = parseWeeks(stringOption(ctx, 'weeks'))
    // The weeks asked for are checked first, before the library is opened.
    const reading = await ctx.call('readingStats', weeks === undefined ? {} : { weeks })
    const stats = await ctx.call('stats', {})
    if (flag(ctx, 'json')) return ctx.io.out(json({ ...stats, reading }))
    for (const line of [...statsLines(stats), ...readingLines(reading)]) ctx.io.out(line)
  },
}
