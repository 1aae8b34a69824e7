// The contract's implementation: one handler per method, each validating its request with the
// method's schema and answering with an envelope. IPC and HTTP both call `dispatch`.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { requestSchemas } from '../../shared/api'
import type { ApiError, Envelope, Method, Responses } from '../../shared/api'
import { METHODS } from '../../shared/methods'
import { LibraryError } from './errors'
import type { Library } from './library'

export interface HandlerContext {
  library: Library
  /** The bundled sample dump. */
  samplePath: string
}

type Handlers = {
  [M in Method]: (
    ctx: HandlerContext,
    request: ReturnType<(typeof requestSchemas)[M]['parse']>,
  ) => Responses[M]
}

const handlers: Handlers = {
  listPapers: ({ library }, r) => library.listPapers(r),
  getPaper: ({ library }, r) => library.getPaper(r.id),
  setStatus: ({ library }, r) => library.setStatus(r.id, r.status),
  setNote: ({ library }, r) => library.setNote(r.id, r.note),
  importText: ({ library }, r) => library.importText(r.source, r.text),
  importSample: ({ library, samplePath }) =>
    library.importText(basename(samplePath), readFileSync(samplePath, 'utf8')),
  stats: ({ library }) => library.stats(),
}

export function isMethod(name: string): name is Method {
  return (METHODS as readonly string[]).includes(name)
}

function toApiError(error: unknown): ApiError {
  if (error instanceof LibraryError) return { code: error.code, message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal', message: `unexpected error: ${message}` }
}

export function dispatch<M extends Method>(
  ctx: HandlerContext,
  method: M,
  input: unknown,
): Envelope<Responses[M]> {
  const parsed = requestSchemas[method].safeParse(input ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.join('.') || 'request'
    return {
      ok: false,
      error: {
        code: 'invalid-request',
        message: `${method}: ${field}: ${issue?.message ?? 'invalid'}`,
      },
    }
  }
  try {
    const run = handlers[method] as (c: HandlerContext, r: unknown) => Responses[M]
    return { ok: true, value: run(ctx, parsed.data) }
  } catch (error) {
    return { ok: false, error: toApiError(error) }
  }
}
