// Sync's merge, in the library's own database. Every device records its own changes as sync
// operations (found by triggers on `papers`, whatever operation made them: see migration 11)
// and applies the others'. The merged state is kept by paper identity (its arXiv id, DOI or
// title, the keys import dedupe uses), so that the same paper imported on two computers is one;
// a paper known by one key on one computer and by another elsewhere (an arXiv id here, only its
// DOI there) merges the operations of both keys (see identitiesOf):
// - status and star: last writer wins, by hybrid logical clock, the device id breaking ties;
// - tags: an add-wins set (a removal takes off only the additions it saw);
// - a deletion removes a paper only if it saw every change made to it (a version vector):
//   a change it did not see, made elsewhere meanwhile, keeps the paper (or brings it back);
//   decided key by key (a paper known by two keys goes when each key's does), so that it does
//   not depend on which keys a device linked to one paper of its own;
// - notes: a multi-value register. Each version names the versions it replaced; the versions
//   no other replaced are kept, the latest shown, the others offered as conflict versions.
// Every rule is a function of the set of operations seen, not of their order, so every
// device that has seen the same operations has the same library.
import type { SqlValue, Statement } from 'sql.js'
import { STATUSES } from '../../../shared/domain'
import type { NoteConflict, Status } from '../../../shared/domain'
import { titleKey } from '../../../shared/titleKey'
import type { Db, Row } from './database'
import type { ImportedPaper } from './paperColumns'
import { statusCode, statusFromCode } from './statusCodes'
import { mergeStateEntries, stampsOf } from './syncState'
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
      /**
       * The highest counter up to which the old device's operations are the ones this library
       * has, as its folder shows them (past a segment lost there when one after it agrees;
       * absent in records from before it was said: the lower of `written` and the library's
       * own count, as it then was).
       */
      agreed?: number
    }
  | {
      kind: 'syncRecord'
      stamp: string
      /** When the change was made (absent in records written before it was kept). */
      at?: string
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

/** The most a count within one millisecond can be (nine digits: see segments.ts). */
const MAX_COUNT = 999_999_999

/**
 * How far ahead of this computer's clock another device's stamp may be and still move this
 * device's clock: a clock a day fast, or a forged stamp, would otherwise carry every later
 * change of this device with it (to a count no device accepts, at the last).
 */
export const CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000

/** The next stamp after the last one this device issued or saw. */
export function nextStamp(db: Db, device: string, now: Date): string {
  const last = meta(db, 'sync_hlc')
  const [ms, count] = last ? clockOf(last) : [0, 0]
  const wall = now.getTime()
  if (wall > ms) return stampOf(wall, 0, device)
  return count < MAX_COUNT ? stampOf(ms, count + 1, device) : stampOf(ms + 1, 0, device)
}

/** Moves this device's clock past `stamp`, unless it is further ahead of `now` than a day. */
function seeStamp(db: Db, stamp: string, now = Number.POSITIVE_INFINITY): void {
  if (clockOf(stamp)[0] > now + CLOCK_AHEAD_MS) return
  const last = meta(db, 'sync_hlc')
  const clock = stamp.slice(0, 23)
  if (!last || clock > last.slice(0, 23)) setMeta(db, 'sync_hlc', clock)
}

/** seeStamp for the latest of many stamps that may move this device's clock. */
function seeStamps(db: Db, stamps: Iterable<string>, now: number): void {
  let latest: string | null = null
  for (const stamp of stamps) {
    if (clockOf(stamp)[0] <= now + CLOCK_AHEAD_MS && (latest === null || stamp > latest)) {
      latest = stamp
    }
  }
  if (latest !== null) seeStamp(db, latest, now)
}

/** A stamp's time, for history and note times: never later than `now` (a clock ahead). */
function timeOf(stamp: string, now: number): string {
  return new Date(Math.min(clockOf(stamp)[0], now)).toISOString()
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
  /** Some device added it (its data is known: see paperOf). */
  known: boolean
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

const IN_KEYS = '(SELECT value FROM json_each(?))'

interface TagRow {
  tag_key: string
  add_id: string
  stamp: string | null
  spelling: string | null
  removed: number
}

/** What the merged-state tables hold for some keys, by key: read once for many papers. */
interface StateRows {
  papers: Map<string, { stamp: string }[]>
  deletes: Map<string, { seen: string }[]>
  touches: Map<string, { device: string; counter: number }[]>
  fields: Map<string, { field: string; stamp: string; value: string }[]>
  tags: Map<string, TagRow[]>
  notes: Map<string, Head[]>
  bases: Map<string, { vid: string }[]>
}

function byKey<T>(db: Db, sql: string, keys: string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  db.with(sql, (stmt) => {
    stmt.bind([keys])
    // Arrays, the column names read once: thousands of rows, not an object built per column.
    let names: string[] | null = null
    while (stmt.step()) {
      names ??= stmt.getColumnNames()
      const values = stmt.get()
      const row: Record<string, SqlValue> = {}
      names.forEach((name, i) => (row[name] = values[i]!))
      const list = out.get(String(row.pkey))
      if (list) list.push(row as unknown as T)
      else out.set(String(row.pkey), [row as unknown as T])
    }
  })
  return out
}

/** What the tables say of the keys: whether known and deleted only, or everything. */
function stateRows(db: Db, keys: Iterable<string>, only?: 'presence'): StateRows {
  const all = JSON.stringify([...new Set(keys)])
  const from = (columns: string, table: string) =>
    `SELECT pkey, ${columns} FROM ${table} WHERE pkey IN ${IN_KEYS}`
  const presence = {
    papers: byKey<{ stamp: string }>(db, from('stamp', 'sync_papers'), all),
    deletes: byKey<{ seen: string }>(db, from('seen', 'sync_deletes'), all),
    touches: byKey<{ device: string; counter: number }>(
      db,
      from('device, counter', 'sync_touch'),
      all,
    ),
  }
  if (only === 'presence') {
    return { ...presence, fields: new Map(), tags: new Map(), notes: new Map(), bases: new Map() }
  }
  return {
    ...presence,
    fields: byKey(db, from('field, stamp, value', 'sync_fields'), all),
    tags: byKey(db, from('tag_key, add_id, stamp, spelling, removed', 'sync_tags'), all),
    notes: byKey(db, from('vid, stamp, device, text', 'sync_notes'), all),
    bases: byKey(db, from('vid', 'sync_note_bases'), all),
  }
}

function rowsOf<T>(map: Map<string, T[]>, keys: readonly string[]): T[] {
  return keys.flatMap((k) => map.get(k) ?? [])
}

const byStamp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Whether a deletion under `key` saw every change any device made under it. */
function keyDeleted(rows: StateRows, key: string): boolean {
  const touches = rows.touches.get(key) ?? []
  return (rows.deletes.get(key) ?? []).some((d) => {
    const seen = JSON.parse(d.seen) as Record<string, number>
    return touches.every((t) => t.counter <= (seen[t.device] ?? 0))
  })
}

/**
 * Whether a paper is known, and deleted, from the operations under `keys`: deleted when every
 * key it is known by is, each by a deletion under that key. Decided key by key, so that a
 * device that linked two keys to one paper (see identitiesOf: a link of its own, not synced)
 * deletes it exactly when one that never linked them has neither key's paper.
 */
function presenceOf(
  rows: StateRows,
  keys: readonly string[],
): Pick<MergedState, 'known' | 'deleted'> {
  const known = keys.filter((k) => rows.papers.has(k))
  return {
    known: known.length > 0,
    deleted: known.length > 0 && known.every((k) => keyDeleted(rows, k)),
  }
}

/** The paper's data, as the first addition under any of `keys` gave it. */
function paperOf(db: Db, keys: readonly string[]): SyncPaper | null {
  const added = db.get<{ paper: string }>(
    `SELECT paper FROM sync_papers WHERE pkey IN ${IN_KEYS} ORDER BY stamp LIMIT 1`,
    [JSON.stringify(keys)],
  )
  return added ? (JSON.parse(added.paper) as SyncPaper) : null
}

function presence(
  db: Db,
  key: string,
): Pick<MergedState, 'known' | 'deleted'> & { paper: SyncPaper | null } {
  const state = presenceOf(stateRows(db, [key], 'presence'), [key])
  return { ...state, paper: state.known ? paperOf(db, [key]) : null }
}

/** The tags an add-wins set holds: each addition not removed, the latest spelling, first place. */
function tagsOf(list: TagRow[]): Pick<MergedState, 'tagged' | 'tags'> {
  // An addition is recorded under its operation's key, a removal of it perhaps under another.
  const adds = new Map<string, TagRow>()
  for (const t of list) {
    const id = `${t.tag_key}\n${t.add_id}`
    const have = adds.get(id)
    if (!have) adds.set(id, { ...t })
    else {
      have.stamp ??= t.stamp
      have.spelling ??= t.spelling
      have.removed = Math.max(have.removed, t.removed)
    }
  }
  const tags = new Map<string, { spelling: string; adds: string[]; first: string }>()
  const live = [...adds.values()]
    .filter((t) => t.removed !== 1 && t.spelling !== null && t.stamp !== null)
    .sort((a, b) => byStamp(a.stamp!, b.stamp!) || byStamp(a.add_id, b.add_id))
  for (const t of live) {
    const have = tags.get(t.tag_key)
    // The latest addition spells it; the first places it.
    if (have) {
      have.adds.push(t.add_id)
      have.spelling = t.spelling!
    } else tags.set(t.tag_key, { spelling: t.spelling!, adds: [t.add_id], first: t.stamp! })
  }
  return { tagged: list.length > 0, tags }
}

/**
 * The merged state of one paper from the operations made under any of `keys`, the identities
 * it is known by (see identitiesOf). Each rule is one of sets of operations (an operation has
 * one key), so the union of the keys' operations merges as if they had all used one.
 */
function stateOf(rows: StateRows, keys: readonly string[]): MergedState {
  const fields = new Map<string, { stamp: string; value: string }>()
  for (const f of rowsOf(rows.fields, keys)) {
    const have = fields.get(f.field)
    if (!have || f.stamp > have.stamp) fields.set(f.field, f)
  }
  const status = fields.get('status')
  const starred = fields.get('starred')
  const replaced = new Set(rowsOf(rows.bases, keys).map((b) => b.vid))
  const heads = rowsOf(rows.notes, keys)
    .filter((n) => !replaced.has(n.vid))
    .sort((a, b) => byStamp(b.stamp, a.stamp) || byStamp(b.vid, a.vid))
  return {
    ...presenceOf(rows, keys),
    status:
      status && (STATUSES as readonly string[]).includes(status.value)
        ? { value: status.value as Status, stamp: status.stamp }
        : null,
    starred: starred ? { value: starred.value === '1', stamp: starred.stamp } : null,
    ...tagsOf(rowsOf(rows.tags, keys)),
    heads,
  }
}

/** The merged states of the papers `ids`, each from all the identities it is known by. */
function statesOf(db: Db, ids: number[]): Map<number, MergedState> {
  const identities = identitiesOfMany(db, ids)
  const states = mergedStates(
    db,
    ids.map((id) => identities.get(id) ?? []),
  )
  return new Map(ids.map((id, i) => [id, states[i]!]))
}

/** The merged states of many papers, each from its keys, read in one go. */
function mergedStates(db: Db, papers: readonly (readonly string[])[]): MergedState[] {
  const rows = stateRows(db, papers.flat())
  return papers.map((keys) => stateOf(rows, keys))
}

type RunStatement = (sql: string, params: SqlValue[]) => void

/** The columns of rows passed as one JSON array of arrays (`?`), as `c0`, `c1`, … */
function jsonRows(columns: number): string {
  const cs = Array.from({ length: columns }, (_, i) => `json_extract(value, '$[${i}]') AS c${i}`)
  // WHERE: an INSERT … SELECT with an upsert needs one (see SQLite's "Parsing Ambiguity").
  return `SELECT ${cs.join(', ')} FROM json_each(?) WHERE true`
}

/**
 * Records operations in the merged state; idempotent, and indifferent to order. What a change
 * of many papers makes many of (touches, additions, statuses, stars, tags) is one statement
 * per table for all of them; deletions, untags and notes are recorded one by one.
 */
function recordOps(db: Db, ops: readonly SyncOp[]): void {
  const touches: SqlValue[][] = []
  const papers: SqlValue[][] = []
  const fields: SqlValue[][] = []
  const tags: SqlValue[][] = []
  const rest: SyncOp[] = []
  for (const op of ops) {
    const { key, change } = op
    if (change.kind !== 'delete') touches.push([key, op.device, op.counter])
    if (change.kind === 'add') papers.push([key, op.stamp, JSON.stringify(change.paper)])
    else if (change.kind === 'status') fields.push([key, 'status', op.stamp, change.status])
    else if (change.kind === 'star') {
      fields.push([key, 'starred', op.stamp, change.starred ? '1' : '0'])
    } else if (change.kind === 'tag') {
      tags.push([key, tagKey(change.tag), opId(op), op.stamp, change.tag])
    } else rest.push(op)
  }
  const insert = (rows: SqlValue[][], sql: string): void => {
    if (rows.length > 0) db.run(sql, [JSON.stringify(rows)])
  }
  insert(
    touches,
    `INSERT INTO sync_touch (pkey, device, counter) ${jsonRows(3)}
     ON CONFLICT (pkey, device) DO UPDATE SET counter = MAX(counter, excluded.counter)`,
  )
  // The first addition's data stands (an import fills in; it never changes what is there).
  insert(
    papers,
    `INSERT INTO sync_papers (pkey, stamp, paper) ${jsonRows(3)}
     ON CONFLICT (pkey) DO UPDATE SET stamp = excluded.stamp, paper = excluded.paper
     WHERE excluded.stamp < sync_papers.stamp`,
  )
  insert(
    fields,
    `INSERT INTO sync_fields (pkey, field, stamp, value) ${jsonRows(4)}
     ON CONFLICT (pkey, field) DO UPDATE SET stamp = excluded.stamp, value = excluded.value
     WHERE excluded.stamp > sync_fields.stamp`,
  )
  insert(
    tags,
    `INSERT INTO sync_tags (pkey, tag_key, add_id, stamp, spelling) ${jsonRows(5)}
     ON CONFLICT (pkey, tag_key, add_id) DO UPDATE SET stamp = excluded.stamp, spelling = excluded.spelling`,
  )
  if (rest.length > 0) prepared(db, (run) => rest.forEach((op) => recordOne(run, op)))
}

/** Runs `use` with a function that runs statements, each prepared once and freed after. */
function prepared<T>(db: Db, use: (run: RunStatement) => T): T {
  const statements = new Map<string, Statement>()
  const run: RunStatement = (sql, params) => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      statements.set(sql, statement)
    }
    statement.run(params)
  }
  try {
    return use(run)
  } finally {
    for (const statement of statements.values()) statement.free()
  }
}

