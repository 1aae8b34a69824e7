// The renderer's only doors: one named function per API method, and one per desktop action,
// nothing else. Built from the same lists as the IPC bindings, so the two cannot drift apart.
import { METHODS, channelOf } from '../../shared/methods'
import type { LecternApi } from '../../shared/api'
import { DESKTOP_ACTIONS, desktopChannel } from '../../shared/desktop'
import type { DesktopBridge } from '../../shared/desktop'

export type Invoke = (channel: string, request: unknown) => Promise<unknown>

export function preloadApi(invoke: Invoke): LecternApi {
  return Object.fromEntries(
    METHODS.map((method) => [method, (request: unknown) => invoke(channelOf(method), request)]),
  ) as LecternApi
}

/**
 * The desktop actions. Only `showFolder` takes anything (which folder, by name); the others
 * pass nothing on, whatever the page gives them.
 */
export function desktopApi(invoke: Invoke): DesktopBridge {
  return Object.fromEntries(
    DESKTOP_ACTIONS.map((action) => [
      action,
      action === 'showFolder'
        ? (folder: unknown) => invoke(desktopChannel(action), folder)
        : () => invoke(desktopChannel(action), undefined),
    ]),
  ) as DesktopBridge
}
