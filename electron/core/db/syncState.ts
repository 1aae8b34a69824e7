// Sync's merged state as a value: what a device writes as its compacted state (sync/state.ts)
// and what another merges in to start from it. Each entry is one paper identity's rows of the
// merged-state tables (see syncMerge.ts); merging one in is the same join recordOp makes, row
// by row (the earliest addition's data, the latest stamp of a field, a tag addition removed
// once any removal saw it, note versions and what replaced them, the highest counter a device
// touched the paper at), so a state merged in gives exactly the library its operations would:
// the result depends on the set of operations covered, not on how they arrived.
import type { Db } from './database'
import type { SyncPaper } from './syncMerge'

/** One paper identity's merged state. */
export interface StateEntry {
  key: string
  /** The earliest addition: its stamp and the paper's data. */
  paper?: [stamp: string, paper: SyncPaper]
  /** The highest counter of each device's operations on it (deletions apart). */
  touch?: [device: string, counter: number][]
  deletes?: [opId: string, seen: Record<string, number>][]
  fields?: [field: string, stamp: string, value: string][]
  tags?: [
    tagKey: string,
    addId: string,
    stamp: string | null,
    spelling: string | null,
    removed: 0 | 1,
  ][]
  notes?: [vid: string, stamp: string, device: string, text: string][]
  /** Note versions that another replaced. */
  bases?: string[]
}

type Grouped = Map<string, StateEntry>

function entryOf(entries: Grouped, key: string): StateEntry {
  let entry = entries.get(key)
  if (!entry) {
    entry = { key }
    entries.set(key, entry)
  }
  return entry
}

function listOf<K extends keyof StateEntry>(
  entries: Grouped,
  key: string,
  field: K,
): NonNullable<StateEntry[K]> {
  const entry = entryOf(entries, key)
  entry[field] ??= [] as never
  return entry[field] as NonNullable<StateEntry[K]>
}

/** The library's whole merged state, by paper identity (in key order). */
export function stateEntries(db: Db): StateEntry[] {
  const entries: Grouped = new Map()
  for (const r of db.all<{ pkey: string; stamp: string; paper: string }>(
    'SELECT pkey, stamp, paper FROM sync_papers',
  )) {
    entryOf(entries, r.pkey).paper = [r.stamp, JSON.parse(r.paper) as SyncPaper]
  }
  for (const r of db.all<{ pkey: string; device: string; counter: number }>(
    'SELECT pkey, device, counter FROM sync_touch',
  )) {
    listOf(entries, r.pkey, 'touch').push([r.device, r.counter])
  }
  for (const r of db.all<{ pkey: string; op_id: string; seen: string }>(
    'SELECT pkey, op_id, seen FROM sync_deletes',
  )) {
    const seen = JSON.parse(r.seen) as Record<string, number>
    listOf(entries, r.pkey, 'deletes').push([r.op_id, seen])
  }
  for (const r of db.all<{ pkey: string; field: string; stamp: string; value: string }>(
    'SELECT pkey, field, stamp, value FROM sync_fields',
  )) {
    listOf(entries, r.pkey, 'fields').push([r.field, r.stamp, r.value])
  }
  for (const r of db.all<{
    pkey: string
    tag_key: string
    add_id: string
    stamp: string | null
    spelling: string | null
    removed: number
  }>('SELECT pkey, tag_key, add_id, stamp, spelling, removed FROM sync_tags')) {
    const removed = r.removed === 1 ? 1 : 0
    listOf(entries, r.pkey, 'tags').push([r.tag_key, r.add_id, r.stamp, r.spelling, removed])
  }
  for (const r of db.all<{
    pkey: string
    vid: string
    stamp: string
    device: string
    text: string
  }>('SELECT pkey, vid, stamp, device, text FROM sync_notes')) {
    listOf(entries, r.pkey, 'notes').push([r.vid, r.stamp, r.device, r.text])
  }
  for (const r of db.all<{ pkey: string; vid: string }>('SELECT pkey, vid FROM sync_note_bases')) {
    listOf(entries, r.pkey, 'bases').push(r.vid)
  }
  return [...entries.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
}

/** Merges entries into the library's merged state; returns the identities they name. */
export function mergeStateEntries(db: Db, entries: readonly StateEntry[]): Set<string> {
  const keys = new Set<string>()
  for (const entry of entries) {
    mergeEntry(db, entry)
    keys.add(entry.key)
  }
  return keys
}

function mergeEntry(db: Db, { key, ...e }: StateEntry): void {
  if (e.paper) {
    db.run(
      `INSERT INTO sync_papers (pkey, stamp, paper) VALUES (?, ?, ?)
       ON CONFLICT (pkey) DO UPDATE SET stamp = excluded.stamp, paper = excluded.paper
       WHERE excluded.stamp < sync_papers.stamp`,
      [key, e.paper[0], JSON.stringify(e.paper[1])],
    )
  }
  for (const [device, counter] of e.touch ?? []) {
    db.run(
      `INSERT INTO sync_touch (pkey, device, counter) VALUES (?, ?, ?)
       ON CONFLICT (pkey, device) DO UPDATE SET counter = MAX(counter, excluded.counter)`,
      [key, device, counter],
    )
  }
  for (const [opId, seen] of e.deletes ?? []) {
    db.run('INSERT OR IGNORE INTO sync_deletes (pkey, op_id, seen) VALUES (?, ?, ?)', [
      key,
      opId,
      JSON.stringify(seen),
    ])
  }
  for (const [field, stamp, value] of e.fields ?? []) {
    db.run(
      `INSERT INTO sync_fields (pkey, field, stamp, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (pkey, field) DO UPDATE SET stamp = excluded.stamp, value = excluded.value
       WHERE excluded.stamp > sync_fields.stamp`,
      [key, field, stamp, value],
    )
  }
  for (const [tagKey, addId, stamp, spelling, removed] of e.tags ?? []) {
    // An addition's stamp and spelling are its own (the same wherever it is known); a removal
    // that saw it takes it off for good.
    db.run(
      `INSERT INTO sync_tags (pkey, tag_key, add_id, stamp, spelling, removed) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (pkey, tag_key, add_id) DO UPDATE SET
         stamp = COALESCE(sync_tags.stamp, excluded.stamp),
         spelling = COALESCE(sync_tags.spelling, excluded.spelling),
         removed = MAX(sync_tags.removed, excluded.removed)`,
      [key, tagKey, addId, stamp, spelling, removed],
    )
  }
  for (const [vid, stamp, device, text] of e.notes ?? []) {
    db.run(
      'INSERT OR IGNORE INTO sync_notes (pkey, vid, stamp, device, text) VALUES (?, ?, ?, ?, ?)',
      [key, vid, stamp, device, text],
    )
  }
  for (const vid of e.bases ?? []) {
    db.run('INSERT OR IGNORE INTO sync_note_bases (pkey, vid) VALUES (?, ?)', [key, vid])
  }
  // A version others replaced keeps only its name, as recordOp leaves it.
  db.run(
    `UPDATE sync_notes SET text = '' WHERE pkey = ? AND text <> ''
       AND vid IN (SELECT vid FROM sync_note_bases WHERE pkey = ?)`,
    [key, key],
  )
}

/** Every clock reading in entries (what may move the merging device's clock past them). */
export function* stampsOf(entries: readonly StateEntry[]): Generator<string> {
  for (const e of entries) {
    if (e.paper) yield e.paper[0]
    for (const f of e.fields ?? []) yield f[1]
    for (const t of e.tags ?? []) if (t[2] !== null) yield t[2]
    for (const n of e.notes ?? []) yield n[1]
  }
}