/** Records a deletion, an untag or a note (see recordOps). */
function recordOne(run: RunStatement, op: SyncOp): void {
  const { key, change } = op
  switch (change.kind) {
    case 'delete':
      run('INSERT OR IGNORE INTO sync_deletes (pkey, op_id, seen) VALUES (?, ?, ?)', [
        key,
        opId(op),
        JSON.stringify(change.seen),
      ])
      return
    case 'untag':
      for (const add of change.adds) {
        run(
          `INSERT INTO sync_tags (pkey, tag_key, add_id, removed) VALUES (?, ?, ?, 1)
           ON CONFLICT (pkey, tag_key, add_id) DO UPDATE SET removed = 1`,
          [key, tagKey(change.tag), add],
        )
      }
      return
    case 'note':
      run(
        'INSERT OR IGNORE INTO sync_notes (pkey, vid, stamp, device, text) VALUES (?, ?, ?, ?, ?)',
        [key, opId(op), op.stamp, op.device, change.text],
      )
      for (const base of change.bases) {
        run('INSERT OR IGNORE INTO sync_note_bases (pkey, vid) VALUES (?, ?)', [key, base])
      }
      // A version others replaced keeps only its name: its text is in the one that did.
      run(
        `UPDATE sync_notes SET text = '' WHERE pkey = ? AND text <> ''
           AND vid IN (SELECT vid FROM sync_note_bases WHERE pkey = ?)`,
        [key, key],
      )
      return
    default:
      throw new Error(`recordOne: a ${change.kind} is recorded with the others`)
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

/**
 * The identities the paper `id` is known by: its own sync key first, then those other devices
 * know it by (its DOI where this library recorded its arXiv id, say), found as they arrived.
 */
function identitiesOf(db: Db, id: number): string[] {
  return db
    .all<{ pkey: string }>(
      `SELECT pkey FROM (SELECT pkey, 0 AS alias FROM sync_keys WHERE paper_id = ?
         UNION SELECT pkey, 1 AS alias FROM sync_aliases WHERE paper_id = ?)
       ORDER BY alias, pkey`,
      [id, id],
    )
    .map((r) => r.pkey)
}

/** The identities of many papers (see identitiesOf), read in one go. */
function identitiesOfMany(db: Db, ids: readonly number[]): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const r of db.all<{ id: number; pkey: string }>(
    `SELECT id, pkey FROM (
       SELECT paper_id AS id, pkey, 0 AS alias FROM sync_keys
       WHERE paper_id IN (SELECT value FROM json_each(?1))
       UNION SELECT paper_id AS id, pkey, 1 AS alias FROM sync_aliases
       WHERE paper_id IN (SELECT value FROM json_each(?1)))
     ORDER BY id, alias, pkey`,
    [JSON.stringify(ids)],
  )) {
    out.set(r.id, [...(out.get(r.id) ?? []), r.pkey])
  }
  return out
}

