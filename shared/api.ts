// The one contract between the renderer and the library core. Every method is declared here
// once, with the schema its request must satisfy; the Electron preload, the IPC binding, the
// HTTP host and the browser client are all derived from this table.
import { z } from 'zod'
import { SORT_FIELDS, STATUSES } from './domain'
import type { ImportSummary, LibraryStats, Paper, PaperPage, Status } from './domain'
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
