// What the desktop app's menu asks of the page: one list for the main process (which sends),
// the preload (which lets only these through) and the renderer (which routes them).

export const MENU_COMMANDS = [
  'undo',
  'redo',
  'newLibrary',
  'openLibrary',
  'import',
  'paste',
  'export',
  'backups',
  'settings',
  'find',
  'stats',
  'shortcuts',
] as const

export type MenuCommand = (typeof MENU_COMMANDS)[number]

/** The one channel menu commands travel on, main process to page. */
export const MENU_CHANNEL = 'lectern:menu'

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value)
}
