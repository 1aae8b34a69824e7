// The crash harness: again and again, let a worker process edit one library, kill it with
// SIGKILL at a random moment, reopen the library and check that nothing acknowledged was lost
// and nothing half-done was kept. The library persists across iterations, so any damage would
// compound and show up.
//
// How "acknowledged and present" is decided: the worker prints each operation before calling
// the library ("op") and acknowledges it after the call returned ("ack"), both written
// synchronously to stdout. The parent keeps a model of the library (per paper id: title key,
// note, status; the set of title keys; the number of imports) and applies every acknowledged
// operation to it. After the kill, at most one operation is in flight (an "op" with no "ack").
// On reopen, for every paper the library must hold the model's value, or, for the paper the
// in-flight operation touched, the in-flight value. An in-flight import must have landed whole
// or not at all: one more row in `imports` and every one of its new titles, or neither. No
// paper may appear that the model does not explain. After the checks, the model becomes what
// the library holds (the in-flight operation resolved either way) and the next iteration runs.
import { spawn } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type { Status } from '../../shared/domain'
import { titleKey } from '../../shared/titleKey'
import { loadEngine } from '../../electron/core/db/database'
import { readJournal } from '../../electron/core/store/journal'
import { Library } from '../../electron/core/store/library'
import { deriveSeed, int, makeAbstract, makeDump, makeRng, makeTitle, token } from '../gen'
import type { Rng } from '../gen'
import { workerArgv } from './protocol'
import type { WorkerLine, WorkerOp } from './protocol'

const ROOT = resolve(__dirname, '../..')
export const WORKER_PATH = join(__dirname, 'worker.ts')

/** The largest journal record the worker writes (a 20 000-unit note is at most 60 KB). */
const MAX_RECORD_BYTES = 256 * 1024

export interface CrashOptions {
  iterations: number
  seed: number
  /** Folder for the library; it is created there on the first iteration and kept. */
  dir: string
  /** Journal size that makes the worker write a snapshot; small so that kills hit one. */
  checkpointBytes?: number
  /** How long the worker runs after it says it is ready, at random in [min, max] ms. */
  minRunMs?: number
  maxRunMs?: number
  /** Share of iterations verified through a read-only open, leaving the crash state (stale
   * lock, torn journal tail, stray temporary file) for the next worker to recover. */
  readOnlyShare?: number
  /** Share of iterations killed 0-400 ms after the spawn, ready or not (often mid-open). */
  earlyKillShare?: number
  /** A worker not ready after this long is killed where it is (counted as a slow start). */
  readyTimeoutMs?: number
  onIteration?: (report: IterationReport) => void
}

export type KillPoint =
  | 'during start-up'
  | 'between operations'
  | 'during note'
  | 'during status'
  | 'during import'
  | 'checkpoint: writing checksums'
  | 'checkpoint: writing snapshot'
  | 'checkpoint: between checksum writes'
  | 'checkpoint: journal emptied'

export interface IterationReport {
  iteration: number
  workerPid: number
  /** Spawn to "ready", ms; null when killed before ready. */
  startMs: number | null
  acked: number
  killedAt: KillPoint
  /** Whether the in-flight operation was found applied (null when nothing was in flight). */
  inFlightLanded: boolean | null
  tornTail: boolean
  journalBytes: number
  tmpFiles: number
  verifiedWith: 'read-only open' | 'writable open + checkpoint'
  papers: number
  ms: number
}

export interface CrashSummary {
  iterations: number
  ackedChanges: number
  ackedByKind: Record<WorkerOp['kind'], number>
  /** Per-paper values (note, status, title) compared with the model, over all iterations. */
  valuesVerified: number
  killsAt: Record<KillPoint, number>
  inFlightLanded: number
  inFlightNotLanded: number
  tornTails: number
  checkpointsByWorkers: number
  /** Longest spawn-to-ready time seen, ms. */
  maxStartMs: number
  /** Workers killed because they were not ready within `readyTimeoutMs`. */
  slowStarts: number
  /** Kills that left an empty lock file (killed between creating and writing it). */
  emptyLocks: number
  readOnlyVerifications: number
  writableVerifications: number
  maxJournalBytes: number
  maxTmpFiles: number
  /** Temporary snapshot files still there after a writable open and close (should be 0). */
  tmpFilesLeftAfterOpen: number
  papers: number
  imports: number
  snapshotBytes: number
  ms: number
}

interface PaperState {
  key: string
  note: string
  status: Status
}

