// Deleting papers and undoing it: all or nothing, exact (note, status, history, id, place), kept
// through a crash, and never at the cost of a paper imported again since.
import { describe, expect, it } from 'vitest'
import type { Sort } from '../../shared/domain'
import { Library } from '../../electron/core/store/library'
import { LibraryError } from '../../electron/core/errors'
import { SAMPLE } from '../helpers/fixtures'
import { crashCopy, openTempLibrary } from '../helpers/library'

const byTitle: Sort = { field: 'title', direction: 'asc' }
const byAdded: Sort = { field: 'addedAt', direction: 'desc' }

function ids(lib: Library, sort: Sort = byAdded): number[] {
  return lib.listPapers({ sort, offset: 0, limit: 500 }).rows.map((r) => r.id)
}

describe('delete and undo', () => {
  it('deletes papers whole and puts them back exactly, in their places', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    const order = ids(lib)
    const [first, second] = [order[3]!, order[7]!]
    lib.setStatus(first, 'to-read')
    lib.setStatus(first, 'read')
    lib.setNote(first, 'a note worth keeping')
    const before = lib.getPaper(first)

    const deletion = lib.deletePapers([second, first])
    expect(deletion).toMatchObject({ deleted: 2 })
    expect(deletion.titles).toHaveLength(2)
    expect(lib.stats()).toMatchObject({ total: 93, withNotes: 0 })
    expect(() => lib.getPaper(first)).toThrow(/no paper with id/)

    const restored = lib.restoreDeleted(deletion.deletionId)
    expect(restored).toEqual({
      deletionId: deletion.deletionId,
      restored: 2,
      ids: [first, second].sort((a, b) => a - b),
    })
    expect(lib.getPaper(first)).toEqual(before)
    expect(ids(lib)).toEqual(order)
    expect(() => lib.restoreDeleted(deletion.deletionId)).toThrow(/already undone/)
    lib.close()
  })

  it('undoes a deletion after other papers changed status (history ids are not the paper’s)', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    const [a, b] = ids(lib)
    lib.update(a!, { status: 'to-read', note: 'irreplaceable thoughts' })
    const deletion = lib.deletePapers([a!])
    // The next paper's status change takes the next free history row.
    lib.setStatus(b!, 'skipped')
    lib.restoreDeleted(deletion.deletionId)
    expect(lib.getPaper(a!)).toMatchObject({
      note: 'irreplaceable thoughts',
      status: 'to-read',
      statusHistory: [{ status: 'to-read' }],
    })
    expect(lib.getPaper(b!).statusHistory.map((h) => h.status)).toEqual(['skipped'])
    lib.close()
  })

  it('an untouched copy removed by an undo keeps its id retired', async () => {
    const dump = 'Aug 19\n\nA paper deleted and imported again\n\nIts abstract.\n'
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', dump)
    const [id] = ids(lib)
    const deletion = lib.deletePapers([id!])
    lib.importText('a.txt', dump)
    const [copy] = ids(lib)
    lib.restoreDeleted(deletion.deletionId)
    lib.importText('b.txt', 'Aug 20\n\nA new paper after the undo\n\nIts own abstract.\n')
    expect(Math.max(...ids(lib))).toBe(copy! + 1)
    lib.close()
  })

  it('deletes nothing when one id is unknown', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    const order = ids(lib)
    expect(() => lib.deletePapers([order[0]!, 99_999])).toThrow(/no paper with id 99999/)
    expect(ids(lib)).toEqual(order)
    lib.close()
  })

  it('undoes the latest deletion when none is named, and says when there is none', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    expect(() => lib.restoreDeleted(null)).toThrow(/no deletion to undo/)
    const [a, b] = ids(lib)
    lib.deletePapers([a!])
    lib.deletePapers([b!])
    expect(lib.restoreDeleted(null).ids).toEqual([b])
    expect(lib.restoreDeleted(null).ids).toEqual([a])
    expect(lib.stats().total).toBe(95)
    lib.close()
  })

  it('never gives a deleted paper’s id to a new one, so undo finds its id free', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', 'Aug 19\n\nFirst paper title\n\nAn abstract of the first.\n')
    lib.importText('b.txt', 'Aug 20\n\nSecond paper title\n\nAn abstract of the second.\n')
    const last = Math.max(...ids(lib))
    const deletion = lib.deletePapers([last])
    lib.importText('c.txt', 'Aug 21\n\nThird paper title\n\nAn abstract of the third.\n')
    expect(Math.max(...ids(lib))).toBe(last + 1)
    lib.restoreDeleted(deletion.deletionId)
    expect(lib.getPaper(last).title).toBe('Second paper title')
    lib.close()
  })

  it('a paper imported again after its deletion gives way to the original, unless it was used', async () => {
    const dump = 'Aug 19\n\nA paper deleted and imported again\n\nIts abstract.\n'
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', dump)
    const [id] = ids(lib)
    lib.setNote(id!, 'the original note')
    const deletion = lib.deletePapers([id!])
    lib.importText('a.txt', dump)
    const [copy] = ids(lib)
    expect(copy).not.toBe(id)
    lib.restoreDeleted(deletion.deletionId)
    expect(ids(lib)).toEqual([id])
    expect(lib.getPaper(id!).note).toBe('the original note')

    // Now the copy carries a note of its own: undo refuses rather than lose either note.
    const again = lib.deletePapers([id!])
    lib.importText('a.txt', dump)
    const [used] = ids(lib)
    lib.setNote(used!, 'a new note')
    expect(() => lib.restoreDeleted(again.deletionId)).toThrow(LibraryError)
    expect(() => lib.restoreDeleted(again.deletionId)).toThrow(/imported again/)
    expect(lib.getPaper(used!).note).toBe('a new note')
    lib.close()
  })

  it('a deletion and its undo survive a crash (replayed from the journal)', async () => {
    const { lib, path } = await openTempLibrary({ checkpointBytes: 1 << 30 })
    lib.importText('a.txt', SAMPLE)
    lib.checkpoint()
    const order = ids(lib, byTitle)
    lib.setNote(order[0]!, 'kept through it all')
    const deletion = lib.deletePapers(order.slice(0, 5))
    const afterDelete = crashCopy(path)
    lib.restoreDeleted(deletion.deletionId)
    const afterUndo = crashCopy(path)
    lib.close()

    afterDelete()
    const deleted = await Library.open(path)
    expect(deleted.stats().total).toBe(90)
    expect(deleted.restoreDeleted(null).restored).toBe(5)
    expect(deleted.getPaper(order[0]!).note).toBe('kept through it all')
    deleted.close()

    afterUndo()
    const undone = await Library.open(path)
    expect(ids(undone, byTitle)).toEqual(order)
    expect(undone.getPaper(order[0]!).note).toBe('kept through it all')
    undone.close()
  })
})
