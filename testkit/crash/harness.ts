// The crash harness: again and again, let a worker process edit one library, kill it with
// SIGKILL at a random moment, reopen the library and check that nothing acknowledged was lost
// and nothing half-done was kept. The library persists across iterations, so any damage would
// compound and show up.
//
// How "acknowledged and present" is decided: the worker prints each operation before calling
// the library ("op") and acknowledges it after the call returned ("ack"), both written
// synchronously to stdout. The parent keeps a model of the library (per paper id: title key,
// note, status, status history, star, tags; title key to id; the number of imports; the highest
// id given out; the deletions not undone, each with the papers it took away as they were) and
// applies every acknowledged operation to it, refusals of undos and of tag renames and deletions
// included (the model foresees them), checking what each call returned. After the kill, at most
// one operation is in flight (an "op" with no "ack"). On reopen, the in-flight operation must
// have landed whole or not at all: an edit holds the old value or the new one; an import adds
// one row to `imports` and every one of its new titles, or neither; a deletion removes all its
// papers or none; an undo puts back all the papers of the latest deletion (and removes the
// untouched copies in their way) or none; a star or tag change, its undo, or a rename or
// deletion of a tag leaves every paper it touches as it was or every one as it would make it.
// Then the library must be exactly the model with the in-flight operation applied or not, as
// found: every paper with its values, no paper the model does not explain, the same deletions
// still to undo, each holding its papers as they were. Then its indexes must agree with its
// papers: a few searches (`listPapers({ search })`) find exactly the papers a plain scan of
// their text finds, `paper_tags` holds exactly the papers' tags, and FTS4's own integrity-check
// finds the full-text index in step with `papers`. After the checks, the model becomes what the
// library holds and the next iteration runs.
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
import type { Paper, PaperState as UpdatedState, Status } from '../../shared/domain'
import { normalizeTag, tagKey } from '../../shared/search'
import { titleKey } from '../../shared/titleKey'
import { loadEngine } from '../../electron/core/db/database'
import { readJournal } from '../../electron/core/store/journal'
import { Library } from '../../electron/core/store/library'
import { deriveSeed, int, makeAbstract, makeDump, makeRng, makeTitle, pick, token } from '../gen'
import type { Rng } from '../gen'
import { NOTE_WORD, TAG_VOCABULARY, workerArgv } from './protocol'
import type { UndoRefusal, WorkerArgs, WorkerLine, WorkerOp } from './protocol'
import { checkIndexes, checkSearches } from './searchIndex'
import { readTrash } from './trash'
import type { Trash } from './trash'

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
  /** Share of the worker's operations that delete papers or undo a deletion (default 0.1). */
  trashShare?: number
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
  /**
   * Changes a worker (not killed early) acknowledges before its run time starts to count: a
   * floor on the work per iteration however slow the machine (default 0).
   */
  minAckedBeforeKill?: number
  onIteration?: (report: IterationReport) => void
}

export type KillPoint =
  | 'during start-up'
  | 'between operations'
  | 'during note'
  | 'during status'
  | 'during import'
  | 'during delete'
  | 'during undelete'
  | 'during star'
  | 'during tag'
  | 'during rename-tag'
  | 'during untag-all'
  | 'during undo-update'
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
  /**
   * Whether the in-flight operation was found applied (null when nothing was in flight; false
   * for an undo the library had to refuse).
   */
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
  /**
   * Per-paper values (title key, note, status, status history) compared with the model, papers
   * kept for undo included, over all iterations.
   */
  valuesVerified: number
  killsAt: Record<KillPoint, number>
  inFlightLanded: number
  inFlightNotLanded: number
  /** The same, by the kind of operation in flight. */
  inFlightByKind: Record<WorkerOp['kind'], { landed: number; notLanded: number }>
  /** Acknowledged undos the library refused, each as the model foresaw. */
  undosRefused: number
  /** Acknowledged renames and deletions of a tag the library refused (no paper had it). */
  tagChangesRefused: number
  /** Searches compared with a plain scan of the papers, and the papers they found in all. */
  searchesChecked: number
  searchHitsVerified: number
  /** Rows of `paper_tags` compared with the papers' tags, over all iterations. */
  tagIndexRowsVerified: number
  /** FTS4 integrity-checks of the full-text index against `papers` (one per iteration). */
  ftsIntegrityChecks: number
  /** Untouched copies (imported again after a deletion) that an acknowledged undo removed. */
  copiesGivenWay: number
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
  /** Deletions in the final library that could still be undone. */
  deletionsNotUndone: number
  snapshotBytes: number
  ms: number
}

export interface PaperState {
  key: string
  note: string
  status: Status
  /** Every status it was given, oldest first (its status history). */
  history: Status[]
  starred: boolean
  /** In the order given, spelled as the library spells them. */
  tags: string[]
}

/** The papers one deletion took away, by id (ascending), as they were. */
type Deletion = Map<number, PaperState>

export interface Model {
  papers: Map<number, PaperState>
  /** Title key → the id of the paper that has it. */
  keys: Map<string, number>
  imports: number
  /** The highest paper id given out so far; ids are never reused, so imports go on from here. */
  maxId: number
  /** Deletions not undone, oldest first: `restoreDeleted(null)` undoes the last. */
  trash: Deletion[]
}

/**
 * A note as the library keeps it: without control characters but tab and line feed (a carriage
 * return becomes a line feed), then without the U+FEFFs it began with (sql.js decodes text with
 * a TextDecoder that would drop one, so the library stores none); see `storableNote` in
 * shared/text.ts. Not a durability matter; the worker's notes hold such characters now and then.
 */
