// The renderer's view of the contract. In Electron the preload provides `window.lectern`; in a
// browser (`lectern serve`) the same methods go over HTTP with the token the page was served.
import { METHODS, TOKEN_HEADER } from '../../../shared/methods'
import type {
  ApiError,
  Envelope,
  LecternApi,
  Method,
  Request,
  Responses,
} from '../../../shared/api'

declare global {
  interface Window {
    lectern?: LecternApi
  }
}

const KEEPALIVE_LIMIT = 60_000

function httpApi(): LecternApi {
  const token = document.querySelector<HTMLMetaElement>('meta[name="lectern-token"]')?.content ?? ''
  const call = async (method: Method, request: unknown): Promise<Envelope<unknown>> => {
    try {
      const body = JSON.stringify(request ?? {})
      const response = await fetch(`api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
        body,
        // Lets a note save started as the page closes finish; browsers cap such bodies at 64 KB.
        keepalive: body.length < KEEPALIVE_LIMIT,
      })
      return (await response.json()) as Envelope<unknown>
    } catch (error) {
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `Lectern is not answering (${(error as Error).message})`,
        },
      }
    }
  }
  return Object.fromEntries(METHODS.map((m) => [m, (r: unknown) => call(m, r)])) as LecternApi
}

const api: LecternApi = window.lectern ?? httpApi()

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
    this.name = 'ApiFailure'
  }
}

/** Calls a method and unwraps its envelope; a refusal becomes an ApiFailure with its message. */
export async function call<M extends Method>(
  method: M,
  request: Request<M>,
): Promise<Responses[M]> {
  const envelope = await (api[method] as (r: Request<M>) => Promise<Envelope<Responses[M]>>)(
    request,
  )
  if (!envelope.ok) throw new ApiFailure(envelope.error)
  return envelope.value
}
