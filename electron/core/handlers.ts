// The contract's implementation: one handler per method, each validating its request with the
// method's schema and answering with an envelope. IPC and HTTP both call `dispatch`.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { requestSchemas } from '../../shared/api'
import { decodeDump } from '../../shared/decode'
import type { ApiError, Envelope, Method, Responses } from '../../shared/api'
import { METHODS } from '../../shared/methods'
import { LibraryError } from './errors'
import type { LibrarySession } from './session'

export interface HandlerContext {
  session: LibrarySession
  /** The bundled sample dump. */
  samplePath: string
}

type Handlers = {
  [M in Method]: (
    ctx: HandlerContext,
    request: ReturnType<(typeof requestSchemas)[M]['parse']>,
  ) => Responses[M] | Promise<Responses[M]>
}

const handlers: Handlers = {
  listPapers: ({ session }, r) => session.get().listPapers(r),
  getPaper: ({ session }, r) => session.get().getPaper(r.id),
  setStatus: ({ session }, r) => session.get().setStatus(r.id, r.status),
  setNote: ({ session }, r) => session.get().setNote(r.id, r.note),
  importText: ({ session }, r) => session.get().importText(r.source, r.text),
  importSample: ({ session, samplePath }) =>
    session.get().importText(basename(samplePath), decodeDump(readFileSync(samplePath))),
  stats: ({ session }) => session.get().stats(),
  libraryStatus: ({ session }) => session.status(),
  recover: ({ session }, r) => session.recover(r),
  listBackups: ({ session }) => session.listBackups(),
  backupNow: async ({ session }) => {
    const { file: _file, ...backup } = await session.backupNow()
    return backup
  },
  restoreBackup: ({ session }, r) => session.restore(r.name),
}

export function isMethod(name: string): name is Method {
  return (METHODS as readonly string[]).includes(name)
}

function toApiError(error: unknown): ApiError {
  if (error instanceof LibraryError) return { code: error.code, message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal', message: `unexpected error: ${message}` }
}

export async function dispatch<M extends Method>(
  ctx: HandlerContext,
  method: M,
  input: unknown,
): Promise<Envelope<Responses[M]>> {
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
    const run = handlers[method] as (
      c: HandlerContext,
      r: unknown,
    ) => Responses[M] | Promise<Responses[M]>
    return { ok: true, value: await run(ctx, parsed.data) }
  } catch (error) {
    return { ok: false, error: toApiError(error) }
  }
}