function readBack(note: string): string {
  return (
    note
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- the control characters a note does not keep
      .replace(/[\0-\x08\x0b-\x1f\x7f-\x9f]/g, '')
      .replace(/^\uFEFF+/, '')
  )
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

/**
 * The library as the model sees it, deletions not undone included; and its papers as the
 * library gives them (for the search check).
 */
export async function readState(
  lib: Library,
): Promise<{ model: Model; trash: Trash; rows: Paper[] }> {
  const papers = new Map<number, PaperState>()
  const keys = new Map<string, number>()
  const rows = lib.listFullPapers({
    sort: { field: 'title', direction: 'asc' },
    offset: 0,
    limit: Number.MAX_SAFE_INTEGER,
  })
  let maxId = 0
  for (const p of rows) {
    const key = titleKey(p.title)
    const history = p.statusHistory.map((h) => h.status)
    papers.set(p.id, {
      key,
      note: p.note,
      status: p.status,
      history,
      starred: p.starred,
      tags: p.tags,
    })
    keys.set(key, p.id)
    maxId = Math.max(maxId, p.id)
  }
  const trash = await readTrash(lib)
  const deletions = trash.deletions.map(
    (d): Deletion =>
      new Map(
        d.papers.map((p) => [
          p.id,
          {
            key: p.key,
            note: p.note,
            status: p.status,
            history: p.history,
            starred: p.starred,
            tags: p.tags,
          },
        ]),
      ),
  )
  return {
    model: {
      papers,
      keys,
      imports: lib.stats().imports,
      maxId: Math.max(maxId, trash.maxPaperId, trash.retiredPaperId),
      trash: deletions,
    },
    trash,
    rows,
  }
}

function copyState(p: PaperState): PaperState {
  return { ...p, history: [...p.history], tags: [...p.tags] }
}

function samePaper(a: PaperState, b: PaperState): boolean {
  return (
    a.key === b.key &&
    a.note === b.note &&
    a.status === b.status &&
    a.history.join() === b.history.join() &&
    a.starred === b.starred &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags)
  )
}

function copyModel(m: Model): Model {
  return {
    papers: new Map([...m.papers].map(([id, p]) => [id, copyState(p)])),
    keys: new Map(m.keys),
    imports: m.imports,
    maxId: m.maxId,
    trash: m.trash.map((d) => new Map([...d].map(([id, p]) => [id, copyState(p)]))),
  }
}

/** What `restoreDeleted(null)` should do to the model as it is: refuse, or undo the latest. */
type UndoVerdict =
  { refused: null; deletion: Deletion; copies: number[] } | { refused: UndoRefusal; why: string }

function undoVerdict(model: Model): UndoVerdict {
  const deletion = model.trash.at(-1)
  if (!deletion) return { refused: 'not-found', why: 'there is no deletion to undo' }
  const copies: number[] = []
  for (const [id, p] of deletion) {
    const copy = model.keys.get(p.key)
    if (copy === undefined) continue
    const c = model.papers.get(copy)!
    // The library's rule: a copy imported since may give way only if nobody has used it.
    if (
      c.status !== 'new' ||
      c.note !== '' ||
      c.history.length > 0 ||
      c.starred ||
      c.tags.length > 0
    ) {
      return {
        refused: 'conflict',
        why: `paper ${copy} has the title of deleted paper ${id} and a status, note, star or tag of its own`,
      }
    }
    copies.push(copy)
  }
  return { refused: null, deletion, copies }
}

function ids(deletion: Deletion): number[] {
  return [...deletion.keys()]
}

/** A status change as the library makes it: recorded in the history only when it changes. */
function setStatus(paper: PaperState, status: Status): void {
  if (paper.status !== status) paper.history.push(status)
  paper.status = status
}

/** Tags are one tag whatever their case, in any script (shared/search.ts, tagKey). */
function fold(tag: string): string {
  return tagKey(tag)
}

/**
 * Tags as the library takes them: normalised, each once (by case), spelled as the library
 * already spells them — as the paper with the lowest id that has the tag spells it (the first
 * row of `paper_tags`' index, where all spellings of a tag sort together by paper id).
 */
function canonicalTags(model: Model, names: readonly string[]): string[] {
  const out: string[] = []
  for (const raw of names) {
    const name = normalizeTag(raw)
    if (!name || out.some((t) => fold(t) === fold(name))) continue
    let spelling = name
    let holder = Infinity
    for (const [id, p] of model.papers) {
      if (id >= holder) continue
      const tag = p.tags.find((t) => fold(t) === fold(name))
      if (tag !== undefined) {
        spelling = tag
        holder = id
      }
    }
    out.push(spelling)
  }
  return out
}

/** The papers that have a tag, by id (what `renameTag` and `deleteTag` change). */
function taggedWith(model: Model, name: string): number[] {
  return [...model.papers]
    .filter(([, p]) => p.tags.some((t) => fold(t) === fold(name)))
    .map(([id]) => id)
    .sort((a, b) => a - b)
}

/**
 * What a star or tag change did to one paper, as `updatePapers` returns it (what an undo takes
 * back): the status it replaced, the star it had, the tags it added and took off. The model
 * cannot know the times; it keeps the length of the paper's status history after the change
 * instead, to tell whether the status changed again since.
 */
interface ChangeToPaper {
  id: number
  status?: { was: Status; set: Status; historyAfter: number }
  starred?: boolean
  tags?: { added: string[]; removed: string[]; order: string[] }
}

