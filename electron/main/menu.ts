// The application menu. The template is built here, apart from Electron, so that a unit test can
// hold every platform's menu to what it should be; wiring.ts installs it.
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
// Ctrl/⌘+O, Ctrl/⌘+, and the panes' Ctrl/⌘+B and Ctrl/⌘+J are the page's too (App.tsx acts and
// calls preventDefault, also in a text field, so that the browser host has them and every
// system behaves alike), so they are shown but not registered on Windows and Linux either. F1
// (Lectern Help) is the page's on Windows and Linux as well; macOS gives its Help menu ⌘? and
// no F1, so the item has no key there. Keys the page does not handle (Ctrl/⌘+F and the roles'
// zoom, full screen and quit keys) are registered as usual. No item has a key that types a
// character without Ctrl/⌘ (`/`, `?`): on macOS the menu must not hold such key equivalents,
// and on Windows and Linux one would fire while typing that character into a field.
//
// The View menu shows what the page shows: the theme chosen (radio items) and the panes on
// screen (check boxes on Windows and Linux; on macOS "Hide Sidebar" or "Show Sidebar", as its
// own apps say). Settings, the keys and the menu all change them in the page, which tells the
// main process each time (the desktop action setTheme or setPanes, desktop.ts); AppMenu then
// builds the menu again with the new marks. A click on one of these items only sends its
// command: the mark Electron flips at the click is redrawn from what the page then says.
import type { AboutPanelOptionsOptions, MenuItemConstructorOptions } from 'electron'
import { PANES, THEME_CHOICES, THEME_LABELS } from '../../shared/desktop'
import type { PanesShown, ThemeChoice } from '../../shared/desktop'
import { MENU_CHANNEL, THEME_COMMANDS } from '../../shared/menu'
import type { MenuCommand } from '../../shared/menu'

/** What the View menu's marks show: what the page last said it shows. */
export interface MenuView {
  theme: ThemeChoice
  panes: PanesShown
}

/** What a window shows before its page has said anything: the computer's theme, every pane. */
export const DEFAULT_VIEW: MenuView = { theme: 'system', panes: { sidebar: true, detail: true } }

export interface MenuOptions {
  platform: NodeJS.Platform
  /** A packaged build has no Reload and no developer tools. */
  isPackaged: boolean
  appName: string
  send: (command: MenuCommand) => void
  view: MenuView
}

type Item = MenuItemConstructorOptions

export function menuTemplate({ platform, isPackaged, appName, send, view }: MenuOptions): Item[] {
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

  // A pane's item says, on macOS, what a click will do; elsewhere it is checked while shown.
  const pane = (name: string, shown: boolean, toggle: MenuCommand, accelerator: string): Item =>
    pageKey(
      mac
        ? command(`${shown ? 'Hide' : 'Show'} ${name}`, toggle, accelerator)
        : { ...command(name, toggle, accelerator), type: 'checkbox', checked: shown },
    )
  const theme: Item = {
    label: 'Theme',
    submenu: THEME_CHOICES.map((choice): Item => ({
      ...command(THEME_LABELS[choice], THEME_COMMANDS[choice]),
      type: 'radio',
      checked: view.theme === choice,
    })),
  }

  const viewMenu: Item = {
    label: 'View',
    submenu: [
      // `/` also goes to the search box (the page's own key, shown in the shortcut sheet).
      command('Find', 'find', 'CmdOrCtrl+F'),
      command('Statistics', 'stats'),
      command('Keyboard Shortcuts', 'shortcuts'),
      { type: 'separator' },
      pane('Sidebar', view.panes.sidebar, 'toggleSidebar', 'CmdOrCtrl+B'),
      pane('Detail Pane', view.panes.detail, 'toggleDetail', 'CmdOrCtrl+J'),
      theme,
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

  // The manual is the README, shown inside the app (renderer/src/help/): no network needed.
  const manual = command(`${appName} Help`, 'help')
  const help: Item = {
    ...(mac ? { role: 'help' as const } : { label: 'Help' }),
    submenu: [
      mac ? manual : pageKey({ ...manual, accelerator: 'F1' }),
      command('Keyboard Shortcuts', 'shortcuts'),
      ...(mac ? [] : [{ type: 'separator' } as Item, about]),
    ],
  }

  return mac
    ? [appMenu, file, edit, viewMenu, { role: 'windowMenu' }, help]
    : [file, edit, viewMenu, help]
}

function sameView(a: MenuView, b: MenuView): boolean {
  return a.theme === b.theme && PANES.every((pane) => a.panes[pane] === b.panes[pane])
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

/** The application menu installed, built again whenever what the page shows has changed. */
export class AppMenu<M> {
  private view: MenuView
  private built: M

  constructor(
    private readonly menu: MenuApi<M>,
    private readonly options: Omit<MenuOptions, 'view'>,
    view: MenuView = DEFAULT_VIEW,
  ) {
    this.view = view
    this.built = this.install()
  }

  /** The menu installed now. */
  get current(): M {
    return this.built
  }

  /** The page shows another theme or other panes: the View menu's marks follow. */
  show(change: Partial<MenuView>): void {
    const next = { ...this.view, ...change }
    if (sameView(next, this.view)) return
    this.view = next
    this.built = this.install()
  }

  private install(): M {
    const built = this.menu.buildFromTemplate(menuTemplate({ ...this.options, view: this.view }))
    this.menu.setApplicationMenu(built)
    return built
  }
}

export function installMenu<M>(
  menu: MenuApi<M>,
  about: AboutApi,
  options: Omit<MenuOptions, 'view'> & Omit<AboutOptions, 'platform' | 'appName'>,
): AppMenu<M> {
  // Linux shows only what is set here; Windows and macOS would fill in the same.
  about.setAboutPanelOptions(aboutOptions(options))
  return new AppMenu(menu, options)
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
