// The sandboxed preload: exposes the contract's named methods as `window.lectern`, and one
// subscription to the application menu's commands as `window.lecternMenu`, and nothing else
// (no ipcRenderer, no generic invoke, no process).
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRenderer, IpcRendererEvent } from 'electron'
import { MENU_CHANNEL, isMenuCommand } from '../../shared/menu'
import type { MenuCommand } from '../../shared/menu'
import { preloadApi } from './api'

export interface MenuBridge {
  /** Calls `listener` with each command the menu sends; returns what stops it. */
  onCommand: (listener: (command: MenuCommand) => void) => () => void
}

/**
 * The menu's one channel, in one direction. The page gets the command's name only (never the
 * IPC event, whose `sender` is ipcRenderer itself), and only when it is one the menu has.
 */
export function menuBridge(ipc: Pick<IpcRenderer, 'on' | 'removeListener'>): MenuBridge {
  return {
    onCommand(listener) {
      const relay = (_event: IpcRendererEvent, command: unknown): void => {
        if (isMenuCommand(command)) listener(command)
      }
      ipc.on(MENU_CHANNEL, relay)
      return () => {
        ipc.removeListener(MENU_CHANNEL, relay)
      }
    },
  }
}

contextBridge.exposeInMainWorld(
  'lectern',
  preloadApi((channel, request) => ipcRenderer.invoke(channel, request)),
)
contextBridge.exposeInMainWorld('lecternMenu', menuBridge(ipcRenderer))