/** Whether a paper's tags are (whatever their order) those a change left on it. */
function holdsWhatTheChangeLeft(
  tags: readonly string[],
  change: NonNullable<ChangeToPaper['tags']>,
): boolean {
  const removed = new Set(change.removed.map(fold))
  const left = new Set(change.order.map(fold).filter((k) => !removed.has(k)))
  for (const t of change.added) left.add(fold(t))
  const now = new Set(tags.map(fold))
  return now.size === left.size && [...now].every((k) => left.has(k))
}

/**
 * The star and tag changes acknowledged in this iteration, by op (the worker undoes only its
 * own): what each did to each of its papers.
 */
type Updates = Map<number, ChangeToPaper[]>

interface Applied {
  /** The papers it changed (or may have), for messages and the in-flight check. */
  touched: number[]
  added?: number
  undo?: UndoVerdict
  /** A star or tag change: what it did to each paper (`updatePapers` returns the same). */
  changes?: ChangeToPaper[]
  /** A rename or deletion of a tag: the papers it changed, or why the library refuses it. */
  tagged?: number[] | UndoRefusal
  /** An undo of a star or tag change: how many of its papers it put back. */
  putBack?: number
}

/** Applies an operation to the model as the library should have; says which papers it touched. */
function applyOp(
  iteration: number,
  model: Model,
  op: WorkerOp & { seq: number },
  updates: Updates,
): Applied {
  const known = (id: number): PaperState =>
    model.papers.get(id) ??
    fail(iteration, `the worker's ${describeOp(op)} names unknown paper ${id}`)
  switch (op.kind) {
    case 'note':
      known(op.id).note = readBack(op.note)
      return { touched: [op.id] }
    case 'status':
      setStatus(known(op.id), op.status)
      return { touched: [op.id] }
    case 'import': {
      const touched: number[] = []
      for (const title of op.titles) {
        const key = titleKey(title)
        if (model.keys.has(key)) continue
        model.maxId += 1
        model.papers.set(model.maxId, {
          key,
          note: '',
          status: 'new',
          history: [],
          starred: false,
          tags: [],
        })
        model.keys.set(key, model.maxId)
        touched.push(model.maxId)
      }
      model.imports += 1
      return { touched, added: touched.length }
    }
    case 'delete': {
      const deletion: Deletion = new Map()
      for (const id of [...new Set(op.ids)].sort((a, b) => a - b)) deletion.set(id, known(id))
      for (const [id, p] of deletion) {
        model.papers.delete(id)
        model.keys.delete(p.key)
      }
      model.trash.push(deletion)
      return { touched: ids(deletion) }
    }
    case 'undelete': {
      const undo = undoVerdict(model)
      if (undo.refused) return { touched: [], undo }
      model.trash.pop()
      for (const copy of undo.copies) model.papers.delete(copy)
      for (const [id, p] of undo.deletion) {
        model.papers.set(id, p)
        model.keys.set(p.key, id)
      }
      return { touched: [...ids(undo.deletion), ...undo.copies], undo }
    }
    case 'star':
    case 'tag': {
      const touched = [...new Set(op.ids)]
      const papers = touched.map(known)
      // Spelled as the library spells them before the change.
      const add = op.kind === 'tag' ? canonicalTags(model, op.addTags) : []
      const remove = new Set(
        (op.kind === 'tag' ? canonicalTags(model, op.removeTags) : []).map(fold),
      )
      const changes = papers.map((p, i): ChangeToPaper => {
        const change: ChangeToPaper = { id: touched[i]! }
        if (op.status && p.status !== op.status) {
          change.status = { was: p.status, set: op.status, historyAfter: p.history.length + 1 }
          setStatus(p, op.status)
        }
        if (op.kind === 'star' && p.starred !== op.starred) {
          change.starred = p.starred
          p.starred = op.starred
        }
        if (add.length > 0 || remove.size > 0) {
          const kept = p.tags.filter((t) => !remove.has(fold(t)))
          const have = new Set(kept.map(fold))
          const added = add.filter((t) => !have.has(fold(t)))
          const removed = p.tags.filter((t) => remove.has(fold(t)))
          if (added.length > 0 || removed.length > 0) {
            change.tags = { added, removed, order: p.tags }
            p.tags = [...kept, ...added]
          }
        }
        return change
      })
      updates.set(op.seq, changes)
      return { touched, changes }
    }
    case 'undo-update': {
      const changes =
        updates.get(op.of) ??
        fail(
          iteration,
          `the worker undoes op ${op.of}, not a star or tag change acknowledged since it started`,
        )
      const touched: number[] = []
      // Paper by paper, each seeing the tags the ones before it got back.
      for (const change of changes) {
        // A paper deleted since is left alone (its deletion has an undo of its own).
        const p = model.papers.get(change.id)
        if (!p) continue
        // The status goes back (with the history entry it wrote) only if nothing changed it
        // since.
        const { status } = change
        if (status && p.status === status.set && p.history.length === status.historyAfter) {
          p.status = status.was
          p.history.pop()
        }
        if (change.starred !== undefined) p.starred = change.starred
        if (change.tags && holdsWhatTheChangeLeft(p.tags, change.tags)) {
          // Nothing changed its tags since: they go back exactly.
          p.tags = [...change.tags.order]
        } else if (change.tags) {
          const drop = new Set(change.tags.added.map(fold))
          const kept = p.tags.filter((t) => !drop.has(fold(t)))
          const have = new Set(kept.map(fold))
          // Put back spelled as the library spells them now.
          const back = canonicalTags(model, change.tags.removed).filter((t) => !have.has(fold(t)))
          p.tags = [...kept, ...back]
        }
        touched.push(change.id)
      }
      return { touched, putBack: touched.length }
    }
    case 'rename-tag': {
      const from = normalizeTag(op.from)
      const touched = taggedWith(model, from)
      if (touched.length === 0) return { touched, tagged: 'not-found' }
      // Into another tag: spelled as the library spells that one. Into itself (a new case):
      // as given.
      const given = normalizeTag(op.to)
      const [to] = fold(given) === fold(from) ? [given] : canonicalTags(model, [op.to])
      for (const id of touched) {
        const p = known(id)
        const renamed: string[] = []
        for (const tag of p.tags) {
          const name = fold(tag) === fold(from) ? to! : tag
          if (!renamed.some((t) => fold(t) === fold(name))) renamed.push(name)
        }
        p.tags = renamed
      }
      return { touched, tagged: touched }
    }
    case 'untag-all': {
      const name = normalizeTag(op.name)
      const touched = taggedWith(model, name)
      if (touched.length === 0) return { touched, tagged: 'not-found' }
      for (const id of touched) {
        const p = known(id)
        p.tags = p.tags.filter((t) => fold(t) !== fold(name))
      }
      return { touched, tagged: touched }
    }
  }
}

