// The application menu. The template is built here, apart from Electron, so that a unit test can
// hold every platform's menu to what it should be; index.ts installs it.
//
// Undo and Redo must act exactly once per key press: on the focused text field while one has
// the keyboard (the note, the search box, a dialog's field), otherwise on the app's undo stack.
// How a key reaches a menu item decides the design:
//
// - The page always sees a key first. On Windows and Linux a menu accelerator is looked up only
//   for a key the page left unhandled (views' WebView::SkipDefaultKeyEventProcessing: "We'll
//   first give the page a chance to process the key events. If it does not process them, they'll
//   be returned to us and we'll treat them as accelerators then"; Electron's
//   NativeWindowViews::HandleKeyboardEvent). On macOS the web view takes ⌘-keys in
//   performKeyEquivalent: to "send the event to a renderer _before_ sending it to the menu", and
//   Electron gives the main menu only what the page left unhandled
//   (WebContents::PlatformHandleKeyboardEvent in electron_api_web_contents_mac.mm).
//   `before-input-event` is the only hook ahead of the page, and it is not used here.
// - The page handles Ctrl/⌘+Z itself outside text fields: App.tsx walks the app's stack and
//   calls preventDefault, so no menu item ever sees that press.
// - In a text field on Windows and Linux, Blink runs its own Undo/Redo for Ctrl+Z, Shift+Ctrl+Z
//   and Ctrl+Y (editing_behavior.cc, kKeyboardCodeKeyDownEntries). On macOS it does not: "On OS
//   X, we pipe these back to the browser", so ⌘Z typed in a field is unhandled by the page and
//   only an Edit menu item with ⌘Z can undo the typing (why Electron apps without an Edit menu
//   lose ⌘Z on macOS).
//
// So on Windows and Linux the Undo and Redo accelerators are shown but not registered
// (`registerAccelerator: false`, as Electron's own cut/copy/paste roles do since electron#15723
// for keys Blink handles): a key press has one handler, the page's. On macOS they cannot be
// unregistered and must not be: ⌘Z reaches the item only from a text field (or an open dialog),
// and the item sends `undo` to the page, which routes it by focus (renderer/src/menu/): a field
// or dialog with the keyboard gets the browser's own text undo, anything else the app's stack.
// A click on the item is routed the same way on every platform. Either way one press is one
// undo, and typing in a note never undoes a status change.
//
// Ctrl/⌘+O and Ctrl/⌘+, are the page's too (App.tsx opens the file picker or Settings and calls
// preventDefault), so they are shown but not registered on Windows and Linux either. Keys the
// page does not handle (Ctrl/⌘+F and the roles' zoom, full screen and quit keys) are registered
// as usual. No item has
// a key without Ctrl/⌘ (`/`, `?`): on macOS the menu must not hold such key equivalents, and on
// Windows and Linux one would fire while typing that character into a field.
import type { AboutPanelOptionsOptions, MenuItemConstructorOptions } from 'electron'
import { MENU_CHANNEL } from '../../shared/menu'
import type { MenuCommand } from '../../shared/menu'

export interface MenuOptions {
  platform: NodeJS.Platform
  /** A packaged build has no Reload and no developer tools. */
  isPackaged: boolean
  appName: string
  send: (command: MenuCommand) => void
}

type Item = MenuItemConstructorOptions

