// Sync's merge, in the library's own database. Every device records its own changes as sync
// operations (found by triggers on `papers`, whatever operation made them: see migration 11)
// and applies the others'. The merged state is kept by paper identity (its arXiv id, DOI or
// title, the keys import dedupe uses), so that the same paper imported on two computers is one:
// - status and star: last writer wins, by hybrid logical clock, the device id breaking ties;
// - tags: an add-wins set (a removal takes off only the additions it saw);
// - a deletion removes a paper only if it saw every change made to it (a version vector):
//   a change it did not see, made elsewhere meanwhile, keeps the paper (or brings it back);
// - notes: a multi-value register. Each version names the versions it replaced; the versions
//   no other replaced are kept, the latest shown, the others offered as conflict versions.
// Every rule is a function of the set of operations seen, not of their order, so every
// device that has seen the same operations has the same library.
import type { SqlValue } from 'sql.js'
import { STATUSES } from '../../../shared/domain'
import type { NoteConflict, Status } from '../../../shared/domain'
import { titleKey } from '../../../shared/titleKey'
import type { Db, Row } from './database'
import type { ImportedPaper } from './paperColumns'
import { statusCode, statusFromCode } from './statusCodes'
import { latestStamp, mergeStateEntries } from './syncState'
import type { StateEntry } from './syncState'
import { tagKey } from './tags'

/** One change of one paper, as a device writes it to its folder. */
export interface SyncOp {
  device: string
  /** The device's own count of its operations, from 1, without gaps. */
  counter: number
  /** Hybrid logical clock, then device: `<ms:13>.<count:9>@<device>`, compared as a string. */
  stamp: string
  /** The paper's identity (see keyOf). */
  key: string
  change: SyncChange
}

export type SyncChange =
  | { kind: 'add'; paper: SyncPaper }
  | { kind: 'delete'; seen: Record<string, number> }
  | { kind: 'status'; status: Status }
  | { kind: 'star'; starred: boolean }
  | { kind: 'tag'; tag: string }
  | { kind: 'untag'; tag: string; adds: string[] }
  | { kind: 'note'; text: string; bases: string[] }

/** What a device knows of a paper's own data (what an import gives it). */
export type SyncPaper = ImportedPaper

/** The operations that record and apply sync changes (mutations.ts applies them). */
export type SyncOperation =
  | {
      /** Sync on: at the first pass, or again after a pause (the same device, then). */
      kind: 'syncEnable'
      device: string
    }
  | {
      /** Sync off: changes are no longer recorded; the device is kept for when it resumes. */
      kind: 'syncPause'
    }
  | {
      /** The library copied by hand to another computer: it becomes a device of its own. */
      kind: 'syncRekey'
      device: string
      /** The counter up to which its folder holds every one of the old device's operations. */
      written: number
    }
  | {
      kind: 'syncRecord'
      stamp: string
      ops: SyncOp[]
      keys: [number, string][]
      /** Papers that take the merged state (see captureLocal). */
      adopt: [number, string][]
      captured: number[]
    }
  | {
      kind: 'syncApply'
      at: string
      ops: SyncOp[]
      cursors: Record<string, number>
      /** Compacted states other devices wrote, merged in before the operations (syncState.ts). */
      state?: StateEntry[]
    }
  | {
      /** A note's conflict version taken (keep) or dropped; both replace the two versions. */
      kind: 'syncResolveNote'
      at: string
      id: number
      version: string
      keep: boolean
    }

export function opId(op: Pick<SyncOp, 'device' | 'counter'>): string {
  return `${op.device}:${op.counter}`
}

function meta(db: Db, key: string): string | null {
  const v = db.value('SELECT value FROM meta WHERE key = ?', [key])
  return v === null ? null : String(v)
}

