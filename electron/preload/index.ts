// The renderer's only door: one named function per API method, nothing else. Built from the
// same method list as the IPC binding, so the two cannot drift apart.
import { contextBridge, ipcRenderer } from 'electron'
import { METHODS, channelOf } from '../../shared/methods'
import type { LecternApi } from '../../shared/api'

const api = Object.fromEntries(
  METHODS.map((method) => [
    method,
    (request: unknown) => ipcRenderer.invoke(channelOf(method), request),
  ]),
) as LecternApi

contextBridge.exposeInMainWorld('lectern', api)
