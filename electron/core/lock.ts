// One writer per library: a lock file beside it names the process that holds it.
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { LibraryError, describeWriteError } from './errors'

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

export class LibraryLock {
  private released = false
  private constructor(readonly path: string) {}

  static acquire(libraryPath: string, owner: string): LibraryLock {
    const path = `${libraryPath}.lock`
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(path, 'wx', 0o600)
        const info: LockInfo = {
          pid: process.pid,
          host: hostname(),
          owner,
          since: new Date().toISOString(),
        }
        writeSync(fd, JSON.stringify(info))
        closeSync(fd)
        return new LibraryLock(path)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new LibraryError('write-failed', describeWriteError(error, path))
        }
      }
      let info: LockInfo | null = null
      try {
        info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo
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
      rmSync(path, { force: true })
    }
    throw new LibraryError('library-error', `could not lock the library ${libraryPath}`)
  }

  release(): void {
    if (this.released) return
    this.released = true
    rmSync(this.path, { force: true })
  }
}
