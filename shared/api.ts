// The one contract between the renderer and the library core. Every method is declared here
// once, with the schema its request must satisfy; the Electron preload, the IPC binding, the
// HTTP host and the browser client are all derived from this table.
import { z } from 'zod'
import { MAX_TAG_CHARS, normalizeTag } from './search'
import {
  BACKUP_SCHEDULES,
  DEFAULT_QUERY,
  EXPORT_FORMATS,
  MAX_BACKUPS_KEPT,
  MAX_SORT_KEYS,
  SORT_FIELDS,
  STATUSES,
  sortKeysProblem,
} from './domain'
import { CSV_FIELDS, FORMATS } from './importers/types'
import type {
  BackupInfo,
  DeletionSummary,
  ExportResult,
  ImportJob,
  ImportPreview,
  ImportRecord,
  RestoreSummary,
  ImportSummary,
  LibraryInfo,
  LibrarySettings,
  LibraryStats,
  LibraryStatus,
  MoveResult,
  Paper,
  PaperPage,
  PaperRow,
  PaperState,
  Sort,
  Status,
  SyncStatus,
  TagInfo,
  UndoImportSummary,
} from './domain'
import type { Method } from './methods'
import type { ReadingStats } from './stats'

/**
 * The most text one import may carry from the window or the browser host (characters): what
 * crosses IPC or HTTP in one message. The command line reads files itself and is held only to
 * MAX_DUMP_CHARS.
 */
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024
/** The longest search accepted (characters). */
export const MAX_SEARCH_CHARS = 2000
/** The most text one import may carry at all (about the longest string JavaScript can hold). */
export const MAX_DUMP_CHARS = 500_000_000
/** The most papers one dump may name in `only`. */
export const MAX_DUMP_PAPERS = 10_000_000
/** The largest note accepted (characters). */
export const MAX_NOTE_CHARS = 1024 * 1024
/** The most rows one page request may ask for. */
export const MAX_PAGE_ROWS = 500
/** The most papers one delete may name. */
export const MAX_DELETE_IDS = 100_000
/** The most dumps one import may carry. */
export const MAX_IMPORT_FILES = 1000

const ID_MESSAGE = 'expected a paper id (a whole number)'
const WEEKS_MESSAGE = 'expected a number of weeks from 1 to 520'
const KEPT_MESSAGE = `expected a number of backups from 1 to ${MAX_BACKUPS_KEPT}`
const id = z
  .number({ error: ID_MESSAGE })
  .int({ error: ID_MESSAGE })
  .positive({ error: ID_MESSAGE })
const status = z.enum(STATUSES, { error: `expected one of ${STATUSES.join(', ')}` })
const sort = z.object({
  field: z.enum(SORT_FIELDS, { error: `expected one of ${SORT_FIELDS.join(', ')}` }),
  direction: z.enum(['asc', 'desc'], { error: 'expected asc or desc' }),
})
/** A range of rows: where it starts and how many. */
const range = {
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(MAX_PAGE_ROWS),
}
const note = z.string().max(MAX_NOTE_CHARS, { error: `longer than ${MAX_NOTE_CHARS} characters` })
const dump = z.object({
  source: z.string().min(1).max(1024),
  text: z.string().max(MAX_DUMP_CHARS),
  /** The dump's format; recognised from its content when left out. */
  format: z.enum(FORMATS, { error: `expected one of ${FORMATS.join(', ')}` }).optional(),
  /** CSV/TSV: header → field for columns whose names are not recognised. */
  mapping: z
    .record(
      z.string().max(1024),
      z.enum(CSV_FIELDS, { error: `expected one of ${CSV_FIELDS.join(', ')}` }),
    )
    .optional(),
  /** Only these papers of the dump (0-based, as the preview lists them); all when left out. */
  only: z.array(z.number().int().min(0)).max(MAX_DUMP_PAPERS).optional(),
})
/** A dump whose text was sent beforehand in pieces (`uploadText`), for one larger than a message. */
const uploadedDump = dump.omit({ text: true }).extend({
  upload: z.string().min(1).max(100),
})
/** Several dumps imported as one: all or none. */
const dumps = z
  .array(dump)
  .min(1, { error: 'name at least one dump' })
  .max(MAX_IMPORT_FILES)
  .refine((d) => d.reduce((n, x) => n + x.text.length, 0) <= MAX_DUMP_CHARS, {
    error: `together these dumps are over ${MAX_DUMP_CHARS} characters; import them in smaller groups`,
  })

