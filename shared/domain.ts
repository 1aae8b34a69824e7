// Domain types shared by the main process, the command line and the renderer.

export const STATUSES = ['new', 'to-read', 'reading', 'read', 'skipped'] as const
export type Status = (typeof STATUSES)[number]

export const STATUS_LABELS: Record<Status, string> = {
  new: 'New',
  'to-read': 'To read',
  reading: 'Reading',
  read: 'Read',
  skipped: 'Skipped',
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value)
}

/** Columns the library can be sorted by; each has an index in the database. */
export const SORT_FIELDS = [
  'title',
  'authors',
  'status',
  'dumpDate',
  'addedAt',
  'year',
  'venue',
  'arxivId',
  'doi',
  'starred',
  'statusChangedAt',
  'relevance',
] as const
export type SortField = (typeof SORT_FIELDS)[number]
export type SortDirection = 'asc' | 'desc'

export interface Sort {
  field: SortField
  direction: SortDirection
}

/** The most keys one order may have: the sort and two more for the papers it leaves equal. */
export const MAX_SORT_KEYS = 3

/**
 * What is wrong with an order's keys taken together, in words for the user; null when nothing
 * is. Each field sorts once, there are at most MAX_SORT_KEYS, and relevance (a search's score)
 * is a key of its own that takes no other: its ties are broken newest first, as ever.
 */
export function sortKeysProblem(keys: readonly Sort[]): string | null {
  if (keys.length > MAX_SORT_KEYS) {
    return `at most ${MAX_SORT_KEYS} sort keys (the sort and ${MAX_SORT_KEYS - 1} more)`
  }
  if (keys.length > 1 && keys.some((k) => k.field === 'relevance')) {
    return 'relevance orders by score alone: it takes no other sort key'
  }
  const seen = new Set<SortField>()
  for (const { field } of keys) {
    if (seen.has(field)) return `"${field}" is named twice: each field sorts once`
    seen.add(field)
  }
  return null
}

/**
 * What the table is asked to show: which papers and in what order. One value, so that it is the
 * query key in the renderer and the request to the core; search and tags join it later.
 */
export interface PaperQuery {
  sort: Sort
  /**
   * Further keys for the papers the sort leaves equal, in order: at most MAX_SORT_KEYS - 1, none
   * the sort's own field, never relevance, and none after a sort by relevance.
   */
  thenBy?: Sort[]
  /** Only papers with this status; null for all. */
  status: Status | null
  /** Only papers that came in this import (added or recognised by it); null or absent for all. */
  importId?: number | null
  /** Only starred papers. */
  starred?: boolean
  /** Only papers with this tag. */
  tag?: string | null
  /** A search (shared/search.ts); empty or absent for none. Sorting by relevance needs one. */
  search?: string
}

/** The format of the imports a sync pass makes: the papers other computers sent. */
export const SYNC_IMPORT_FORMAT = 'sync'

/**
 * Whether an import is one a sync pass made (older versions wrote them as source "sync" in
 * Lectern JSON). It is not undone here: that would delete its papers on every computer.
 */
export function isSyncImport(record: { source: string; format: string }): boolean {
  return (
    record.format === SYNC_IMPORT_FORMAT ||
    (record.source === 'sync' && record.format === 'lectern-json')
  )
}

/** One import, as the history lists it. */
export interface ImportRecord {
  id: number
  source: string
  format: string
  importedAt: string
  added: number
  duplicates: number
  updated: number
  skipped: number
  /** How many warnings it gave. */
  warnings: number
  /** When it was undone (its papers removed, its fills reverted); null while it stands. */
  undoneAt: string | null
  /** The dump dates (ISO) its papers carry, in order: the day of a Daily Papers page, a digest. */
  dumpDates: string[]
}

/** What undoing an import did: the papers it added are removed unless the user has used them. */
export interface UndoImportSummary {
  importId: number
  source: string
  /** Papers the import added that are gone now. */
  removed: number
  /** Papers already in the library whose fields the import had filled, emptied again. */
  reverted: number
  /** Papers it added that stay, and why (at most 20 listed; `keptCount` is the count). */
  kept: {
    id: number
    title: string
    reason: 'note' | 'status' | 'starred' | 'tags' | 'later-import'
  }[]
  keptCount: number
}

/**
 * An import running in the background (the window's progress bar): the dumps are read, then
 * their papers written in steps, so the app answers while it runs. Cancelled, the library is
 * left as it was.
 */
export interface ImportJob {
  id: string
  state: 'reading' | 'writing' | 'done' | 'failed' | 'cancelled'
  sources: string[]
  /** Papers to write, once the dumps are read (null while reading). */
  total: number | null
  /** Papers written so far. */
  done: number
  startedAt: string
  /** Milliseconds since it started (or that it took, once finished). */
  elapsedMs: number
  /** Set when done. */
  summaries: ImportSummary[] | null
  /** Set when failed. */
  error: { code: string; message: string } | null
}