/** mapKey for many pairs: each paper's first key its own (if it has none), the others aliases. */
function mapKeys(db: Db, pairs: readonly [number, string][]): void {
  const json = JSON.stringify(pairs)
  db.run(
    `INSERT OR IGNORE INTO sync_keys (paper_id, pkey)
     SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)
     ORDER BY CAST(key AS INTEGER)`,
    [json],
  )
  db.run(
    `INSERT OR IGNORE INTO sync_aliases (pkey, paper_id)
     SELECT json_extract(j.value, '$[1]'), k.paper_id FROM json_each(?) j
     JOIN sync_keys k ON k.paper_id = json_extract(j.value, '$[0]')
     WHERE k.pkey <> json_extract(j.value, '$[1]')`,
    [json],
  )
}

/** Notes that `key` names the paper `id`: its own key if it has none yet, else another. */
function mapKey(db: Db, id: number, key: string): void {
  const own = db.value('SELECT pkey FROM sync_keys WHERE paper_id = ?', [id])
  if (own === null) {
    db.run('INSERT INTO sync_keys (paper_id, pkey) VALUES (?, ?)', [id, key])
  } else if (String(own) !== key) {
    db.run('INSERT OR IGNORE INTO sync_aliases (pkey, paper_id) VALUES (?, ?)', [key, id])
  }
}