export function menuTemplate({ platform, isPackaged, appName, send }: MenuOptions): Item[] {
  const mac = platform === 'darwin'
  const command = (label: string, name: MenuCommand, accelerator?: string): Item => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(name),
  })
  // A key the page answers itself: shown everywhere, registered only where it cannot be helped.
  const pageKey = (item: Item): Item => (mac ? item : { ...item, registerAccelerator: false })
  // The page answers Ctrl/⌘+, itself (App.tsx), so that the browser host has it too.
  const settings = pageKey(command('Settings…', 'settings', 'CmdOrCtrl+,'))
  // On Windows and Linux the role shows app.showAboutPanel(), its options set by installMenu.
  const about: Item = { role: 'about', label: `About ${appName}` }

  const appMenu: Item = {
    label: appName,
    submenu: [
      about,
      { type: 'separator' },
      settings,
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  }

  const file: Item = {
    label: 'File',
    submenu: [
      // The page saves its notes before the library they belong to closes (Settings does the same).
      command('New Library…', 'newLibrary'),
      command('Open Library…', 'openLibrary'),
      { type: 'separator' },
      pageKey(command('Import Files…', 'import', 'CmdOrCtrl+O')),
      command('Paste a Dump…', 'paste'),
      { type: 'separator' },
      command('Export…', 'export'),
      command('Backups…', 'backups'),
      ...(mac ? [] : [{ type: 'separator' } as Item, settings]),
      { type: 'separator' },
      // Quit is Ctrl+Q on Linux and has no key on Windows (Alt+F4 closes the window): the role
      // knows both, and calls the item Exit on Windows.
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  }

  const edit: Item = {
    label: 'Edit',
    submenu: [
      pageKey(command('Undo', 'undo', 'CmdOrCtrl+Z')),
      pageKey(command('Redo', 'redo', 'Shift+CmdOrCtrl+Z')),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  }

  const view: Item = {
    label: 'View',
    submenu: [
      // `/` also goes to the search box (the page's own key, shown in the shortcut sheet).
      command('Find', 'find', 'CmdOrCtrl+F'),
      command('Statistics', 'stats'),
      command('Keyboard Shortcuts', 'shortcuts'),
      { type: 'separator' },
      ...(isPackaged
        ? []
        : [
            { role: 'reload' } as Item,
            { role: 'toggleDevTools' } as Item,
            { type: 'separator' } as Item,
          ]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }

  const help: Item = {
    ...(mac ? { role: 'help' as const } : { label: 'Help' }),
    submenu: [
      command('Keyboard Shortcuts', 'shortcuts'),
      ...(mac ? [] : [{ type: 'separator' } as Item, about]),
    ],
  }

  return mac ? [appMenu, file, edit, view, { role: 'windowMenu' }, help] : [file, edit, view, help]
}

/** The parts of Electron's `Menu` and `app` that installing the menu uses. */
export interface MenuApi<M> {
  buildFromTemplate(template: Item[]): M
  setApplicationMenu(menu: M | null): void
}

export interface AboutApi {
  setAboutPanelOptions(options: AboutPanelOptionsOptions): void
}

export interface AboutOptions {
  platform: NodeJS.Platform
  appName: string
  version: string
  /** The library the app holds, and whether it was opened only to read; null before one is. */
  library: { path: string; readOnly: boolean } | null
}

/**
 * What About says: the name, the version and where the library lives. Each system shows
 * different fields: macOS and Windows show `credits` (Windows as a line of its message box),
 * Linux's GTK dialog shows no credits, so there the library goes in the line under the version.
 */
export function aboutOptions({
  platform,
  appName,
  version,
  library,
}: AboutOptions): AboutPanelOptionsOptions {
  const where = library
    ? `Library: ${library.path}${library.readOnly ? ' (read-only)' : ''}`
    : undefined
  return {
    applicationName: appName,
    applicationVersion: version,
    ...(where === undefined
      ? {}
      : platform === 'linux'
        ? { copyright: where }
        : { credits: where }),
  }
}

export function installMenu<M>(
  menu: MenuApi<M>,
  about: AboutApi,
  options: MenuOptions & Omit<AboutOptions, 'platform' | 'appName'>,
): M {
  // Linux shows only what is set here; Windows and macOS would fill in the same.
  about.setAboutPanelOptions(aboutOptions(options))
  const built = menu.buildFromTemplate(menuTemplate(options))
  menu.setApplicationMenu(built)
  return built
}

/** The page a command goes to: the focused window's web contents. */
export interface MenuTarget {
  send(channel: string, command: MenuCommand): void
  executeJavaScript(code: string, userGesture?: boolean): Promise<unknown>
}

/**
 * Sends a command to the page. A file chooser opens only with a user activation (Blink's
 * FileInputType: "File chooser dialog can only be shown with a user activation"). A click on the
 * menu is one, but it happened outside the page, so Import first hands the page an activation
 * (executeJavaScript with `userGesture`, which Electron documents as removing that limit) and
 * only then asks for the picker. Ctrl/⌘+O needs none of this: the page takes that key itself.
 */
export async function sendMenuCommand(
  target: MenuTarget | null | undefined,
  command: MenuCommand,
): Promise<void> {
  if (!target) return
  if (command === 'import') await target.executeJavaScript('undefined', true)
  target.send(MENU_CHANNEL, command)
}