/** A backup in the library's backups folder, by its file name. */
const backupName = z.string().min(1).max(255)
/**
 * A path on this machine. Accepted only from hosts where the user typed or picked it (the
 * command line, the app's file dialogs), never from the browser host.
 */
const localPath = z
  .string()
  .max(4096)
  // Blank is no name: resolved, it would be the current folder of whoever resolves it.
  .refine((p) => p.trim() !== '', { error: 'the path is empty' })

const tagName = z
  .string()
  .max(MAX_TAG_CHARS, { error: `a tag may have at most ${MAX_TAG_CHARS} characters` })
  // As the library keeps it: trimmed, one space between words, no control characters.
  .transform(normalizeTag)
  .pipe(z.string().min(1, { error: 'a tag needs a name (not only spaces)' }))
const tagList = z.array(tagName).max(100)

/** A view's query, part by part (an export takes every part as optional). */
const paperQueryFields = z.object({
  sort,
  thenBy: z
    .array(sort, { error: 'expected a list of sorts ({"field": …, "direction": …})' })
    .max(MAX_SORT_KEYS - 1, {
      error: `at most ${MAX_SORT_KEYS - 1} further sort keys (${MAX_SORT_KEYS} in all)`,
    })
    .optional(),
  starred: z.boolean({ error: 'expected true or false' }).optional(),
  tag: tagName.nullable().optional(),
  search: z
    .string()
    .max(MAX_SEARCH_CHARS, { error: `longer than ${MAX_SEARCH_CHARS} characters` })
    .optional(),
  status: status.nullable().optional(),
  importId: z
    .number({ error: 'expected an import number' })
    .int({ error: 'expected an import number' })
    .positive({ error: 'expected an import number' })
    .nullable()
    .optional(),
})

/** The order's keys taken together: each field once, relevance alone (see sortKeysProblem). */
function sortKeysTogether(query: { sort?: Sort; thenBy?: Sort[] }, ctx: z.RefinementCtx): void {
  if (!query.thenBy?.length) return
  const problem = sortKeysProblem([query.sort ?? DEFAULT_QUERY.sort, ...query.thenBy])
  if (problem) ctx.addIssue({ code: 'custom', path: ['thenBy'], message: problem })
}

export const paperQuerySchema = paperQueryFields.superRefine(sortKeysTogether)

/** Dumps for a background import or a preview: each as text, or as an upload sent in pieces. */
const jobDumps = z
  .array(z.union([dump, uploadedDump]))
  .min(1, { error: 'name at least one dump' })
  .max(MAX_IMPORT_FILES)
const jobId = z.string().min(1).max(100)