/**
 * The identities other devices gave papers that no live paper here answers to (deleted here, or
 * known here by another key when they arrived), to be found again by a paper new to sync here
 * as an import would find it: by arXiv id, by DOI, or by title when no id tells them apart.
 */
interface Unclaimed {
  /** The unclaimed identities that name the paper `row` (its arXiv id, DOI, title key). */
  naming(row: Row): string[]
}

function unclaimedKeys(db: Db): Unclaimed {
  const byId = new Map<string, string[]>()
  const byTitle = new Map<string, { key: string; arxivId?: string; doi?: string }[]>()
  const add = <T>(map: Map<string, T[]>, at: string, value: T): void => {
    map.set(at, [...(map.get(at) ?? []), value])
  }
  for (const { pkey, paper } of db.all<{ pkey: string; paper: string }>(
    `SELECT s.pkey, s.paper FROM sync_papers s WHERE NOT EXISTS (
       SELECT 1 FROM sync_keys k JOIN papers p ON p.id = k.paper_id WHERE k.pkey = s.pkey)
     AND NOT EXISTS (
       SELECT 1 FROM sync_aliases k JOIN papers p ON p.id = k.paper_id WHERE k.pkey = s.pkey)`,
  )) {
    const data = JSON.parse(paper) as SyncPaper
    const { arxivId, doi } = data.meta ?? {}
    if (arxivId) add(byId, `arxiv:${arxivId}`, pkey)
    if (doi) add(byId, `doi:${doi}`, pkey)
    add(byTitle, titleKey(data.title), { key: pkey, arxivId, doi })
  }
  return {
    naming(row: Row): string[] {
      const arxivId = row.arxiv_id as string | null
      const doi = row.doi as string | null
      const found = [
        ...(arxivId ? (byId.get(`arxiv:${arxivId}`) ?? []) : []),
        ...(doi ? (byId.get(`doi:${doi}`) ?? []) : []),
        ...(byTitle.get(String(row.title_key)) ?? [])
          .filter((t) => !(arxivId && t.arxivId && t.arxivId !== arxivId))
          .filter((t) => !(doi && t.doi && t.doi !== doi))
          .map((t) => t.key),
      ]
      return [...new Set(found)].sort()
    },
  }
}

