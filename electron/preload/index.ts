// The sandboxed preload: exposes the contract's named methods as `window.lectern`, and nothing
// else (no ipcRenderer, no generic invoke, no process).
import { contextBridge, ipcRenderer } from 'electron'
import { preloadApi } from './api'

contextBridge.exposeInMainWorld(
  'lectern',
  preloadApi((channel, request) => ipcRenderer.invoke(channel, request)),
)