export const requestSchemas = {
  listPapers: paperQuerySchema.extend(range),
  listFullPapers: paperQuerySchema.extend(range),
  getPaper: z.object({ id }),
  stats: z.object({}),
  readingStats: z.object({
    /** How many weeks back the weekly series go (26 when left out). */
    weeks: z
      .number({ error: WEEKS_MESSAGE })
      .int({ error: WEEKS_MESSAGE })
      .min(1, { error: WEEKS_MESSAGE })
      .max(520, { error: WEEKS_MESSAGE })
      .optional(),
  }),
  revision: z.object({}),
  setStatus: z.object({ id, status }),
  setNote: z.object({ id, note }),
  updatePaper: z
    .object({ id, status: status.optional(), note: note.optional() })
    .refine((r) => r.status !== undefined || r.note !== undefined, {
      error: 'give a status or a note (or both)',
    }),
  updatePapers: z
    .object({
      ids: z.array(id).min(1, { error: 'name at least one paper' }).max(MAX_DELETE_IDS),
      status: status.optional(),
      starred: z.boolean({ error: 'expected true or false' }).optional(),
      addTags: tagList.optional(),
      removeTags: tagList.optional(),
    })
    .refine(
      (r) =>
        r.status !== undefined ||
        r.starred !== undefined ||
        (r.addTags?.length ?? 0) > 0 ||
        (r.removeTags?.length ?? 0) > 0,
      { error: 'give a status, a star, or tags to add or remove' },
    ),
  restorePapers: z.object({
    papers: z
      .array(
        z.object({
          id,
          status: z
            .object({
              was: status,
              changedAt: z.string().max(64).nullable(),
              set: status,
              at: z.string().min(1).max(64),
            })
            .optional(),
          starred: z.boolean({ error: 'expected true or false' }).optional(),
          tags: z
            .object({
              added: z.array(tagName).max(1000),
              removed: z.array(tagName).max(1000),
              order: z.array(tagName).max(1000).optional(),
            })
            .optional(),
        }),
      )
      .min(1)
      .max(MAX_DELETE_IDS),
  }),
  listTags: z.object({}),
  /** The ids of every paper a view shows, in its order: for acting on all of them at once. */
  paperIds: paperQuerySchema,
  renameTag: z.object({ from: tagName, to: tagName }),
  deleteTag: z.object({ name: tagName }),
  similarPapers: z.object({
    id,
    limit: z.number().int().min(1).max(200).optional(),
  }),
  deletePapers: z.object({
    ids: z.array(id).min(1, { error: 'name at least one paper' }).max(MAX_DELETE_IDS),
  }),
  restoreDeleted: z.object({
    /** Which deletion to undo; the most recent one not yet undone when left out. */
    deletionId: z
      .number({ error: 'expected a deletion number (a whole number)' })
      .int({ error: 'expected a deletion number (a whole number)' })
      .positive({ error: 'expected a deletion number (a whole number)' })
      .optional(),
  }),
  importText: dump,
  importTexts: z.object({ dumps }),
  previewImport: z.object({ dumps: jobDumps }),
  uploadText: z.object({
    /** The upload to add to; a new one is started when left out. */
    upload: z.string().min(1).max(100).optional(),
    text: z
      .string()
      .min(1, { error: 'an empty piece' })
      .max(MAX_IMPORT_CHARS, {
        error: `a piece may hold at most ${MAX_IMPORT_CHARS} characters; send the text in pieces`,
      }),
  }),
  startImport: z.object({ dumps: jobDumps }),
  importJob: z.object({ id: jobId }),
  cancelImport: z.object({ id: jobId }),
  listImports: z.object({}),
  undoImport: z.object({
    importId: z.number({ error: 'expected an import number' }).int().positive(),
  }),
  exportPapers: paperQueryFields
    .partial()
    .extend({
      format: z.enum(EXPORT_FORMATS, { error: `expected one of ${EXPORT_FORMATS.join(', ')}` }),
      /** These papers only (a selection); else every paper the query's view shows. */
      ids: z.array(id).max(MAX_DELETE_IDS).optional(),
    })
    .superRefine(sortKeysTogether),
  importSample: z.object({}),
  libraryStatus: z.object({}),
  libraryInfo: z.object({}),
  getSettings: z.object({}),
  updateSettings: z.object({
    watchInbox: z.boolean({ error: 'expected true or false' }).optional(),
    backupEvery: z
      .enum(BACKUP_SCHEDULES, { error: `expected one of ${BACKUP_SCHEDULES.join(', ')}` })
      .optional(),
    backupsKept: z
      .number({ error: KEPT_MESSAGE })
      .int({ error: KEPT_MESSAGE })
      .min(1, { error: KEPT_MESSAGE })
      .max(MAX_BACKUPS_KEPT, { error: KEPT_MESSAGE })
      .optional(),
    /** A folder for backups (null: `backups` beside the library). A path: see localPath. */
    backupsFolder: localPath.nullable().optional(),
    /** The whole list, in order (the sidebar creates, renames, moves and deletes). */
    savedSearches: z
      .array(
        z.object({
          id: z.string().min(1).max(100),
          name: z.string().trim().min(1, { error: 'a view needs a name' }).max(200),
          search: z.string().max(MAX_SEARCH_CHARS),
          status: status.nullable(),
          tag: tagName.nullable(),
          starred: z.boolean(),
        }),
      )
      .max(500)
      .refine((list) => new Set(list.map((v) => v.id)).size === list.length, {
        error: 'two views have the same id',
      })
      .optional(),
  }),
  recover: z.discriminatedUnion('action', [
    z.object({ action: z.literal('journal') }),
    z.object({ action: z.literal('backup'), name: backupName }),
    z.object({ action: z.literal('empty') }),
  ]),
  listBackups: z.object({}),
  backupNow: z.object({ file: localPath.optional() }),
  restoreBackup: z.union([z.object({ name: backupName }), z.object({ file: localPath })], {
    error: 'give the name of a backup ({"name": …}) or a file ({"file": …})',
  }),
  /** The folder the library moves to; its file keeps its name there. */
  moveLibrary: z.object({ folder: localPath }),
  /** One sync pass, through `folder` or the library's sync folder (see setSyncFolder). */
  syncNow: z.object({ folder: localPath.optional() }),
  syncStatus: z.object({}),
  /** The folder a sync service keeps in step between computers; null: sync off. */
  setSyncFolder: z.object({ folder: localPath.nullable() }),
  /** Another version of a paper's note (sync): kept as the note, or discarded. */
  resolveNoteConflict: z.object({
    id,
    version: z.string().min(1).max(100),
    keep: z.boolean({ error: 'expected true (keep it as the note) or false (discard it)' }),
  }),
} satisfies Record<Method, z.ZodType>

