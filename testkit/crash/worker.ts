// The process the crash test kills. It opens a library and edits it in a loop, forever,
// announcing each change on stdout before making it and acknowledging it once the call has
// returned (when the library says it is saved). See protocol.ts. The changes: imports (some
// titles already known, some of papers it deleted; every other one written in steps), notes
// (some with a word the search check looks for), statuses, stars and tags on a few papers at
// once (with a status now and then), undos of the last of those, renames and deletions of a tag
// across the library, deletions of papers and undos.
//
//   node --import tsx testkit/crash/worker.ts LIBRARY SEED [CHECKPOINT_BYTES] [TRASH_SHARE] [MAX_ID]
//
// CHECKPOINT_BYTES may also come from LECTERN_CHECKPOINT_BYTES; the default is 64 KB so that
// snapshots are written often and the kill lands in one now and then. TRASH_SHARE is the share
// of operations that delete papers or undo a deletion (default 0.1: 6% and 4%). MAX_ID is the
// highest paper id given out so far, when the caller knows more than the library's tables tell.
//
// LECTERN_CRASH_FAULT plants a bug in the worker itself, to show that the harness notices:
//   ack-before-save  acknowledges each change before making it (an acknowledged change can be lost)
//   split-import     makes an import as two calls (a kill between them leaves half an import)
//   split-delete     deletes papers one call each (a kill between them leaves half a deletion)
//   split-update     stars or tags papers one call each (a kill between them leaves half a change)
import { statSync, writeSync } from 'node:fs'
import { STATUSES } from '../../shared/domain'
import type { PaperState, Status } from '../../shared/domain'
import { titleKey } from '../../shared/titleKey'
import { LibraryError } from '../../electron/core/errors'
import { Library } from '../../electron/core/store/library'
import {
  int,
  makeAbstract,
  makeDateLine,
  makeDump,
  makeNote,
  makeRng,
  makeTitle,
  noteLength,
  pick,
  token,
} from '../gen'
import { NOTE_WORD, TAG_VOCABULARY } from './protocol'
import type { UndoRefusal, WorkerLine, WorkerOp } from './protocol'
import { readTrash } from './trash'

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/** Synchronous, whole-line writes to fd 1, so the parent sees every line written before a kill. */
function emit(line: WorkerLine): void {
  const data = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8')
  let written = 0
  while (written < data.length) {
    try {
      written += writeSync(1, data, written, data.length - written)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      Atomics.wait(sleeper, 0, 0, 1)
    }
  }
}

