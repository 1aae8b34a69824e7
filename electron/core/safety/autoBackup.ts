import type { LibrarySession } from './session'

const FIRST_CHECK_MS = 10_000
const CHECK_EVERY_MS = 60 * 60 * 1000

/**
 * Daily automatic backups for a long-running host (the app, `lectern serve`): a first check
 * shortly after start (not during it, so the window appears at once), then hourly.
 * Returns a function that stops them.
 */
export function scheduleAutoBackups(
  session: LibrarySession,
  report: (message: string) => void,
): () => void {
  const check = (): void => {
    session.autoBackup().catch((error: unknown) => {
      report(`automatic backup failed: ${(error as Error).message}`)
    })
  }
  const first = setTimeout(check, FIRST_CHECK_MS)
  const every = setInterval(check, CHECK_EVERY_MS)
  first.unref()
  every.unref()
  return () => {
    clearTimeout(first)
    clearInterval(every)
  }
}