export type Request<M extends Method> = z.input<(typeof requestSchemas)[M]>

export interface Responses extends Record<Method, unknown> {
  listPapers: PaperPage
  listFullPapers: Paper[]
  getPaper: Paper
  stats: LibraryStats
  readingStats: ReadingStats
  revision: { revision: number }
  setStatus: Paper
  setNote: Paper
  updatePaper: Paper
  updatePapers: { before: PaperState[] }
  restorePapers: { restored: number }
  listTags: TagInfo[]
  paperIds: { ids: number[] }
  /** The papers changed, and what changed on each (`restorePapers` undoes it). */
  renameTag: { ids: number[]; before: PaperState[] }
  deleteTag: { ids: number[]; before: PaperState[] }
  similarPapers: { terms: string[]; rows: (PaperRow & { score: number })[] }
  deletePapers: DeletionSummary
  restoreDeleted: RestoreSummary
  importText: ImportSummary
  importTexts: ImportSummary[]
  importSample: ImportSummary
  previewImport: ImportPreview[]
  uploadText: { upload: string; chars: number }
  startImport: ImportJob
  importJob: ImportJob
  cancelImport: ImportJob
  listImports: ImportRecord[]
  undoImport: UndoImportSummary
  exportPapers: ExportResult
  libraryStatus: LibraryStatus
  libraryInfo: LibraryInfo
  getSettings: LibrarySettings
  updateSettings: LibrarySettings
  recover: { status: LibraryStatus; kept: string[] }
  listBackups: BackupInfo[]
  backupNow: BackupInfo & { papers: number; file: string }
  restoreBackup: { papers: number; kept: string[] }
  moveLibrary: MoveResult
  syncNow: SyncStatus
  syncStatus: SyncStatus
  setSyncFolder: SyncStatus
  resolveNoteConflict: Paper
}

export type ErrorCode =
  | 'invalid-request'
  | 'not-found'
  | 'import-failed'
  | 'library-error'
  | 'library-damaged'
  | 'write-failed'
  | 'conflict'
  /** A change asked of a library opened only to read (its files are read-only). */
  | 'read-only'
  | 'forbidden'
  | 'internal'

export interface ApiError {
  code: ErrorCode
  message: string
}

/** What crosses the boundary: never a thrown stack. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError }

/** The API as the renderer sees it: one async function per method. */
export type LecternApi = {
  [M in Method]: (request: Request<M>) => Promise<Envelope<Responses[M]>>
}

export type { Method, Status }
export { METHODS, METHOD_ACCESS, isMethod } from './methods'
