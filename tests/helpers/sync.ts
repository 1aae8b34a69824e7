// A computer for the sync tests: a library of its own in a folder named after it, on a fixed
// clock (from `start`, a second a reading).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Library } from '../../electron/core/store/library'
import { fixedClock, tempDir } from './fixtures'

export async function device(name: string, start = '2026-11-30T12:00:00.000Z'): Promise<Library> {
  const dir = join(tempDir(), name)
  mkdirSync(dir)
  return Library.open(join(dir, 'library.sqlite'), { now: fixedClock(start) })
}