/** A library's own settings (kept in the library file, so they go where it goes). */
export interface LibrarySettings {
  /**
   * Whether the app imports the dumps saved into the inbox folder beside the library (while the
   * window or `lectern serve` is open).
   */
  watchInbox: boolean
  /** That folder: `inbox` beside the library file. */
  inboxFolder: string
  /** Smart views: a name for a search and filters, in the order the sidebar lists them. */
  savedSearches: SavedSearch[]
  /** How often automatic backups are made while a host holds the library for writing. */
  backupEvery: BackupSchedule
  /** How many of the newest automatic backups of this library are kept. */
  backupsKept: number
  /** The folder backups are written to, chosen by the user; null for `backups` beside the library. */
  backupsFolder: string | null
}

/** How often automatic backups are made (Settings, `lectern settings --backups`). */
export const BACKUP_SCHEDULES = ['off', 'hourly', 'daily', 'weekly'] as const
export type BackupSchedule = (typeof BACKUP_SCHEDULES)[number]

/** For people: Settings' choices, the command line's words. */
export const BACKUP_SCHEDULE_LABELS: Record<BackupSchedule, string> = {
  off: 'Off',
  hourly: 'Every hour',
  daily: 'Once a day',
  weekly: 'Once a week',
}

/** What a library that never chose has: a backup a day, the newest seven kept (as before). */
export const DEFAULT_BACKUP_SCHEDULE: BackupSchedule = 'daily'
export const DEFAULT_BACKUPS_KEPT = 7
/** The most automatic backups one library may keep (each is a whole copy of it). */
export const MAX_BACKUPS_KEPT = 100

/** A smart view: what it shows (a search, a status, a tag, stars), under a name. */
export interface SavedSearch {
  /** Stable while it is renamed or moved (chosen by the window). */
  id: string
  name: string
  search: string
  status: Status | null
  tag: string | null
  starred: boolean
}

