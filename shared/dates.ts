// Dates as dumps write them ("Aug 19", "August 19, 2025", "2025-08-19") to ISO dates.

/** Month abbreviations and full names, lower case, January first. */
export const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
]
export const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]

const MONTH_DAY =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$/i
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

function valid(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day))
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day
}

/**
 * Reads a line that is only a date. A date without a year is placed in the latest year that
 * does not put it after `now` (a dump is never from the future), so "Dec 30" read on Jan 2 is
 * last year's.
 */
export function parseDumpDate(line: string, now: Date): string | null {
  const text = line.trim()
  if (text.length > 40) return null
  const iso = ISO.exec(text)
  if (iso) {
    const [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    return valid(y, m, d) ? `${iso[1]}-${iso[2]}-${iso[3]}` : null
  }
  const md = MONTH_DAY.exec(text)
  if (!md) return null
  const name = md[1]!.toLowerCase()
  const month = MONTHS.findIndex((m) => name.startsWith(m)) + 1
  if (month === 0) return null
  const full = MONTH_NAMES[month - 1]!
  if (!full.startsWith(name) && name !== 'sept') return null
  const day = Number(md[2])
  let year = md[3] ? Number(md[3]) : now.getUTCFullYear()
  if (!md[3]) {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
    // A day's grace for time zones: a dump dated "tomorrow" in UTC is still this year's.
    if (Date.UTC(year, month - 1, day) > today + 86_400_000) year -= 1
    if (!valid(year, month, day) && month === 2 && day === 29) year -= 1
  }
  if (!valid(year, month, day)) return null
  return `${year}-${pad(month)}-${pad(day)}`
}
