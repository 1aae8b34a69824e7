// What the desktop app's menu asks of the page: one list for the main process (which sends),
// the preload (which lets only these through) and the renderer (which routes them).
import type { ThemeChoice } from './desktop'

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
  'toggleSidebar',
  'toggleDetail',
  'themeSystem',
  'themeLight',
  'themeDark',
  'help',
] as const

export type MenuCommand = (typeof MENU_COMMANDS)[number]

/**
 * The commands that change only how the window looks (a pane, the theme). They open nothing, so
 * they apply over an open dialog too, and the page always tells the main process what it shows
 * afterwards, which keeps the menu's check marks true.
 */
export const VIEW_COMMANDS = [
  'toggleSidebar',
  'toggleDetail',
  'themeSystem',
  'themeLight',
  'themeDark',
] as const satisfies readonly MenuCommand[]

/** The command that chooses each theme (shared/desktop.ts's THEME_CHOICES). */
export const THEME_COMMANDS = {
  system: 'themeSystem',
  light: 'themeLight',
  dark: 'themeDark',
} as const satisfies Record<ThemeChoice, MenuCommand>

/** The one channel menu commands travel on, main process to page. */
export const MENU_CHANNEL = 'lectern:menu'

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value)
}

export function isViewCommand(command: MenuCommand): boolean {
  return (VIEW_COMMANDS as readonly string[]).includes(command)
}