function describeOp(op: WorkerOp): string {
  switch (op.kind) {
    case 'note':
      return `note on paper ${op.id}`
    case 'status':
      return `status ${op.status} for paper ${op.id}`
    case 'import':
      return `import ${op.source} (${op.titles.length} titles)`
    case 'delete':
      return `delete of papers ${op.ids.join(', ')}`
    case 'undelete':
      return 'undo of the latest deletion'
    case 'star':
      return `${op.starred ? 'star' : 'unstar'}${op.status ? ` (and status ${op.status})` : ''} of papers ${op.ids.join(', ')}`
    case 'tag':
      return `tags +[${op.addTags.join(', ')}] -[${op.removeTags.join(', ')}]${op.status ? ` (and status ${op.status})` : ''} on papers ${op.ids.join(', ')}`
    case 'rename-tag':
      return `rename of tag ${JSON.stringify(op.from)} to ${JSON.stringify(op.to)}`
    case 'untag-all':
      return `deletion of tag ${JSON.stringify(op.name)}`
    case 'undo-update':
      return `undo of op ${op.of} (papers ${op.before.map((p) => p.id).join(', ')})`
  }
}

function quote(text: string): string {
  return `${JSON.stringify(text.slice(0, 80))} (${text.length} units)`
}

/**
 * Checks the library against what it should hold; fails on the first difference. `context`
 * says what was in flight and whether it was found applied; `touchedBy`, per paper, the
 * acknowledged operations of this iteration that changed it.
 */
function compare(
  iteration: number,
  actual: Model,
  expected: Model,
  trash: Trash,
  context: string,
  touchedBy: Map<number, string[]>,
): number {
  const failHere = (message: string, id?: number): never => {
    const changes = id === undefined ? [] : (touchedBy.get(id) ?? [])
    const said =
      changes.length > 0
        ? `; acknowledged changes to it since the last kill: ${changes.slice(-4).join(', ')}`
        : ''
    return fail(iteration, `${message}${said}${context}`)
  }
  // Unexplained papers first: when an import gave other ids than expected, this says more than
  // the paper missing at the id the model expected.
  const extra = [...actual.papers.keys()].filter((id) => !expected.papers.has(id))
  if (extra.length > 0) {
    failHere(
      `unexplained papers appeared: ${extra
        .map((id) => {
          const other = expected.keys.get(actual.papers.get(id)!.key)
          return other === undefined ? String(id) : `${id} (the model has its title as ${other})`
        })
        .join(', ')}`,
    )
  }
  let verified = 0
  const check = (id: number, what: string, got: PaperState, want: PaperState): void => {
    if (got.key !== want.key) {
      failHere(`${what} has title key ${got.key}; expected ${want.key}`, id)
    }
    if (got.note !== want.note) {
      failHere(`${what}: the note is ${quote(got.note)}; expected ${quote(want.note)}`, id)
    }
    if (got.status !== want.status) {
      failHere(`${what}: status ${got.status}; expected ${want.status}`, id)
    }
    if (got.history.join() !== want.history.join()) {
      failHere(
        `${what}: status history [${got.history.join(', ')}]; expected [${want.history.join(', ')}]`,
        id,
      )
    }
    if (got.starred !== want.starred) {
      failHere(
        `${what}: ${got.starred ? 'starred' : 'not starred'}; expected ${want.starred ? 'starred' : 'not starred'}`,
        id,
      )
    }
    if (JSON.stringify(got.tags) !== JSON.stringify(want.tags)) {
      failHere(
        `${what}: tags ${JSON.stringify(got.tags)}; expected ${JSON.stringify(want.tags)}`,
        id,
      )
    }
    verified += 6
  }
  for (const [id, want] of expected.papers) {
    const got = actual.papers.get(id) ?? failHere(`paper ${id} (acknowledged) is missing`, id)
    check(id, `paper ${id}`, got, want)
  }
  if (actual.imports !== expected.imports) {
    failHere(`${actual.imports} imports; the model has ${expected.imports}`)
  }
  // The deletions not undone, each kept whole, in order: what an undo would bring back.
  if (trash.leftover > 0) {
    failHere(`${trash.leftover} rows of deleted_papers belong to no deletion still to undo`)
  }
  const deletions = (list: Deletion[]): string =>
    list.map((d) => `[${ids(d).join(', ')}]`).join(' ')
  if (
    actual.trash.length !== expected.trash.length ||
    actual.trash.some((d, i) => ids(d).join() !== ids(expected.trash[i]!).join())
  ) {
    failHere(
      `the deletions not undone hold papers ${deletions(actual.trash) || '(none)'}; the model has ${deletions(expected.trash) || '(none)'}`,
    )
  }
  expected.trash.forEach((want, i) => {
    for (const [id, p] of want) {
      check(
        id,
        `deleted paper ${id} (deletion ${trash.deletions[i]!.deletionId})`,
        actual.trash[i]!.get(id)!,
        p,
      )
    }
  })
  return verified
}

