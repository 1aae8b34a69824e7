// The application menu, from its template to the page: every platform's menu holds what it
// should (and no developer tools when packaged), each of the app's items sends its command, the
// View menu's marks show the theme and the panes the page says it shows (and follow when it says
// otherwise), the preload passes on the menu's commands and nothing else, and the page routes
// each command where its key would go — Undo and Redo to a text field's own undo while one has
// the keyboard. The window's own developer tools are tested in windowSecurity.test.ts.
import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import {
  AppMenu,
  DEFAULT_VIEW,
  aboutOptions,
  installMenu,
  menuTemplate,
  sendMenuCommand,
} from '../../electron/main/menu'
import type { MenuTarget, MenuView } from '../../electron/main/menu'
import { THEME_CHOICES } from '../../shared/desktop'
import {
  MENU_CHANNEL,
  MENU_COMMANDS,
  THEME_COMMANDS,
  VIEW_COMMANDS,
  isMenuCommand,
} from '../../shared/menu'
import type { MenuCommand } from '../../shared/menu'
import type { MenuBridge } from '../../electron/preload/index'
import { METHODS, channelOf } from '../../shared/methods'
import { documentPage, routeMenuCommand } from '../../renderer/src/menu/routeMenuCommand'
import type { MenuHandlers, MenuPage } from '../../renderer/src/menu/routeMenuCommand'

// The preload runs against stand-ins for Electron's contextBridge and ipcRenderer.
const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  // Assigned below, once node:events is loaded (hoisted code runs before the imports).
  ipcRenderer: null as unknown as import('node:events').EventEmitter,
}))
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  get ipcRenderer() {
    return electron.ipcRenderer
  },
}))

// What the preload exposes is what the page expects to find.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const bridgeFits: Same<MenuBridge, NonNullable<Window['lecternMenu']>> = true

type Item = MenuItemConstructorOptions
const PLATFORMS = ['darwin', 'win32', 'linux'] as const

function template(
  platform: NodeJS.Platform,
  isPackaged = true,
  sent: MenuCommand[] = [],
  view: MenuView = DEFAULT_VIEW,
): Item[] {
  return menuTemplate({ platform, isPackaged, appName: 'Lectern', send: (c) => sent.push(c), view })
}

/** Every item of a template, submenus included, each with the labels of the menus above it. */
function items(menu: Item[], path: string[] = []): { item: Item; path: string[] }[] {
  return menu.flatMap((item) => {
    const here = { item, path }
    const name = item.label ?? item.role ?? ''
    return Array.isArray(item.submenu) ? [here, ...items(item.submenu, [...path, name])] : [here]
  })
}

function submenu(menu: Item[], name: string): Item[] {
  const found = menu.find((item) => (item.label ?? item.role) === name)
  if (!found || !Array.isArray(found.submenu)) throw new Error(`no ${name} menu`)
  return found.submenu
}

const roles = (menu: Item[]) => menu.filter((i) => i.role).map((i) => i.role)
const byLabel = (menu: Item[], label: string) =>
  items(menu).find(({ item }) => item.label === label)

function click(item: Item): void {
  ;(item.click as () => void)()
}

