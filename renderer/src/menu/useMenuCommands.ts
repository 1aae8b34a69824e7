// The application menu's commands in the desktop app, where the preload gives
// `window.lecternMenu`. In a browser (`lectern serve`) there is no menu, and this does nothing.
import { useEffect, useRef } from 'react'
import { documentPage, routeMenuCommand } from './routeMenuCommand'
import type { MenuCommand } from '../../../shared/menu'
import type { MenuHandlers } from './routeMenuCommand'

declare global {
  interface Window {
    lecternMenu?: {
      /** Calls `listener` with each command the menu sends; returns what stops it. */
      onCommand: (listener: (command: MenuCommand) => void) => () => void
    }
  }
}

export function useMenuCommands(handlers: MenuHandlers): void {
  // The handlers are new at every render; one subscription calls the latest of them.
  const latest = useRef(handlers)
  useEffect(() => {
    latest.current = handlers
  })
  useEffect(() => {
    const menu = window.lecternMenu
    if (!menu) return
    const page = documentPage(document)
    return menu.onCommand((command) => routeMenuCommand(command, latest.current, page))
  }, [])
}
