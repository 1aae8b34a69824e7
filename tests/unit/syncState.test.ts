// Compacted states (electron/core/sync/state.ts): a device writes the merged state it has
// applied to its own folder; a device new to the folder starts from it and reads only the
// operations after it, ending with the library it would have had from every operation. A
// state that is cut short, damaged, of another version or that claims more than the folder
// holds is not used at all, and the pass says which file and why.
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LibrarySession } from '../../electron/core/safety/session'
import { Library } from '../../electron/core/store/library'
import { frameRecord, parseJournal } from '../../electron/core/store/journal'
import { syncOnce } from '../../electron/core/sync/pass'
import { appendOwn, deviceFolder, ownTail } from '../../electron/core/sync/segments'
import { stateFiles, writeState } from '../../electron/core/sync/state'
import { fixedClock, SYMLINKS, tempDir } from '../helpers/fixtures'
import { device } from '../helpers/sync'

const EVERY = { stateEvery: 1, stateInterval: 0 }
const NEVER = { stateEvery: Number.MAX_SAFE_INTEGER }

const DUMP = `Aug 19

First Paper On Things

An abstract of the first.

Second Paper On Stuff

An abstract of the second.

Third Paper On More

An abstract of the third.

Fourth Paper, Deleted

An abstract of the fourth.
`

function byTitle(lib: Library, title: string): number {
  const row = lib
    .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 500 })
    .rows.find((r) => r.title === title)
  if (!row) throw new Error(`no paper “${title}”`)
  return row.id
}

/** Each live paper's user state, by title: what two libraries must agree on. */
function canonical(lib: Library): string[] {
  return lib
    .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 500 })
    .rows.map((r) => {
      const p = lib.getPaper(r.id)
      const conflicts = (p.noteConflicts ?? []).map((c) => c.text).sort()
      return JSON.stringify([r.title, p.status, p.starred, [...p.tags].sort(), p.note, conflicts])
    })
}

/**
 * A (laptop) and B (desktop, clock an hour ahead) with a history: statuses, stars, tags added
 * and taken off, a deletion, and one note edited on both at once (two versions). A wrote a
 * compacted state after it had seen all that; then both changed more.
 */
async function history() {
  const folder = tempDir()
  const a = await device('a')
  const b = await device('b', '2026-11-30T13:00:00.000Z')
  a.importText('dump.txt', DUMP)
  syncOnce(a, folder, NEVER)
  syncOnce(b, folder, NEVER)
  const first = byTitle(a, 'First Paper On Things')
  a.setStatus(first, 'read')
  a.updatePapers({ ids: [first], starred: true, addTags: ['ml', 'x'] })
  a.updatePapers({ ids: [first], removeTags: ['x'] })
  a.deletePapers([byTitle(a, 'Fourth Paper, Deleted')])
  a.setNote(byTitle(a, 'Second Paper On Stuff'), 'written on the laptop')
  b.setNote(byTitle(b, 'Second Paper On Stuff'), 'written on the desktop')
  b.updatePapers({ ids: [byTitle(b, 'Third Paper On More')], addTags: ['Later'] })
  syncOnce(a, folder, NEVER)
  syncOnce(b, folder, NEVER)
  const written = syncOnce(a, folder, EVERY).stateWritten
  // After the state: more on both.
  b.setStatus(byTitle(b, 'Third Paper On More'), 'to-read')
  a.setNote(byTitle(a, 'First Paper On Things'), 'after the state')
  syncOnce(a, folder, NEVER)
  syncOnce(b, folder, NEVER)
  syncOnce(a, folder, NEVER)
  return { folder, a, b, written }
}

