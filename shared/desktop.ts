// What only the desktop app can do, apart from the contract: things of this computer that a web
// page must never reach (the file manager, native file dialogs, which library the app holds),
// and what the window shows that its menu reflects (the theme, also of the app's own title bar,
// menus and dialogs; the panes).
// One list for the main process (which answers), the preload (which exposes one named function
// for each, nothing else) and the renderer (which offers them only where the preload gave them:
// the browser host has none).
import type { Envelope } from './api'
import type { MoveResult } from './domain'

export const DESKTOP_ACTIONS = [
  'showLibrary',
  'showFolder',
  'openLibrary',
  'newLibrary',
  'chooseBackupsFolder',
  'chooseSyncFolder',
  'moveLibrary',
  'setTheme',
  'setPanes',
] as const

export type DesktopAction = (typeof DESKTOP_ACTIONS)[number]

/** The folders beside the library that Settings can show in the file manager. */
export const LIBRARY_FOLDERS = ['backups', 'inbox'] as const
export type LibraryFolder = (typeof LIBRARY_FOLDERS)[number]

export function isLibraryFolder(value: unknown): value is LibraryFolder {
  return typeof value === 'string' && (LIBRARY_FOLDERS as readonly string[]).includes(value)
}

/** The colour themes a user can choose: the computer's (System), Light or Dark. */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const
export type ThemeChoice = (typeof THEME_CHOICES)[number]

/** Each theme's name, as Settings and the View menu both show it. */
export const THEME_LABELS: Record<ThemeChoice, string> = {
  system: 'System',
  light: 'Light',
  dark: 'Dark',
}

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value)
}

/** The panes beside the papers that the user can hide: the sidebar and the detail pane. */
export const PANES = ['sidebar', 'detail'] as const
export type Pane = (typeof PANES)[number]

/** Which panes are on screen now. */
export type PanesShown = Record<Pane, boolean>

export function isPanesShown(value: unknown): value is PanesShown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return (
    keys.length === PANES.length &&
    PANES.every((pane) => typeof (value as Record<string, unknown>)[pane] === 'boolean')
  )
}

/** What each action is given: a folder's name, never a path (the page names no file). */
export interface DesktopRequests {
  showLibrary: void
  showFolder: LibraryFolder
  openLibrary: void
  newLibrary: void
  chooseBackupsFolder: void
  chooseSyncFolder: void
  moveLibrary: void
  setTheme: ThemeChoice
  setPanes: PanesShown
}

/** Which actions take a request; the preload passes nothing on for the others. */
export const TAKES_REQUEST: Record<DesktopAction, boolean> = {
  showLibrary: false,
  showFolder: true,
  openLibrary: false,
  newLibrary: false,
  chooseBackupsFolder: false,
  chooseSyncFolder: false,
  moveLibrary: false,
  setTheme: true,
  setPanes: true,
}

/**
 * What each answers. Opening a library answers the one opened, or null when the user cancelled
 * (the window's page is loaded again on the new library once it is open). Choosing a backups
 * folder, or the sync folder, answers the folder now in use, or null when the user cancelled; a
 * move, what it did, or
 * null when the user cancelled (the page is loaded again on the library at its new place).
 */
export interface DesktopResults {
  showLibrary: null
  showFolder: null
  openLibrary: { opened: string | null }
  newLibrary: { opened: string | null }
  chooseBackupsFolder: { folder: string | null }
  chooseSyncFolder: { folder: string | null }
  moveLibrary: { moved: MoveResult | null }
  setTheme: null
  setPanes: null
}

/** The desktop app's bridge as the page sees it (`window.lecternDesktop`). */
export type DesktopBridge = {
  [A in DesktopAction]: DesktopRequests[A] extends void
    ? () => Promise<Envelope<DesktopResults[A]>>
    : (request: DesktopRequests[A]) => Promise<Envelope<DesktopResults[A]>>
}

/** The IPC channel an action travels on (apart from the contract's `lectern:` channels). */
export function desktopChannel(action: DesktopAction): string {
  return `lectern-desktop:${action}`
}
