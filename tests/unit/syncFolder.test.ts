// The sync folder as it really is: files of this device's own lost or damaged there, files no
// Lectern wrote (forged names, links, huge files), and what turning sync off and on leaves.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Library } from '../../electron/core/store/library'
import { syncOnce } from '../../electron/core/sync/pass'
import { deviceFolder } from '../../electron/core/sync/segments'
import { fixedClock, tempDir } from '../helpers/fixtures'

async function device(name: string, start = '2026-11-30T12:00:00.000Z'): Promise<Library> {
  const dir = join(tempDir(), name)
  mkdirSync(dir)
  return Library.open(join(dir, 'library.sqlite'), { now: fixedClock(start) })
}

function titles(lib: Library): string[] {
  return lib
    .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 500 })
    .rows.map((r) => r.title)
}

function dump(from: number, to: number): string {
  const papers = []
  for (let i = from; i < to; i += 1) {
    papers.push(`A Study Of Topic Number ${i} In Depth\n\nThe abstract of paper ${i}.\n`)
  }
  return `Aug 19\n\n${papers.join('\n')}`
}

/** Small segments: a few operations each, so that a device's folder holds several. */
const SMALL = { segmentBytes: 600 }

/** A device that has written its papers, in three passes, to several segments of its own. */
async function writtenInSegments(folder: string): Promise<{ a: Library; own: string }> {
  const a = await device('a')
  for (let pass = 0; pass < 3; pass += 1) {
    a.importText(`dump${pass}.txt`, dump(pass * 4, pass * 4 + 4))
    syncOnce(a, folder, SMALL)
  }
  const own = deviceFolder(folder, a.syncDevice()!)
  expect(readdirSync(own).length).toBeGreaterThanOrEqual(4)
  return { a, own }
}

describe("this device's own segments", () => {
  it('writes again what a lost segment in the middle held, and the others get all of it', async () => {
    const folder = tempDir()
    const { a, own } = await writtenInSegments(folder)
    const segments = readdirSync(own).sort()
    rmSync(join(own, segments[1]!))
    syncOnce(a, folder, SMALL)
    const b = await device('b')
    const rb = syncOnce(b, folder, SMALL)
    expect(rb.devices).toEqual([
      { device: a.syncDevice(), applied: expect.any(Number), waiting: 0 },
    ])
    expect(titles(b)).toEqual(titles(a))
    expect(titles(b)).toHaveLength(12)
    a.close()
    b.close()
  })

  it('writes again what a damaged segment in the middle held, and moves the damaged one aside', async () => {
    const folder = tempDir()
    const { a, own } = await writtenInSegments(folder)
    const damaged = join(own, readdirSync(own).sort()[1]!)
    const data = readFileSync(damaged)
    const at = Math.floor(data.length / 2)
    data[at] = data[at]! ^ 0xff
    writeFileSync(damaged, data)
    const ra = syncOnce(a, folder, SMALL)
    expect(ra.problems.join('\n')).toContain(damaged)
    const b = await device('b')
    const rb = syncOnce(b, folder, SMALL)
    expect(titles(b)).toEqual(titles(a))
    expect(titles(b)).toHaveLength(12)
    // Once written again, the damaged file is no segment of A's any more: no one reports it.
    expect(rb.problems).toEqual([])
    expect(syncOnce(a, folder, SMALL).problems).toEqual([])
    a.close()
    b.close()
  })
})
