const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
})

/** An ISO date (YYYY-MM-DD), shown as the calendar date it names. */
export function formatDate(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(`${iso}T00:00:00Z`)
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d)
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d)
}

/** "Ada Lovelace", "Ada Lovelace, Alan Turing", or "Ada Lovelace et al." for three or more. */
export function formatAuthors(authors: readonly string[]): string {
  if (authors.length <= 2) return authors.join(', ')
  return `${authors[0]} et al.`
}
