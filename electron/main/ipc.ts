// Binds the contract to IPC: one channel per method, answered only for the app's own page.
// `ipcMain` is passed in so that a test can bind to a stand-in and prove every method is bound.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { METHODS, channelOf } from '../../shared/methods'
import { dispatch } from '../core/api/dispatch'
import type { HandlerContext } from '../core/api/dispatch'

export type IpcBinder = Pick<IpcMain, 'handle'>

export function bindIpc(
  ipc: IpcBinder,
  context: () => HandlerContext,
  isAppUrl: (url: string) => boolean,
): void {
  for (const method of METHODS) {
    ipc.handle(channelOf(method), (event: IpcMainInvokeEvent, request: unknown) => {
      const url = event.senderFrame?.url ?? ''
      if (!isAppUrl(url)) {
        return { ok: false, error: { code: 'forbidden', message: 'request from an unknown page' } }
      }
      return dispatch(context(), method, request)
    })
  }
}