/** Words of the generated titles (with and without accents) and abstracts, to search for. */
const TEXT_WORDS = ['diffusion', 'schrodinger', 'uber', 'agents', 'benchmark', 'ablations']
/**
 * Words only tags have (the index holds a paper's tags as its JSON text). Long enough that the
 * random text of notes does not make them: a short word such as "ml" turns up there now and
 * then, next to letters that JavaScript and SQLite's tokenizer do not class alike.
 */
const TAG_WORDS = ['robotics', 'group', 'skim', 'survey']

/** This iteration's searches: the notes' word, two words of the papers, a tag's word, a tag. */
function searchQueries(rng: Rng): string[] {
  const tag = pick(rng, TAG_VOCABULARY)
  const words = [...TEXT_WORDS]
  const first = words.splice(int(rng, 0, words.length - 1), 1)[0]!
  return [
    NOTE_WORD,
    first,
    pick(rng, words),
    pick(rng, TAG_WORDS),
    tag.includes(' ') ? `tag:"${tag}"` : `tag:${tag}`,
  ]
}

/**
 * The indexes against the papers the library holds (`rows`): searches against a plain scan,
 * `paper_tags` against the papers' tags, FTS4's integrity-check. An index out of step is a
 * failure like a lost change.
 */
async function checkIndexesOf(
  iteration: number,
  lib: Library,
  rows: Paper[],
  rng: Rng,
  {
    context,
    touchedBy,
    summary,
  }: {
    context: string
    touchedBy: Map<number, string[]>
    summary: CrashSummary
  },
): Promise<void> {
  const changes = (papers: number[]): string => {
    const told = papers
      .slice(0, 3)
      .filter((id) => touchedBy.has(id))
      .map((id) => `${id}: ${touchedBy.get(id)!.slice(-3).join(', ')}`)
    return told.length > 0 ? `; acknowledged changes since the last kill to ${told.join('; ')}` : ''
  }
  const list = (papers: number[]): string =>
    papers.length > 10 ? `${papers.slice(0, 10).join(', ')}… (${papers.length})` : papers.join(', ')
  const queries = searchQueries(rng)
  const { mismatches, found } = checkSearches(lib, rows, queries)
  for (const { query, missing, extra } of mismatches) {
    fail(
      iteration,
      `the search index is out of step with the papers: searching ${JSON.stringify(query)} ${
        missing.length > 0 ? `misses papers ${list(missing)} (their text has it)` : ''
      }${missing.length > 0 && extra.length > 0 ? ' and ' : ''}${
        extra.length > 0 ? `finds papers ${list(extra)} (their text does not have it)` : ''
      }${changes([...missing, ...extra])}${context}`,
    )
  }
  summary.searchesChecked += queries.length
  summary.searchHitsVerified += found
  const index = await checkIndexes(lib, rows)
  if (index.tagRowsMissing.length > 0 || index.tagRowsExtra.length > 0) {
    const paperOf = (rows: string[]): number[] => rows.map((r) => Number(r.split(' ')[0]))
    fail(
      iteration,
      `paper_tags is out of step with papers.tags: missing ${JSON.stringify(index.tagRowsMissing.slice(0, 10))}, extra ${JSON.stringify(index.tagRowsExtra.slice(0, 10))} ("paper tag")${changes([...paperOf(index.tagRowsMissing), ...paperOf(index.tagRowsExtra)])}${context}`,
    )
  }
  summary.tagIndexRowsVerified += index.tagRows
  if (index.ftsProblem !== null) {
    fail(
      iteration,
      `the full-text index is out of step with papers: FTS4's integrity-check says ${JSON.stringify(index.ftsProblem)}${context}`,
    )
  }
  summary.ftsIntegrityChecks += 1
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

/**
 * Whether the operation in flight at the kill was found applied; fails when it is half there.
 * That every other value is as acknowledged is for `compare` to check.
 */
function resolveInFlight(
  iteration: number,
  model: Model,
  actual: Model,
  op: WorkerOp & { seq: number },
  updates: Updates,
): boolean {
  const known = (id: number): PaperState =>
    model.papers.get(id) ??
    fail(iteration, `the worker's ${describeOp(op)} names unknown paper ${id}`)
  switch (op.kind) {
    case 'note': {
      const want = known(op.id)
      // A missing paper is not the edit's doing; compare says so, with what was acknowledged.
      const got = actual.papers.get(op.id)
      if (!got) return false
      const note = readBack(op.note)
      // An edit that sets the value the paper already had is indistinguishable; it counts as
      // applied.
      if (got.note === note) return true
      if (got.note === want.note) return false
      return fail(
        iteration,
        `paper ${op.id}: the note is ${quote(got.note)}; the last acknowledged is ${quote(want.note)} and the one in flight ${quote(note)}`,
      )
    }
    case 'status': {
      const want = known(op.id)
      const got = actual.papers.get(op.id)
      if (!got) return false
      if (got.status === op.status) return true
      if (got.status === want.status) return false
      return fail(
        iteration,
        `paper ${op.id}: status ${got.status}; acknowledged ${want.status}, in flight ${op.status}`,
      )
    }
    case 'import': {
      const expectedKeys: string[] = []
      for (const title of op.titles) {
        const key = titleKey(title)
        if (!model.keys.has(key) && !expectedKeys.includes(key)) expectedKeys.push(key)
      }
      let landed: boolean
      if (actual.imports === model.imports + 1) landed = true
      else if (actual.imports === model.imports) landed = false
      else fail(iteration, `${actual.imports} imports; the model has ${model.imports}`)
      const present = expectedKeys.filter((k) => actual.keys.has(k))
      const extra = [...actual.papers.keys()].filter((id) => !model.papers.has(id))
      const want = landed ? expectedKeys.length : 0
      if (present.length !== want || extra.length !== want) {
        fail(
          iteration,
          `the import in flight is half there: import row ${landed ? 'present' : 'absent'}, ${present.length} of its ${expectedKeys.length} new titles present, ${extra.length} unexplained papers`,
        )
      }
      return landed
    }
    case 'delete': {
      const wanted = [...new Set(op.ids)]
      wanted.forEach(known)
      const gone = wanted.filter((id) => !actual.papers.has(id))
      if (gone.length === 0) return false
      if (gone.length === wanted.length) return true
      return fail(
        iteration,
        `the delete in flight is half done: papers ${gone.join(', ')} are gone, ${wanted.filter((id) => !gone.includes(id)).join(', ')} still there`,
      )
    }
    case 'undelete': {
      const undo = undoVerdict(model)
      const deleted = undo.refused ? ids(model.trash.at(-1) ?? new Map()) : ids(undo.deletion)
      const back = deleted.filter((id) => actual.papers.has(id))
      if (undo.refused) {
        if (back.length > 0) {
          fail(
            iteration,
            `the undo in flight should have been refused (${undo.why}), yet papers ${back.join(', ')} are back`,
          )
        }
        return false
      }
      if (back.length === 0) return false
      if (back.length === deleted.length) return true
      return fail(
        iteration,
        `the undo in flight is half done: papers ${back.join(', ')} are back, ${deleted.filter((id) => !back.includes(id)).join(', ')} not`,
      )
    }
    case 'star':
    case 'tag':
    case 'undo-update':
    case 'rename-tag':
    case 'untag-all': {
      // Every paper it touches as it was, or every one as it makes it. A paper it leaves as it
      // was is both; when all are, the change counts as applied (it cannot be told apart).
      const after = copyModel(model)
      const applied = applyOp(iteration, after, op, new Map(updates))
      // A refused one changes nothing; that nothing else changed is for compare to check.
      if (typeof applied.tagged === 'string') return false
      // A missing paper is not the change's doing; compare says so, with what was acknowledged.
      const present = applied.touched.filter((id) => actual.papers.has(id))
      const asAfter = present.filter((id) =>
        samePaper(actual.papers.get(id)!, after.papers.get(id)!),
      )
      const asBefore = present.filter((id) =>
        samePaper(actual.papers.get(id)!, model.papers.get(id)!),
      )
      if (asAfter.length === present.length) return true
      if (asBefore.length === present.length) return false
      const neither = present.filter((id) => !asAfter.includes(id) && !asBefore.includes(id))
      return fail(
        iteration,
        `the ${describeOp(op)} in flight is half done: papers ${asAfter.filter((id) => !asBefore.includes(id)).join(', ') || '(none)'} changed, ${asBefore.filter((id) => !asAfter.includes(id)).join(', ') || '(none)'} not${neither.length > 0 ? `, ${neither.join(', ')} neither as they were nor as it makes them` : ''}`,
      )
    }
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
  /** How the worker ended when it was not by our SIGKILL (its own checks or a failed call). */
  stoppedBy: string | null
}

/**
 * When to kill: `ms` after the worker is ready and has acknowledged `afterAcks` changes, or
 * (early) `ms` after it was spawned.
 */
interface KillPlan {
  early: boolean
  ms: number
  afterAcks: number
}

/** Starts a worker, kills it as planned, returns what it said. */
async function runWorker(
  args: WorkerArgs,
  plan: KillPlan,
  readyTimeoutMs: number,
): Promise<WorkerRun> {
  const spawned = performance.now()
  const spawnedAt = Date.now() - 1
  const child = spawn(
    process.execPath,
    ['--conditions=import', '--import', 'tsx', WORKER_PATH, ...workerArgv(args)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const lines: WorkerLine[] = []
  let pending = ''
  let stderr = ''
  let startMs: number | null = null
  let onReady: (() => void) | null = null
  const ready = new Promise<'ready'>((r) => (onReady = () => r('ready')))
  let acks = 0
  let onAcks: (() => void) | null = null
  const acked = new Promise<'acked'>((r) => (onAcks = () => r('acked')))
  if (plan.afterAcks === 0) onAcks!()
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
      if (line.t === 'ack' && (acks += 1) === plan.afterAcks) onAcks?.()
    }
  })
  child.stderr.on('data', (chunk: string) => (stderr += chunk))
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('close', (code, signal) => r({ code, signal })),
  )
  // The stream has ended when 'close' comes, so stderr is whole by then.
  const stopped = (how: unknown): string =>
    `the worker stopped by itself (${JSON.stringify(how)}): ${stderr.trim()}`
  let stoppedBy: string | null = null
  let slowStart = false
  if (plan.early) {
    const first = await Promise.race([sleep(plan.ms).then(() => 'time' as const), closed])
    if (first !== 'time') stoppedBy = stopped(first)
  } else {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>(
      (r) => (timer = setTimeout(() => r('timeout'), readyTimeoutMs)),
    )
    const first = await Promise.race([ready, closed, timeout])
    clearTimeout(timer)
    if (first === 'timeout') slowStart = true
    else if (first !== 'ready') stoppedBy = stopped(first)
    else {
      // A worker that takes more than the start-up allowance to get through its first changes
      // is killed where it is, as a slow start is.
      const timeout = new Promise<'timeout'>(
        (r) => (timer = setTimeout(() => r('timeout'), readyTimeoutMs)),
      )
      const first = await Promise.race([
        acked.then(() => Promise.race([sleep(plan.ms).then(() => 'time' as const), closed])),
        closed,
        timeout,
      ])
      clearTimeout(timer)
      if (first === 'timeout') slowStart = true
      else if (first !== 'time') stoppedBy = stopped(first)
    }
  }
  if (stoppedBy === null) {
    child.kill('SIGKILL')
    const exit = await closed
    if (exit.signal !== 'SIGKILL') stoppedBy = stopped(exit)
  }
  // A line cut short by the kill (no newline yet) is ignored: an "op" not fully announced had
  // not been started; an "ack" not fully written leaves its operation in flight.
  return { pid: child.pid!, lines, startMs, slowStart, spawnedAt, stoppedBy }
}

