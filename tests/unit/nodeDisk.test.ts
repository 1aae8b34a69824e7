// The real disk flushes for real. The power-cut tests run the core on a disk that records each
// flush it is asked for; that proves the core asks, not that the production disk then calls the
// operating system. Here node:fs is watched as the production disk calls it.
import { closeSync, openSync, writeFileSync } from 'node:fs'
import * as fs from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nodeDisk } from '../../electron/core/store/disk'
import { tempDir } from '../helpers/fixtures'

vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>()
  return { ...real, fsyncSync: vi.fn(real.fsyncSync) }
})

afterEach(() => {
  vi.mocked(fs.fsyncSync).mockClear()
})

describe('the production disk', () => {
  it("flushes a file through the operating system's fsync, on that file", () => {
    const file = join(tempDir(), 'f')
    writeFileSync(file, 'x')
    const fd = openSync(file, 'r+')
    try {
      nodeDisk.fsync(fd, 'journal.append')
      expect(fs.fsyncSync).toHaveBeenCalledWith(fd)
    } finally {
      closeSync(fd)
    }
  })

  it.skipIf(process.platform === 'win32')('flushes a folder by opening it and fsyncing it', () => {
    const dir = tempDir()
    const opened = vi.spyOn(fs, 'openSync')
    nodeDisk.fsyncDirectory(dir, 'snapshot.dir')
    expect(fs.fsyncSync).toHaveBeenCalledTimes(1)
    const fd = vi.mocked(fs.fsyncSync).mock.calls[0]![0]
    expect(opened.mock.calls.findIndex((c) => c[0] === dir)).toBe(
      opened.mock.results.findIndex((r) => r.value === fd),
    )
    opened.mockRestore()
  })
})
