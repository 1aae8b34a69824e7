// Binds the contract to IPC: one channel per method, answered only for the app's own page.
// `ipcMain` is passed in so that a test can bind to a stand-in and prove every method is bound.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { METHODS, channelOf } from '../../shared/methods'
import { dispatch } from '../core/api/dispatch'
import type { HandlerContext } from '../core/api/dispatch'

export type IpcBinder = Pick<IpcMain, 'handle'>

/** What a request is told while one library is closed and the next not yet open. */
export const SWITCHING_MESSAGE = 'another library is being opened; try again in a moment'

export function bindIpc(
  ipc: IpcBinder,
  /** The library's context, or null while none is open (another is being opened). */
  context: () => HandlerContext | null,
  isAppUrl: (url: string) => boolean,
): void {
  for (const method of METHODS) {
    ipc.handle(channelOf(method), (event: IpcMainInvokeEvent, request: unknown) => {
      const url = event.senderFrame?.url ?? ''
      if (!isAppUrl(url)) {
        return { ok: false, error: { code: 'forbidden', message: 'request from an unknown page' } }
      }
      const ctx = context()
      if (!ctx) return { ok: false, error: { code: 'conflict', message: SWITCHING_MESSAGE } }
      return dispatch(ctx, method, request)
    })
  }
}