export async function runCrashIterations(options: CrashOptions): Promise<CrashSummary> {
  const started = performance.now()
  const {
    iterations,
    seed,
    dir,
    checkpointBytes = 64 * 1024,
    trashShare = 0.1,
    minRunMs = 20,
    maxRunMs = 300,
    readOnlyShare = 0.5,
    earlyKillShare = 0.05,
    readyTimeoutMs = 120_000,
    minAckedBeforeKill = 0,
  } = options
  const path = join(dir, 'library.sqlite')
  const journalPath = `${path}.journal`
  const rng = makeRng(seed)
  if (!existsSync(path)) await createLibrary(path, makeRng(deriveSeed(seed, -1)))

  let model: Model
  {
    const lib = await Library.open(path, { readOnly: true })
    const state = await readState(lib)
    // Ids of copies removed by undos before this run: only the library's record tells them.
    model = { ...state.model, maxId: Math.max(state.model.maxId, state.trash.retiredPaperId) }
    lib.close()
  }

  const summary: CrashSummary = {
    iterations: 0,
    ackedChanges: 0,
    ackedByKind: {
      note: 0,
      status: 0,
      import: 0,
      delete: 0,
      undelete: 0,
      star: 0,
      tag: 0,
      'rename-tag': 0,
      'untag-all': 0,
      'undo-update': 0,
    },
    valuesVerified: 0,
    killsAt: {
      'during start-up': 0,
      'between operations': 0,
      'during note': 0,
      'during status': 0,
      'during import': 0,
      'during delete': 0,
      'during undelete': 0,
      'during star': 0,
      'during tag': 0,
      'during rename-tag': 0,
      'during untag-all': 0,
      'during undo-update': 0,
      'checkpoint: writing checksums': 0,
      'checkpoint: writing snapshot': 0,
      'checkpoint: between checksum writes': 0,
      'checkpoint: journal emptied': 0,
    },
    inFlightLanded: 0,
    inFlightNotLanded: 0,
    inFlightByKind: {
      note: { landed: 0, notLanded: 0 },
      status: { landed: 0, notLanded: 0 },
      import: { landed: 0, notLanded: 0 },
      delete: { landed: 0, notLanded: 0 },
      undelete: { landed: 0, notLanded: 0 },
      star: { landed: 0, notLanded: 0 },
      tag: { landed: 0, notLanded: 0 },
      'rename-tag': { landed: 0, notLanded: 0 },
      'untag-all': { landed: 0, notLanded: 0 },
      'undo-update': { landed: 0, notLanded: 0 },
    },
    undosRefused: 0,
    tagChangesRefused: 0,
    searchesChecked: 0,
    searchHitsVerified: 0,
    tagIndexRowsVerified: 0,
    ftsIntegrityChecks: 0,
    copiesGivenWay: 0,
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
    deletionsNotUndone: model.trash.length,
    snapshotBytes: 0,
    ms: 0,
  }

  for (let iteration = 1; iteration <= iterations; iteration += 1) {
    const t0 = performance.now()
    const early = rng() < earlyKillShare
    const plan: KillPlan = early
      ? { early, ms: int(rng, 0, 400), afterAcks: 0 }
      : { early, ms: int(rng, minRunMs, maxRunMs), afterAcks: minAckedBeforeKill }
    const readOnly = rng() < readOnlyShare
    // Every other worker writes its snapshots on a thread (as a large library does), so that a
    // kill lands in the middle of one too: while the thread writes, while it is put in place,
    // and while the journal is cut to the changes after it.
    const snapshotThread = iteration % 2 === 0
    const run = await runWorker(
      {
        path,
        seed: deriveSeed(seed, iteration),
        checkpointBytes,
        trashShare,
        maxId: model.maxId,
        snapshotThread,
      },
      plan,
      readyTimeoutMs,
    )
    if (run.startMs !== null) summary.maxStartMs = Math.max(summary.maxStartMs, run.startMs)
    if (run.slowStart) summary.slowStarts += 1
    // A worker that stopped by itself (its own bookkeeping found the library not doing what it
    // expected, or a call failed) is a failure; the checks below run first all the same, as
    // they tell more precisely what went wrong.
    try {
      // Apply what was acknowledged to the model; find the operation in flight, if any.
      let inFlight: ({ seq: number; jb: number } & WorkerOp) | null = null
      let acked = 0
      const touchedBy = new Map<number, string[]>()
      const updates: Updates = new Map()
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
        const { touched, added, undo, changes, tagged, putBack } = applyOp(
          iteration,
          model,
          op,
          updates,
        )
        for (const id of touched) {
          touchedBy.set(id, [...(touchedBy.get(id) ?? []), `${describeOp(op)} (op ${op.seq})`])
        }
        if (op.kind === 'import' && line.added !== undefined && line.added !== added) {
          fail(iteration, `import ${op.source} added ${line.added} papers; expected ${added}`)
        }
        if (undo) {
          const said = line.refused
            ? `was refused (${line.refused})`
            : `put back papers ${line.restored?.join(', ')}`
          if (undo.refused) {
            if (line.refused !== undo.refused) {
              fail(iteration, `the undo ${said}; expected a refusal (${undo.refused}: ${undo.why})`)
            }
            summary.undosRefused += 1
          } else {
            const want = ids(undo.deletion)
            if (line.refused || (line.restored && line.restored.join() !== want.join())) {
              fail(iteration, `the undo ${said}; expected papers ${want.join(', ')} back`)
            }
            summary.copiesGivenWay += undo.copies.length
          }
        }
        // What the calls returned (absent when the worker acknowledged before the call).
        if (changes && line.before) {
          const said = (p: UpdatedState | ChangeToPaper): string =>
            [
              p.id,
              p.status && `status ${p.status.was} → ${p.status.set}`,
              p.starred !== undefined && `was ${p.starred ? '' : 'not '}starred`,
              p.tags && `tags +${JSON.stringify(p.tags.added)} -${JSON.stringify(p.tags.removed)}`,
            ]
              .filter(Boolean)
              .join(', ')
          const got = line.before.map(said).join('; ')
          const want = changes.map(said).join('; ')
          if (got !== want) {
            fail(iteration, `the ${describeOp(op)} returned [${got}]; expected [${want}]`)
          }
        }
        if (tagged !== undefined && (line.tagged || line.refused)) {
          const said = line.refused
            ? `was refused (${line.refused})`
            : `changed papers ${line.tagged!.join(', ')}`
          if (typeof tagged === 'string') {
            if (line.refused !== tagged) {
              fail(
                iteration,
                `the ${describeOp(op)} ${said}; expected a refusal (${tagged}: no paper has it)`,
              )
            }
            summary.tagChangesRefused += 1
          } else if (line.refused || line.tagged!.join() !== tagged.join()) {
            fail(iteration, `the ${describeOp(op)} ${said}; expected papers ${tagged.join(', ')}`)
          }
        }
        if (putBack !== undefined && line.putBack !== undefined && line.putBack !== putBack) {
          fail(
            iteration,
            `the ${describeOp(op)} put back ${line.putBack} papers; expected ${putBack}`,
          )
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
      // A snapshot written on a thread has its own temporary file, and may be put in place (its
      // checksum file's temporary beside it) or cut the journal (the journal's) as the kill lands.
      if (tmp.length > (snapshotThread ? 2 : 1)) {
        fail(
          iteration,
          `${tmp.length} temporary snapshot files are lying around: ${tmp.join(', ')}`,
        )
      }
      // While a thread writes the snapshot, the changes go on into the journal.
      const journalLimit = snapshotThread ? 16 * checkpointBytes : checkpointBytes
      if (journalBytes > journalLimit + MAX_RECORD_BYTES) {
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
      if (tmp.includes(`.${basename(path)}.tmp-${run.pid}`))
        killedAt = 'checkpoint: writing snapshot'
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
      try {
        const { model: actual, trash, rows } = await readState(lib)
        const landed = inFlight
          ? resolveInFlight(iteration, model, actual, inFlight, updates)
          : null
        const expected = landed ? copyModel(model) : model
        if (landed && inFlight) applyOp(iteration, expected, inFlight, updates)
        const context = inFlight
          ? ` (in flight: the ${describeOp(inFlight)}, found ${landed ? 'applied' : 'not applied'})`
          : ''
        summary.valuesVerified += compare(iteration, actual, expected, trash, context, touchedBy)
        await checkIndexesOf(iteration, lib, rows, makeRng(deriveSeed(seed, -2 - iteration)), {
          context,
          touchedBy,
          summary,
        })
        if (landed === true) summary.inFlightLanded += 1
        if (landed === false) summary.inFlightNotLanded += 1
        if (inFlight) summary.inFlightByKind[inFlight.kind][landed ? 'landed' : 'notLanded'] += 1

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

        if (run.stoppedBy) {
          const during = inFlight
            ? `while the ${describeOp(inFlight)} (op ${inFlight.seq}) was in flight, `
            : ''
          fail(iteration, `${during}${run.stoppedBy}`)
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
        // The library now is what the model expected, its deletions not undone included. For
        // the ids given out, the model keeps its own count rather than the library's: an id
        // given to a copy that an undo then removed is in neither papers nor deleted_papers, so
        // the count from those can be lower, and the library's own record of that id is what is
        // under test. Ids are never reused; were such an id given out again, the next import's
        // papers would not be where the model expects them, and the check would say so.
        model = { ...actual, maxId: Math.max(actual.maxId, expected.maxId), trash: expected.trash }
        lib.close()
        if (!readOnly) summary.tmpFilesLeftAfterOpen += tmpFiles(path).length
        report.ms = Math.round(performance.now() - t0)
        summary.iterations = iteration
        options.onIteration?.(report)
      } catch (error) {
        lib.close()
        throw error
      }
    } catch (error) {
      if (!run.stoppedBy || !(error instanceof CrashCheckFailed)) throw error
      if (error.message.includes(run.stoppedBy)) throw error
      throw new CrashCheckFailed(`${error.message}\n  (and ${run.stoppedBy})`)
    }
  }

  summary.papers = model.papers.size
  summary.imports = model.imports
  summary.deletionsNotUndone = model.trash.length
  summary.snapshotBytes = fileSize(path)
  summary.ms = Math.round(performance.now() - started)
  return summary
}
