// Sync through a shared folder (electron/core/sync): two or three libraries, each its own
// device, passing operations through one folder as a sync service would deliver it.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scheduleAutoSync, syncPass } from '../../electron/core/api/sync'
import { LibrarySession } from '../../electron/core/safety/session'
import { Library } from '../../electron/core/store/library'
import { markerPath, syncOnce } from '../../electron/core/sync/pass'
import { appendOwn, deviceFolder, ownTail, readSegment } from '../../electron/core/sync/segments'
import { lectern } from '../helpers/cli'
import { fixedClock, SAMPLE, SAMPLE_PATH, tempDir } from '../helpers/fixtures'
import { device } from '../helpers/sync'

function byTitle(lib: Library, title: string): number {
  const page = lib.listPapers({
    sort: { field: 'title', direction: 'asc' },
    offset: 0,
    limit: 500,
  } as Parameters<Library['listPapers']>[0])
  const row = page.rows.find((r) => r.title === title)
  if (!row) throw new Error(`no paper “${title}”`)
  return row.id
}

const DUMP = `Aug 19

First Paper On Things

An abstract of the first.

Second Paper On Stuff

An abstract of the second.

Third Paper On More

An abstract of the third.
`

/**
 * A laptop (A) and a desktop (B, its clock an hour ahead) that each wrote the note of one paper
 * before hearing of the other's, then synced twice.
 */
async function noteEditedOnBoth() {
  const folder = tempDir()
  const a = await device('a', '2026-11-30T12:00:00.000Z')
  const b = await device('b', '2026-11-30T13:00:00.000Z')
  a.importText('dump.txt', DUMP)
  syncOnce(a, folder)
  syncOnce(b, folder)
  const ia = byTitle(a, 'Second Paper On Stuff')
  const ib = byTitle(b, 'Second Paper On Stuff')
  a.setNote(ia, 'written on the laptop')
  b.setNote(ib, 'written on the desktop')
  for (let i = 0; i < 2; i += 1) {
    syncOnce(a, folder)
    syncOnce(b, folder)
  }
  return { folder, a, b, ia, ib }
}

/**
 * Three devices, each seeing the folder through a view of its own: a device's files reach
 * another only when delivered (copied from one view to the other).
 */
async function threeViews() {
  const devices = [await device('a'), await device('b'), await device('c')] as const
  const views = [tempDir(), tempDir(), tempDir()]
  const ids = ['', '', '']
  const pass = (i: number) => (ids[i] = syncOnce(devices[i]!, views[i]!).device)
  const deliver = (from: number, to: number) => {
    const source = deviceFolder(views[from]!, ids[from]!)
    if (existsSync(source)) {
      cpSync(source, deviceFolder(views[to]!, ids[from]!), { recursive: true })
    }
  }
  /** Twice: every device's files to every other, then a pass on each. */
  const everywhere = () => {
    for (let round = 0; round < 2; round += 1) {
      for (let from = 0; from < 3; from += 1) {
        for (let to = 0; to < 3; to += 1) if (from !== to) deliver(from, to)
      }
      for (let i = 0; i < 3; i += 1) pass(i)
    }
  }
  return { devices, pass, deliver, everywhere }
}

/** Two passes of each device in turn: enough for each to have the other's changes. */
function twoRounds(folder: string, a: Library, b: Library) {
  for (let i = 0; i < 2; i += 1) {
    syncOnce(a, folder)
    syncOnce(b, folder)
  }
}

/** One paper imported by A under its arXiv id, by B under its DOI (two keys, one paper). */
function importUnderTwoKeys(a: Library, b: Library, title: string, arxiv: string, doi: string) {
  a.importText(
    'a.bib',
    `@article{k, title={${title}}, eprint={${arxiv}}, archivePrefix={arXiv}, abstract={By arXiv id.}}\n`,
  )
  b.importText('b.bib', `@article{k, title={${title}}, doi={${doi}}, abstract={By DOI.}}\n`)
}

