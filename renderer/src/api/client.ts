// The renderer's view of the contract. In Electron the preload provides `window.lectern`; in a
// browser (`lectern serve`) the same methods go over HTTP with the token the page was served.
import { createHttpApi } from './httpApi'
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

const TOKEN_KEY = 'lectern-token'

/**
 * The API token of `lectern serve`. The server puts it in the page once, in answer to a one-time
 * address; the tab keeps it in sessionStorage, which is this origin's alone (port included), for
 * its reloads. A cookie would not do: browsers send 127.0.0.1's cookies to every port on it.
 */
function pageToken(): string {
  const served = document.querySelector<HTMLMetaElement>('meta[name="lectern-token"]')?.content
  if (!served) return sessionStorage.getItem(TOKEN_KEY) ?? ''
  sessionStorage.setItem(TOKEN_KEY, served)
  // The key in the address is spent; without it, a reload asks for the plain page.
  history.replaceState(history.state, '', location.pathname + location.hash)
  return served
}

function pageApi(): LecternApi {
  return createHttpApi({ base: '', token: pageToken(), fetch: window.fetch.bind(window) })
}

const api: LecternApi = window.lectern ?? pageApi()

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
