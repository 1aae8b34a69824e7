// What every test starts from: the reference dump, a clock that is fixed, and temporary folders
// removed after each test.
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach } from 'vitest'

/** The reference Daily Papers dump (95 papers, Aug 19) and its text. */
export const SAMPLE_PATH = resolve(__dirname, '../../resources/sample/daily-papers-aug-19.txt')
export const SAMPLE = readFileSync(SAMPLE_PATH, 'utf8')

/** A fixed clock that ticks a second per call, so timestamps are known and ordered. */
export function fixedClock(start = '2026-11-30T12:00:00.000Z'): () => Date {
  let t = Date.parse(start)
  return () => {
    const d = new Date(t)
    t += 1000
    return d
  }
}

const dirs: string[] = []

/**
 * A fresh folder per test, removed afterwards. Named by its real path, as the library names its
 * files: on macOS the temporary folder is under /var, a link to /private/var.
 */
export function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'lectern-test-')))
  dirs.push(dir)
  return dir
}

afterEach(() => {
  // Windows refuses to remove a file a process still has open (EBUSY, EPERM), as a child process
  // just killed may for a moment: tried again, as Node does on those errors when asked.
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true, maxRetries: 5 })
})

/**
 * Whether this process may make symbolic links. Windows allows it only with Developer Mode on or
 * to an administrator; tests of links are skipped elsewhere, not failed.
 */
export const SYMLINKS = process.platform !== 'win32' || canMakeSymlinks()

function canMakeSymlinks(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-symlink-'))
  try {
    symlinkSync(join(dir, 'target'), join(dir, 'link'), 'file')
    return true
  } catch {
    return false
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