describe('sync through a folder', () => {
  it('brings one device’s papers, statuses, stars, tags and notes to another', async () => {
    const folder = tempDir()
    const a = await device('a')
    const b = await device('b')
    a.importText('dump.txt', DUMP)
    const first = byTitle(a, 'First Paper On Things')
    a.setStatus(first, 'read')
    a.setNote(first, 'my note')
    a.updatePapers({ ids: [first], starred: true, addTags: ['ml'] })
    const ra = syncOnce(a, folder)
    expect(ra.sent).toBeGreaterThan(0)
    const rb = syncOnce(b, folder)
    expect(rb.applied).toBe(ra.sent)
    const id = byTitle(b, 'First Paper On Things')
    const paper = b.getPaper(id)
    expect(paper).toMatchObject({ status: 'read', note: 'my note', starred: true, tags: ['ml'] })
    expect(b.stats().total).toBe(3)
    // Nothing new: a second pass applies nothing.
    expect(syncOnce(b, folder).applied).toBe(0)
    expect(syncOnce(a, folder).applied).toBe(0)
    a.close()
    b.close()
  })

  it('keeps both versions of a note edited on two computers at once, the later shown', async () => {
    const { folder, a, b, ia, ib } = await noteEditedOnBoth()
    const pa = a.getPaper(ia)
    const pb = b.getPaper(ib)
    // B's clock is an hour ahead: its version is the later one, shown on both.
    expect(pa.note).toBe('written on the desktop')
    expect(pb.note).toBe('written on the desktop')
    expect(pa.noteConflicts?.map((c) => c.text)).toEqual(['written on the laptop'])
    expect(pb.noteConflicts?.map((c) => c.text)).toEqual(['written on the laptop'])
    // Whole papers listed (the command line's list --json, exports) carry them too, in any order.
    for (const sort of [
      { field: 'title', direction: 'asc' },
      { field: 'relevance', direction: 'desc' },
    ] as const) {
      const listed = a
        .listFullPapers({ sort, search: 'desktop', offset: 0, limit: -1 })
        .find((p) => p.id === ia)
      expect(
        listed?.noteConflicts?.map((c) => c.text),
        sort.field,
      ).toEqual(['written on the laptop'])
      expect(listed, sort.field).toEqual(a.getPaper(ia))
    }
    // Kept on A: the laptop's text becomes the note, on both, and the conflict is gone.
    a.resolveNoteConflict(ia, pa.noteConflicts![0]!.version, true)
    syncOnce(a, folder)
    syncOnce(b, folder)
    expect(a.getPaper(ia)).toMatchObject({ note: 'written on the laptop' })
    expect(a.getPaper(ia).noteConflicts).toBeUndefined()
    expect(b.getPaper(ib)).toMatchObject({ note: 'written on the laptop' })
    expect(b.getPaper(ib).noteConflicts).toBeUndefined()
    a.close()
    b.close()
  })

  it('refuses to keep a version of the note that another computer has replaced meanwhile', async () => {
    const { folder, a, b, ia, ib } = await noteEditedOnBoth()
    // The laptop's pane offers the laptop's version; meanwhile the desktop discards it and
    // writes the note again, and that arrives.
    const stale = a.getPaper(ia).noteConflicts![0]!.version
    b.resolveNoteConflict(ib, b.getPaper(ib).noteConflicts![0]!.version, false)
    b.setNote(ib, 'both, merged by hand on the desktop')
    syncOnce(b, folder)
    syncOnce(a, folder)
    expect(a.getPaper(ia).note).toBe('both, merged by hand on the desktop')
    // Keep, clicked in the stale pane: refused, and the note is as it was, here and there.
    expect(() => a.resolveNoteConflict(ia, stale, true)).toThrow(/replaced/)
    expect(() => a.resolveNoteConflict(ia, stale, false)).toThrow(/replaced/)
    expect(a.getPaper(ia).note).toBe('both, merged by hand on the desktop')
    syncOnce(a, folder)
    syncOnce(b, folder)
    expect(b.getPaper(ib).note).toBe('both, merged by hand on the desktop')
    expect(b.getPaper(ib).noteConflicts).toBeUndefined()
    a.close()
    b.close()
  })

  it('keeps a paper deleted on one computer while it was changed on another; tags add-wins', async () => {
    const folder = tempDir()
    const a = await device('a')
    const b = await device('b')
    a.importText('dump.txt', DUMP)
    const ia = byTitle(a, 'Third Paper On More')
    a.updatePapers({ ids: [ia], addTags: ['keep'] })
    syncOnce(a, folder)
    syncOnce(b, folder)
    const ib = byTitle(b, 'Third Paper On More')
    // Concurrently: A tags it, takes the tag off again, and deletes it; B tags it alike and
    // writes a note. B's tag was not the one A took off: it stays (add wins).
    a.updatePapers({ ids: [ia], addTags: ['x'] })
    a.updatePapers({ ids: [ia], removeTags: ['x'] })
    a.deletePapers([ia])
    b.setNote(ib, 'still reading this')
    b.updatePapers({ ids: [ib], addTags: ['x'] })
    twoRounds(folder, a, b)
    for (const lib of [a, b]) {
      const paper = lib.getPaper(byTitle(lib, 'Third Paper On More'))
      expect(paper.note).toBe('still reading this')
      expect([...paper.tags].sort()).toEqual(['keep', 'x'])
    }
    // A deletion that saw everything wins.
    const again = byTitle(a, 'Third Paper On More')
    a.deletePapers([again])
    syncOnce(a, folder)
    syncOnce(b, folder)
    expect(() => byTitle(b, 'Third Paper On More')).toThrow()
    expect(b.stats().total).toBe(2)
    a.close()
    b.close()
  })

  it('recognises the same paper imported on both computers, and never lets an import touch a note', async () => {
    const folder = tempDir()
    const a = await device('a')
    const b = await device('b')
    a.importText('dump.txt', DUMP)
    b.importText('sample.txt', SAMPLE)
    b.importText('dump.txt', DUMP)
    const ib = byTitle(b, 'First Paper On Things')
    b.setNote(ib, 'B’s note')
    twoRounds(folder, a, b)
    expect(a.stats().total).toBe(b.stats().total)
    expect(a.stats().total).toBe(98)
    expect(a.getPaper(byTitle(a, 'First Paper On Things')).note).toBe('B’s note')
    a.close()
    b.close()
  })

  it('merges a paper known by its arXiv id on one computer and by its DOI on the other as one', async () => {
    const folder = tempDir()
    const a = await device('a', '2026-11-30T12:00:00.000Z')
    const b = await device('b', '2026-11-30T13:00:00.000Z')
    const title = 'One Paper Under Two Keys'
    a.importText(
      'a.bib',
      `@article{k, title={${title}}, eprint={2408.01234}, archivePrefix={arXiv}, abstract={Known by its arXiv id.}}\n`,
    )
    b.importText(
      'b.bib',
      `@article{k, title={${title}}, doi={10.1000/two.keys}, abstract={Known by its DOI.}}\n`,
    )
    // Written on both before either heard of the other: both versions are kept on both.
    a.setNote(byTitle(a, title), 'written on the laptop')
    b.setNote(byTitle(b, title), 'written on the desktop')
    b.setStatus(byTitle(b, title), 'reading')
    twoRounds(folder, a, b)
    const seen = (lib: Library) => {
      const p = lib.getPaper(byTitle(lib, title))
      return {
        total: lib.stats().total,
        note: p.note,
        status: p.status,
        conflicts: (p.noteConflicts ?? []).map((c) => c.text),
      }
    }
    const expected = {
      total: 1,
      note: 'written on the desktop',
      status: 'reading',
      conflicts: ['written on the laptop'],
    }
    expect(seen(a)).toEqual(expected)
    expect(seen(b)).toEqual(expected)
    // Stable: further passes send and apply nothing, and change nothing.
    for (let i = 0; i < 2; i += 1) {
      expect(syncOnce(a, folder)).toMatchObject({ sent: 0, applied: 0 })
      expect(syncOnce(b, folder)).toMatchObject({ sent: 0, applied: 0 })
    }
    expect(seen(a)).toEqual(expected)
    expect(seen(b)).toEqual(expected)
    // A note written on one and a version discarded on the other hold on both.
    a.setNote(byTitle(a, title), 'both, merged on the laptop')
    syncOnce(a, folder)
    syncOnce(b, folder)
    const other = b.getPaper(byTitle(b, title)).noteConflicts![0]!.version
    b.resolveNoteConflict(byTitle(b, title), other, false)
    twoRounds(folder, a, b)
    const merged = { ...expected, note: 'both, merged on the laptop', conflicts: [] }
    expect(seen(a)).toEqual(merged)
    expect(seen(b)).toEqual(merged)
    // Deleted where both keys are known, after seeing every change: gone on both.
    a.deletePapers([byTitle(a, title)])
    twoRounds(folder, a, b)
    expect([a.stats().total, b.stats().total]).toEqual([0, 0])
    a.close()
    b.close()
  })

  it('deletes a paper known under two keys on every device or on none, whichever linked the keys', async () => {
    // A knows the paper by its arXiv id, B by its DOI; C hears of both and links the keys to
    // its one paper. A and B each delete their paper, having seen every change under their own
    // key, before hearing of the other key (so they never link the two). Every change under
    // each key was seen by a deletion under it, but no one deletion saw both keys' changes:
    // the library must be the same on all three, whatever links each made locally.
    const title = 'One Paper Deleted Under Two Keys'
    const { devices, pass, deliver, everywhere } = await threeViews()
    const [a, b, c] = devices
    importUnderTwoKeys(a, b, title, '2408.04321', '10.1000/deleted.twice')
    pass(0)
    pass(1)
    pass(2)
    deliver(0, 2)
    deliver(1, 2)
    pass(2)
    expect(c.stats().total).toBe(1)
    a.deletePapers([byTitle(a, title)])
    b.deletePapers([byTitle(b, title)])
    pass(0)
    pass(1)
    everywhere()
    expect([a, b, c].map((lib) => lib.stats().total)).toEqual([0, 0, 0])
    for (const lib of [a, b, c]) lib.close()
  })

  it('shows a paper known under two keys the same on every device, whichever linked the keys', async () => {
    // A knows the paper by its title (a dump), B by its arXiv id: B reads, tags and annotates
    // it, then deletes it, before hearing of A's. C hears of both and links the arXiv key to
    // its one paper; A had deleted the paper when the arXiv key arrived, and undid that after
    // (so it never linked the key). The deleted key is gone everywhere; what each device shows
    // of the paper must not depend on which keys it linked.
    const title = 'One Paper Shown Under Two Keys'
    const { devices, pass, deliver, everywhere } = await threeViews()
    const [a, b, c] = devices
    for (let i = 0; i < 3; i += 1) pass(i)
    a.importText('dump.txt', `Aug 19\n\n${title}\n\nKnown by its title.\n`)
    a.setStatus(byTitle(a, title), 'skipped')
    pass(0)
    b.importText(
      'b.bib',
      `@article{k, title={${title}}, eprint={2408.04444}, archivePrefix={arXiv}, abstract={By arXiv id.}}\n`,
    )
    const ib = byTitle(b, title)
    b.setStatus(ib, 'read')
    b.updatePapers({ ids: [ib], addTags: ['from-b'], starred: true })
    b.setNote(ib, 'written on B before it deleted the paper')
    b.deletePapers([ib])
    pass(1)
    a.deletePapers([byTitle(a, title)])
    pass(0)
    deliver(1, 0)
    pass(0)
    a.restoreDeleted(null)
    pass(0)
    deliver(0, 2)
    deliver(1, 2)
    pass(2)
    everywhere()
    const shown = (lib: Library) => {
      const p = lib.getPaper(byTitle(lib, title))
      const conflicts = (p.noteConflicts ?? []).map((v) => v.text)
      return [lib.stats().total, p.status, p.starred, p.tags, p.note, conflicts]
    }
    expect(shown(b)).toEqual(shown(a))
    expect(shown(c)).toEqual(shown(a))
    // A change made where the keys are linked reaches every device.
    c.setStatus(byTitle(c, title), 'to-read')
    c.setNote(byTitle(c, title), 'written on C')
    everywhere()
    expect(shown(a).slice(0, 2)).toEqual([1, 'to-read'])
    expect(shown(b)).toEqual(shown(a))
    expect(shown(c)).toEqual(shown(a))
    for (const lib of [a, b, c]) lib.close()
  })

  it('deletes only the paper deleted where a preprint and its publication are two papers', async () => {
    // Z knows the preprint (arXiv id, its title), X the publication (DOI, another title): two
    // papers on each of them. Y imported a record with both ids, so it links the two keys to
    // one paper. Z's user deletes the preprint only: the publication stays on every device, Y
    // included (the deletion, under the arXiv key, saw the DOI key's changes too).
    const folder = tempDir()
    const z = await device('z', '2026-11-30T10:00:00.000Z')
    const x = await device('x', '2026-11-30T11:00:00.000Z')
    const y = await device('y', '2026-11-30T12:00:00.000Z')
    const pre = 'Preprint Title Of The Work'
    const pub = 'Published Title Entirely Different'
    z.importText(
      'z.bib',
      `@article{k, title={${pre}}, eprint={2408.07777}, archivePrefix={arXiv}, abstract={Preprint.}}\n`,
    )
    x.importText(
      'x.bib',
      `@article{k, title={${pub}}, doi={10.1000/pub.version}, abstract={Published.}}\n`,
    )
    y.importText(
      'y.bib',
      `@article{k, title={${pre}}, eprint={2408.07777}, archivePrefix={arXiv}, doi={10.1000/pub.version}, abstract={Both.}}\n`,
    )
    const all = () => {
      for (let i = 0; i < 3; i += 1) for (const lib of [z, x, y]) syncOnce(lib, folder)
    }
    all()
    expect([z, x, y].map((lib) => lib.stats().total)).toEqual([2, 2, 1])
    z.deletePapers([byTitle(z, pre)])
    all()
    expect([z, x, y].map((lib) => lib.stats().total)).toEqual([1, 1, 1])
    for (const lib of [z, x, y]) lib.close()
  })

  it('takes an older Lectern’s deletion under one of two keys alike on every device', async () => {
    // Before deletions were recorded under each key, a device that knew a paper by its arXiv
    // id and its DOI recorded its deletion under one key only, having seen every change under
    // both. Such segments are still in sync folders. Whether the other key was the same paper
    // there cannot be told from the deletion (a device that never linked the keys deletes one
    // of two papers so; see the test above): the other key's paper stays, on every device.
    const folder = tempDir()
    const title = 'One Paper Deleted By An Older Lectern'
    const a = await device('a')
    const b = await device('b')
    importUnderTwoKeys(a, b, title, '2408.05555', '10.1000/old.delete')
    twoRounds(folder, a, b)
    expect([a.stats().total, b.stats().total]).toEqual([1, 1])
    const ra = syncOnce(a, folder)
    const rb = syncOnce(b, folder)
    // Device X, an older Lectern that had applied everything, deletes it under one key.
    const x = 'abcdef0123456789'
    const deletion = (counter: number) => ({
      device: x,
      counter,
      stamp: `1796040000000.00000000${counter}@${x}`,
      key: 'arxiv:2408.05555',
      change: {
        kind: 'delete' as const,
        seen: {
          [ra.device]: a.syncCursors().own,
          [rb.device]: b.syncCursors().own,
          [x]: counter,
        },
      },
    })
    appendOwn(folder, x, ownTail(folder, x), [deletion(1)])
    twoRounds(folder, a, b)
    expect([a.stats().total, b.stats().total]).toEqual([1, 1])
    expect(byTitle(a, title)).toBeGreaterThan(0)
    expect(byTitle(b, title)).toBeGreaterThan(0)
    a.close()
    b.close()
  })

  it('ignores torn tails and a sync service’s temporary files, and reads conflict copies as data', async () => {
    const folder = tempDir()
    const a = await device('a')
    const b = await device('b')
    a.importText('dump.txt', DUMP)
    const id = byTitle(a, 'First Paper On Things')
    const ra = syncOnce(a, folder)
    a.setNote(id, 'second pass')
    syncOnce(a, folder)
    const own = deviceFolder(folder, ra.device)
    const [segment] = readdirSync(own)
    const whole = readFileSync(join(own, segment!))
    // A copy still under way: cut mid-record. B applies the whole records, waits for the rest.
    const copyB = tempDir()
    const copied = deviceFolder(copyB, ra.device)
    mkdirSync(copied, { recursive: true })
    writeFileSync(join(copied, segment!), whole.subarray(0, whole.length - 7))
    writeFileSync(join(copied, `.syncthing.${segment}.tmp`), 'garbage')
    writeFileSync(join(copied, `~$${segment}`), 'garbage')
    const torn = syncOnce(b, copyB)
    expect(torn.problems).toEqual([])
    expect(torn.applied).toBeGreaterThan(0)
    const ib = byTitle(b, 'First Paper On Things')
    expect(b.getPaper(ib).note).toBe('')
    // The rest arrives as a conflict copy beside the torn file: read as ordinary data.
    writeFileSync(
      join(copied, segment!.replace('.seg', '.sync-conflict-20261130-120000-ABCDEFG.seg')),
      whole,
    )
    const rest = syncOnce(b, copyB)
    expect(rest.applied).toBe(1)
    expect(b.getPaper(ib).note).toBe('second pass')
    a.close()
    b.close()
  })

  it('quarantines a damaged segment of another device without holding up the rest', async () => {
    const folder = tempDir()
    const a = await device('a')
    const c = await device('c')
    const b = await device('b')
    a.importText('dump.txt', DUMP)
    const ia = byTitle(a, 'First Paper On Things')
    a.setStatus(ia, 'reading')
    a.setNote(ia, 'x'.repeat(200))
    const ra = syncOnce(a, folder)
    c.importText('sample.txt', SAMPLE)
    syncOnce(c, folder)
    // A bit flipped in the middle of A's segment.
    const own = deviceFolder(folder, ra.device)
    const file = join(own, readdirSync(own)[0]!)
    const data = readFileSync(file)
    const at = Math.floor(data.length / 2)
    data[at] = data[at]! ^ 0xff
    writeFileSync(file, data)
    const rb = syncOnce(b, folder)
    expect(rb.problems.join('\n')).toMatch(/is damaged at byte \d+/)
    // C's papers all came; A's up to the damage.
    expect(b.stats().total).toBeGreaterThanOrEqual(95)
    a.close()
    b.close()
    c.close()
  })

  it('stops at a well-checksummed record whose fields are wrong, naming it, and applies the rest', async () => {
    // A's operations, taken from its own folder, then written again as device X's with one
    // note that names no versions it replaced (a record a buggy or later Lectern might write).
    const a = await device('a')
    a.importText('dump.txt', DUMP)
    const ia = byTitle(a, 'First Paper On Things')
    a.setNote(ia, 'a note')
    a.setStatus(ia, 'read')
    const mine = tempDir()
    const ra = syncOnce(a, mine)
    const own = deviceFolder(mine, ra.device)
    const ops = readSegment(join(own, readdirSync(own)[0]!), ra.device).ops
    const x = 'abcdef0123456789'
    const forged = ops.map((op, i) => ({
      ...op,
      device: x,
      counter: i + 1,
      stamp: op.stamp.replace(/@.*$/, `@${x}`),
    }))
    const bad = forged.findIndex((op) => op.change.kind === 'note')
    expect(bad).toBeGreaterThan(0)
    const { bases: _dropped, ...noBases } = forged[bad]!.change as { bases: string[] }
    forged[bad] = { ...forged[bad]!, change: noBases as (typeof forged)[number]['change'] }
    const folder = tempDir()
    appendOwn(folder, x, ownTail(folder, x), forged)
    const c = await device('c')
    c.importText('sample.txt', SAMPLE)
    syncOnce(c, folder)
    const b = await device('b')
    const rb = syncOnce(b, folder)
    // Said, with the file, the record and the field; X's operations before it applied, C's all.
    expect(rb.problems.join('\n')).toContain(`record ${bad + 2}: not an operation of device ${x}`)
    expect(rb.problems.join('\n')).toContain('change.bases is not a list of versions')
    expect(b.stats().total).toBe(
      95 + forged.slice(0, bad).filter((op) => op.change.kind === 'add').length,
    )
    const ib = byTitle(b, 'First Paper On Things')
    expect(b.getPaper(ib).note).toBe('')
    const statusBefore = forged.slice(0, bad).some((op) => op.change.kind === 'status')
    expect(b.getPaper(ib).status).toBe(statusBefore ? 'read' : 'new')
    // Every later pass says so again, and applies nothing more of X's, nothing twice of C's.
    const again = syncOnce(b, folder)
    expect(again.applied).toBe(0)
    expect(again.problems.join('\n')).toContain('change.bases is not a list of versions')
    a.close()
    b.close()
    c.close()
  })

  it('lets no clock reading far ahead cut a device off, nor put a future time in history', async () => {
    const folder = tempDir()
    const a = await device('a')
    const b = await device('b')
    a.importText('dump.txt', DUMP)
    const ra = syncOnce(a, folder)
    const first = readSegment(
      join(deviceFolder(folder, ra.device), '000001.seg'),
      ra.device,
    ).ops.find((op) => op.change.kind === 'add')!
    // Device X's one operation, stamped at the last count of the last millisecond a stamp
    // can say (year 2286): a forged or broken clock.
    const x = 'abcdef0123456789'
    appendOwn(folder, x, ownTail(folder, x), [
      {
        device: x,
        counter: 1,
        stamp: `9999999999999.999999999@${x}`,
        key: first.key,
        change: { kind: 'status', status: 'read' },
      },
    ])
    syncOnce(b, folder)
    const ib = byTitle(b, 'First Paper On Things')
    b.setNote(ib, 'written after the forged clock arrived')
    syncOnce(b, folder)
    const got = syncOnce(a, folder)
    // B's changes are still ones every device takes.
    expect(got.problems).toEqual([])
    const ia = byTitle(a, 'First Paper On Things')
    expect(a.getPaper(ia).note).toBe('written after the forged clock arrived')
    // The operation itself applies, ordered by its stamp; its time in history is the pass's.
    for (const [lib, id] of [
      [a, ia],
      [b, ib],
    ] as const) {
      const paper = lib.getPaper(id)
      expect(paper.status).toBe('read')
      for (const h of paper.statusHistory) expect(h.at < '2027-01-01').toBe(true)
    }
    a.close()
    b.close()
  })

  it('times a note’s other version by the library’s clock, never after it', async () => {
    // A and B edit one note at once; C, whose clock is a day behind theirs, is shown the
    // earlier edit as the other version, at no time later than its own clock says it is.
    const folder = tempDir()
    const a = await device('a', '2026-11-30T12:00:00.000Z')
    const b = await device('b', '2026-11-30T13:00:00.000Z')
    const cNow = '2026-11-29T12:00:00.000Z'
    const c = await Library.open(join(tempDir(), 'library.sqlite'), {
      now: () => new Date(cNow),
    })
    a.importText('dump.txt', DUMP)
    syncOnce(a, folder)
    syncOnce(b, folder)
    a.setNote(byTitle(a, 'First Paper On Things'), 'written on A')
    b.setNote(byTitle(b, 'First Paper On Things'), 'written on B')
    syncOnce(a, folder)
    syncOnce(b, folder)
    syncOnce(c, folder)
    const paper = c.getPaper(byTitle(c, 'First Paper On Things'))
    expect(paper.note).toBe('written on B')
    expect(paper.noteConflicts?.map((v) => [v.text, v.at])).toEqual([['written on A', cNow]])
    for (const lib of [a, b, c]) lib.close()
  })

  it('gives a library copied by hand to another computer a device of its own', async () => {
    const folder = tempDir()
    const a = await device('a')
    a.importText('dump.txt', DUMP)
    const ra = syncOnce(a, folder)
    const ia = byTitle(a, 'First Paper On Things')
    a.setNote(ia, 'before the copy')
    a.close()
    // Copied: the library's files, not the marker (another computer's path or host).
    const copyDir = join(tempDir(), 'copy')
    mkdirSync(copyDir)
    for (const f of ['library.sqlite', 'library.sqlite.journal', 'library.sqlite.sum']) {
      const from = join(folderOf(a.path), f)
      if (existsSync(from)) cpSync(from, join(copyDir, f))
    }
    expect(existsSync(markerPath(a.path))).toBe(true)
    const original = await Library.open(a.path, { now: fixedClock('2026-11-30T14:00:00.000Z') })
    const copy = await Library.open(join(copyDir, 'library.sqlite'), {
      now: fixedClock('2026-11-30T15:00:00.000Z'),
    })
    const rc = syncOnce(copy, folder)
    expect(rc.rekeyedFrom).toBe(ra.device)
    expect(rc.device).not.toBe(ra.device)
    // What the original had not written to the folder, the copy sends under its own id: a
    // third computer has it before the original syncs again.
    expect(rc.sent).toBeGreaterThan(0)
    const third = await device('c')
    syncOnce(third, folder)
    expect(third.getPaper(byTitle(third, 'First Paper On Things')).note).toBe('before the copy')
    // The original writes what it had not; the copy, its own changes; both converge.
    copy.setNote(byTitle(copy, 'Second Paper On Stuff'), 'on the copy')
    syncOnce(original, folder)
    syncOnce(copy, folder)
    syncOnce(original, folder)
    expect(original.getPaper(byTitle(original, 'First Paper On Things')).note).toBe(
      'before the copy',
    )
    expect(original.getPaper(byTitle(original, 'Second Paper On Stuff')).note).toBe('on the copy')
    expect(copy.getPaper(byTitle(copy, 'First Paper On Things')).note).toBe('before the copy')
    // The original is still the device it was; the third sees the note once, no conflict.
    expect(syncOnce(original, folder).device).toBe(ra.device)
    syncOnce(third, folder)
    const seen = third.getPaper(byTitle(third, 'First Paper On Things'))
    expect(seen.note).toBe('before the copy')
    expect(seen.noteConflicts).toBeUndefined()
    original.close()
    copy.close()
    third.close()
  })

  for (const after of [1, 3]) {
    it(`sends every change made after a restore from a backup older than the folder (${after} made)`, async () => {
      const folder = tempDir()
      const session = await LibrarySession.start(join(tempDir(), 'library.sqlite'), {
        owner: 'test',
        now: fixedClock(),
      })
      session.get().importText('dump.txt', DUMP)
      syncOnce(session.get(), folder)
      const backup = await session.backupNow()
      // Sent after the backup was taken: the folder holds more of this device's changes than
      // the backup does.
      const lib = session.get()
      lib.setNote(byTitle(lib, 'First Paper On Things'), 'written after the backup')
      syncOnce(lib, folder)
      await session.restore(backup.name)
      const restored = session.get()
      const titles = ['Second Paper On Stuff', 'Third Paper On More', 'First Paper On Things']
      for (const title of titles.slice(0, after)) {
        restored.setNote(byTitle(restored, title), `${title}: written after the restore`)
      }
      syncOnce(restored, folder)
      const b = await device('b')
      syncOnce(b, folder)
      syncOnce(restored, folder)
      for (const lib of [restored, b]) {
        for (const title of titles.slice(0, after)) {
          expect(lib.getPaper(byTitle(lib, title)).note).toBe(`${title}: written after the restore`)
        }
        // The note sent before the restore is kept too: the note, or (written again since,
        // the two never having seen each other) the other version.
        const first = lib.getPaper(byTitle(lib, 'First Paper On Things'))
        if (after < 3) expect(first.note).toBe('written after the backup')
        else expect(first.noteConflicts?.map((c) => c.text)).toEqual(['written after the backup'])
      }
      b.close()
      session.close()
    })
  }

  it('lectern sync DIR: one pass each way; --remember, --status and --off', async () => {
    const folder = tempDir()
    const a = join(tempDir(), 'a.sqlite')
    const b = join(tempDir(), 'b.sqlite')
    expect((await lectern('--library', a, 'import', SAMPLE_PATH)).code).toBe(0)
    expect((await lectern('--library', a, 'set', '1', '--note', 'from the laptop')).code).toBe(0)
    const sent = await lectern('--library', a, 'sync', folder)
    expect(sent.code).toBe(0)
    expect(sent.out).toMatch(/Synced through .*: \d+ changes sent, 0 applied/)
    const got = await lectern('--library', b, 'sync', folder, '--remember')
    expect(got.out).toContain('syncs through')
    expect(got.out).toMatch(/, \d+ applied/)
    const stats = JSON.parse((await lectern('--library', b, 'stats', '--json')).out)
    expect(stats).toMatchObject({ total: 95, withNotes: 1 })
    // Remembered: a pass without DIR uses it.
    expect((await lectern('--library', b, 'sync')).code).toBe(0)
    const status = JSON.parse((await lectern('--library', b, 'sync', '--status', '--json')).out)
    expect(status).toMatchObject({ folder, pending: 0, last: { folder } })
    expect((await lectern('--library', b, 'sync', '--off')).code).toBe(0)
    const none = await lectern('--library', b, 'sync')
    expect(none.code).toBe(1)
    expect(none.err).toContain('no sync folder is chosen')
    const missing = await lectern('--library', b, 'sync', join(folder, 'nowhere'))
    expect(missing.err).toContain('does not exist')
  }, 60_000)

  it('sends every change made after a restore from an older backup when a segment of its own in the middle is lost too', async () => {
    const folder = tempDir()
    const small = { segmentBytes: 200 }
    const session = await LibrarySession.start(join(tempDir(), 'library.sqlite'), {
      owner: 'test',
      now: fixedClock(),
    })
    session.get().importText('dump.txt', DUMP)
    syncOnce(session.get(), folder, small)
    const backup = await session.backupNow()
    const lib = session.get()
    lib.setNote(byTitle(lib, 'First Paper On Things'), 'written after the backup')
    syncOnce(lib, folder, small)
    const b = await device('b')
    syncOnce(b, folder, small)
    await session.restore(backup.name)
    const restored = session.get()
    const titles = ['Second Paper On Stuff', 'Third Paper On More', 'First Paper On Things']
    for (const title of titles) {
      restored.setNote(byTitle(restored, title), `${title}: written after the restore`)
    }
    // A segment before those the backup lacks is lost from the folder.
    const own = deviceFolder(folder, restored.syncDevice()!)
    const segments = readdirSync(own).sort()
    expect(segments.length).toBeGreaterThanOrEqual(3)
    rmSync(join(own, segments[1]!))
    syncOnce(restored, folder, small)
    syncOnce(b, folder, small)
    syncOnce(restored, folder, small)
    for (const lib of [restored, b]) {
      for (const title of titles.slice(0, 2)) {
        expect(lib.getPaper(byTitle(lib, title)).note).toBe(`${title}: written after the restore`)
      }
      const first = lib.getPaper(byTitle(lib, 'First Paper On Things'))
      expect([first.note, ...(first.noteConflicts ?? []).map((c) => c.text)].sort()).toEqual([
        'First Paper On Things: written after the restore',
        'written after the backup',
      ])
    }
    b.close()
    session.close()
  })

  it('refuses a sync folder that holds the library or its backups (a sync service would copy them)', async () => {
    const home = tempDir()
    const library = join(home, 'Lectern', 'library.sqlite')
    expect((await lectern('--library', library, 'import', SAMPLE_PATH)).code).toBe(0)
    for (const folder of [join(home, 'Lectern'), home]) {
      for (const args of [
        ['sync', folder],
        ['sync', folder, '--remember'],
      ]) {
        const refused = await lectern('--library', library, ...args)
        expect(refused.code, args.join(' ')).not.toBe(0)
        expect(refused.err).toContain(`the sync folder ${folder} holds this library`)
      }
    }
    // Backups chosen into a folder, then that folder's parent as the sync folder.
    const shared = join(tempDir(), 'Sync')
    mkdirSync(join(shared, 'lectern-backups'), { recursive: true })
    expect(
      (
        await lectern(
          '--library',
          library,
          'settings',
          '--backups-folder',
          join(shared, 'lectern-backups'),
        )
      ).code,
    ).toBe(0)
    const backups = await lectern('--library', library, 'sync', shared)
    expect(backups.err).toContain(`the sync folder ${shared} holds its backups`)
    // Nothing was written into any of them, and sync stayed off.
    expect(existsSync(join(home, 'devices'))).toBe(false)
    expect(existsSync(join(shared, 'devices'))).toBe(false)
    const status = JSON.parse(
      (await lectern('--library', library, 'sync', '--status', '--json')).out,
    )
    expect(status).toMatchObject({ folder: null, device: null })
    // A folder of its own is fine.
    expect((await lectern('--library', library, 'sync', join(shared, 'lectern'))).code).toBe(1)
    mkdirSync(join(shared, 'lectern'))
    expect((await lectern('--library', library, 'sync', join(shared, 'lectern'))).code).toBe(0)
  }, 60_000)

  it('a long-running host syncs by itself while the library has a sync folder, and as it stops', async () => {
    const folder = tempDir()
    const a = await device('a')
    a.importText('dump.txt', DUMP)
    syncOnce(a, folder)
    a.close()
    const session = await LibrarySession.start(join(tempDir(), 'library.sqlite'), {
      owner: 'test',
      now: fixedClock(),
    })
    const log: string[] = []
    // No folder: nothing happens, nothing is logged.
    scheduleAutoSync(session, (m) => log.push(m))()
    expect(session.get().syncDevice()).toBeNull()
    session.get().setSyncFolder(join(folder, 'not-there'))
    const stop = scheduleAutoSync(session, (m) => log.push(m))
    stop()
    expect(log).toEqual([expect.stringContaining('does not exist')])
    session.get().setSyncFolder(folder)
    scheduleAutoSync(session, (m) => log.push(m))()
    expect(session.get().stats().total).toBe(3)
    expect(syncPass(session)).toMatchObject({ folder, pending: 0, last: { applied: 0 } })
    session.close()
  })
})

function folderOf(path: string): string {
  return dirname(path)
}