/**
 * Maps `key` to the paper `id`; a paper new to sync here also takes the unclaimed identities
 * that name it (it was known by them before it was here, or before it was here again).
 */
function claim(db: Db, id: number, key: string, unclaimed: () => Unclaimed, back = false): void {
  const fresh = back || db.value('SELECT 1 FROM sync_keys WHERE paper_id = ?', [id]) === null
  mapKey(db, id, key)
  if (!fresh) return
  const row = db.get<Row>('SELECT arxiv_id, doi, title_key FROM papers WHERE id = ?', [id])
  if (row) for (const other of unclaimed().naming(row)) mapKey(db, id, other)
}

/** The papers `ids` whole, by id. */
function papersById(db: Db, ids: number[]): Map<number, Row> {
  if (ids.length === 0) return new Map()
  return new Map(
    db
      .all(`SELECT ${PAPER_FIELDS} FROM papers WHERE id IN (SELECT value FROM json_each(?))`, [
        jsonIds(ids),
      ])
      .map((r) => [Number(r.id), r]),
  )
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
  const adopt: [number, string][] = []
  let peers: Record<string, number> | null = null
  const emit = (key: string, change: SyncChange): void => {
    counter += 1
    ops.push({ device, counter, stamp, key, change })
  }
  const { groups, keys } = dirtyGroups(db, dirty)
  const list = [...groups.values()]
  const rows = stateRows(
    db,
    list.flatMap((g) => g.identities),
  )
  const resolves = resolvedVersions(db)
  const states = list.map((g) => stateOf(rows, g.identities))
  let unclaimedNow: Unclaimed | null = null
  // What a paper is (its abstract, authors…) is read only for those sent as additions.
  const adds = list.filter((g, i) => g.row && (!rows.papers.has(g.key) || states[i]!.deleted))
  const whole = papersById(
    db,
    adds.map((g) => g.id),
  )
  for (const [i, { key, row, id, fresh, identities }] of list.entries()) {
    const state = states[i]!
    if (!row) {
      // A deletion under each key the paper is known by that no live paper here answers to
      // (a paper is deleted when each of its keys is: see presenceOf).
      for (const k of identities) {
        if (!rows.papers.has(k) || keyDeleted(rows, k)) continue
        if (resolveLive(db, k, paperOf(db, [k])) !== null) continue
        peers ??= peersSeen(db)
        emit(k, { kind: 'delete', seen: { ...peers, [device]: counter + 1 } })
      }
      continue
    }
    // New to sync here (imported, or back from a deletion) while other devices already
    // changed it: what they did stands, field by field, rather than be overwritten by what
    // this library had (a status of an older copy, a note from before); this library's values
    // fill in only what no device set.
    const joining = fresh || state.deleted
    if (state.deleted && !fresh) {
      // Back from a deletion (undone here): it takes the keys that arrived meanwhile naming it,
      // as a paper new here does (see claim).
      unclaimedNow ??= unclaimedKeys(db)
      for (const other of unclaimedNow.naming(row)) {
        if (!identities.includes(other)) keys.push([id, other])
      }
    }
    if (whole.has(id)) emit(key, { kind: 'add', paper: paperData(whole.get(id)!) })
    if (joining) adopt.push([id, key])
    for (const change of changesOf(row, state, joining, resolves.get(id) ?? [])) emit(key, change)
  }
  return { kind: 'syncRecord', stamp, at: now.toISOString(), ops, keys, adopt, captured: dirty }
}

/** One identity's dirty papers: its live row (if any), the id it goes by, its identities. */
interface DirtyGroup {
  key: string
  row: Row | null
  id: number
  /** New to sync here, or one of two ids of one paper: not a change of what it holds. */
  fresh: boolean
  identities: string[]
}

/**
 * The dirty papers by identity, read in one go: an undone deletion may put a paper back under
 * its own id while taking away a copy imported since (two ids, one paper). `keys`: the keys
 * given to papers new to sync here, with the unclaimed ones that name them (see claim).
 */
