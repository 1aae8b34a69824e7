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

function pageApi(): LecternApi {
  const token = document.querySelector<HTMLMetaElement>('meta[name="lectern-token"]')?.content ?? ''
  return createHttpApi({ base: '', token, fetch: window.fetch.bind(window) })
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
