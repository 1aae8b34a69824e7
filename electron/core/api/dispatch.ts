// The contract's implementation: every method's handler, each request validated with the
// method's schema, every answer an envelope. The window (IPC), the browser host (HTTP) and the
// command line all call `dispatch`; none of them reaches the library another way.
import { METHOD_ACCESS, requestSchemas } from '../../../shared/api'
import type { ApiError, Envelope, Method, Responses } from '../../../shared/api'
import { LibraryError } from '../errors'
import { readOnlyRefusal } from './access'
import { backupHandlers } from './backups'
import type { HandlerContext, Handlers } from './context'
import { exportHandlers } from './exports'
import { importHandlers } from './imports'
import { libraryHandlers } from './library'
import { paperHandlers } from './papers'
import { syncHandlers } from './sync'

/** One table: a method missing here is a type error, and a test checks every host binds it. */
export const handlers: Handlers = {
  ...paperHandlers,
  ...importHandlers,
  ...exportHandlers,
  ...backupHandlers,
  ...libraryHandlers,
  ...syncHandlers,
}

export type { HandlerContext }

function toApiError(error: unknown): ApiError {
  if (error instanceof LibraryError) return { code: error.code, message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal', message: `unexpected error: ${message}` }
}

/** Checks a request against the method's schema: the parsed request, or what is wrong with it. */
export function validate(
  method: Method,
  input: unknown,
): { ok: true; request: unknown } | { ok: false; error: ApiError } {
  const parsed = requestSchemas[method].safeParse(input ?? {})
  if (parsed.success) return { ok: true, request: parsed.data }
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

export async function dispatch<M extends Method>(
  ctx: HandlerContext,
  method: M,
  input: unknown,
): Promise<Envelope<Responses[M]>> {
  const parsed = validate(method, input)
  if (!parsed.ok) return parsed
  // A library opened only to read: a change is refused here, whichever handler it is for.
  if (METHOD_ACCESS[method] === 'write' && ctx.session.readOnly) {
    return { ok: false, error: readOnlyRefusal(ctx.session) }
  }
  try {
    const run = handlers[method] as (
      c: HandlerContext,
      r: unknown,
    ) => Responses[M] | Promise<Responses[M]>
    return { ok: true, value: await run(ctx, parsed.request) }
  } catch (error) {
    return { ok: false, error: toApiError(error) }
  }
}