function dirtyGroups(
  db: Db,
  dirty: number[],
): { groups: Map<string, DirtyGroup>; keys: [number, string][] } {
  const ids = jsonIds(dirty)
  const rows = new Map(
    db
      .all(
        `SELECT id, title_key, arxiv_id, doi, status, starred, tags, note FROM papers
         WHERE id IN (SELECT value FROM json_each(?))`,
        [ids],
      )
      .map((r) => [Number(r.id), r]),
  )
  const known = identitiesOfMany(db, dirty)
  const keys: [number, string][] = []
  const groups = new Map<string, DirtyGroup>()
  let unclaimed: Unclaimed | null = null
  for (const id of dirty) {
    const row = rows.get(id) ?? null
    const mapped = known.get(id)?.[0] ?? null
    const key =
      mapped ??
      (row
        ? keyOf(row as { arxiv_id: string | null; doi: string | null; title_key: string })
        : null)
    if (key === null) continue
    const identities = [key, ...(known.get(id) ?? [])]
    if (mapped === null) {
      keys.push([id, key])
      unclaimed ??= unclaimedKeys(db)
      for (const other of unclaimed.naming(row!)) {
        if (other === key) continue
        keys.push([id, other])
        identities.push(other)
      }
    }
    const group = groups.get(key) ?? { key, row: null, id, fresh: false, identities: [] }
    if (row && !group.row) {
      group.row = row
      group.id = id
    }
    if (mapped === null || groups.has(key)) group.fresh = true
    group.identities = [...new Set([...group.identities, ...identities])]
    groups.set(key, group)
  }
  return { groups, keys }
}

/** The note versions kept or discarded here and not yet recorded, by paper. */
function resolvedVersions(db: Db): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const r of db.all<{ id: number; vid: string }>(
    'SELECT paper_id AS id, vid FROM sync_resolve ORDER BY vid',
  )) {
    out.set(r.id, [...(out.get(r.id) ?? []), r.vid])
  }
  return out
}

/** What the live paper `row` holds that the merged state does not, as changes. */
function changesOf(
  row: Row,
  state: MergedState,
  joining: boolean,
  resolved: string[],
): SyncChange[] {
  const changes: SyncChange[] = []
  const status = statusFromCode(Number(row.status))
  if (!(joining && state.status) && status !== (state.status?.value ?? 'new')) {
    changes.push({ kind: 'status', status })
  }
  const starred = row.starred === 1
  if (!(joining && state.starred) && starred !== (state.starred?.value ?? false)) {
    changes.push({ kind: 'star', starred })
  }
  if (!(joining && state.tagged)) {
    const local = decodeList(row.tags as SqlValue)
    const localKeys = new Set(local.map(tagKey))
    for (const tag of local) if (!state.tags.has(tagKey(tag))) changes.push({ kind: 'tag', tag })
    for (const [k, t] of state.tags) {
      if (!localKeys.has(k)) changes.push({ kind: 'untag', tag: t.spelling, adds: t.adds })
    }
  }
  const note = String(row.note ?? '')
  const shown = state.heads[0]
  if (joining && shown) return changes
  if (note !== (shown?.text ?? '') || resolved.length > 0) {
    const bases = [...new Set([...(shown ? [shown.vid] : []), ...resolved])]
    changes.push({ kind: 'note', text: note, bases })
  }
  return changes
}

/** Keeps this device's operations, to be written to its folder (and again, should it be lost). */
function logOwn(db: Db, ops: readonly SyncOp[]): void {
  db.with('INSERT INTO sync_log (counter, op) VALUES (?, ?)', (insert) => {
    for (const op of ops) insert.run([op.counter, JSON.stringify(op)])
  })
}

/** When a recorded change was made, as far as the record says. */
function recordedAt(op: Extract<SyncOperation, { kind: 'syncRecord' }>): number {
  return op.at === undefined ? clockOf(op.stamp)[0] : Date.parse(op.at)
}

function jsonIds(ids: readonly number[]): string {
  return JSON.stringify(ids)
}

