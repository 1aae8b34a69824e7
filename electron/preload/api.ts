// The renderer's only door: one named function per API method, nothing else. Built from the
// same method list as the IPC binding, so the two cannot drift apart.
import { METHODS, channelOf } from '../../shared/methods'
import type { LecternApi } from '../../shared/api'

export type Invoke = (channel: string, request: unknown) => Promise<unknown>

export function preloadApi(invoke: Invoke): LecternApi {
  return Object.fromEntries(
    METHODS.map((method) => [method, (request: unknown) => invoke(channelOf(method), request)]),
  ) as LecternApi
}