interface Model {
  papers: Map<number, PaperState>
  keys: Set<string>
  imports: number
  maxId: number
}

/**
 * A note as the library gives it back even without a crash: sql.js decodes text with a
 * TextDecoder that drops one leading U+FEFF (the bytes stored keep it). Not a durability
 * matter, so the comparison allows for it; reported separately.
 */
function readBack(note: string): string {
  return note.startsWith('\uFEFF') ? note.slice(1) : note
}

class CrashCheckFailed extends Error {}

function fail(iteration: number, message: string): never {
  throw new CrashCheckFailed(`crash iteration ${iteration}: ${message}`)
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Temporary files of the snapshot or its checksum file (`.library.sqlite[.sum].tmp-PID`). */
function tmpFiles(path: string): string[] {
  const prefix = `.${basename(path)}.`
  return readdirSync(dirname(path)).filter((f) => f.startsWith(prefix) && f.includes('.tmp-'))
}

/** How many snapshots the checksum file vouches for: two while a snapshot is being replaced. */
function checksumEntries(path: string): number {
  try {
    const parsed = JSON.parse(readFileSync(`${path}.sum`, 'utf8')) as { accept?: unknown[] }
    return parsed.accept?.length ?? 0
  } catch {
    return 0
  }
}

function fileMtime(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : 0
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0
}

function readState(lib: Library): Model {
  const papers = new Map<number, PaperState>()
  const keys = new Set<string>()
  let maxId = 0
  const rows = lib.listFullPapers({
    sort: { field: 'title', direction: 'asc' },
    offset: 0,
    limit: Number.MAX_SAFE_INTEGER,
  })
  for (const p of rows) {
    const key = titleKey(p.title)
    papers.set(p.id, { key, note: p.note, status: p.status })
    keys.add(key)
    maxId = Math.max(maxId, p.id)
  }
  return { papers, keys, imports: lib.stats().imports, maxId }
}

async function integrityCheck(
  iteration: number,
  snapshot: Uint8Array,
  what: string,
): Promise<void> {
  const SQL = await loadEngine()
  const db = new SQL.Database(snapshot)
  try {
    const integrity = db.exec('PRAGMA integrity_check')[0]?.values.map((r) => String(r[0]))
    if (integrity?.length !== 1 || integrity[0] !== 'ok') {
      fail(iteration, `${what}: integrity_check says ${JSON.stringify(integrity)}`)
    }
    const fk = db.exec('PRAGMA foreign_key_check')
    if (fk.length > 0) fail(iteration, `${what}: foreign_key_check found ${fk[0]!.values.length}`)
  } finally {
    db.close()
  }
}

/** The files as the last kill left them, in `dir/last-kill/`, to reproduce a failure from. */
function keepEvidence(path: string, dir: string): void {
  const to = join(dir, 'last-kill')
  rmSync(to, { recursive: true, force: true })
  mkdirSync(to)
  for (const name of readdirSync(dirname(path))) {
    if (name.includes(basename(path))) copyFileSync(join(dirname(path), name), join(to, name))
  }
}

/** The library the iterations start from: a first dump of 20 papers. */
async function createLibrary(path: string, rng: Rng): Promise<void> {
  const lib = await Library.open(path, { owner: 'crash harness' })
  const papers = Array.from({ length: 20 }, () => ({
    title: makeTitle(rng, token(rng)),
    abstract: makeAbstract(rng, int(rng, 100, 800)),
  }))
  lib.importText('first.txt', makeDump('Aug 19', papers))
  lib.close()
}

interface WorkerRun {
  pid: number
  lines: WorkerLine[]
  /** Spawn to "ready" in ms; null when it was killed before it was ready. */
  startMs: number | null
  /** Whether the kill came because start-up took longer than the allowed time. */
  slowStart: boolean
  /** Wall clock (ms since the epoch) just before the spawn, to compare with file times. */
  spawnedAt: number
}

/** When to kill: `ms` after the worker is ready, or (early) `ms` after it was spawned. */
interface KillPlan {
  early: boolean
  ms: number
}

/** Starts a worker, kills it as planned, returns what it said. */
async function runWorker(
  iteration: number,
  path: string,
  seed: number,
  checkpointBytes: number,
  plan: KillPlan,
  readyTimeoutMs: number,
): Promise<WorkerRun> {
  const spawned = performance.now()
  const spawnedAt = Date.now() - 1
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WORKER_PATH, ...workerArgv({ path, seed, checkpointBytes })],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const lines: WorkerLine[] = []
  let pending = ''
  let stderr = ''
  let startMs: number | null = null
  let onReady: (() => void) | null = null
  const ready = new Promise<'ready'>((r) => (onReady = () => r('ready')))
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    pending += chunk
    let nl: number
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = JSON.parse(pending.slice(0, nl)) as WorkerLine
      pending = pending.slice(nl + 1)
      lines.push(line)
      if (line.t === 'ready') {
        startMs = performance.now() - spawned
        onReady?.()
      }
    }
  })
  child.stderr.on('data', (chunk: string) => (stderr += chunk))
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('close', (code, signal) => r({ code, signal })),
  )
  const exitedEarly = (how: unknown): never =>
    fail(iteration, `the worker stopped by itself (${JSON.stringify(how)}): ${stderr}`)
  let slowStart = false
  if (plan.early) {
    const first = await Promise.race([sleep(plan.ms).then(() => 'time' as const), closed])
    if (first !== 'time') exitedEarly(first)
  } else {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>(
      (r) => (timer = setTimeout(() => r('timeout'), readyTimeoutMs)),
    )
    const first = await Promise.race([ready, closed, timeout])
    clearTimeout(timer)
    if (first === 'timeout') slowStart = true
    else if (first !== 'ready') exitedEarly(first)
    else {
      const first = await Promise.race([sleep(plan.ms).then(() => 'time' as const), closed])
      if (first !== 'time') exitedEarly(first)
    }
  }
  child.kill('SIGKILL')
  const exit = await closed
  if (exit.signal !== 'SIGKILL') exitedEarly(exit)
  // A line cut short by the kill (no newline yet) is ignored: an "op" not fully announced had
  // not been started; an "ack" not fully written leaves its operation in flight.
  return { pid: child.pid!, lines, startMs, slowStart, spawnedAt }
}

