// One writer per library: a lock file beside it names the process that holds it.
import { readFileSync, statSync } from 'node:fs'
import { hostname } from 'node:os'
import { LibraryError, describeWriteError } from '../errors'
import { disk } from './disk'

interface LockInfo {
  pid: number
  host: string
  owner: string
  since: string
}

function lockAge(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return 0
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes a stale lock so that exactly one of several programs racing to take it over does:
 * the takeover itself is guarded by a second exclusive file, and the lock is removed only if it
 * still holds the stale content that was judged.
 */
function takeOver(path: string, staleContent: string): void {
  const guard = `${path}.takeover`
  let fd: number
  try {
    fd = disk().open(guard, 'wx', 0o600)
  } catch {
    // Someone else is taking over; a guard left by a crash is cleared once it is old.
    if (Date.now() - lockAge(guard) > 10_000) disk().unlink(guard)
    return
  }
  try {
    let current: string | null = null
    try {
      current = readFileSync(path, 'utf8')
    } catch {
      current = null
    }
    if (current === staleContent) disk().unlink(path)
  } finally {
    disk().close(fd)
    disk().unlink(guard)
  }
}

/** The lock file of the library at `libraryPath`. */
export function lockPath(libraryPath: string): string {
  return `${libraryPath}.lock`
}

export class LibraryLock {
  private released = false
  private constructor(
    readonly path: string,
    private readonly content: string,
  ) {}

  static acquire(libraryPath: string, owner: string): LibraryLock {
    const path = lockPath(libraryPath)
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const d = disk()
        const fd = d.open(path, 'wx', 0o600)
        const info: LockInfo = {
          pid: process.pid,
          host: hostname(),
          owner,
          since: new Date().toISOString(),
        }
        const content = JSON.stringify(info)
        // Not fsynced: a lock is about the processes running now. One a power cut leaves empty
        // is judged stale below once it is old; one naming a process of the boot before is
        // stale unless that process id is in use again.
        const bytes = Buffer.from(content, 'utf8')
        d.write(fd, bytes, 0, bytes.length)
        d.close(fd)
        return new LibraryLock(path, content)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new LibraryError('write-failed', describeWriteError(error, path))
        }
      }
      let info: LockInfo | null = null
      let content = ''
      try {
        content = readFileSync(path, 'utf8')
        info = JSON.parse(content) as LockInfo
      } catch {
        info = null
      }
      // An unreadable lock is stale only once it is old: a new one may be mid-write.
      const stale =
        info === null
          ? Date.now() - lockAge(path) > 10_000
          : info.host === hostname() && !alive(info.pid)
      if (info === null && !stale) {
        throw new LibraryError(
          'library-error',
          `the library ${libraryPath} is being opened by another program; try again in a moment`,
        )
      }
      if (!stale && info) {
        throw new LibraryError(
          'library-error',
          `the library ${libraryPath} is in use by ${info.owner} (process ${info.pid} on ${info.host}, since ${info.since}); close it first`,
        )
      }
      takeOver(path, content)
    }
    throw new LibraryError(
      'library-error',
      `could not lock the library ${libraryPath}: another program is opening it; try again in a moment`,
    )
  }

  /** Removes the lock file if it is still ours. */
  release(): void {
    if (this.released) return
    this.released = true
    try {
      if (readFileSync(this.path, 'utf8') === this.content) disk().unlink(this.path)
    } catch {
      // Already gone.
    }
  }
}