function journalBytes(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/** The planted bug `split-import`: one announced import made as two separate calls. */
function splitImport(lib: Library, op: { source: string }, text: string): { added: number } {
  const [date, ...papers] = text.split('\n\n').filter((b) => b !== '')
  const half = Math.floor(papers.length / 4) * 2
  const first = lib.importText(op.source, `${date}\n\n${papers.slice(0, half).join('\n\n')}\n`)
  const second = lib.importText(op.source, `${date}\n\n${papers.slice(half).join('\n\n')}\n`)
  return { added: first.added + second.added }
}

/**
 * The papers the worker may edit or delete, and what it may undo. It has to know the ids the
 * library gives new papers: one past every id there is or was (deleted papers, and copies an
 * undo removed, included).
 */
class Papers {
  /** Live papers: id → title, and their ids in a list to pick from. */
  readonly titleOf = new Map<number, string>()
  readonly ids: number[] = []
  readonly idOfKey = new Map<string, number>()
  /** Every title ever imported, deleted ones included, to import again now and then. */
  readonly titles: string[] = []
  /** Deletions not undone, oldest first, each with its papers' ids and titles. */
  readonly trash: { id: number; title: string }[][] = []
  maxId = 0

  add(id: number, title: string): void {
    this.titleOf.set(id, title)
    this.ids.push(id)
    this.idOfKey.set(titleKey(title), id)
    this.maxId = Math.max(this.maxId, id)
  }

  remove(id: number): string {
    const title = this.titleOf.get(id)
    if (title === undefined) throw new Error(`the worker lost track of paper ${id}`)
    this.titleOf.delete(id)
    this.ids.splice(this.ids.indexOf(id), 1)
    this.idOfKey.delete(titleKey(title))
    return title
  }

  /** The ids an import gives its new titles, in order; throws if the count is not `added`. */
  imported(source: string, titles: string[], added: number): number[] {
    const ids: number[] = []
    for (const title of titles) {
      if (this.idOfKey.has(titleKey(title))) continue
      this.add(this.maxId + 1, title)
      ids.push(this.maxId)
    }
    this.titles.push(...titles)
    if (ids.length !== added) {
      throw new Error(`import ${source} added ${added} papers; the worker expected ${ids.length}`)
    }
    return ids
  }

  deleted(ids: number[]): void {
    const sorted = [...ids].sort((a, b) => a - b)
    this.trash.push(sorted.map((id) => ({ id, title: this.remove(id) })))
  }

  /** The latest deletion came back; an untouched copy imported since gave way to each paper. */
  restored(ids: number[]): void {
    const deletion = this.trash.pop()
    if (!deletion || deletion.map((p) => p.id).join() !== ids.join()) {
      throw new Error(
        `the undo put back ${ids.join(', ')}; the worker expected ${JSON.stringify(deletion)}`,
      )
    }
    for (const { id, title } of deletion) {
      const copy = this.idOfKey.get(titleKey(title))
      if (copy !== undefined) this.remove(copy)
      this.add(id, title)
    }
  }

  /** Live copies of the papers the next undo would bring back (imported again since). */
  copies(): number[] {
    return (this.trash.at(-1) ?? [])
      .map((p) => this.idOfKey.get(titleKey(p.title)))
      .filter((id) => id !== undefined)
  }
}

/** The ids the library has for these titles (by title key), for a message. */
function idsOf(lib: Library, titles: string[]): number[] {
  const rows = lib.listPapers({
    sort: { field: 'title', direction: 'asc' },
    offset: 0,
    limit: Number.MAX_SAFE_INTEGER,
  }).rows
  const byKey = new Map(rows.map((r) => [titleKey(r.title), r.id]))
  return titles.map((t) => byKey.get(titleKey(t)) ?? NaN)
}

async function main(): Promise<void> {
  const [path, seedArg, checkpointArg, trashArg, maxIdArg, snapshotArg] = process.argv.slice(2)
  if (!path || !seedArg) {
    throw new Error(
      'usage: worker.ts LIBRARY SEED [CHECKPOINT_BYTES] [TRASH_SHARE] [MAX_ID] [thread|here]',
    )
  }
  const checkpointBytes = Number(checkpointArg ?? process.env.LECTERN_CHECKPOINT_BYTES ?? 64 * 1024)
  const trashShare = Number(trashArg ?? 0.1)
  // Where each kind's share of [0, 1) ends; what imports and the trash leave goes to notes
  // (30%), statuses (20%), stars (14%), tags (24%), renames and deletions of a tag (5%) and
  // undos of a star or tag change (7%; a note when there is none to undo).
  const importEnd = 0.15
  const deleteEnd = importEnd + trashShare * 0.6
  const undoEnd = importEnd + trashShare
  const rest = (share: number): number => undoEnd + (1 - undoEnd) * share
  const noteEnd = rest(0.3)
  const statusEnd = rest(0.5)
  const starEnd = rest(0.64)
  const tagEnd = rest(0.88)
  const tagAdminEnd = rest(0.93)
  const rng = makeRng(Number(seedArg))
  const fault = process.env.LECTERN_CRASH_FAULT ?? ''
  const lib = await Library.open(path, {
    checkpointBytes,
    owner: 'crash worker',
    ...(snapshotArg === 'thread' ? { snapshotThreadBytes: 0 } : {}),
  })
  const journalPath = lib.journalPath

  const papers = new Papers()
  const page = lib.listPapers({
    sort: { field: 'title', direction: 'asc' },
    offset: 0,
    limit: Number.MAX_SAFE_INTEGER,
  })
  for (const row of page.rows) {
    papers.add(row.id, row.title)
    papers.titles.push(row.title)
  }
  // Deletions left by earlier workers can be undone too, and their ids are still taken.
  const trash = await readTrash(lib)
  for (const deletion of trash.deletions) {
    papers.trash.push(deletion.papers.map((p) => ({ id: p.id, title: p.title })))
    papers.titles.push(...deletion.papers.map((p) => p.title))
  }
  papers.maxId = Math.max(
    papers.maxId,
    trash.maxPaperId,
    trash.retiredPaperId,
    Number(maxIdArg ?? 0),
  )
  const { ids, titles } = papers
  let lastEdited: number | null = null
  /** This process's last star or tag change, while it has not been undone. */
  let lastUpdate: { seq: number; before: PaperState[] } | null = null
  /**
   * 1-3 live papers for a star or tag change: now and then the one just edited, or a copy the
   * next undo would have to remove (a star or a tag makes it the user's, and the undo refused).
   */
  const somePapers = (): number[] => {
    const wanted = Math.min(int(rng, 1, 3), ids.length)
    const picked = new Set<number>()
    const copies = papers.copies()
    if (lastEdited !== null && papers.titleOf.has(lastEdited) && rng() < 0.3) picked.add(lastEdited)
    if (copies.length > 0 && rng() < 0.05) picked.add(pick(rng, copies))
    while (picked.size < wanted) picked.add(pick(rng, ids))
    return [...picked]
  }
  const someTags = (max: number): string[] =>
    Array.from({ length: int(rng, 0, max) }, () => pick(rng, TAG_VOCABULARY))
  const sometimesStatus = (): { status?: Status } =>
    rng() < 0.15 ? { status: pick(rng, STATUSES) } : {}
  emit({ t: 'ready', pid: process.pid, papers: ids.length })

  for (let seq = 1; ; seq += 1) {
    const r = rng()
    let op: WorkerOp
    if (ids.length === 0 || r < importEnd) {
      // A small dump: mostly new papers, some titles the library already has, now and then one
      // it had and lost to the latest deletion (so that an undo finds a copy in its way).
      const count = int(rng, 1, 8)
      const picked: string[] = []
      for (let i = 0; i < count; i += 1) {
        picked.push(
          titles.length > 0 && rng() < 0.3 ? pick(rng, titles) : makeTitle(rng, token(rng)),
        )
      }
      const latest = papers.trash.at(-1)
      if (latest && rng() < 0.3) picked.splice(int(rng, 0, count), 0, pick(rng, latest).title)
      op = { kind: 'import', source: `dump-${seedArg}-${seq}.txt`, titles: picked }
    } else if (r < deleteEnd) {
      // Often the paper just edited, as when a reader triages a paper and then deletes it (its
      // status history then holds the library's newest rows).
      const wanted = Math.min(int(rng, 1, 3), ids.length)
      const picked = new Set<number>()
      if (lastEdited !== null && papers.titleOf.has(lastEdited) && rng() < 0.5) {
        picked.add(lastEdited)
      }
      while (picked.size < wanted) picked.add(pick(rng, ids))
      op = { kind: 'delete', ids: [...picked] }
    } else if (r < undoEnd && papers.trash.length > 0) {
      op = { kind: 'undelete' }
    } else if (r >= statusEnd && r < tagAdminEnd) {
      if (r < starEnd) {
        op = { kind: 'star', ids: somePapers(), starred: rng() < 0.7, ...sometimesStatus() }
      } else if (r < tagEnd) {
        let addTags = someTags(2)
        const removeTags = someTags(addTags.length > 0 ? 1 : 2)
        if (addTags.length + removeTags.length === 0) addTags = [pick(rng, TAG_VOCABULARY)]
        op = { kind: 'tag', ids: somePapers(), addTags, removeTags, ...sometimesStatus() }
      } else if (rng() < 0.5) {
        const from = pick(rng, TAG_VOCABULARY)
        let to = pick(rng, TAG_VOCABULARY)
        while (to === from) to = pick(rng, TAG_VOCABULARY)
        op = { kind: 'rename-tag', from, to }
      } else {
        op = { kind: 'untag-all', name: pick(rng, TAG_VOCABULARY) }
      }
      if (op.kind === 'star' || op.kind === 'tag') lastEdited = op.ids[0]!
    } else if (
      r >= tagAdminEnd &&
      lastUpdate &&
      lastUpdate.before.every((p) => papers.titleOf.has(p.id))
    ) {
      op = { kind: 'undo-update', of: lastUpdate.seq, before: lastUpdate.before }
    } else {
      // Now and then the copy an undo would have to remove, so that some undos are refused.
      const copies = papers.copies()
      const id = copies.length > 0 && rng() < 0.05 ? pick(rng, copies) : pick(rng, ids)
      if (r < noteEnd || r >= tagAdminEnd) {
        // Some notes carry a word of their own, for the search check to find: before a NUL if
        // the note has one, as the index (FTS4 reads text up to a NUL) never sees past it.
        let note = makeNote(rng, noteLength(rng))
        if (rng() < 0.3) {
          note =
            note.includes('\0') || rng() < 0.5 ? `${NOTE_WORD} ${note}` : `${note} ${NOTE_WORD} `
        }
        op = { kind: 'note', id, note }
      } else {
        op = { kind: 'status', id, status: pick(rng, STATUSES) }
      }
      lastEdited = id
    }
    // The dump's text is made before the announcement so that the window between "op" and the
    // call is as short as it can be.
    const text =
      op.kind === 'import'
        ? makeDump(
            makeDateLine(rng),
            op.titles.map((title) => ({ title, abstract: makeAbstract(rng, int(rng, 80, 600)) })),
          )
        : ''
    emit({ t: 'op', seq, jb: journalBytes(journalPath), ...op })
    if (fault === 'ack-before-save') emit({ t: 'ack', seq, jb: journalBytes(journalPath) })
    let added: number | undefined
    let restored: number[] | undefined
    let refused: UndoRefusal | undefined
    let before: PaperState[] | undefined
    let tagged: number[] | undefined
    let putBack: number | undefined
    /** Runs a call that the library may refuse with `not-found` or `conflict`. */
    const refusable = <T>(call: () => T): T | undefined => {
      try {
        return call()
      } catch (error) {
        // A refusal changes nothing; anything else is a failure of the library.
        if (
          !(error instanceof LibraryError) ||
          (error.code !== 'conflict' && error.code !== 'not-found')
        ) {
          throw error
        }
        refused = error.code
        return undefined
      }
    }
    switch (op.kind) {
      case 'import': {
        // Every other import is written in steps of two papers, as the window writes a large
        // one: a kill between steps must leave none of it.
        const summary =
          fault === 'split-import' && op.titles.length > 1
            ? splitImport(lib, op, text)
            : seq % 2 === 0
              ? (await lib.importInSteps([{ source: op.source, text }], { step: 2 }))[0]!
              : lib.importText(op.source, text)
        added = summary.added
        break
      }
      case 'note':
        lib.setNote(op.id, op.note)
        break
      case 'status':
        lib.setStatus(op.id, op.status)
        break
      case 'delete':
        if (fault === 'split-delete') op.ids.forEach((id) => lib.deletePapers([id]))
        else lib.deletePapers(op.ids)
        break
      case 'undelete':
        restored = refusable(() => lib.restoreDeleted(null).ids)
        break
      case 'star':
      case 'tag': {
        const { kind: _kind, ...change } = op
        before =
          fault === 'split-update'
            ? op.ids.flatMap((id) => lib.updatePapers({ ...change, ids: [id] }))
            : lib.updatePapers(change)
        break
      }
      case 'rename-tag':
        tagged = refusable(() => lib.renameTag(op.from, op.to).map((p) => p.id))
        break
      case 'untag-all':
        tagged = refusable(() => lib.deleteTag(op.name).map((p) => p.id))
        break
      case 'undo-update':
        putBack = lib.restorePapers(op.before)
        break
    }
    if (fault !== 'ack-before-save') {
      emit({
        t: 'ack',
        seq,
        jb: journalBytes(journalPath),
        ...(added === undefined ? {} : { added }),
        ...(restored === undefined ? {} : { restored }),
        ...(refused === undefined ? {} : { refused }),
        ...(before === undefined ? {} : { before }),
        ...(tagged === undefined ? {} : { tagged }),
        ...(putBack === undefined ? {} : { putBack }),
      })
    }
    // The bookkeeping comes after the acknowledgement, to keep the window between the call's
    // return and "ack" short; it throws (and the worker stops) when the library did not do what
    // the worker expected.
    switch (op.kind) {
      case 'import': {
        const expected = papers.imported(op.source, op.titles, added!)
        const newTitles = expected.map((id) => papers.titleOf.get(id)!)
        const keyAt = (id: number): string | null => {
          try {
            return titleKey(lib.getPaper(id).title)
          } catch {
            return null
          }
        }
        if (expected.some((id, i) => keyAt(id) !== titleKey(newTitles[i]!))) {
          throw new Error(
            `import ${op.source} gave its new papers ids ${idsOf(lib, newTitles).join(', ')}; expected ${expected.join(', ')}, past every id given out so far (ids are never reused)`,
          )
        }
        break
      }
      case 'delete':
        papers.deleted(op.ids)
        break
      case 'undelete':
        if (restored) papers.restored(restored)
        break
      case 'star':
      case 'tag':
        lastUpdate = { seq, before: before! }
        break
      case 'undo-update':
        lastUpdate = null
        if (putBack !== op.before.length) {
          throw new Error(
            `restorePapers put back ${putBack} papers; the worker expected all ${op.before.length} (${op.before.map((p) => p.id).join(', ')})`,
          )
        }
        break
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`crash worker: ${(error as Error).stack ?? String(error)}\n`)
  process.exit(2)
})