function setMeta(db: Db, key: string, value: string): void {
  db.run(
    `INSERT INTO meta (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [key, value],
  )
}

/** This library's device id, once sync is on. */
export function syncDevice(db: Db): string | null {
  return meta(db, 'sync_device')
}

/** The device id of a library whose sync was turned off (null: on, or never used). */
export function pausedSyncDevice(db: Db): string | null {
  return meta(db, 'sync_paused_device')
}

// The hybrid logical clock: wall-clock milliseconds, and a count that orders changes within
// one millisecond or while the clock lags one already seen (another computer's clock ahead).

function clockOf(stamp: string): [number, number] {
  return [Number(stamp.slice(0, 13)), Number(stamp.slice(14, 23))]
}

function stampOf(ms: number, count: number, device: string): string {
  return `${String(ms).padStart(13, '0')}.${String(count).padStart(9, '0')}@${device}`
}

/** The next stamp after the last one this device issued or saw. */
export function nextStamp(db: Db, device: string, now: Date): string {
  const last = meta(db, 'sync_hlc')
  const [ms, count] = last ? clockOf(last) : [0, 0]
  const wall = now.getTime()
  return wall > ms ? stampOf(wall, 0, device) : stampOf(ms, count + 1, device)
}

function seeStamp(db: Db, stamp: string): void {
  const last = meta(db, 'sync_hlc')
  const clock = stamp.slice(0, 23)
  if (!last || clock > last.slice(0, 23)) setMeta(db, 'sync_hlc', clock)
}

function timeOf(stamp: string): string {
  return new Date(clockOf(stamp)[0]).toISOString()
}

/** A paper's sync identity from its identifiers: what import dedupe looks for first. */
export function keyOf(row: {
  arxiv_id: string | null
  doi: string | null
  title_key: string
}): string {
  if (row.arxiv_id) return `arxiv:${row.arxiv_id}`
  if (row.doi) return `doi:${row.doi}`
  return `title:${row.title_key}`
}

function decodeList(value: SqlValue): string[] {
  try {
    const parsed: unknown = JSON.parse(String(value ?? '[]'))
    return Array.isArray(parsed) ? parsed.map(String) : []
  } catch {
    return []
  }
}

function paperData(row: Row): SyncPaper {
  return {
    title: String(row.title),
    abstract: String(row.abstract ?? ''),
    authors: decodeList(row.authors as SqlValue),
    dumpDate: (row.dump_date as string | null) ?? null,
    dumpDateText: (row.dump_date_text as string | null) ?? null,
    meta: {
      arxivId: (row.arxiv_id as string | null) ?? undefined,
      arxivVersion: (row.arxiv_version as number | null) ?? undefined,
      doi: (row.doi as string | null) ?? undefined,
      year: (row.year as number | null) ?? undefined,
      venue: (row.venue as string | null) ?? undefined,
      keywords: decodeList(row.keywords as SqlValue),
      urls: decodeList(row.urls as SqlValue),
    },
  }
}

interface Head {
  vid: string
  stamp: string
  device: string
  text: string
}

/** The merged state of one paper identity. */
interface MergedState {
  /** Some device added it (its data is known). */
  known: boolean
  paper: SyncPaper | null
  deleted: boolean
  status: { value: Status; stamp: string } | null
  starred: { value: boolean; stamp: string } | null
  /** Whether any tag was ever recorded for it (then the set below is the paper's tags). */
  tagged: boolean
  /** Tags present: key → spelling and the additions that hold it. */
  tags: Map<string, { spelling: string; adds: string[]; first: string }>
  /** Note versions no other replaced, latest first. */
  heads: Head[]
}

function mergedState(db: Db, key: string): MergedState {
  const added = db.get<{ paper: string }>('SELECT paper FROM sync_papers WHERE pkey = ?', [key])
  // Deleted when a deletion saw every change any device made to the paper.
  const deleted =
    db.value(
      `SELECT 1 FROM sync_deletes d WHERE d.pkey = ? AND NOT EXISTS (
         SELECT 1 FROM sync_touch t WHERE t.pkey = d.pkey
           AND t.counter > COALESCE(json_extract(d.seen, '$."' || t.device || '"'), 0))`,
      [key],
    ) !== null
  const fields = new Map(
    db
      .all<{ field: string; stamp: string; value: string }>(
        'SELECT field, stamp, value FROM sync_fields WHERE pkey = ?',
        [key],
      )
      .map((f) => [f.field, f]),
  )
  const status = fields.get('status')
  const starred = fields.get('starred')
  const tags = new Map<string, { spelling: string; adds: string[]; first: string }>()
  let tagged = false
  for (const t of db.all<{
    tag_key: string
    add_id: string
    stamp: string | null
    spelling: string | null
    removed: number
  }>(
    'SELECT tag_key, add_id, stamp, spelling, removed FROM sync_tags WHERE pkey = ? ORDER BY stamp, add_id',
    [key],
  )) {
    tagged = true
    if (t.removed === 1 || t.spelling === null || t.stamp === null) continue
    const have = tags.get(t.tag_key)
    // The latest addition spells it; the first places it.
    if (have) {
      have.adds.push(t.add_id)
      have.spelling = t.spelling
    } else tags.set(t.tag_key, { spelling: t.spelling, adds: [t.add_id], first: t.stamp })
  }
  const heads = db.all<{ vid: string; stamp: string; device: string; text: string }>(
    `SELECT vid, stamp, device, text FROM sync_notes n WHERE pkey = ? AND NOT EXISTS (
       SELECT 1 FROM sync_note_bases b WHERE b.pkey = n.pkey AND b.vid = n.vid)
     ORDER BY stamp DESC, vid DESC`,
    [key],
  )
  return {
    known: added !== undefined,
    paper: added ? (JSON.parse(added.paper) as SyncPaper) : null,
    deleted,
    status:
      status && (STATUSES as readonly string[]).includes(status.value)
        ? { value: status.value as Status, stamp: status.stamp }
        : null,
    starred: starred ? { value: starred.value === '1', stamp: starred.stamp } : null,
    tagged,
    tags,
    heads,
  }
}

/** Records one operation in the merged state; idempotent, and indifferent to order. */
function recordOp(db: Db, op: SyncOp): void {
  const { key, change } = op
  const id = opId(op)
  if (change.kind !== 'delete') {
    db.run(
      `INSERT INTO sync_touch (pkey, device, counter) VALUES (?, ?, ?)
       ON CONFLICT (pkey, device) DO UPDATE SET counter = MAX(counter, excluded.counter)`,
      [key, op.device, op.counter],
    )
  }
  switch (change.kind) {
    case 'add':
      // The first addition's data stands (an import fills in; it never changes what is there).
      db.run(
        `INSERT INTO sync_papers (pkey, stamp, paper) VALUES (?, ?, ?)
         ON CONFLICT (pkey) DO UPDATE SET stamp = excluded.stamp, paper = excluded.paper
         WHERE excluded.stamp < sync_papers.stamp`,
        [key, op.stamp, JSON.stringify(change.paper)],
      )
      return
    case 'delete':
      db.run('INSERT OR IGNORE INTO sync_deletes (pkey, op_id, seen) VALUES (?, ?, ?)', [
        key,
        id,
        JSON.stringify(change.seen),
      ])
      return
    case 'status':
    case 'star': {
      const field = change.kind === 'status' ? 'status' : 'starred'
      const value = change.kind === 'status' ? change.status : change.starred ? '1' : '0'
      db.run(
        `INSERT INTO sync_fields (pkey, field, stamp, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (pkey, field) DO UPDATE SET stamp = excluded.stamp, value = excluded.value
         WHERE excluded.stamp > sync_fields.stamp`,
        [key, field, op.stamp, value],
      )
      return
    }
    case 'tag':
      db.run(
        `INSERT INTO sync_tags (pkey, tag_key, add_id, stamp, spelling) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (pkey, tag_key, add_id) DO UPDATE SET stamp = excluded.stamp, spelling = excluded.spelling`,
        [key, tagKey(change.tag), id, op.stamp, change.tag],
      )
      return
    case 'untag':
      for (const add of change.adds) {
        db.run(
          `INSERT INTO sync_tags (pkey, tag_key, add_id, removed) VALUES (?, ?, ?, 1)
           ON CONFLICT (pkey, tag_key, add_id) DO UPDATE SET removed = 1`,
          [key, tagKey(change.tag), add],
        )
      }
      return
    case 'note':
      db.run(
        'INSERT OR IGNORE INTO sync_notes (pkey, vid, stamp, device, text) VALUES (?, ?, ?, ?, ?)',
        [key, id, op.stamp, op.device, change.text],
      )
      for (const base of change.bases) {
        db.run('INSERT OR IGNORE INTO sync_note_bases (pkey, vid) VALUES (?, ?)', [key, base])
      }
      // A version others replaced keeps only its name: its text is in the one that did.
      db.run(
        `UPDATE sync_notes SET text = '' WHERE pkey = ? AND text <> ''
           AND vid IN (SELECT vid FROM sync_note_bases WHERE pkey = ?)`,
        [key, key],
      )
      return
  }
}

/** What every other device this one has heard of had done, as far as it is applied here. */
function peersSeen(db: Db): Record<string, number> {
  const seen: Record<string, number> = {}
  for (const p of db.all<{ device: string; applied: number }>(
    'SELECT device, applied FROM sync_peers',
  )) {
    seen[p.device] = p.applied
  }
  return seen
}

const PAPER_FIELDS = `id, title, title_key, abstract, authors, dump_date, dump_date_text, arxiv_id,
  arxiv_version, doi, year, venue, keywords, urls, status, starred, tags, note`

/**
 * The library's own changes since the last call, as sync operations, in an operation that
 * records them (null when sync is off or nothing changed). Reads only: the caller applies
 * the result in the same transaction as the change, and the journal keeps both as one record.
 */
export function captureLocal(
  db: Db,
  now: Date,
): Extract<SyncOperation, { kind: 'syncRecord' }> | null {
  const device = syncDevice(db)
  if (device === null) return null
  // Papers of an import still being written wait for its end (a cancel takes them back).
  const dirty = db
    .all<{ id: number }>(
      `SELECT d.paper_id AS id FROM sync_dirty d
       LEFT JOIN papers p ON p.id = d.paper_id LEFT JOIN imports i ON i.id = p.import_id
       WHERE i.complete IS NOT 0 ORDER BY d.paper_id`,
    )
    .map((r) => r.id)
  if (dirty.length === 0) return null
  const stamp = nextStamp(db, device, now)
  let counter = Number(meta(db, 'sync_counter') ?? 0)
  const ops: SyncOp[] = []
  const keys: [number, string][] = []
  const adopt: [number, string][] = []
  let peers: Record<string, number> | null = null
  const emit = (key: string, change: SyncChange): void => {
    counter += 1
    ops.push({ device, counter, stamp, key, change })
  }
  // By identity: an undone deletion may put a paper back under its own id while taking away
  // a copy imported since (two ids, one paper).
  const groups = new Map<string, { row: Row | null; id: number; fresh: boolean }>()
  db.with(`SELECT ${PAPER_FIELDS} FROM papers WHERE id = ?`, (select) => {
    for (const id of dirty) {
      select.bind([id])
      const row = select.step() ? (select.getAsObject() as Row) : null
      select.reset()
      const mapped = db.value('SELECT pkey FROM sync_keys WHERE paper_id = ?', [id])
      const key =
        mapped !== null
          ? String(mapped)
          : row
            ? keyOf(row as { arxiv_id: string | null; doi: string | null; title_key: string })
            : null
      if (key === null) continue
      if (mapped === null) keys.push([id, key])
      const group = groups.get(key) ?? { row: null, id, fresh: false }
      if (row && !group.row) {
        group.row = row
        group.id = id
      }
      // New to sync here, or one of two ids of one paper: not a change of what it holds.
      if (mapped === null || groups.has(key)) group.fresh = true
      groups.set(key, group)
    }
  })
  for (const [key, { row, id, fresh }] of groups) {
    const state = mergedState(db, key)
    if (!row) {
      if (state.known && !state.deleted && resolveLive(db, key, state.paper) === null) {
        peers ??= peersSeen(db)
        emit(key, { kind: 'delete', seen: { ...peers, [device]: counter + 1 } })
      }
      continue
    }
    // New to sync here (imported, or back from a deletion) while other devices already
    // changed it: what they did stands, field by field, rather than be overwritten by what
    // this library had (a status of an older copy, a note from before); this library's values
    // fill in only what no device set.
    const joining = fresh || state.deleted
    if (!state.known || state.deleted) emit(key, { kind: 'add', paper: paperData(row) })
    if (joining) adopt.push([id, key])
    const status = statusFromCode(Number(row.status))
    if (!(joining && state.status) && status !== (state.status?.value ?? 'new')) {
      emit(key, { kind: 'status', status })
    }
    const starred = row.starred === 1
    if (!(joining && state.starred) && starred !== (state.starred?.value ?? false)) {
      emit(key, { kind: 'star', starred })
    }
    if (!(joining && state.tagged)) {
      const local = decodeList(row.tags as SqlValue)
      const localKeys = new Set(local.map(tagKey))
      for (const tag of local) if (!state.tags.has(tagKey(tag))) emit(key, { kind: 'tag', tag })
      for (const [k, t] of state.tags) {
        if (!localKeys.has(k)) emit(key, { kind: 'untag', tag: t.spelling, adds: t.adds })
      }
    }
    const note = String(row.note ?? '')
    const shown = state.heads[0]
    const resolved = db
      .all<{ vid: string }>('SELECT vid FROM sync_resolve WHERE paper_id = ? ORDER BY vid', [id])
      .map((r) => r.vid)
    if (joining && shown) continue
    if (note !== (shown?.text ?? '') || resolved.length > 0) {
      const bases = [...new Set([...(shown ? [shown.vid] : []), ...resolved])]
      emit(key, { kind: 'note', text: note, bases })
    }
  }
  return { kind: 'syncRecord', stamp, ops, keys, adopt, captured: dirty }
}

function jsonIds(ids: readonly number[]): string {
  return JSON.stringify(ids)
}

function applyRecord(
  db: Db,
  op: Extract<SyncOperation, { kind: 'syncRecord' }>,
  m: Mutations,
): void {
  for (const [paperId, key] of op.keys) {
    db.run('INSERT OR IGNORE INTO sync_keys (paper_id, pkey) VALUES (?, ?)', [paperId, key])
  }
  db.with('INSERT INTO sync_log (counter, op) VALUES (?, ?)', (insert) => {
    for (const sop of op.ops) {
      recordOp(db, sop)
      insert.run([sop.counter, JSON.stringify(sop)])
    }
  })
  for (const [paperId, key] of op.adopt) project(db, paperId, mergedState(db, key), m)
  const last = op.ops.at(-1)
  if (last) setMeta(db, 'sync_counter', String(last.counter))
  seeStamp(db, op.stamp)
  db.run('DELETE FROM sync_dirty WHERE paper_id IN (SELECT value FROM json_each(?))', [
    jsonIds(op.captured),
  ])
  db.run('DELETE FROM sync_resolve WHERE paper_id IN (SELECT value FROM json_each(?))', [
    jsonIds(op.captured),
  ])
}

/** What a pass that applies others' operations needs from the rest of the mutations. */
export interface Mutations {
  importPapers(at: string, papers: SyncPaper[]): void
  deletePapers(at: string, ids: number[]): void
  setStatus(id: number, status: Status, at: string): void
  revive(paperId: number): boolean
}

/** The live paper an identity names here: by the sync key it was given, else as import finds it. */
function resolveLive(db: Db, key: string, paper: SyncPaper | null): number | null {
  const mapped = db.value(
    `SELECT k.paper_id FROM sync_keys k JOIN papers p ON p.id = k.paper_id WHERE k.pkey = ?
     ORDER BY k.paper_id LIMIT 1`,
    [key],
  )
  if (mapped !== null) return Number(mapped)
  const arxivId = paper?.meta?.arxivId ?? (key.startsWith('arxiv:') ? key.slice(6) : null)
  const doi = paper?.meta?.doi ?? (key.startsWith('doi:') ? key.slice(4) : null)
  if (arxivId) {
    const id = db.value('SELECT id FROM papers WHERE arxiv_id = ?', [arxivId])
    if (id !== null) return Number(id)
  }
  if (doi) {
    const id = db.value('SELECT id FROM papers WHERE doi = ?', [doi])
    if (id !== null) return Number(id)
  }
  const title = paper ? titleKey(paper.title) : key.startsWith('title:') ? key.slice(6) : null
  if (title === null) return null
  for (const r of db.all<{ id: number; arxiv_id: string | null; doi: string | null }>(
    'SELECT id, arxiv_id, doi FROM papers WHERE title_key = ? ORDER BY id',
    [title],
  )) {
    if (arxivId && r.arxiv_id && r.arxiv_id !== arxivId) continue
    if (doi && r.doi && r.doi !== doi) continue
    return r.id
  }
  return null
}

/** Makes the live paper `id` what the merged state says. */
function project(db: Db, id: number, state: MergedState, m: Mutations): void {
  const row = db.get<{ status: number; starred: number; tags: string; note: string }>(
    'SELECT status, starred, tags, note FROM papers WHERE id = ?',
    [id],
  )
  if (!row) return
  if (state.status && statusCode(state.status.value) !== row.status) {
    m.setStatus(id, state.status.value, timeOf(state.status.stamp))
  }
  if (state.starred && (row.starred === 1) !== state.starred.value) {
    db.run('UPDATE papers SET starred = ? WHERE id = ?', [state.starred.value ? 1 : 0, id])
  }
  if (state.tagged) {
    const want = [...state.tags.values()]
      .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))
      .map((t) => t.spelling)
    const have = decodeList(row.tags)
    const same =
      have.length === want.length &&
      have.map(tagKey).sort().join('\n') === want.map(tagKey).sort().join('\n')
    if (!same) db.run('UPDATE papers SET tags = ? WHERE id = ?', [JSON.stringify(want), id])
  }
  const shown = state.heads[0]
  if (shown && shown.text !== row.note) {
    db.run('UPDATE papers SET note = ?, note_updated_at = ? WHERE id = ?', [
      shown.text,
      timeOf(shown.stamp),
      id,
    ])
  }
}

function applyRemote(
  db: Db,
  op: Extract<SyncOperation, { kind: 'syncApply' }>,
  m: Mutations,
): void {
  const wasDirty = new Set(
    db.all<{ id: number }>('SELECT paper_id AS id FROM sync_dirty').map((r) => r.id),
  )
  const keys = op.state ? mergeStateEntries(db, op.state) : new Set<string>()
  const latest = op.state ? latestStamp(op.state) : null
  if (latest !== null) seeStamp(db, latest)
  for (const sop of op.ops) {
    recordOp(db, sop)
    seeStamp(db, sop.stamp)
    keys.add(sop.key)
  }
  for (const [device, applied] of Object.entries(op.cursors)) {
    db.run(
      `INSERT INTO sync_peers (device, applied) VALUES (?, ?)
       ON CONFLICT (device) DO UPDATE SET applied = MAX(applied, excluded.applied)`,
      [device, applied],
    )
  }
  const remove: number[] = []
  const add: { key: string; paper: SyncPaper }[] = []
  const states = new Map<string, MergedState>()
  const mapKey = (id: number, key: string): void => {
    db.run('INSERT OR IGNORE INTO sync_keys (paper_id, pkey) VALUES (?, ?)', [id, key])
  }
  for (const key of [...keys].sort()) {
    const state = mergedState(db, key)
    states.set(key, state)
    let id = resolveLive(db, key, state.paper)
    if (state.deleted) {
      if (id !== null) remove.push(id)
      continue
    }
    if (id === null) {
      if (!state.known) continue
      // Deleted here before: it comes back as it was (its note, its history), then merged.
      const kept = db.value(
        `SELECT d.paper_id FROM deleted_papers d JOIN deletions x ON x.id = d.deletion_id
         JOIN sync_keys k ON k.paper_id = d.paper_id
         WHERE x.restored_at IS NULL AND k.pkey = ? ORDER BY d.deletion_id DESC LIMIT 1`,
        [key],
      )
      if (kept !== null && m.revive(Number(kept))) id = Number(kept)
    }
    if (id === null) {
      add.push({ key, paper: state.paper! })
      continue
    }
    mapKey(id, key)
    project(db, id, state, m)
  }
  if (remove.length > 0) m.deletePapers(op.at, [...new Set(remove)])
  if (add.length > 0) {
    m.importPapers(
      op.at,
      add.map((a) => a.paper),
    )
    for (const { key } of add) {
      const state = states.get(key)!
      const id = resolveLive(db, key, state.paper)
      if (id === null) continue
      mapKey(id, key)
      project(db, id, state, m)
    }
  }
  // What the merge changed is not a change of this device's own.
  db.run('DELETE FROM sync_dirty WHERE paper_id NOT IN (SELECT value FROM json_each(?))', [
    JSON.stringify([...wasDirty]),
  ])
}

/** Applies a sync operation inside the caller's transaction. */
export function applySyncOperation(db: Db, op: SyncOperation, m: Mutations): null {
  switch (op.kind) {
    case 'syncEnable':
      if (syncDevice(db) !== null) return null
      setMeta(db, 'sync_device', op.device)
      db.run("DELETE FROM meta WHERE key = 'sync_paused_device'")
      // Everything the library holds is this device's to send (what it held when sync was
      // paused is sent already: only what changed since differs from the merged state), and
      // what it deleted while paused is a deletion to send.
      db.run('INSERT OR IGNORE INTO sync_dirty (paper_id) SELECT id FROM papers')
      db.run('INSERT OR IGNORE INTO sync_dirty (paper_id) SELECT paper_id FROM sync_keys')
      return null
    case 'syncPause': {
      const device = syncDevice(db)
      if (device === null) return null
      // The triggers stop recording once the device is gone from 'sync_device'; its log stays
      // (it writes the folder again should that be lost), and grows no more.
      setMeta(db, 'sync_paused_device', device)
      db.run("DELETE FROM meta WHERE key = 'sync_device'")
      db.run('DELETE FROM sync_dirty')
      return null
    }
    case 'syncRekey': {
      const old = syncDevice(db)
      if (old === null || old === op.device) return null
      // The copy has all the original had done: to it, the original is one more device. What
      // the old device had not yet written to the folder is sent again under the new one
      // (the original, if it syncs again, sends it too: the same values, a tag added twice, a
      // note version twice with the same text, shown once), so nothing is lost whichever of
      // the two goes on.
      const counter = Number(meta(db, 'sync_counter') ?? 0)
      db.run(
        `INSERT INTO sync_peers (device, applied) VALUES (?, ?)
         ON CONFLICT (device) DO UPDATE SET applied = MAX(applied, excluded.applied)`,
        [old, counter],
      )
      const pending = db
        .all<{ op: string }>('SELECT op FROM sync_log WHERE counter > ? ORDER BY counter', [
          op.written,
        ])
        .map((r) => JSON.parse(r.op) as SyncOp)
      db.run('DELETE FROM sync_log')
      setMeta(db, 'sync_device', op.device)
      const renamed = new Map<string, string>()
      let next = 0
      db.with('INSERT INTO sync_log (counter, op) VALUES (?, ?)', (insert) => {
        for (const was of pending) {
          next += 1
          const again: SyncOp = {
            ...was,
            device: op.device,
            counter: next,
            stamp: `${was.stamp.slice(0, 23)}@${op.device}`,
          }
          renamed.set(opId(was), opId(again))
          // What it replaced or took off, under both names.
          const both = (ids: string[]): string[] => [
            ...ids,
            ...ids.flatMap((i) => (renamed.has(i) ? [renamed.get(i)!] : [])),
          ]
          if (again.change.kind === 'untag') {
            again.change = { ...again.change, adds: both(again.change.adds) }
          } else if (again.change.kind === 'note') {
            again.change = { ...again.change, bases: both(again.change.bases) }
          } else if (again.change.kind === 'delete') {
            const seen = { ...again.change.seen, [op.device]: next }
            again.change = { ...again.change, seen }
          }
          recordOp(db, again)
          insert.run([next, JSON.stringify(again)])
        }
      })
      setMeta(db, 'sync_counter', String(next))
      return null
    }
    case 'syncRecord':
      applyRecord(db, op, m)
      return null
    case 'syncApply':
      applyRemote(db, op, m)
      return null
    case 'syncResolveNote': {
      const row = db.get<{ note: string }>('SELECT note FROM papers WHERE id = ?', [op.id])
      const key = db.value('SELECT pkey FROM sync_keys WHERE paper_id = ?', [op.id])
      if (!row || key === null) return null
      const version = db.get<{ text: string }>(
        'SELECT text FROM sync_notes WHERE pkey = ? AND vid = ?',
        [String(key), op.version],
      )
      if (!version) return null
      if (op.keep && version.text !== row.note) {
        db.run('UPDATE papers SET note = ?, note_updated_at = ? WHERE id = ?', [
          version.text,
          op.at,
          op.id,
        ])
      }
      db.run('INSERT OR IGNORE INTO sync_resolve (paper_id, vid) VALUES (?, ?)', [
        op.id,
        op.version,
      ])
      db.run('INSERT OR IGNORE INTO sync_dirty (paper_id) VALUES (?)', [op.id])
      return null
    }
  }
}

/** The other versions of a paper's note (concurrent edits elsewhere), latest first. */
export function noteConflicts(db: Db, paperId: number, note: string): NoteConflict[] {
  const key = db.value('SELECT pkey FROM sync_keys WHERE paper_id = ?', [paperId])
  if (key === null) return []
  const heads = mergedState(db, String(key)).heads
  const seen = new Set([note])
  const out: NoteConflict[] = []
  for (const h of heads.slice(1)) {
    if (seen.has(h.text)) continue
    seen.add(h.text)
    out.push({ version: h.vid, device: h.device, at: timeOf(h.stamp), text: h.text })
  }
  return out
}

/** This device's operations after `counter`, in order. */
export function ownOpsAfter(db: Db, counter: number, limit: number): SyncOp[] {
  return db
    .all<{ op: string }>('SELECT op FROM sync_log WHERE counter > ? ORDER BY counter LIMIT ?', [
      counter,
      limit,
    ])
    .map((r) => JSON.parse(r.op) as SyncOp)
}

/** How far each other device's operations are applied here. */
export function peerCursors(db: Db): Map<string, number> {
  return new Map(
    db
      .all<{ device: string; applied: number }>('SELECT device, applied FROM sync_peers')
      .map((p) => [p.device, p.applied]),
  )
}

export function ownCounter(db: Db): number {
  return Number(meta(db, 'sync_counter') ?? 0)
}
