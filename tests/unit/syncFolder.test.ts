// The sync folder as it really is: files of this device's own lost or damaged there, files no
// Lectern wrote (forged names, links, huge files), and what turning sync off and on leaves.
import {
  copyFileSync,
  cpSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Library } from '../../electron/core/store/library'
import { syncOnce } from '../../electron/core/sync/pass'
import { deviceFolder, readSegment } from '../../electron/core/sync/segments'
import { SYMLINKS, tempDir } from '../helpers/fixtures'
import { device } from '../helpers/sync'
import { waitingText } from '../../shared/syncText'

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

  it('names the changes another device waits for, until its folder has them again', async () => {
    // A's middle segment lost (or not copied yet) where B reads: B applies A's changes up to
    // it and says which of A's changes the later ones wait for; A's next pass writes them again.
    const folder = tempDir()
    const { a, own } = await writtenInSegments(folder)
    const segments = readdirSync(own).sort()
    const kept = join(tempDir(), 'kept.seg')
    cpSync(join(own, segments[1]!), kept)
    const held = readSegment(kept, a.syncDevice()!).held
    rmSync(join(own, segments[1]!))
    const b = await device('b')
    const rb = syncOnce(b, folder, SMALL)
    const [first, last] = [held[0]![0], held.at(-1)![1]]
    expect(rb.devices).toEqual([
      {
        device: a.syncDevice(),
        applied: first - 1,
        waiting: expect.any(Number),
        missing: { first, last },
      },
    ])
    expect(rb.devices[0]!.waiting).toBeGreaterThan(0)
    // As Settings and `lectern sync` say it.
    expect(waitingText(rb.devices[0]!)).toMatch(
      new RegExp(`^\\d+ waiting for changes ${first}–${last}, not in the folder \\(a file still`),
    )
    syncOnce(a, folder, SMALL)
    const again = syncOnce(b, folder, SMALL)
    expect(again.devices).toEqual([
      { device: a.syncDevice(), applied: expect.any(Number), waiting: 0 },
    ])
    expect(titles(b)).toEqual(titles(a))
    closeAll(a, b)
  })

  it('begins a segment left empty (a crash just after making it) with its header', async () => {
    const folder = tempDir()
    const { a, own } = await writtenInSegments(folder)
    const last = readdirSync(own).sort().at(-1)!
    writeFileSync(join(own, `${String(Number(last.slice(0, 6)) + 1).padStart(6, '0')}.seg`), '')
    a.importText('more.txt', dump(12, 14))
    syncOnce(a, folder, SMALL)
    const b = await device('b')
    const rb = syncOnce(b, folder, SMALL)
    expect(rb.problems).toEqual([])
    expect(titles(b)).toHaveLength(14)
    closeAll(a, b)
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

describe("this device's own records that this Lectern does not accept", () => {
  it('are not written again at every pass (writing them again would not make them good)', async () => {
    const folder = tempDir()
    const a = await device('a')
    a.importText('dump.txt', dump(0, 4))
    a.setNote(titlesToIds(a)[0]!, 'a note')
    syncOnce(a, tempDir())
    // One of its recorded notes as a Lectern with another rule for notes might have written it.
    const db = (a as unknown as { db: { run(sql: string, params?: unknown[]): void } }).db
    db.run(
      `UPDATE sync_log SET op = json_remove(op, '$.change.bases')
       WHERE json_extract(op, '$.change.kind') = 'note'`,
    )
    syncOnce(a, folder, SMALL)
    const own = deviceFolder(folder, a.syncDevice()!)
    const files = readdirSync(own).sort()
    for (let pass = 0; pass < 3; pass += 1) {
      const again = syncOnce(a, folder, SMALL)
      expect(again.sent).toBe(0)
      expect(again.problems.join('\n')).toContain('change.bases is not a list of versions')
    }
    expect(readdirSync(own).sort()).toEqual(files)
    closeAll(a)
  })
})

function titlesToIds(lib: Library): number[] {
  return lib
    .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 500 })
    .rows.map((r) => r.id)
}

