// The one contract between the renderer and the library core. Every method is declared here
// once, with the schema its request must satisfy; the Electron preload, the IPC binding, the
// HTTP host and the browser client are all derived from this table.
import { z } from 'zod'
import { SORT_FIELDS, STATUSES } from './domain'
import type {
  BackupInfo,
  ImportSummary,
  LibraryStats,
  LibraryStatus,
  Paper,
  PaperPage,
  Status,
} from './domain'
import type { Method } from './methods'

/** The largest dump text accepted over the boundary (characters). */
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024
/** The largest note accepted (characters). */
export const MAX_NOTE_CHARS = 1024 * 1024
/** The most rows one page request may ask for. */
export const MAX_PAGE_ROWS = 500

const id = z.number().int().positive()
const status = z.enum(STATUSES)

export const requestSchemas = {
  listPapers: z.object({
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(MAX_PAGE_ROWS),
    sort: z.object({
      field: z.enum(SORT_FIELDS),
      direction: z.enum(['asc', 'desc']),
    }),
    status: status.nullable().optional(),
  }),
  getPaper: z.object({ id }),
  setStatus: z.object({ id, status }),
  setNote: z.object({ id, note: z.string().max(MAX_NOTE_CHARS) }),
  importText: z.object({
    source: z.string().min(1).max(1024),
    text: z.string().max(MAX_IMPORT_CHARS),
  }),
  importSample: z.object({}),
  stats: z.object({}),
  libraryStatus: z.object({}),
  recover: z.discriminatedUnion('action', [
    z.object({ action: z.literal('journal') }),
    z.object({ action: z.literal('backup'), name: z.string().min(1).max(255) }),
    z.object({ action: z.literal('empty') }),
  ]),
  listBackups: z.object({}),
  backupNow: z.object({}),
  restoreBackup: z.object({ name: z.string().min(1).max(255) }),
} satisfies Record<Method, z.ZodType>

export type Request<M extends Method> = z.input<(typeof requestSchemas)[M]>

export interface Responses extends Record<Method, unknown> {
  listPapers: PaperPage
  getPaper: Paper
  setStatus: Paper
  setNote: Paper
  importText: ImportSummary
  importSample: ImportSummary
  stats: LibraryStats
  libraryStatus: LibraryStatus
  recover: { status: LibraryStatus; kept: string[] }
  listBackups: BackupInfo[]
  backupNow: BackupInfo & { papers: number }
  restoreBackup: { papers: number; kept: string[] }
}

export type ErrorCode =
  | 'invalid-request'
  | 'not-found'
  | 'import-failed'
  | 'library-error'
  | 'library-damaged'
  | 'write-failed'
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
export { METHODS } from './methods'
