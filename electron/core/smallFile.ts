// A small file of the app's own (a preference: the window's place) written whole or not at all:
// a temporary file beside it, flushed, then renamed over it. A crash leaves the old file, never
// half of a new one. (The library's files go through store/disk.ts instead, with the folder
// flushed too: losing such a preference to a power cut only means the app asks again. The
// library remembered is not such a preference: a move relies on it; see safety/remembered.ts.)
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export function writeSmallFile(file: string, text: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`)
  try {
    const fd = openSync(temporary, 'w', 0o600)
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temporary, file)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}