/** Export formats: `lectern export --format F`, and the window's Export menu. */
export const EXPORT_FORMATS = ['bibtex', 'ris', 'csv', 'csl-json', 'markdown', 'json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** For people: the window's Export menu, the command line's help. */
export const EXPORT_LABELS: Record<ExportFormat, string> = {
  bibtex: 'BibTeX',
  ris: 'RIS',
  csv: 'CSV',
  'csl-json': 'CSL-JSON',
  markdown: 'Markdown reading notes',
  json: 'Lectern JSON (everything)',
}

/** An export, ready to save. */
export interface ExportResult {
  format: ExportFormat
  /** A file name to offer ("lectern-2026-11-30.bib"). */
  fileName: string
  /** The MIME type to save it with. */
  mimeType: string
  papers: number
  text: string
}

export const DEFAULT_QUERY: PaperQuery = {
  sort: { field: 'addedAt', direction: 'desc' },
  status: null,
}

/** What the table shows: light enough to fetch a page of rows at a time. */
export interface PaperRow {
  id: number
  title: string
  /** Author names in the order the source gave them; empty when the source had none. */
  authors: string[]
  status: Status
  /** ISO date (YYYY-MM-DD) of the dump the paper came from, when the dump carried one. */
  dumpDate: string | null
  /** ISO timestamp of the moment the paper entered the library. */
  addedAt: string
  hasNote: boolean
  /** Year of publication, where a source gave it. */
  year: number | null
  /** Journal, conference or other venue. */
  venue: string | null
  /** arXiv identifier without version ("2408.01234"). */
  arxivId: string | null
  /** DOI, lower-case, without a resolver prefix. */
  doi: string | null
  starred: boolean
  /** The paper's tags, in the order they were given. */
  tags: string[]
  /** ISO timestamp of the last change of status (null while it has had none). */
  statusChangedAt: string | null
  /** ISO timestamp it was last marked read (null if never). */
  readAt: string | null
  /**
   * While searching: where the paper's abstract or note matches, hits marked (null when the
   * words matched only the title, authors or tags).
   */
  snippet?: { text: string; hit: boolean }[] | null
  /** While sorting a search by relevance: its BM25 score (higher is better). */
  score?: number
}

/** What a sync pass found of another device (sync). */
export interface SyncDeviceInfo {
  device: string
  /** Its changes applied here. */
  applied: number
  /** Its changes in the folder that wait for an earlier one still missing (being copied). */
  waiting: number
  /** The changes those wait for, missing from the folder (see SyncDeviceSeen in pass.ts). */
  missing?: { first: number; last: number }
}

/** The last sync pass (sync). */
export interface SyncPass {
  at: string
  folder: string
  /** This device's changes written to the folder. */
  sent: number
  /** Other devices' changes applied here. */
  applied: number
  devices: SyncDeviceInfo[]
  /** Files of other devices that could not be used, each saying where and why. */
  problems: string[]
  /** Set when the pass found the library copied from another computer and gave it an id of its own. */
  rekeyedFrom: string | null
}

/** Sync through a folder that a sync service keeps in step between computers. */
export interface SyncStatus {
  /** The sync folder; null when sync is off. */
  folder: string | null
  /** This library's device id; null until it first syncs. */
  device: string | null
  /** This device's changes recorded for sync. */
  changes: number
  /** The last pass since the library was opened (or the last one that moved anything). */
  last: SyncPass | null
  /** Other devices' changes waiting for one still missing, at the last pass. */
  pending: number
}

/** Another version of a paper's note, written elsewhere at the same time (sync). */
export interface NoteConflict {
  /** Names the version (to keep or discard it). */
  version: string
  /** The device that wrote it. */
  device: string
  at: string
  text: string
}

export interface Paper extends PaperRow {
  abstract: string
  note: string
  /** The arXiv version last seen. */
  arxivVersion: number | null
  keywords: string[]
  /** Links the sources gave (abstract page, PDF, code, project page). */
  urls: string[]
  /** Every import the paper appeared in, oldest first. */
  seenIn: { importId: number; source: string; format: string; at: string }[]
  /** The date exactly as the dump wrote it, e.g. "Aug 19". */
  dumpDateText: string | null
  noteUpdatedAt: string | null
  importId: number | null
  source: string | null
  /** Every change of status, oldest first. */
  statusHistory: { status: Status; at: string }[]
  /**
   * Other versions of the note, written on other computers at the same time (sync); the note
   * shown is the latest. Present only when there are some (getPaper).
   */
  noteConflicts?: NoteConflict[]
}

export interface PaperPage {
  total: number
  offset: number
  rows: PaperRow[]
  /** What was not understood of the search, in words for the user (empty when all was). */
  searchNotes?: string[]
}

/** A tag and how many papers have it. */
export interface TagInfo {
  name: string
  count: number
}

/**
 * What a change to papers did to one paper, enough to take it back (undo) without touching
 * anything it did not change: returned by `updatePapers`, taken by `restorePapers`. Each part is
 * present only when the change made it; an undo reverts a part only while the paper still holds
 * what the change gave it (a status changed again since stays as it is now).
 */
export interface PaperState {
  id: number
  /** The status it had (and since when), and the one the change set at `at`. */
  status?: { was: Status; changedAt: string | null; set: Status; at: string }
  /** The star it had before. */
  starred?: boolean
  /**
   * The tags the change added and those it took off; and the paper's tags as the change found
   * them, in their order (an undo puts that back when the paper still has what the change left).
   */
  tags?: { added: string[]; removed: string[]; order?: string[] }
}

/** Papers deleted in one go; kept (note and status history included) so the deletion can be undone. */
export interface DeletionSummary {
  deletionId: number
  deleted: number
  /** The titles of the papers deleted, in id order (at most 20; `deleted` is the count). */
  titles: string[]
}

export interface RestoreSummary {
  deletionId: number
  restored: number
  ids: number[]
}

export interface ImportWarning {
  /** 1-based line in the imported text, when the warning is about a place in it. */
  line: number | null
  message: string
}

export interface ImportSummary {
  importId: number | null
  source: string
  format: string
  /** Papers new to the library. */
  added: number
  /** Papers already in the library (or repeated within the dump): left as they were. */
  duplicates: number
  /** Papers already in the library that the dump supplied a missing abstract, author list, DOI… for. */
  updated: number
  /** How the papers already in the library were recognised. */
  matchedBy: { arxivId: number; doi: number; title: number }
  /** Blocks of text that could not be read as a paper. */
  skipped: number
  warnings: ImportWarning[]
  /** Distinct dump dates found, ISO. */
  dumpDates: string[]
}

/** What an import would do, before it is made (`lectern import --dry-run`, the window's preview). */
export interface ImportPreview {
  /** The counts the import would report. */
  summary: ImportSummary
  /** The formats the content could be read as, most likely first (the preview offers them). */
  candidates: string[]
  /** CSV/TSV: what each column of the header row is read into (the user may change it). */
  columns: { header: string; field: string }[] | null
  papers: {
    /** Where the paper's record starts in the dump. */
    line: number
    title: string
    /** New to the library; already there as it is; already there and given missing fields. */
    outcome: 'new' | 'duplicate' | 'update'
    /** How the paper already in the library was recognised. */
    matchedBy: 'arxivId' | 'doi' | 'title' | null
    /** The paper in the library it is (or, for a new one, the id it would get). */
    paperId: number
  }[]
}

export interface LibraryStats {
  total: number
  byStatus: Record<Status, number>
  withNotes: number
  /** Papers whose dump listed their authors (the table shows the Authors column when any do). */
  withAuthors: number
  /** Papers with at least one tag (the table shows the Tags column when any have). */
  withTags: number
  /** Starred papers (the sidebar's Starred view). */
  starred: number
  imports: number
  path: string
  /**
   * How many changes the library has had: it grows with every change, whoever made it (the
   * watched folder, an import in the background), so a window can tell it is out of date.
   */
  revision: number
  /**
   * The database's size in bytes and the most Lectern lets it grow to: a change that would pass
   * it is refused. The window and the command line warn from 80% (LIBRARY_WARN_SHARE).
   */
  size: { bytes: number; limitBytes: number }
}

/** From what share of its limit a library's size is warned about. */
export const LIBRARY_WARN_SHARE = 0.8

/** A size as people read it: "512 bytes", "84 KB", "3.4 MB", "1.2 GB" (units of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`
  if (bytes < 2 ** 20) return `${Math.round(bytes / 1024)} KB`
  if (bytes < 2 ** 30) return `${(bytes / 2 ** 20).toFixed(1)} MB`
  return `${(bytes / 2 ** 30).toFixed(1)} GB`
}

/** The warning about a library near its limit (null: not near it). */
export function sizeWarning(size: LibraryStats['size']): string | null {
  if (size.bytes < LIBRARY_WARN_SHARE * size.limitBytes) return null
  const amount = (n: number): string =>
    n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${Math.round(n / 2 ** 20)} MB`
  return `This library holds ${amount(size.bytes)} of the ${amount(size.limitBytes)} Lectern can keep in memory; imports that would pass the limit are refused. Start a second library for new papers.`
}

export type BackupKind = 'auto' | 'manual' | 'before-restore'

export interface BackupInfo {
  /** File name inside the folder it is in. */
  name: string
  /**
   * The folder it is in: the backups folder now, `backups` beside the library, or a folder
   * chosen before (a backup stays where it was made when the folder is changed).
   */
  folder: string
  kind: BackupKind
  /** ISO timestamp the backup was made. */
  createdAt: string
  bytes: number
  /** The identity of the library it copies (null for backups from before identities). */
  libraryId: string | null
}

export type LibraryStatus =
  | { state: 'open'; path: string }
  | {
      state: 'damaged'
      path: string
      /** Which file is damaged: the snapshot, or the journal of changes since it. */
      damage: 'snapshot' | 'journal'
      /** Whether the changes before the damage can be kept (journal damage at a known place). */
      journalRecoverable: boolean
      message: string
      /** Every backup, newest first. */
      backups: BackupInfo[]
      /** The newest backup that opens and passes SQLite's integrity check, if any. */
      newestGoodBackup: (BackupInfo & { papers: number }) | null
    }

/** Where backups go and when they are made (Settings, `lectern settings`). */
export interface BackupPolicy {
  /** Where automatic and manual backups are written now. */
  folder: string
  /** Whether that is `backups` beside the library (which moves with it) or a folder chosen. */
  isDefault: boolean
  /** Other folders that still hold backups listed here (the default one, folders chosen before). */
  otherFolders: string[]
  /**
   * How often automatic backups are made while the app or `lectern serve` holds the library for
   * writing; `autoKept` of the newest are kept.
   */
  every: BackupSchedule
  autoKept: number
  /** The newest backup in that folder, of any kind, or null. */
  last: BackupInfo | null
  /** The newest automatic backup of this library, or null. */
  lastAuto: BackupInfo | null
}

/** Where a library lives, what it holds, and whether it can be changed (Settings). */
export interface LibraryInfo {
  /** The library file, links followed: its journal, backups and inbox are beside it. */
  path: string
  /** The library file and its journal of changes on disk, in bytes. */
  bytes: number
  papers: number
  /**
   * Whether this host may change the library. False when it was opened only to read: a library
   * whose files are read-only, opened so in the app; a command line command that only reads.
   */
  writable: boolean
  /** The first of the library's files that is read-only (the user's "do not change this"), or null. */
  readOnlyFile: string | null
  backups: BackupPolicy
}

export type RecoveryAction =
  { action: 'journal' } | { action: 'backup'; name: string } | { action: 'empty' }

/** What moving a library did (Settings' Move…, `lectern move-library`). */
export interface MoveResult {
  /** The library file where it was. */
  from: string
  /** The library file at its new place, open there now. */
  path: string
  /** Backups moved with it (those in `backups` beside it; a folder chosen stays where it is). */
  backupsMoved: number
  /**
   * Whether the library the desktop app and the command line open by default (the one remembered
   * in the app's data folder) was this one, and now names the new place.
   */
  remembered: boolean
  /** Files of the old place that could not be removed once the new place was in use. */
  left: string[]
}
