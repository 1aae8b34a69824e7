// Writing files so that a crash leaves either the old file or the new one, never a mix.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname, basename, join } from 'node:path'

function fsyncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync; there the rename is already durable enough.
  if (process.platform === 'win32') return
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Temporary file, fsync, rename over the target, fsync the folder. */
export function writeFileAtomic(path: string, data: Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`)
  let fd: number | null = openSync(tmp, 'w', 0o600)
  try {
    let written = 0
    while (written < data.length) {
      written += writeSync(fd, data, written, data.length - written)
    }
    fsyncSync(fd)
    closeSync(fd)
    fd = null
    renameSync(tmp, path)
  } catch (error) {
    if (fd !== null) closeSync(fd)
    rmSync(tmp, { force: true })
    throw error
  }
  fsyncDirectory(dirname(path))
}