describe('sync turned off, and on again', () => {
  it('records no changes while off, and sends what was done meanwhile once it syncs again', async () => {
    const folder = tempDir()
    const a = await device('a')
    a.importText('dump.txt', dump(0, 4))
    a.setSyncFolder(folder)
    syncOnce(a, folder)
    const b = await device('b')
    syncOnce(b, folder)
    a.setSyncFolder(null)
    const recorded = a.syncCursors().own
    // While off: nothing is recorded for sync, whatever is done.
    const [first, second, third] = a
      .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 10 })
      .rows.map((r) => r.id)
    a.setNote(first!, 'written while sync was off')
    a.setStatus(second!, 'read')
    a.updatePapers({ ids: [first!], starred: true, addTags: ['offline'] })
    a.deletePapers([third!])
    a.importText('more.txt', dump(4, 6))
    expect(a.syncCursors().own).toBe(recorded)
    expect(a.syncDevice()).toBeNull()
    // On again: the same device, and what was done meanwhile reaches the other computer.
    a.setSyncFolder(folder)
    const ra = syncOnce(a, folder)
    expect(ra.rekeyedFrom).toBeNull()
    syncOnce(b, folder)
    expect(titles(b)).toEqual(titles(a))
    expect(titles(b)).toHaveLength(5)
    const paper = (lib: Library, title: string) => {
      const row = lib
        .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 10 })
        .rows.find((r) => r.title === title)!
      return lib.getPaper(row.id)
    }
    const firstTitle = a.getPaper(first!).title
    expect(paper(b, firstTitle)).toMatchObject({
      note: 'written while sync was off',
      starred: true,
      tags: ['offline'],
    })
    expect(paper(b, a.getPaper(second!).title).status).toBe('read')
    a.close()
    b.close()
  })
})

describe('files in the sync folder that no Lectern wrote', () => {
  it.each(['999999.seg', '999999999999.seg'])(
    'a forged %s in this device’s own folder stops no pass, and every name written is one it reads',
    async (forged) => {
      const folder = tempDir()
      const { a, own } = await writtenInSegments(folder)
      // A whole segment of A's, under a name as high as the pattern goes.
      copyFileSync(join(own, readdirSync(own).sort()[0]!), join(own, forged))
      for (let pass = 3; pass < 6; pass += 1) {
        a.importText(`dump${pass}.txt`, dump(pass * 4, pass * 4 + 4))
        expect(syncOnce(a, folder, SMALL).problems).toEqual([])
      }
      for (const name of readdirSync(own)) expect(name).toMatch(/^\d{6,12}\.seg$/)
      const b = await device('b')
      syncOnce(b, folder, SMALL)
      expect(titles(b)).toEqual(titles(a))
      expect(titles(b)).toHaveLength(24)
      a.close()
      b.close()
    },
  )
})

describe('what sync brought, in the list of imports', () => {
  it('is listed as sync’s, and cannot be undone there (that would delete the papers everywhere)', async () => {
    const folder = tempDir()
    const a = await device('a')
    a.importText('dump.txt', dump(0, 4))
    syncOnce(a, folder)
    const b = await device('b')
    syncOnce(b, folder)
    const [brought] = b.imports()
    expect(brought).toMatchObject({ source: 'sync', format: 'sync', added: 4 })
    expect(() => b.undoImport(brought!.id)).toThrow(/another computer sent/)
    syncOnce(b, folder)
    syncOnce(a, folder)
    expect(titles(b)).toHaveLength(4)
    expect(titles(a)).toHaveLength(4)
    // An import of its own is undone as ever, and that syncs.
    const [own] = a.imports()
    a.undoImport(own!.id)
    syncOnce(a, folder)
    syncOnce(b, folder)
    expect(titles(b)).toEqual([])
    closeAll(a, b)
  })
})

describe('a file where a device folder should be', () => {
  it('is reported, and the other devices sync on', async () => {
    const folder = tempDir()
    const x = await device('x')
    x.importText('x.txt', dump(0, 2))
    syncOnce(x, folder)
    const notFolder = join(folder, 'devices', '0123456789abcdef')
    writeFileSync(notFolder, 'not a folder')
    const b = await device('b')
    const rb = syncOnce(b, folder)
    expect(titles(b)).toHaveLength(2)
    expect(rb.problems).toEqual([expect.stringContaining(`${notFolder} is not a folder`)])
    closeAll(x, b)
  })
})

