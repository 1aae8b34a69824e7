// The contract over HTTP, for the browser host (`lectern serve`): one function per method, each a
// POST to api/<method> carrying the page's token. Apart from the DOM so that a test can drive
// it against a real server.
import { METHODS, TOKEN_HEADER } from '../../../shared/methods'
import type { Envelope, LecternApi, Method } from '../../../shared/api'

const KEEPALIVE_LIMIT = 60_000

export interface HttpApiOptions {
  /** Where api/<method> lives: '' for the page's own origin, or an absolute URL with a trailing slash. */
  base: string
  token: string
  fetch?: typeof fetch
}

export function createHttpApi({ base, token, fetch: send = fetch }: HttpApiOptions): LecternApi {
  const call = async (method: Method, request: unknown): Promise<Envelope<unknown>> => {
    try {
      const body = JSON.stringify(request ?? {})
      const response = await send(`${base}api/${method}`, {
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
