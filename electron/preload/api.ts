// The renderer's only doors: one named function per API method, and one per desktop action,
// nothing else. Built from the same lists as the IPC bindings, so the two cannot drift apart.
import { METHODS, channelOf } from '../../shared/methods'
import type { LecternApi } from '../../shared/api'
import { DESKTOP_ACTIONS, TAKES_REQUEST, desktopChannel } from '../../shared/desktop'
import type { DesktopBridge } from '../../shared/desktop'

export type Invoke = (channel: string, request: unknown) => Promise<unknown>

export function preloadApi(invoke: Invoke): LecternApi {
  return Object.fromEntries(
    METHODS.map((method) => [method, (request: unknown) => invoke(channelOf(method), request)]),
  ) as LecternApi
}

/**
 * The desktop actions. Only those that take a request (a folder's or a theme's name, the panes
 * shown) pass one on; the others pass nothing, whatever the page gives them.
 */
export function desktopApi(invoke: Invoke): DesktopBridge {
  return Object.fromEntries(
    DESKTOP_ACTIONS.map((action) => [
      action,
      TAKES_REQUEST[action]
        ? (request: unknown) => invoke(desktopChannel(action), request)
        : () => invoke(desktopChannel(action), undefined),
    ]),
  ) as DesktopBridge
}
