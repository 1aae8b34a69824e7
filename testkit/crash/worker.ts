// The process the crash test kills. It opens a library and edits it in a loop, forever,
// announcing each change on stdout before making it and acknowledging it once the call has
// returned (when the library says it is saved). See protocol.ts.
//
//   node --import tsx testkit/crash/worker.ts LIBRARY SEED [CHECKPOINT_BYTES]
//
// CHECKPOINT_BYTES may also come from LECTERN_CHECKPOINT_BYTES; the default is 64 KB so that
// snapshots are written often and the kill lands in one now and then.
//
// LECTERN_CRASH_FAULT plants a bug in the worker itself, to show that the harness notices:
//   ack-before-save  acknowledges each change before making it (an acknowledged change can be lost)
//   split-import     makes an import as two calls (a kill between them leaves half an import)
import { statSync, writeSync } from 'node:fs'
import { STATUSES } from '../../shared/domain'
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
import type { WorkerLine, WorkerOp } from './protocol'

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

async function main(): Promise<void> {
  const [path, seedArg, checkpointArg] = process.argv.slice(2)
  if (!path || !seedArg) throw new Error('usage: worker.ts LIBRARY SEED [CHECKPOINT_BYTES]')
  const checkpointBytes = Number(checkpointArg ?? process.env.LECTERN_CHECKPOINT_BYTES ?? 64 * 1024)
  const rng = makeRng(Number(seedArg))
  const fault = process.env.LECTERN_CRASH_FAULT ?? ''
  const lib = await Library.open(path, { checkpointBytes, owner: 'crash worker' })
  const journalPath = lib.journalPath

  const ids: number[] = []
  const titles: string[] = []
  const page = lib.listPapers({
    sort: { field: 'title', direction: 'asc' },
    offset: 0,
    limit: Number.MAX_SAFE_INTEGER,
  })
  for (const row of page.rows) {
    ids.push(row.id)
    titles.push(row.title)
  }
  let maxId = ids.reduce((a, b) => Math.max(a, b), 0)
  emit({ t: 'ready', pid: process.pid, papers: ids.length })

  for (let seq = 1; ; seq += 1) {
    const r = rng()
    let op: WorkerOp
    if (ids.length === 0 || r < 0.15) {
      // A small dump: mostly new papers, some titles the library already has.
      const count = int(rng, 1, 8)
      const picked: string[] = []
      for (let i = 0; i < count; i += 1) {
        picked.push(
          titles.length > 0 && rng() < 0.3 ? pick(rng, titles) : makeTitle(rng, token(rng)),
        )
      }
      op = { kind: 'import', source: `dump-${seedArg}-${seq}.txt`, titles: picked }
    } else if (r < 0.6) {
      op = { kind: 'note', id: pick(rng, ids), note: makeNote(rng, noteLength(rng)) }
    } else {
      op = { kind: 'status', id: pick(rng, ids), status: pick(rng, STATUSES) }
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
    switch (op.kind) {
      case 'import': {
        const summary =
          fault === 'split-import' && op.titles.length > 1
            ? splitImport(lib, op, text)
            : lib.importText(op.source, text)
        added = summary.added
        for (let i = 1; i <= summary.added; i += 1) ids.push(maxId + i)
        maxId += summary.added
        titles.push(...op.titles)
        break
      }
      case 'note':
        lib.setNote(op.id, op.note)
        break
      case 'status':
        lib.setStatus(op.id, op.status)
        break
    }
    if (fault === 'ack-before-save') continue
    emit(
      added === undefined
        ? { t: 'ack', seq, jb: journalBytes(journalPath) }
        : { t: 'ack', seq, jb: journalBytes(journalPath), added },
    )
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`crash worker: ${(error as Error).stack ?? String(error)}\n`)
  process.exit(2)
})
