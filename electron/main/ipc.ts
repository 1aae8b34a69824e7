// Binds the contract to IPC: one channel per method, answered only for the app's own page.
import { ipcMain } from 'electron'
import type { IpcMainInvokeEvent } from 'electron'
import { METHODS, channelOf } from '../../shared/methods'
import { dispatch } from '../core/handlers'
import type { HandlerContext } from '../core/handlers'

export function bindIpc(context: () => HandlerContext, isAppUrl: (url: string) => boolean): void {
  for (const method of METHODS) {
    ipcMain.handle(channelOf(method), (event: IpcMainInvokeEvent, request: unknown) => {
      const url = event.senderFrame?.url ?? ''
      if (!isAppUrl(url)) {
        return { ok: false, error: { code: 'forbidden', message: 'request from an unknown page' } }
      }
      return dispatch(context(), method, request)
    })
  }
}