describe('the application menu', () => {
  it.each(PLATFORMS)('on %s, every item of the app sends its command, once', (platform) => {
    const sent: MenuCommand[] = []
    const menu = template(platform, true, sent)
    const own = items(menu).filter(({ item }) => item.click)
    for (const { item } of own) {
      const before = sent.length
      click(item)
      expect(sent.length, item.label).toBe(before + 1)
      // An item is the app's or a role, never both (a role's own click would be ignored).
      expect(item.role, item.label).toBeUndefined()
    }
    expect(new Set(sent)).toEqual(new Set(MENU_COMMANDS))
  })

  it.each(PLATFORMS)('on %s, the menus are the platform’s', (platform) => {
    const menu = template(platform)
    const top = menu.map((i) => i.label ?? i.role)
    const mac = platform === 'darwin'
    expect(top).toEqual(
      mac
        ? ['Lectern', 'File', 'Edit', 'View', 'windowMenu', 'help']
        : ['File', 'Edit', 'View', 'Help'],
    )
    const labels = (name: string) =>
      submenu(menu, name)
        .filter((i) => i.type !== 'separator')
        .map((i) => i.label ?? i.role)
    expect(labels('File')).toEqual([
      'New Library…',
      'Open Library…',
      'Import Files…',
      'Paste a Dump…',
      'Export…',
      'Backups…',
      ...(mac ? ['close'] : ['Settings…', 'quit']),
    ])
    expect(labels('Edit')).toEqual(['Undo', 'Redo', 'cut', 'copy', 'paste', 'selectAll'])
    // The panes say what a click does on macOS ("Hide Sidebar"); elsewhere they are checked.
    expect(labels('View')).toEqual([
      'Find',
      'Statistics',
      'Keyboard Shortcuts',
      ...(mac ? ['Hide Sidebar', 'Hide Detail Pane'] : ['Sidebar', 'Detail Pane']),
      'Theme',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ])
    expect(
      submenu(submenu(menu, 'View'), 'Theme').map((i) => [i.label, i.type, i.checked]),
    ).toEqual([
      ['System', 'radio', true],
      ['Light', 'radio', false],
      ['Dark', 'radio', false],
    ])
    if (mac) {
      expect(labels('Lectern')).toEqual([
        'About Lectern',
        'Settings…',
        'services',
        'hide',
        'hideOthers',
        'unhide',
        'quit',
      ])
      expect(roles(submenu(menu, 'Lectern'))[0]).toBe('about')
      expect(labels('help')).toEqual(['Lectern Help', 'Keyboard Shortcuts'])
    } else {
      expect(labels('Help')).toEqual(['Lectern Help', 'Keyboard Shortcuts', 'About Lectern'])
      // The role opens app.showAboutPanel() on Windows and Linux.
      expect(roles(submenu(menu, 'Help'))).toEqual(['about'])
    }
  })

  it.each(PLATFORMS)('on %s, Reload and the developer tools only when not packaged', (platform) => {
    const devOnly = ['reload', 'forceReload', 'toggleDevTools']
    const packaged = items(template(platform, true)).map(({ item }) => item.role)
    expect(packaged.filter((role) => devOnly.includes(role ?? ''))).toEqual([])
    expect(roles(submenu(template(platform, false), 'View'))).toEqual([
      'reload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ])
    expect(roles(submenu(template(platform, true), 'View'))).toEqual([
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ])
  })

  it.each(PLATFORMS)('on %s, the keys are as documented', (platform) => {
    const menu = template(platform)
    const mac = platform === 'darwin'
    const keys = items(menu)
      .filter(({ item }) => item.click && item.accelerator)
      .map(({ item }) => [item.label, item.accelerator, item.registerAccelerator] as const)
    // The page answers Ctrl+Z, Shift+Ctrl+Z, Ctrl+O and Ctrl+, itself (and in a field Blink
    // does): on Windows and Linux the menu only shows them, so one press has one handler.
    const pageKey = mac ? undefined : false
    // The panes' Ctrl/⌘+B and Ctrl/⌘+J and Help's F1 are the page's too; macOS's Help menu has
    // ⌘? of its own and no F1.
    expect(keys).toEqual([
      ...(mac ? [['Settings…', 'CmdOrCtrl+,', pageKey]] : []),
      ['Import Files…', 'CmdOrCtrl+O', pageKey],
      ...(mac ? [] : [['Settings…', 'CmdOrCtrl+,', pageKey]]),
      ['Undo', 'CmdOrCtrl+Z', pageKey],
      ['Redo', 'Shift+CmdOrCtrl+Z', pageKey],
      ['Find', 'CmdOrCtrl+F', undefined],
      [mac ? 'Hide Sidebar' : 'Sidebar', 'CmdOrCtrl+B', pageKey],
      [mac ? 'Hide Detail Pane' : 'Detail Pane', 'CmdOrCtrl+J', pageKey],
      ...(mac ? [] : [['Lectern Help', 'F1', pageKey]]),
    ])
    // No key of the app's that types a character without Ctrl/⌘: it would fire while typing it.
    for (const [label, accelerator] of keys)
      expect(accelerator, label).toMatch(/^((Shift\+)?CmdOrCtrl\+|F1$)/)
    // Undo and Redo are the app's items, not Electron's roles (which undo only text).
    expect(roles(submenu(menu, 'Edit'))).not.toContain('undo')
    expect(byLabel(menu, 'Undo')?.path).toEqual(['Edit'])
  })

  it.each(PLATFORMS)(
    'on %s, the View menu shows the theme chosen and the panes shown',
    (platform) => {
      const mac = platform === 'darwin'
      for (const theme of THEME_CHOICES) {
        for (const sidebar of [true, false]) {
          for (const detail of [true, false]) {
            const sent: MenuCommand[] = []
            const view = submenu(
              template(platform, true, sent, { theme, panes: { sidebar, detail } }),
              'View',
            )
            const themes = submenu(view, 'Theme')
            // One radio group: exactly the theme chosen is checked.
            expect(themes.filter((i) => i.checked).map((i) => i.label)).toEqual([
              { system: 'System', light: 'Light', dark: 'Dark' }[theme],
            ])
            expect(new Set(themes.map((i) => i.type))).toEqual(new Set(['radio']))
            const panes = view.filter(
              (i) => i.accelerator === 'CmdOrCtrl+B' || i.accelerator === 'CmdOrCtrl+J',
            )
            if (mac) {
              // The item names what a click will do, and has no check mark.
              expect(panes.map((i) => [i.label, i.type, i.checked])).toEqual([
                [`${sidebar ? 'Hide' : 'Show'} Sidebar`, undefined, undefined],
                [`${detail ? 'Hide' : 'Show'} Detail Pane`, undefined, undefined],
              ])
            } else {
              expect(panes.map((i) => [i.label, i.type, i.checked])).toEqual([
                ['Sidebar', 'checkbox', sidebar],
                ['Detail Pane', 'checkbox', detail],
              ])
            }
            // Whatever is shown, each item sends the same command: the page decides what it does.
            for (const item of [...themes, ...panes]) click(item)
            expect(sent).toEqual([
              ...THEME_CHOICES.map((choice) => THEME_COMMANDS[choice]),
              'toggleSidebar',
              'toggleDetail',
            ])
          }
        }
      }
    },
  )

  it('builds the menu again when the page shows another theme or other panes, and only then', () => {
    const built: Item[][] = []
    const installed: number[] = []
    const menu = new AppMenu(
      {
        buildFromTemplate: (t) => built.push(t),
        setApplicationMenu: (m) => void installed.push(m!),
      },
      { platform: 'linux', isPackaged: true, appName: 'Lectern', send: () => {} },
    )
    const marks = () => {
      const view = submenu(built.at(-1)!, 'View')
      return {
        theme: submenu(view, 'Theme').find((i) => i.checked)?.label,
        sidebar: view.find((i) => i.label === 'Sidebar')?.checked,
        detail: view.find((i) => i.label === 'Detail Pane')?.checked,
      }
    }
    expect(installed).toEqual([1])
    expect(menu.current).toBe(1)
    expect(marks()).toEqual({ theme: 'System', sidebar: true, detail: true })
    menu.show({ theme: 'dark' })
    expect(marks()).toEqual({ theme: 'Dark', sidebar: true, detail: true })
    menu.show({ panes: { sidebar: false, detail: true } })
    expect(marks()).toEqual({ theme: 'Dark', sidebar: false, detail: true })
    expect(installed).toEqual([1, 2, 3])
    expect(menu.current).toBe(3)
    // What the menu already shows is not built again (the page says its theme at every start).
    menu.show({ theme: 'dark' })
    menu.show({ panes: { sidebar: false, detail: true } })
    expect(installed).toEqual([1, 2, 3])
    menu.show({ theme: 'light', panes: { sidebar: true, detail: false } })
    expect(marks()).toEqual({ theme: 'Light', sidebar: true, detail: false })
    expect(installed).toEqual([1, 2, 3, 4])
  })

  it('installs through Menu and sets the About panel', () => {
    const built: Item[][] = []
    const installed: unknown[] = []
    const about: unknown[] = []
    const sent: MenuCommand[] = []
    const result = installMenu(
      {
        buildFromTemplate: (t) => {
          built.push(t)
          return { menu: built.length }
        },
        setApplicationMenu: (m) => void installed.push(m),
      },
      { setAboutPanelOptions: (o) => void about.push(o) },
      {
        platform: 'linux',
        isPackaged: true,
        appName: 'Lectern',
        version: '1.2.3',
        library: { path: '/home/ada/papers/library.sqlite', readOnly: false },
        send: (c) => sent.push(c),
      },
    )
    expect(result.current).toEqual({ menu: 1 })
    expect(installed).toEqual([{ menu: 1 }])
    expect(about).toEqual([
      {
        applicationName: 'Lectern',
        applicationVersion: '1.2.3',
        copyright: 'Library: /home/ada/papers/library.sqlite',
      },
    ])
    expect(built[0]!.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Help'])
    click(byLabel(built[0]!, 'Redo')!.item)
    expect(sent).toEqual(['redo'])
  })

  it('About says where the library is, in the field each system shows', () => {
    const library = { path: '/data/library.sqlite', readOnly: false }
    const options = (platform: NodeJS.Platform, held = library as typeof library | null) =>
      aboutOptions({ platform, appName: 'Lectern', version: '0.1.0', library: held })
    const name = { applicationName: 'Lectern', applicationVersion: '0.1.0' }
    // macOS and Windows show the credits; Linux's dialog shows none, but the line under the version.
    expect(options('darwin')).toEqual({ ...name, credits: 'Library: /data/library.sqlite' })
    expect(options('win32')).toEqual({ ...name, credits: 'Library: /data/library.sqlite' })
    expect(options('linux')).toEqual({ ...name, copyright: 'Library: /data/library.sqlite' })
    expect(options('linux', { ...library, readOnly: true })).toEqual({
      ...name,
      copyright: 'Library: /data/library.sqlite (read-only)',
    })
    expect(options('darwin', null)).toEqual(name)
  })

  it('sends a command to the page, with a user activation for the file picker', async () => {
    const calls: unknown[][] = []
    const target: MenuTarget = {
      send: (...args) => void calls.push(['send', ...args]),
      executeJavaScript: async (...args) => void calls.push(['executeJavaScript', ...args]),
    }
    await sendMenuCommand(target, 'undo')
    expect(calls).toEqual([['send', MENU_CHANNEL, 'undo']])
    calls.length = 0
    await sendMenuCommand(target, 'import')
    expect(calls).toEqual([
      ['executeJavaScript', 'undefined', true],
      ['send', MENU_CHANNEL, 'import'],
    ])
    // No window, nothing to do; a page that is gone is not asked twice.
    await expect(sendMenuCommand(null, 'import')).resolves.toBeUndefined()
    calls.length = 0
    const gone: MenuTarget = {
      ...target,
      executeJavaScript: () => Promise.reject(new Error('Render frame was disposed')),
    }
    await expect(sendMenuCommand(gone, 'import')).rejects.toThrow('disposed')
    expect(calls).toEqual([])
  })

  it('knows its commands and nothing else, on a channel of its own', () => {
    for (const command of MENU_COMMANDS) expect(isMenuCommand(command)).toBe(true)
    for (const other of ['Undo', 'undo ', '', 'constructor', '__proto__', 42, null, {}, ['undo']])
      expect(isMenuCommand(other), String(other)).toBe(false)
    expect(METHODS.map(channelOf)).not.toContain(MENU_CHANNEL)
  })
})

describe('the preload’s menu subscription', () => {
  beforeEach(() => {
    electron.exposed.clear()
    electron.ipcRenderer = new EventEmitter()
    vi.resetModules()
  })

  async function loadPreload() {
    await import('../../electron/preload/index')
    const menu = electron.exposed.get('lecternMenu') as NonNullable<Window['lecternMenu']>
    return { menu, ipc: electron.ipcRenderer }
  }

  it('exposes one subscription beside the API, and nothing of ipcRenderer', async () => {
    const { menu } = await loadPreload()
    expect([...electron.exposed.keys()]).toEqual([
      'lectern',
      'lecternDesktop',
      'lecternMenu',
      'lecternOpened',
    ])
    expect(Object.keys(menu)).toEqual(['onCommand'])
  })

  it('passes on known commands only, the name alone, until unsubscribed', async () => {
    const { menu, ipc } = await loadPreload()
    const heard: unknown[][] = []
    const stop = menu.onCommand((...args: unknown[]) => void heard.push(args))
    const event = { sender: ipc }
    for (const command of MENU_COMMANDS) ipc.emit(MENU_CHANNEL, event, command)
    for (const other of ['rm', 'Undo', 42, { command: 'undo' }, undefined])
      ipc.emit(MENU_CHANNEL, event, other)
    ipc.emit('lectern:stats', event, 'undo')
    expect(heard).toEqual(MENU_COMMANDS.map((c) => [c]))
    stop()
    expect(ipc.listenerCount(MENU_CHANNEL)).toBe(0)
    ipc.emit(MENU_CHANNEL, event, 'undo')
    expect(heard).toHaveLength(MENU_COMMANDS.length)
  })

  it('keeps subscriptions apart', async () => {
    const { menu, ipc } = await loadPreload()
    const a: MenuCommand[] = []
    const b: MenuCommand[] = []
    const stopA = menu.onCommand((c) => a.push(c))
    menu.onCommand((c) => b.push(c))
    stopA()
    ipc.emit(MENU_CHANNEL, {}, 'find')
    expect({ a, b }).toEqual({ a: [], b: ['find'] })
  })
})

describe('the page routes each command', () => {
  function setUp(state: { typing?: boolean; dialogOpen?: boolean } = {}) {
    const log: string[] = []
    const handlers = Object.fromEntries(
      MENU_COMMANDS.map((c) => [c, () => void log.push(`app:${c}`)]),
    ) as MenuHandlers
    const page: MenuPage = {
      typing: () => state.typing ?? false,
      dialogOpen: () => state.dialogOpen ?? false,
      editText: (c) => void log.push(`text:${c}`),
    }
    return { log, run: (c: MenuCommand) => routeMenuCommand(c, handlers, page) }
  }

  it('to the app, each command to its own handler, once', () => {
    expect(bridgeFits).toBe(true)
    for (const command of MENU_COMMANDS) {
      const { log, run } = setUp()
      run(command)
      expect(log).toEqual([`app:${command}`])
    }
  })

  it('Undo and Redo to the field while typing, never to the app’s stack', () => {
    const { log, run } = setUp({ typing: true })
    run('undo')
    run('redo')
    run('find')
    expect(log).toEqual(['text:undo', 'text:redo', 'app:find'])
  })

  it('nothing opens over a dialog; Undo and Redo are its fields’; the view still changes', () => {
    const { log, run } = setUp({ dialogOpen: true })
    for (const command of MENU_COMMANDS) run(command)
    expect(log).toEqual(['text:undo', 'text:redo', ...VIEW_COMMANDS.map((c) => `app:${c}`)])
    // Help opens a dialog of its own: never over another.
    expect(log).not.toContain('app:help')
  })

  it('reads the focus and the dialogs from the document, and undoes typing there', () => {
    const element = (tagName: string, inDialog = false) =>
      ({ tagName, isContentEditable: false, closest: () => (inDialog ? {} : null) }) as unknown
    const doc = {
      activeElement: null as unknown,
      dialog: null as unknown,
      executed: [] as string[],
      querySelector(selector: string) {
        return selector === 'dialog[open]' ? this.dialog : null
      },
      execCommand(command: string) {
        this.executed.push(command)
        return true
      },
    }
    const page = documentPage(doc as unknown as Document)
    expect(page.typing()).toBe(false)
    doc.activeElement = element('TEXTAREA')
    expect(page.typing()).toBe(true)
    doc.activeElement = element('INPUT')
    expect(page.typing()).toBe(true)
    doc.activeElement = element('DIV')
    expect(page.typing()).toBe(false)
    doc.activeElement = element('BUTTON', true)
    expect(page.typing()).toBe(true)
    expect(page.dialogOpen()).toBe(false)
    doc.dialog = {}
    expect(page.dialogOpen()).toBe(true)
    page.editText('undo')
    page.editText('redo')
    expect(doc.executed).toEqual(['undo', 'redo'])
  })
})