function applyRecord(
  db: Db,
  op: Extract<SyncOperation, { kind: 'syncRecord' }>,
  m: Mutations,
): void {
  mapKeys(db, op.keys)
  recordOps(db, op.ops)
  logOwn(db, op.ops)
  const identities = identitiesOfMany(
    db,
    op.adopt.map(([paperId]) => paperId),
  )
  const states = mergedStates(
    db,
    op.adopt.map(([paperId, key]) => [...new Set([key, ...(identities.get(paperId) ?? [])])]),
  )
  const at = recordedAt(op)
  op.adopt.forEach(([paperId], i) => project(db, paperId, states[i]!, m, at))
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

/**
 * The live paper an identity names here: by the sync key it was given (or found to name it),
 * else as import finds it.
 */
function resolveLive(db: Db, key: string, paper: SyncPaper | null): number | null {
  for (const table of ['sync_keys', 'sync_aliases']) {
    const mapped = db.value(
      `SELECT k.paper_id FROM ${table} k JOIN papers p ON p.id = k.paper_id WHERE k.pkey = ?
       ORDER BY k.paper_id LIMIT 1`,
      [key],
    )
    if (mapped !== null) return Number(mapped)
  }
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
function project(db: Db, id: number, state: MergedState, m: Mutations, now: number): void {
  const row = db.get<{ status: number; starred: number; tags: string; note: string }>(
    'SELECT status, starred, tags, note FROM papers WHERE id = ?',
    [id],
  )
  if (!row) return
  if (state.status && statusCode(state.status.value) !== row.status) {
    m.setStatus(id, state.status.value, timeOf(state.status.stamp, now))
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
      timeOf(shown.stamp, now),
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
  const at = Date.parse(op.at)
  const keys = op.state ? mergeStateEntries(db, op.state) : new Set<string>()
  recordOps(db, op.ops)
  for (const sop of op.ops) keys.add(sop.key)
  seeStamps(
    db,
    op.ops.map((sop) => sop.stamp),
    at,
  )
  // A state's stamps move this device's clock as its operations' do: none over a day ahead.
  if (op.state) seeStamps(db, stampsOf(op.state), at)
  for (const [device, applied] of Object.entries(op.cursors)) {
    db.run(
      `INSERT INTO sync_peers (device, applied) VALUES (?, ?)
       ON CONFLICT (device) DO UPDATE SET applied = MAX(applied, excluded.applied)`,
      [device, applied],
    )
  }
  // Each key to the live paper it names (noted, so that every key the paper is known by
  // merges as one), else revived or imported; then each paper takes its merged state.
  let found: Unclaimed | null = null
  const unclaimed = (): Unclaimed => (found ??= unclaimedKeys(db))
  const live = new Set<number>()
  const add: { key: string; paper: SyncPaper }[] = []
  for (const key of [...keys].sort()) {
    const own = presence(db, key)
    const found = resolveLive(db, key, own.paper)
    const id = found ?? (own.known && !own.deleted ? revived(db, key, m) : null)
    if (id !== null) {
      // A paper back from a deletion also takes the keys that arrived meanwhile naming it, as
      // a paper new here does: linked as on a device where it was never deleted.
      claim(db, id, key, unclaimed, found === null)
      live.add(id)
    } else if (own.known && !own.deleted) add.push({ key, paper: own.paper! })
  }
  const remove: number[] = []
  statesOf(db, [...live]).forEach((state, id) => {
    if (state.deleted) remove.push(id)
    else project(db, id, state, m, at)
  })
  if (remove.length > 0) m.deletePapers(op.at, remove)
  if (add.length > 0) {
    m.importPapers(
      op.at,
      add.map((a) => a.paper),
    )
    const imported = new Set<number>()
    for (const { key, paper } of add) {
      const id = resolveLive(db, key, paper)
      if (id === null) continue
      claim(db, id, key, unclaimed)
      imported.add(id)
    }
    statesOf(db, [...imported]).forEach((state, id) => project(db, id, state, m, at))
  }
  // What the merge changed is not a change of this device's own.
  db.run('DELETE FROM sync_dirty WHERE paper_id NOT IN (SELECT value FROM json_each(?))', [
    JSON.stringify([...wasDirty]),
  ])
}

/** A paper deleted here before that `key` names, back as it was (its note, its history). */
function revived(db: Db, key: string, m: Mutations): number | null {
  const kept = db.value(
    `SELECT d.paper_id FROM deleted_papers d JOIN deletions x ON x.id = d.deletion_id
     WHERE x.restored_at IS NULL AND d.paper_id IN (
       SELECT paper_id FROM sync_keys WHERE pkey = ? UNION SELECT paper_id FROM sync_aliases WHERE pkey = ?)
     ORDER BY d.deletion_id DESC LIMIT 1`,
    [key, key],
  )
  return kept !== null && m.revive(Number(kept)) ? Number(kept) : null
}

/**
 * Forgets what this device's own operations after `agreed` recorded in the merged state: under
 * the old device's names they are not what the folder holds (or may never be), and they are
 * recorded again under the new device's. Its touches are recounted from those up to `agreed`.
 */
function forgetOwnAfter(db: Db, old: string, agreed: number): void {
  const after = `SELECT ? || ':' || counter FROM sync_log WHERE counter > ?`
  db.run(`DELETE FROM sync_notes WHERE vid IN (${after})`, [old, agreed])
  db.run(`DELETE FROM sync_note_bases WHERE vid IN (${after})`, [old, agreed])
  db.run(`DELETE FROM sync_tags WHERE add_id IN (${after})`, [old, agreed])
  db.run(`DELETE FROM sync_deletes WHERE op_id IN (${after})`, [old, agreed])
  db.run('DELETE FROM sync_touch WHERE device = ?', [old])
  db.run(
    `INSERT INTO sync_touch (pkey, device, counter)
     SELECT json_extract(op, '$.key'), ?, MAX(counter) FROM sync_log
     WHERE counter <= ? AND json_extract(op, '$.change.kind') <> 'delete'
     GROUP BY json_extract(op, '$.key')`,
    [old, agreed],
  )
}

/**
 * A status or star that one of this device's operations after `agreed` set, if it holds, holds
 * by the stamp that operation gets under the new device's name (not one the folder has).
 */
function renameFieldStamps(db: Db, agreed: number, device: string): void {
  const stamp = `json_extract(op, '$.stamp')`
  db.run(
    `UPDATE sync_fields SET stamp = substr(stamp, 1, 23) || '@' || ? WHERE stamp IN (
       SELECT ${stamp} FROM sync_log WHERE counter > ? AND ${stamp} NOT IN (
         SELECT ${stamp} FROM sync_log WHERE counter <= ?))`,
    [device, agreed, agreed],
  )
}

/**
 * The library becomes a device of its own: a copy of another computer's library, or one put
 * back from a backup older than what its device wrote to the folder since. To it, the old
 * device is one more device, whose operations up to `agreed` (those the folder holds as this
 * library has them) are applied here and the rest read from the folder as any device's. What
 * this library did after `agreed` is sent again under the new device, and so is what the folder
 * lost before it (after `written`), kept under the old name too. A name of the old device
 * past what the folder holds may yet come from the original (a copy's, the same operation): it
 * is named under both names, so that a note version sent by both shows once.
 */
function rekey(db: Db, op: Extract<SyncOperation, { kind: 'syncRekey' }>): void {
  const old = syncDevice(db)
  if (old === null || old === op.device) return
  const counter = Number(meta(db, 'sync_counter') ?? 0)
  const agreed = Math.min(op.agreed ?? op.written, counter)
  db.run(
    `INSERT INTO sync_peers (device, applied) VALUES (?, ?)
     ON CONFLICT (device) DO UPDATE SET applied = excluded.applied`,
    [old, agreed],
  )
  // Sent again: what the folder does not hold as this library has it, and what it lost (one
  // of the old device's that a device yet to come would otherwise wait for).
  const pending = db
    .all<{ op: string }>('SELECT op FROM sync_log WHERE counter > ? ORDER BY counter', [
      Math.min(agreed, op.written),
    ])
    .map((r) => JSON.parse(r.op) as SyncOp)
  renameFieldStamps(db, agreed, op.device)
  forgetOwnAfter(db, old, agreed)
  db.run('DELETE FROM sync_log')
  setMeta(db, 'sync_device', op.device)
  const renamed = new Map<string, string>()
  const inFolder = (id: string): boolean => Number(id.slice(old.length + 1)) <= op.written
  // What it replaced or took off: under the new name, and the old while it may yet come.
  const names = (ids: string[]): string[] =>
    ids.flatMap((i) =>
      !renamed.has(i) ? [i] : inFolder(i) ? [renamed.get(i)!] : [i, renamed.get(i)!],
    )
  let next = 0
  const sent: SyncOp[] = pending.map((was) => {
    next += 1
    const again: SyncOp = {
      ...was,
      device: op.device,
      counter: next,
      stamp: `${was.stamp.slice(0, 23)}@${op.device}`,
    }
    renamed.set(opId(was), opId(again))
    if (again.change.kind === 'untag') {
      again.change = { ...again.change, adds: names(again.change.adds) }
    } else if (again.change.kind === 'note') {
      again.change = { ...again.change, bases: names(again.change.bases) }
    } else if (again.change.kind === 'delete') {
      // Of the old device it saw what the folder holds as this library had it, no more.
      const seen = { ...again.change.seen, [op.device]: next }
      if (agreed < op.written) seen[old] = Math.min(seen[old] ?? 0, agreed)
      again.change = { ...again.change, seen }
    }
    return again
  })
  recordOps(db, sent)
  logOwn(db, sent)
  setMeta(db, 'sync_counter', String(next))
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
    case 'syncRekey':
      rekey(db, op)
      return null
    case 'syncRecord':
      applyRecord(db, op, m)
      return null
    case 'syncApply':
      applyRemote(db, op, m)
      return null
    case 'syncResolveNote': {
      const row = db.get<{ note: string }>('SELECT note FROM papers WHERE id = ?', [op.id])
      const keys = identitiesOf(db, op.id)
      if (!row || keys.length === 0) return null
      const version = db.get<{ text: string }>(
        `SELECT text FROM sync_notes WHERE pkey IN ${IN_KEYS} AND vid = ?`,
        [JSON.stringify(keys), op.version],
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

/**
 * The other versions of papers' notes (concurrent edits elsewhere), latest first, each timed
 * no later than `now` says (the library's clock, read only if there is one to time: a version
 * from a clock ahead is not shown in the future); read for many papers in one go, those
 * without any left out.
 */
export function noteConflicts(
  db: Db,
  papers: readonly { id: number; note: string }[],
  now: () => Date,
): Map<number, NoteConflict[]> {
  const out = new Map<number, NoteConflict[]>()
  const identities = identitiesOfMany(
    db,
    papers.map((p) => p.id),
  )
  const known = papers.filter((p) => identities.has(p.id))
  if (known.length === 0) return out
  const states = mergedStates(
    db,
    known.map((p) => identities.get(p.id)!),
  )
  known.forEach((p, i) => {
    const conflicts = conflictsOf(states[i]!.heads, p.note, now)
    if (conflicts.length > 0) out.set(p.id, conflicts)
  })
  return out
}

function conflictsOf(heads: MergedState['heads'], note: string, now: () => Date): NoteConflict[] {
  const seen = new Set([note])
  const out: NoteConflict[] = []
  let at: number | null = null
  for (const h of heads.slice(1)) {
    if (seen.has(h.text)) continue
    seen.add(h.text)
    at ??= now().getTime()
    out.push({ version: h.vid, device: h.device, at: timeOf(h.stamp, at), text: h.text })
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
