// The sandboxed preload: exposes the contract's named methods as `window.lectern`, the desktop
// app's own actions (show the library in the file manager, open another) as
// `window.lecternDesktop`, one subscription to the application menu's commands as
// `window.lecternMenu`, one to the files the system opens with Lectern as `window.lecternOpened`,
// and nothing else (no ipcRenderer, no generic invoke, no process).
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRenderer, IpcRendererEvent } from 'electron'
import { MENU_CHANNEL, isMenuCommand } from '../../shared/menu'
import type { MenuCommand } from '../../shared/menu'
import { OPENED_FILE_CHANNEL, isOpenedFile } from '../../shared/openedFiles'
import type { OpenedFile } from '../../shared/openedFiles'
import { desktopApi, preloadApi } from './api'

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

export interface OpenedFilesBridge {
  /** Calls `listener` with each group of files opened, those that came before it first. */
  onOpen: (listener: (files: OpenedFile[]) => void) => () => void
}

/**
 * The opened files' one channel, in one direction. Files sent before the page listens (the app
 * started by a double-click on one) are kept until it does, so none is lost to the page's start.
 */
export function openedFilesBridge(ipc: Pick<IpcRenderer, 'on'>): OpenedFilesBridge {
  let waiting: OpenedFile[][] = []
  let listener: ((files: OpenedFile[]) => void) | null = null
  ipc.on(OPENED_FILE_CHANNEL, (_event: IpcRendererEvent, files: unknown) => {
    if (!Array.isArray(files) || !files.every(isOpenedFile) || files.length === 0) return
    if (listener) listener(files)
    else waiting.push(files)
  })
  return {
    onOpen(next) {
      listener = next
      const kept = waiting
      waiting = []
      for (const files of kept) next(files)
      return () => {
        if (listener === next) listener = null
      }
    },
  }
}

contextBridge.exposeInMainWorld(
  'lectern',
  preloadApi((channel, request) => ipcRenderer.invoke(channel, request)),
)
contextBridge.exposeInMainWorld(
  'lecternDesktop',
  desktopApi((channel, request) => ipcRenderer.invoke(channel, request)),
)
contextBridge.exposeInMainWorld('lecternMenu', menuBridge(ipcRenderer))
contextBridge.exposeInMainWorld('lecternOpened', openedFilesBridge(ipcRenderer))