export async function runCrashIterations(options: CrashOptions): Promise<CrashSummary> {
  const started = performance.now()
  const {
    iterations,
    seed,
    dir,
    checkpointBytes = 64 * 1024,
    minRunMs = 20,
    maxRunMs = 300,
    readOnlyShare = 0.5,
    earlyKillShare = 0.05,
    readyTimeoutMs = 120_000,
  } = options
  const path = join(dir, 'library.sqlite')
  const journalPath = `${path}.journal`
  const rng = makeRng(seed)
  if (!existsSync(path)) await createLibrary(path, makeRng(deriveSeed(seed, -1)))

  let model: Model
  {
    const lib = await Library.open(path, { readOnly: true })
    model = readState(lib)
    lib.close()
  }

  const summary: CrashSummary = {
    iterations: 0,
    ackedChanges: 0,
    ackedByKind: { note: 0, status: 0, import: 0 },
    valuesVerified: 0,
    killsAt: {
      'during start-up': 0,
      'between operations': 0,
      'during note': 0,
      'during status': 0,
      'during import': 0,
      'checkpoint: writing checksums': 0,
      'checkpoint: writing snapshot': 0,
      'checkpoint: between checksum writes': 0,
      'checkpoint: journal emptied': 0,
    },
    inFlightLanded: 0,
    inFlightNotLanded: 0,
    tornTails: 0,
    checkpointsByWorkers: 0,
    maxStartMs: 0,
    slowStarts: 0,
    emptyLocks: 0,
    readOnlyVerifications: 0,
    writableVerifications: 0,
    maxJournalBytes: 0,
    maxTmpFiles: 0,
    tmpFilesLeftAfterOpen: 0,
    papers: model.papers.size,
    imports: model.imports,
    snapshotBytes: 0,
    ms: 0,
  }

  for (let iteration = 1; iteration <= iterations; iteration += 1) {
    const t0 = performance.now()
    const early = rng() < earlyKillShare
    const plan: KillPlan = early
      ? { early, ms: int(rng, 0, 400) }
      : { early, ms: int(rng, minRunMs, maxRunMs) }
    const readOnly = rng() < readOnlyShare
    const run = await runWorker(
      iteration,
      path,
      deriveSeed(seed, iteration),
      checkpointBytes,
      plan,
      readyTimeoutMs,
    )
    if (run.startMs !== null) summary.maxStartMs = Math.max(summary.maxStartMs, run.startMs)
    if (run.slowStart) summary.slowStarts += 1

    // Apply what was acknowledged to the model; find the operation in flight, if any.
    let inFlight: ({ seq: number; jb: number } & WorkerOp) | null = null
    let acked = 0
    for (const line of run.lines) {
      if (line.t === 'ready') continue
      if (line.t === 'op') {
        if (inFlight) fail(iteration, `op ${line.seq} announced before op ${inFlight.seq} ended`)
        inFlight = line
        continue
      }
      if (!inFlight || inFlight.seq !== line.seq) fail(iteration, `ack ${line.seq} out of order`)
      const op = inFlight
      inFlight = null
      acked += 1
      summary.ackedByKind[op.kind] += 1
      if (line.jb <= op.jb) summary.checkpointsByWorkers += 1
      const paper = op.kind === 'import' ? null : model.papers.get(op.id)
      if (op.kind !== 'import' && !paper)
        fail(iteration, `the worker edited unknown paper ${op.id}`)
      switch (op.kind) {
        case 'note':
          paper!.note = readBack(op.note)
          break
        case 'status':
          paper!.status = op.status
          break
        case 'import': {
          let added = 0
          for (const title of op.titles) {
            const key = titleKey(title)
            if (model.keys.has(key)) continue
            model.keys.add(key)
            model.maxId += 1
            model.papers.set(model.maxId, { key, note: '', status: 'new' })
            added += 1
          }
          model.imports += 1
          if (line.added !== undefined && line.added !== added) {
            fail(iteration, `import ${op.source} added ${line.added} papers; expected ${added}`)
          }
          break
        }
      }
    }
    summary.ackedChanges += acked

    // Look at the files as the kill left them.
    const tmp = tmpFiles(path)
    const journalBytes = fileSize(journalPath)
    const journal = readJournal(journalPath)
    summary.maxTmpFiles = Math.max(summary.maxTmpFiles, tmp.length)
    summary.maxJournalBytes = Math.max(summary.maxJournalBytes, journalBytes)
    if (journal.tornTail) summary.tornTails += 1
    if (journal.damagedAt !== null) {
      fail(iteration, `the journal is damaged at byte ${journal.damagedAt} (not just torn)`)
    }
    if (tmp.length > 1) {
      fail(iteration, `${tmp.length} temporary snapshot files are lying around: ${tmp.join(', ')}`)
    }
    if (journalBytes > checkpointBytes + MAX_RECORD_BYTES) {
      fail(iteration, `the journal has grown to ${journalBytes} bytes`)
    }
    // A kill between creating the lock file and writing it leaves an empty lock, which Lectern
    // deliberately does not take over until it is 10 s old (it may be another program's, being
    // written). Age it instead of waiting.
    const lockPath = `${path}.lock`
    if (existsSync(lockPath) && readFileSync(lockPath, 'utf8').trim() === '') {
      summary.emptyLocks += 1
      const old = new Date(Date.now() - 11_000)
      utimesSync(lockPath, old, old)
    }

    // Where the kill landed, as far as the files tell. A snapshot is written as: checksum file
    // naming old and new snapshot, snapshot (temporary file, rename), checksum file naming the
    // new one only, then the journal is emptied.
    let killedAt: KillPoint
    if (tmp.includes(`.${basename(path)}.tmp-${run.pid}`)) killedAt = 'checkpoint: writing snapshot'
    else if (tmp.some((f) => f.endsWith(`.tmp-${run.pid}`))) {
      killedAt = 'checkpoint: writing checksums'
    } else if (checksumEntries(path) > 1 && fileMtime(`${path}.sum`) >= run.spawnedAt) {
      killedAt = 'checkpoint: between checksum writes'
    } else if (inFlight && journalBytes < inFlight.jb) killedAt = 'checkpoint: journal emptied'
    else if (inFlight) killedAt = `during ${inFlight.kind}`
    else if (run.startMs === null) killedAt = 'during start-up'
    else killedAt = 'between operations'
    summary.killsAt[killedAt] += 1
    keepEvidence(path, dir)

    // Reopen and compare.
    let lib: Library
    try {
      lib = await Library.open(path, readOnly ? { readOnly: true } : { owner: 'crash harness' })
    } catch (error) {
      fail(iteration, `the library does not open after the kill: ${(error as Error).message}`)
    }
    let actual: Model
    try {
      actual = readState(lib)
      let verified = 0
      for (const [id, want] of model.papers) {
        const got = actual.papers.get(id)
        if (!got) fail(iteration, `paper ${id} (acknowledged) is missing`)
        if (got.key !== want.key) {
          fail(iteration, `paper ${id} has title key ${got.key}; expected ${want.key}`)
        }
        const flight =
          inFlight && inFlight.kind !== 'import' && inFlight.id === id ? inFlight : null
        if (
          got.note !== want.note &&
          !(flight?.kind === 'note' && got.note === readBack(flight.note))
        ) {
          fail(
            iteration,
            `paper ${id}: the note is ${JSON.stringify(got.note.slice(0, 80))} (${got.note.length} units); the last acknowledged is ${JSON.stringify(want.note.slice(0, 80))} (${want.note.length} units)${flight?.kind === 'note' ? ` and the one in flight ${JSON.stringify(flight.note.slice(0, 80))}` : ''}`,
          )
        }
        if (
          got.status !== want.status &&
          !(flight?.kind === 'status' && got.status === flight.status)
        ) {
          fail(iteration, `paper ${id}: status ${got.status}; acknowledged ${want.status}`)
        }
        verified += 3
      }
      summary.valuesVerified += verified

      // The in-flight import: all or nothing.
      let landed: boolean | null = null
      const extra = [...actual.papers.keys()].filter((id) => !model.papers.has(id))
      if (inFlight?.kind === 'import') {
        const expectedKeys: string[] = []
        for (const title of inFlight.titles) {
          const key = titleKey(title)
          if (!model.keys.has(key) && !expectedKeys.includes(key)) expectedKeys.push(key)
        }
        if (actual.imports === model.imports + 1) landed = true
        else if (actual.imports === model.imports) landed = false
        else fail(iteration, `${actual.imports} imports; the model has ${model.imports}`)
        const present = expectedKeys.filter((k) => actual.keys.has(k))
        const want = landed ? expectedKeys.length : 0
        if (present.length !== want || extra.length !== want) {
          fail(
            iteration,
            `the import in flight is half there: import row ${landed ? 'present' : 'absent'}, ${present.length} of its ${expectedKeys.length} new titles present, ${extra.length} unexplained papers`,
          )
        }
        for (const id of extra) {
          const p = actual.papers.get(id)!
          if (!expectedKeys.includes(p.key) || p.note !== '' || p.status !== 'new') {
            fail(iteration, `paper ${id} is not one the import in flight would add`)
          }
        }
      } else {
        if (extra.length > 0) fail(iteration, `unexplained papers appeared: ${extra.join(', ')}`)
        if (actual.imports !== model.imports) {
          fail(iteration, `${actual.imports} imports; the model has ${model.imports}`)
        }
        if (inFlight) {
          const got = actual.papers.get(inFlight.id)!
          const want = model.papers.get(inFlight.id)!
          landed =
            inFlight.kind === 'note'
              ? got.note === readBack(inFlight.note)
              : got.status === inFlight.status
          // An edit that sets the value the paper already had is indistinguishable; count it
          // as landed.
          if (inFlight.kind === 'note' && want.note === readBack(inFlight.note)) landed = true
          if (inFlight.kind === 'status' && want.status === inFlight.status) landed = true
        }
      }
      if (landed === true) summary.inFlightLanded += 1
      if (landed === false) summary.inFlightNotLanded += 1

      // The database itself.
      if (readOnly) {
        summary.readOnlyVerifications += 1
        await integrityCheck(iteration, readFileSync(path), 'the snapshot on disk')
      } else {
        summary.writableVerifications += 1
        lib.checkpoint()
        if (fileSize(journalPath) !== 0)
          fail(iteration, 'the journal is not empty after a snapshot')
        await integrityCheck(iteration, readFileSync(path), 'the new snapshot')
      }

      const report: IterationReport = {
        iteration,
        workerPid: run.pid,
        startMs: run.startMs === null ? null : Math.round(run.startMs),
        acked,
        killedAt,
        inFlightLanded: landed,
        tornTail: journal.tornTail,
        journalBytes,
        tmpFiles: tmp.length,
        verifiedWith: readOnly ? 'read-only open' : 'writable open + checkpoint',
        papers: actual.papers.size,
        ms: 0,
      }
      model = actual
      lib.close()
      if (!readOnly) summary.tmpFilesLeftAfterOpen += tmpFiles(path).length
      report.ms = Math.round(performance.now() - t0)
      summary.iterations = iteration
      options.onIteration?.(report)
    } catch (error) {
      lib.close()
      throw error
    }
  }

  summary.papers = model.papers.size
  summary.imports = model.imports
  summary.snapshotBytes = fileSize(path)
  summary.ms = Math.round(performance.now() - started)
  return summary
}