describe('files in the sync folder larger than a segment can be', () => {
  it('reads none of a huge file (a sparse one here), names it, and syncs the rest', async () => {
    const folder = tempDir()
    const x = await device('x')
    x.importText('x.txt', dump(0, 2))
    syncOnce(x, folder)
    const z = await device('z')
    z.importText('z.txt', dump(2, 4))
    syncOnce(z, folder)
    // A file of X's grown past any segment's size (256 MiB, and no disk used).
    const xFolder = deviceFolder(folder, x.syncDevice()!)
    const huge = join(xFolder, '000002.seg')
    writeFileSync(huge, '')
    truncateSync(huge, 256 * 1024 * 1024)
    const b = await device('b')
    const rb = syncOnce(b, folder)
    expect(titles(b)).toHaveLength(4)
    expect(rb.problems).toEqual([expect.stringContaining(`${huge} is 268435456 bytes`)])
    closeAll(x, z, b)
  })
})

describe.runIf(SYMLINKS)('links in the sync folder', () => {
  it('follows no link for a device folder or a segment, says which, and syncs the rest', async () => {
    const folder = tempDir()
    const x = await device('x')
    x.importText('x.txt', dump(0, 2))
    syncOnce(x, folder)
    const y = await device('y')
    y.importText('y.txt', dump(2, 4))
    syncOnce(y, folder)
    const z = await device('z')
    z.importText('z.txt', dump(4, 6))
    syncOnce(z, folder)
    // X's folder moved out of the sync folder, a link to it left in its place; Y's segment
    // likewise; Z's folder as it was.
    const xFolder = deviceFolder(folder, x.syncDevice()!)
    const outside = join(tempDir(), 'elsewhere')
    renameSync(xFolder, outside)
    symlinkSync(outside, xFolder, 'dir')
    const yFolder = deviceFolder(folder, y.syncDevice()!)
    const ySegment = join(yFolder, readdirSync(yFolder)[0]!)
    const yOutside = join(tempDir(), 'segment')
    renameSync(ySegment, yOutside)
    symlinkSync(yOutside, ySegment, 'file')
    const b = await device('b')
    const rb = syncOnce(b, folder)
    expect(titles(b)).toEqual(titles(z).filter((t) => /Number [45] /.test(t)))
    expect(rb.problems).toHaveLength(2)
    expect(rb.problems).toContainEqual(expect.stringContaining(`${xFolder} is a link`))
    expect(rb.problems).toContainEqual(expect.stringContaining(`${ySegment} is a link`))
    // The folder of all devices a link: nothing is synced, and the pass says why.
    const devices = join(folder, 'devices')
    const moved = join(tempDir(), 'devices')
    renameSync(devices, moved)
    symlinkSync(moved, devices, 'dir')
    expect(() => syncOnce(b, folder)).toThrow(`${devices} is a link`)
    closeAll(x, y, z, b)
  })

  it('writes nothing through a link that took the place of its own folder', async () => {
    const folder = tempDir()
    const a = await device('a')
    a.importText('a.txt', dump(0, 2))
    syncOnce(a, folder)
    const c = await device('c')
    c.importText('c.txt', dump(2, 4))
    syncOnce(c, folder)
    // A's folder replaced by a link to the library's own folder.
    const own = deviceFolder(folder, a.syncDevice()!)
    rmSync(own, { recursive: true })
    const libraryFolder = join(a.path, '..')
    const before = readdirSync(libraryFolder).sort()
    symlinkSync(libraryFolder, own, 'dir')
    a.setNote(
      a.listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 1 }).rows[0]!.id,
      'n',
    )
    const ra = syncOnce(a, folder)
    expect(ra.sent).toBe(0)
    expect(ra.problems).toEqual([expect.stringContaining(`${own} is a link`)])
    expect(readdirSync(libraryFolder).sort()).toEqual(before)
    // The others' changes are applied all the same.
    expect(titles(a)).toHaveLength(4)
    closeAll(a, c)
  })
})

function closeAll(...libs: Library[]): void {
  for (const lib of libs) lib.close()
}
