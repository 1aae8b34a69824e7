// Binds the contract to IPC: one channel per method, answered only for the app's own page (its
// top frame).
// `ipcMain` is passed in so that a test can bind to a stand-in and prove every method is bound.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { METHODS, channelOf } from '../../shared/methods'
import { dispatch } from '../core/api/dispatch'
import type { HandlerContext } from '../core/api/dispatch'

export type IpcBinder = Pick<IpcMain, 'handle'>

/** What a request is told while one library is closed and the next not yet open. */
export const SWITCHING_MESSAGE = 'another library is being opened; try again in a moment'

/**
 * Whether an IPC call comes from the app's own page: its top frame (a frame inside it, whatever
 * its address, is not the page; WebFrameMain.parent is null only for the top one) at an app://
 * address.
 */
export function fromAppPage(
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  isAppUrl: (url: string) => boolean,
): boolean {
  const frame = event.senderFrame
  // A stand-in frame may leave `parent` out; a real top frame has it null.
  return !!frame && (frame.parent === null || frame.parent === undefined) && isAppUrl(frame.url)
}

export function bindIpc(
  ipc: IpcBinder,
  /** The library's context, or null while none is open (another is being opened). */
  context: () => HandlerContext | null,
  isAppUrl: (url: string) => boolean,
): void {
  for (const method of METHODS) {
    ipc.handle(channelOf(method), (event: IpcMainInvokeEvent, request: unknown) => {
      if (!fromAppPage(event, isAppUrl)) {
        return { ok: false, error: { code: 'forbidden', message: 'request from an unknown page' } }
      }
      const ctx = context()
      if (!ctx) return { ok: false, error: { code: 'conflict', message: SWITCHING_MESSAGE } }
      return dispatch(ctx, method, request)
    })
  }
}
