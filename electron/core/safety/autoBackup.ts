import type { LibrarySession } from './session'

const FIRST_CHECK_MS = 10_000
/**
 * Often enough for the hourly schedule to keep to the hour (a check costs a folder listing); the
 * library's settings say whether one is due (backups.ts, autoBackupIfDue), and are read at each
 * check, so a schedule changed from any host takes effect without a restart.
 */
export const CHECK_EVERY_MS = 10 * 60 * 1000

/**
 * Automatic backups for a long-running host (the app, `lectern serve`), as often as the
 * library's settings say: a first check shortly after start (not during it, so the window
 * appears at once), then every ten minutes. Returns a function that stops them.
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