describe('compacted sync states', () => {
  it('starts a new device from another’s compacted state, to the library every operation gives', async () => {
    const { folder, a, b, written } = await history()
    expect(written).not.toBeNull()
    expect(stateFiles(folder, a.syncDevice()!).map((s) => s.file)).toEqual([written])
    const c = await device('c', '2026-11-30T12:30:00.000Z')
    const report = syncOnce(c, folder, NEVER)
    expect(report.stateUsed).toEqual([written])
    expect(report.problems).toEqual([])
    // Fewer operations applied than a device reading every one applies.
    const d = await device('d')
    const all = syncOnce(d, folder, NEVER)
    expect(all.stateUsed).toEqual([written])
    expect(report.applied).toBeLessThan(a.syncCursors().own + b.syncCursors().own)
    expect(canonical(c)).toEqual(canonical(a))
    expect(canonical(c)).toEqual(canonical(b))
    const second = c.getPaper(byTitle(c, 'Second Paper On Stuff'))
    expect(second.note).toBe('written on the desktop')
    expect(second.noteConflicts?.map((n) => n.text)).toEqual(['written on the laptop'])
    expect(() => byTitle(c, 'Fourth Paper, Deleted')).toThrow()
    // The new device's own changes after that reach the others as usual, on top of the state.
    c.setNote(byTitle(c, 'Third Paper On More'), 'from the new computer')
    syncOnce(c, folder, NEVER)
    syncOnce(a, folder, NEVER)
    syncOnce(b, folder, NEVER)
    expect(canonical(a)).toEqual(canonical(c))
    expect(canonical(b)).toEqual(canonical(c))
    for (const lib of [a, b, c, d]) lib.close()
  })

  it('gives the same library whether a new device starts from a state or reads every operation', async () => {
    const { folder, a, b, written } = await history()
    const fromState = await device('c')
    syncOnce(fromState, folder, NEVER)
    // Without the state file: every operation, from the segments.
    rmSync(written!)
    const fromSegments = await device('d')
    expect(syncOnce(fromSegments, folder, NEVER).stateUsed).toEqual([])
    expect(canonical(fromState)).toEqual(canonical(fromSegments))
    for (const lib of [a, b, fromState, fromSegments]) lib.close()
  })

  it('replaces its older state with a newer one only once the newer is written', async () => {
    const { folder, a, b, written } = await history()
    a.setStatus(byTitle(a, 'Second Paper On Stuff'), 'skipped')
    // Not due yet: too few operations since, or too soon.
    expect(syncOnce(a, folder, { stateEvery: 1000, stateInterval: 0 }).stateWritten).toBeNull()
    expect(syncOnce(a, folder, { stateEvery: 1, stateInterval: 3_600_000 }).stateWritten).toBeNull()
    const newer = syncOnce(a, folder, EVERY).stateWritten
    expect(newer).not.toBe(written)
    expect(
      readdirSync(deviceFolder(folder, a.syncDevice()!)).filter((n) => n.includes('state')),
    ).toEqual([basename(newer!)])
    for (const lib of [a, b]) lib.close()
  })

  it('prunes its own closed segments its state covers; a device offline meanwhile starts again from the state, keeping its own notes', async () => {
    const folder = tempDir()
    const small = { segmentBytes: 600 }
    const a = await device('a')
    const b = await device('b', '2026-11-30T13:00:00.000Z')
    a.importText('dump.txt', DUMP)
    syncOnce(a, folder, { ...NEVER, ...small })
    syncOnce(b, folder, { ...NEVER, ...small })
    // B goes away for months with a note not yet sent; A goes on, and prunes.
    b.setNote(byTitle(b, 'Second Paper On Stuff'), 'written offline on the desktop')
    for (let i = 0; i < 6; i += 1) {
      a.setStatus(byTitle(a, 'Third Paper On More'), i % 2 ? 'read' : 'reading')
      a.setNote(byTitle(a, 'Second Paper On Stuff'), `laptop edit ${i}`)
      syncOnce(a, folder, { ...NEVER, ...small })
    }
    const aFolder = deviceFolder(folder, a.syncDevice()!)
    const before = readdirSync(aFolder).filter((n) => n.endsWith('.seg'))
    const pruned = syncOnce(a, folder, { ...EVERY, ...small })
    expect(pruned.stateWritten).not.toBeNull()
    const after = readdirSync(aFolder).filter((n) => n.endsWith('.seg'))
    expect(after.length).toBeLessThan(before.length)
    expect(after).toContain(before.at(-1))
    expect(after).not.toContain('000001.seg')
    // Nothing of A's is written again: its state holds what the pruned segments held.
    expect(syncOnce(a, folder, { ...NEVER, ...small }).sent).toBe(0)
    expect(readdirSync(aFolder).filter((n) => n.endsWith('.seg'))).toEqual(after)
    // B is back: A's next operations are pruned, so it starts again from A's state, its own
    // unsent note merged on top and sent.
    const back = syncOnce(b, folder, { ...NEVER, ...small })
    expect(back.stateUsed).toEqual([pruned.stateWritten])
    expect(back.devices.every((d) => d.waiting === 0)).toBe(true)
    syncOnce(a, folder, { ...NEVER, ...small })
    for (const lib of [a, b]) {
      const paper = lib.getPaper(byTitle(lib, 'Second Paper On Stuff'))
      const texts = [paper.note, ...(paper.noteConflicts ?? []).map((c) => c.text)]
      expect(texts.sort()).toEqual(['laptop edit 5', 'written offline on the desktop'])
    }
    expect(canonical(b)).toEqual(canonical(a))
    // A new device starts from the state too, and has what every operation gives.
    const c = await device('c')
    syncOnce(c, folder, NEVER)
    expect(canonical(c)).toEqual(canonical(a))
    for (const lib of [a, b, c]) lib.close()
  })

  it('writes its pruned operations again when its own state is damaged', async () => {
    const folder = tempDir()
    const small = { segmentBytes: 600 }
    const a = await device('a')
    a.importText('dump.txt', DUMP)
    for (let i = 0; i < 4; i += 1) {
      a.setNote(byTitle(a, 'First Paper On Things'), `edit ${i}`)
      syncOnce(a, folder, { ...NEVER, ...small })
    }
    const state = syncOnce(a, folder, { ...EVERY, ...small }).stateWritten!
    expect(readdirSync(deviceFolder(folder, a.syncDevice()!))).not.toContain('000001.seg')
    writeFileSync(state, flipByte(readFileSync(state), 40))
    // Its state no longer vouches for them: every operation it pruned is written again.
    expect(syncOnce(a, folder, { ...NEVER, ...small }).sent).toBe(a.syncCursors().own)
    const c = await device('c')
    const report = syncOnce(c, folder, NEVER)
    expect(report.problems.some((p) => p.includes(state))).toBe(true)
    expect(canonical(c)).toEqual(canonical(a))
    for (const lib of [a, c]) lib.close()
  })

  it('takes a state’s word only for its own device: a forged state cannot hide another’s operations', async () => {
    const { folder, a, b } = await history()
    // A state in a folder of its own, saying it covers every operation of A and B, and holding
    // nothing: were it believed, a new device would skip them all.
    const forger = '0123456789abcdef'
    const covers = {
      [a.syncDevice()!]: a.syncCursors().own,
      [b.syncDevice()!]: b.syncCursors().own,
    }
    mkdirSync(deviceFolder(folder, forger), { recursive: true })
    const header = { format: 'lectern-sync-state', version: 1, device: forger, covers, entries: 0 }
    writeFileSync(
      join(deviceFolder(folder, forger), 'state-999999999999.state'),
      framed([header, { end: 0 }]),
    )
    const c = await device('c')
    syncOnce(c, folder, NEVER)
    expect(canonical(c)).toEqual(canonical(a))
    for (const lib of [a, b, c]) lib.close()
  })

  it('writes a state for a device that has changed nothing itself (its folder made for it)', async () => {
    const { folder, a, b } = await history()
    const c = await device('c')
    syncOnce(c, folder, NEVER)
    const report = syncOnce(c, folder, EVERY)
    expect(report.stateWritten).not.toBeNull()
    expect(stateFiles(folder, c.syncDevice()!).map((s) => s.file)).toEqual([report.stateWritten])
    for (const lib of [a, b, c]) lib.close()
  })

  it.runIf(SYMLINKS)('reads no state through a device folder that is a link', async () => {
    const { folder, a, b, written } = await history()
    const aFolder = deviceFolder(folder, a.syncDevice()!)
    const outside = join(tempDir(), 'elsewhere')
    renameSync(aFolder, outside)
    symlinkSync(outside, aFolder, 'dir')
    const c = await device('c')
    const report = syncOnce(c, folder, NEVER)
    expect(report.stateUsed).toEqual([])
    expect(report.problems.filter((p) => p.includes(basename(written!)))).toEqual([])
    for (const lib of [a, b, c]) lib.close()
  })

  for (const after of [1, 12]) {
    it(`sends every change made after a restore from a backup older than its own pruned segments and newest state (${after} made)`, async () => {
      const folder = tempDir()
      const small = { segmentBytes: 600 }
      const session = await LibrarySession.start(join(tempDir(), 'library.sqlite'), {
        owner: 'test',
        now: fixedClock('2026-11-30T12:00:00.000Z'),
      })
      session.get().importText('dump.txt', DUMP)
      syncOnce(session.get(), folder, { ...NEVER, ...small })
      const backup = await session.backupNow()
      // After the backup: changes sent, a state written, and the segments it covers pruned.
      const lib = session.get()
      for (let i = 0; i < 4; i += 1) {
        lib.setNote(byTitle(lib, 'First Paper On Things'), `written after the backup ${i}`)
        lib.setStatus(byTitle(lib, 'Fourth Paper, Deleted'), i % 2 ? 'read' : 'reading')
        syncOnce(lib, folder, { ...NEVER, ...small })
      }
      expect(syncOnce(lib, folder, { ...EVERY, ...small }).stateWritten).not.toBeNull()
      const own = deviceFolder(folder, lib.syncDevice()!)
      expect(readdirSync(own)).not.toContain('000001.seg')
      const sent = lib.syncCursors().own
      const b = await device('b', '2026-11-30T13:00:00.000Z')
      syncOnce(b, folder, { ...NEVER, ...small })
      await session.restore(backup.name)
      const restored = session.get()
      restored.setNote(byTitle(restored, 'Second Paper On Stuff'), 'written after the restore')
      for (let i = 1; i < after; i += 1) {
        restored.setStatus(byTitle(restored, 'Third Paper On More'), i % 2 ? 'read' : 'skipped')
      }
      // One change: the folder holds more than the library. Twelve: the library has more than
      // the folder, and the folder's last records, under the same counters, are others.
      expect(restored.syncCursors().own > sent).toBe(after > 1)
      const report = syncOnce(restored, folder, { ...NEVER, ...small })
      expect(report.rekeyedFrom).not.toBeNull()
      syncOnce(b, folder, { ...NEVER, ...small })
      syncOnce(restored, folder, { ...NEVER, ...small })
      const c = await device('c', '2026-11-30T14:00:00.000Z')
      syncOnce(c, folder, NEVER)
      for (const one of [restored, b, c]) {
        expect(one.getPaper(byTitle(one, 'Second Paper On Stuff')).note).toBe(
          'written after the restore',
        )
        const third = one.getPaper(byTitle(one, 'Third Paper On More')).status
        expect(third).toBe(after === 1 ? 'new' : after % 2 ? 'skipped' : 'read')
        const first = one.getPaper(byTitle(one, 'First Paper On Things'))
        expect(first.note).toBe('written after the backup 3')
        expect(first.noteConflicts ?? []).toEqual([])
      }
      expect(canonical(b)).toEqual(canonical(restored))
      expect(canonical(c)).toEqual(canonical(restored))
      for (const one of [b, c]) one.close()
      session.close()
    })
  }

  it('lets no clock reading far ahead in a state a new device starts from move its clock', async () => {
    const { folder, a, b } = await history()
    // Device X: one operation, and a state whose status of the first paper is stamped at the
    // last count of the last millisecond a stamp can say (a forged or broken clock).
    const x = 'abcdef0123456789'
    const [entry] = a.syncStateEntries().filter((e) => e.paper?.[1].title === 'Third Paper On More')
    const forged = `9999999999999.999999999@${x}`
    appendOwn(folder, x, ownTail(folder, x), [
      {
        device: x,
        counter: 1,
        stamp: `1796040000000.000000000@${x}`,
        key: entry!.key,
        change: { kind: 'star', starred: true },
      },
    ])
    writeState(folder, x, { [x]: 1 }, [
      { key: entry!.key, fields: [['status', forged, 'read']], touch: [[x, 1]] },
    ])
    const c = await device('c')
    const report = syncOnce(c, folder, NEVER)
    expect(report.stateUsed.some((f) => f.includes(x))).toBe(true)
    // The state applies, ordered by its stamp; this device's next stamps stay in reach.
    const third = byTitle(c, 'Third Paper On More')
    expect(c.getPaper(third).status).toBe('read')
    c.setNote(third, 'written after the forged state arrived')
    syncOnce(c, folder, NEVER)
    const [op] = c.syncOpsAfter(c.syncCursors().own - 1, 1)
    expect(Number(op!.stamp.slice(0, 13))).toBeLessThan(Date.parse('2027-01-01'))
    const got = syncOnce(a, folder, NEVER)
    expect(got.problems).toEqual([])
    expect(a.getPaper(byTitle(a, 'Third Paper On More')).note).toBe(
      'written after the forged state arrived',
    )
    for (const lib of [a, b, c]) lib.close()
  })

  it('uses no part of a state that is cut short, damaged, of another version or not its device’s', async () => {
    const spoil: [string, (data: Buffer, device: string) => Buffer, RegExp][] = [
      ['cut short', (data) => data.subarray(0, data.length - 7), /is not whole/],
      ['without its last record', (data) => cutLastRecord(data), /is not whole/],
      ['damaged', (data) => flipByte(data, data.length >> 1), /is damaged at byte|not whole/],
      ['of a newer version', (data) => rewriteHeader(data, { version: 2 }), /newer Lectern/],
      [
        'of another device',
        (data) => rewriteHeader(data, { device: 'f'.repeat(16) }),
        /not a compacted state of device/,
      ],
      [
        'with a bad record',
        (data) => rewriteRecord(data, 1, { key: 'x', fields: [['status', 'x', 'read']] }),
        /record 2: its fields/,
      ],
      [
        'claiming operations the folder does not hold',
        (data, device) => rewriteHeader(data, { covers: { [device]: 10_000 } }),
        /covers operations of device .* up to 10000/,
      ],
    ]
    for (const [what, change, message] of spoil) {
      const { folder, a, b, written } = await history()
      writeFileSync(written!, change(readFileSync(written!), a.syncDevice()!))
      const c = await device('c')
      const report = syncOnce(c, folder, NEVER)
      expect(report.stateUsed, what).toEqual([])
      const problem = report.problems.find((p) => p.includes(written!))
      expect(problem, what).toMatch(message)
      // From the segments instead: the same library.
      expect(canonical(c), what).toEqual(canonical(a))
      for (const lib of [a, b, c]) lib.close()
    }
  })
})

function records(data: Buffer): unknown[] {
  return parseJournal(data).records as unknown[]
}

function framed(values: unknown[]): Buffer {
  return Buffer.concat(values.map(frameRecord))
}

function cutLastRecord(data: Buffer): Buffer {
  return framed(records(data).slice(0, -1))
}

function flipByte(data: Buffer, at: number): Buffer {
  const copy = Buffer.from(data)
  copy[at] = copy[at]! ^ 0xff
  return copy
}

function rewriteHeader(data: Buffer, change: Record<string, unknown>): Buffer {
  const all = records(data)
  return framed([{ ...(all[0] as object), ...change }, ...all.slice(1)])
}

function rewriteRecord(data: Buffer, index: number, value: unknown): Buffer {
  const all = records(data)
  all[index] = value
  return framed(all)
}
