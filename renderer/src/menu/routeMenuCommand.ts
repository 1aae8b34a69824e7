// Where a command of the application menu goes. Undo and Redo go where Ctrl/⌘+Z would: to the
// browser's own text undo while a text field or a dialog has the keyboard, else to the app's undo
// stack; on macOS ⌘Z typed in a field arrives this way (electron/main/menu.ts says why). The
// commands that open something open what the toolbar opens, never over an open dialog, as the
// page's keys. Those that change only how the window looks (a pane, the theme) apply over a
// dialog too: the menu's marks are redrawn from what the page shows after each of them.
import { isViewCommand } from '../../../shared/menu'
import type { MenuCommand } from '../../../shared/menu'
import { typingInField } from '../table/useKeyboardTriage'

/** What each command does in the window; `undo` and `redo` are the app's own stack. */
export type MenuHandlers = Record<MenuCommand, () => void>

/** What of the page decides where a command goes. */
export interface MenuPage {
  /** A text field (or a popover of its own) has the keyboard. */
  typing: () => boolean
  dialogOpen: () => boolean
  /** The browser's own undo or redo of typing, as Ctrl/⌘+Z in a field. */
  editText: (command: 'undo' | 'redo') => void
}

export function routeMenuCommand(
  command: MenuCommand,
  handlers: MenuHandlers,
  page: MenuPage,
): void {
  if (command === 'undo' || command === 'redo') {
    if (page.typing() || page.dialogOpen()) page.editText(command)
    else handlers[command]()
    return
  }
  if (isViewCommand(command) || !page.dialogOpen()) handlers[command]()
}

/** The page as the window's document shows it. */
export function documentPage(
  doc: Pick<Document, 'activeElement' | 'querySelector' | 'execCommand'>,
): MenuPage {
  return {
    typing: () => typingInField(doc.activeElement),
    dialogOpen: () => doc.querySelector('dialog[open]') !== null,
    // Chromium runs Undo and Redo from script too: the same step the key would take back.
    editText: (command) => void doc.execCommand(command),
  }
}
