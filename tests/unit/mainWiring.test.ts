// The desktop app's wiring (electron/main/wiring.ts), run on stand-ins for Electron's objects
// that record what they are asked and in which order (Electron's binary cannot run on the
// machines that test Lectern). The libraries are real: the app holds its lock, answers the page
// from it and closes it before quitting. What is held here is what only the wiring decides:
// what happens before Electron is ready, that nothing reaches a window before the session is
// locked down, one instance per library, where the sample and the page are found packaged and
// in development, the window's remembered place, files handed over by the system or a second
// instance, what the user is asked when the library cannot be opened, and quitting.
import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type {
  AboutPanelOptionsOptions,
  BrowserWindowConstructorOptions,
  CustomScheme,
  MenuItemConstructorOptions,
  MessageBoxOptions,
} from 'electron'
import { channelOf } from '../../shared/methods'
import type { Method } from '../../shared/methods'
import { MENU_CHANNEL } from '../../shared/menu'
import { desktopChannel } from '../../shared/desktop'
import type { DesktopAction, ThemeChoice } from '../../shared/desktop'
import { OPENED_FILE_CHANNEL } from '../../shared/openedFiles'
import { APP_ENTRY } from '../../electron/main/appProtocol'
import { DEFAULT_SIZE } from '../../electron/main/windowState'
import { dispatch } from '../../electron/core/api/dispatch'
import { LibrarySession } from '../../electron/core/safety/session'
import { lockPath } from '../../electron/core/store/lock'
import { CHOSEN_LIBRARY_FILE, LIBRARY_FILE } from '../../electron/core/paths'
import type { ElectronParts, Launch } from '../../electron/main/wiring'
import { tempDir } from '../helpers/fixtures'
import { utilityStandIn } from '../helpers/utilityProcess'

// The wiring is handed every Electron object it uses; the only one reached through the module
// is `shell` (security.ts, for links the page opens). Anything else asked of this mock throws.
vi.mock('electron', () => ({ shell: { openExternal: async () => undefined } }))
const { wireApp } = await import('../../electron/main/wiring')

const ROOT = resolve(__dirname, '..', '..')
const REFS_BIB = '@article{k, title={A Paper Opened With Lectern}, year={2025}}\n'

/** An event as Electron passes it to a listener, which says whether preventDefault was called. */
function preventable(): { prevented: boolean; preventDefault: () => void } {
  const event = { prevented: false, preventDefault: () => void (event.prevented = true) }
  return event
}

/** A stand-in for a window's WebContents: its listeners, and what was sent to the page. */
class FakeContents extends EventEmitter {
  readonly sent: [string, unknown][] = []
  reloads = 0
  setWindowOpenHandler(): void {}
  send(channel: string, value: unknown): void {
    this.sent.push([channel, value])
  }
  async executeJavaScript(): Promise<unknown> {
    return undefined
  }
  reload(): void {
    this.reloads += 1
  }
}

/** Electron's BrowserWindow, as a class of stand-ins that logs each window made. */
function windowClass(log: string[]) {
  const windows: FakeWindow[] = []
  class FakeWindow extends EventEmitter {
    static getAllWindows = () => windows.filter((w) => !w.destroyed)
    static getFocusedWindow = () => null
    readonly webContents = new FakeContents()
    readonly loaded: string[] = []
    bounds: { x: number; y: number; width: number; height: number }
    minimized = false
    maximized = false
    fullScreen = false
    shown = false
    destroyed = false
    constructor(readonly options: BrowserWindowConstructorOptions) {
      super()
      log.push('new BrowserWindow')
      windows.push(this)
      const { x = 0, y = 0, width = 0, height = 0 } = options
      this.bounds = { x, y, width, height }
    }
    async loadURL(url: string): Promise<void> {
      this.loaded.push(url)
    }
    getNormalBounds() {
      return this.bounds
    }
    isMaximized = () => this.maximized
    isFullScreen = () => this.fullScreen
    maximize = () => void (this.maximized = true)
    setFullScreen = (flag: boolean) => void (this.fullScreen = flag)
    show = () => void (this.shown = true)
    isMinimized = () => this.minimized
    restore(): void {
      log.push('window.restore')
      this.minimized = false
    }
    focus(): void {
      log.push('window.focus')
    }
    /** The user closes it: `close`, then `closed` once it is gone. */
    close(): void {
      this.emit('close', preventable())
      this.destroyed = true
      this.emit('closed')
    }
  }
  return { FakeWindow, windows }
}

/** Electron's `app`: its events, the paths set, ready when the test says, quitting as Electron does. */
class FakeApp extends EventEmitter {
  readonly name = 'Lectern'
  readonly paths = new Map<string, string>()
  ready = false
  quitted = false
  exitCode: number | null = null
  about: AboutPanelOptionsOptions | null = null
  /** Called as the app quits for good: what the test wants to know at that moment. */
  onQuit: () => void = () => {}
  private readonly readiness: Promise<void>
  private resolveReady: () => void = () => {}

  constructor(
    private readonly log: string[],
    readonly isPackaged: boolean,
    private readonly lockObtained: boolean,
  ) {
    super()
    this.readiness = new Promise((resolve) => (this.resolveReady = resolve))
  }

  override on(event: string, listener: (...args: never[]) => void): this {
    this.log.push(`app.on ${event}`)
    return super.on(event, listener as (...args: unknown[]) => void)
  }
  getVersion = () => '0.1.0'
  setPath(name: string, path: string): void {
    this.log.push(`app.setPath ${name}`)
    this.paths.set(name, path)
  }
  getPath(name: string): string {
    const path = this.paths.get(name)
    if (!path) throw new Error(`no path ${name} was set`)
    return path
  }
  whenReady(): Promise<void> {
    return this.readiness
  }
  isReady = () => this.ready
  /** Electron has started: what the wiring waits for. */
  becomeReady(): void {
    this.log.push('ready')
    this.ready = true
    this.resolveReady()
  }
  requestSingleInstanceLock(): boolean {
    this.log.push('app.requestSingleInstanceLock')
    return this.lockObtained
  }
  /** As Electron quits: `before-quit`, then `will-quit`, either of which may stop it. */
  quit(): void {
    this.log.push('app.quit')
    const before = preventable()
    this.emit('before-quit', before)
    if (before.prevented) return
    const will = preventable()
    this.emit('will-quit', will)
    if (will.prevented || this.quitted) return
    this.onQuit()
    this.quitted = true
    this.log.push('quit')
  }
  exit(code: number): void {
    this.log.push(`app.exit ${code}`)
    this.exitCode = code
  }
  setAboutPanelOptions(options: AboutPanelOptionsOptions): void {
    this.about = options
  }
}

interface WireOptions {
  platform?: NodeJS.Platform
  isPackaged?: boolean
  /** Whether this instance gets the single-instance lock (false: another is running). */
  lockObtained?: boolean
  argv?: string[]
  cwd?: string
  dataDir?: string
  mainDir?: string
  resourcesPath?: string
}

/**
 * Answers the native dialogs give, in order: a button's index (or one still to come), a file, or
 * an error thrown.
 */
interface DialogScript {
  messageBox: (number | Promise<number> | Error)[]
  open: (string | null)[]
  /** The answer to the unsaved-note question (0 keeps the window open). */
  sync: number
}

const wired: FakeApp[] = []

/** The wiring on stand-ins, not yet ready. */
function wire(options: WireOptions = {}) {
  const log: string[] = []
  const platform = options.platform ?? 'linux'
  const dataDir = options.dataDir ?? tempDir()
  const app = new FakeApp(log, options.isPackaged ?? false, options.lockObtained ?? true)
  wired.push(app)
  const { FakeWindow, windows } = windowClass(log)
  const script: DialogScript = { messageBox: [], open: [], sync: 0 }
  const errors: { title: string; content: string }[] = []
  const messageBoxes: MessageBoxOptions[] = []
  /** Each open dialog's arguments: the window it belongs to, if any, then its options. */
  const openDialogs: unknown[][] = []
  const schemes: Map<string, (request: Request) => Promise<Response>> = new Map()
  const ipc = new Map<string, (event: unknown, request: unknown) => unknown>()
  const menus: MenuItemConstructorOptions[][] = []
  const lastOf = <T>(args: unknown[]) => args[args.length - 1] as T
  const session = {
    setPermissionRequestHandler: () => void log.push('session.setPermissionRequestHandler'),
    setPermissionCheckHandler: () => void log.push('session.setPermissionCheckHandler'),
    setSpellCheckerEnabled: (on: boolean) => void log.push(`session.setSpellCheckerEnabled ${on}`),
    webRequest: { onHeadersReceived: () => void log.push('session.onHeadersReceived') },
  }
  const utilityProcess = utilityStandIn()
  const parts = {
    app,
    protocol: {
      registerSchemesAsPrivileged: (custom: CustomScheme[]) =>
        void log.push(`protocol.registerSchemesAsPrivileged ${custom.map((s) => s.scheme)}`),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        log.push(`protocol.handle ${scheme}`)
        schemes.set(scheme, handler)
      },
    },
    session: {
      get defaultSession() {
        // Electron's sessions exist only once the app is ready.
        if (!app.ready) throw new Error('session used before the app is ready')
        return session
      },
    },
    dialog: {
      showErrorBox: (title: string, content: string) => {
        log.push(`dialog.showErrorBox ${title}`)
        errors.push({ title, content })
      },
      showMessageBox: async (...args: unknown[]) => {
        messageBoxes.push(lastOf<MessageBoxOptions>(args))
        const answer = script.messageBox.shift()
        if (answer === undefined) throw new Error('no answer scripted for a message box')
        if (answer instanceof Error) throw answer
        return { response: await answer, checkboxChecked: false }
      },
      showOpenDialog: async (...args: unknown[]) => {
        openDialogs.push(args)
        const file = script.open.shift() ?? null
        return { canceled: file === null, filePaths: file ? [file] : [] }
      },
      showMessageBoxSync: () => script.sync,
    },
    BrowserWindow: FakeWindow,
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
      setApplicationMenu: (menu: MenuItemConstructorOptions[] | null) => {
        log.push('Menu.setApplicationMenu')
        if (menu) menus.push(menu)
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, request: unknown) => unknown) => {
        log.push(`ipcMain.handle ${channel}`)
        ipc.set(channel, handler)
      },
    },
    shell: { showItemInFolder: () => {}, openPath: async () => '' },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
    },
    nativeTheme: { themeSource: 'system' as ThemeChoice },
    utilityProcess,
  }
  const launch: Launch = {
    platform,
    argv: options.argv ?? ['/opt/Lectern/lectern'],
    // Not the data folder: nothing may be looked for in the folder the app was started from.
    cwd: options.cwd ?? tempDir(),
    env: {},
    dataDir,
    mainDir: options.mainDir ?? join(ROOT, 'out', 'main'),
    resourcesPath: options.resourcesPath ?? join(ROOT, 'resources'),
  }
  const started = wireApp(parts as unknown as ElectronParts, launch)
  const library = join(dataDir, LIBRARY_FILE)
  /** A method of the contract, asked by the app's own page over IPC. */
  const call = async (method: Method, request: unknown = {}) => {
    const handler = ipc.get(channelOf(method))
    if (!handler) throw new Error(`${method} is not bound`)
    return (await handler({ senderFrame: { url: APP_ENTRY, parent: null } }, request)) as {
      ok: boolean
      value?: unknown
      error?: { message: string }
    }
  }
  /** A desktop action (Settings' buttons, the theme), asked by the app's own page over IPC. */
  const act = async (action: DesktopAction, request?: unknown) => {
    const handler = ipc.get(desktopChannel(action))
    if (!handler) throw new Error(`${action} is not bound`)
    return handler({ senderFrame: { url: APP_ENTRY, parent: null } }, request)
  }
  return {
    app,
    log,
    utilityProcess,
    nativeTheme: parts.nativeTheme,
    openDialogs,
    act,
    windows,
    script,
    errors,
    messageBoxes,
    schemes,
    ipc,
    menus,
    launch,
    started,
    library,
    call,
  }
}

/** The wiring on stand-ins, ready and through its start. */
async function startApp(options: WireOptions = {}) {
  const wiring = wire(options)
  wiring.app.becomeReady()
  await wiring.started
  return wiring
}

/** Where `entry` first appears in the log (-1 if it never does). */
const at = (log: string[], entry: string) => log.indexOf(entry)

afterEach(async () => {
  // Every app quits, so that its library is closed (its lock released, its timers stopped).
  for (const app of wired.splice(0)) {
    if (app.exitCode !== null) continue
    if (!app.quitted) app.quit()
    await vi.waitFor(() => expect(app.quitted).toBe(true))
  }
})

describe('before Electron is ready', () => {
  it('sets the data folder, gives the app scheme its privileges and guards every contents', () => {
    const { log, launch, app } = wire()
    expect(app.paths.get('userData')).toBe(launch.dataDir)
    expect(log).toContain('protocol.registerSchemesAsPrivileged app')
    expect(log).toContain('app.on web-contents-created')
    // Files opened on macOS may come before the app is ready.
    expect(log).toContain('app.on open-file')
    expect(log).not.toContain('ready')
  })

  it('sets the data folder before asking for the single-instance lock, which lives in it', () => {
    const { log } = wire()
    expect(at(log, 'app.setPath userData')).toBeGreaterThanOrEqual(0)
    expect(at(log, 'app.setPath userData')).toBeLessThan(at(log, 'app.requestSingleInstanceLock'))
  })

  it('opens no library and no window while it waits', async () => {
    const { log, library } = wire()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(log).not.toContain('new BrowserWindow')
    expect(existsSync(lockPath(library))).toBe(false)
  })
})

describe('the second instance', () => {
  it('quits at once: no window, no session, no library, no IPC', async () => {
    const { app, log, library, ipc, started } = wire({ lockObtained: false })
    app.becomeReady()
    await started
    expect(log).toContain('app.quit')
    expect(app.quitted).toBe(true)
    expect(log).not.toContain('new BrowserWindow')
    expect(log.filter((e) => e.startsWith('session.'))).toEqual([])
    expect(ipc.size).toBe(0)
    expect(existsSync(lockPath(library))).toBe(false)
    expect(log).not.toContain('app.on second-instance')
  })
})

describe('the first instance', () => {
  it('locks the session down, serves the page and binds IPC before any window', async () => {
    const { log } = await startApp()
    const window = at(log, 'new BrowserWindow')
    expect(window).toBeGreaterThan(at(log, 'ready'))
    for (const entry of [
      'session.setPermissionRequestHandler',
      'session.setPermissionCheckHandler',
      'session.setSpellCheckerEnabled false',
      'session.onHeadersReceived',
      'protocol.handle app',
      `ipcMain.handle ${channelOf('listPapers')}`,
      `ipcMain.handle ${desktopChannel('openLibrary')}`,
      'Menu.setApplicationMenu',
    ]) {
      expect(at(log, entry), entry).toBeGreaterThan(at(log, 'ready'))
      expect(at(log, entry), entry).toBeLessThan(window)
    }
    expect(log.filter((e) => e === 'new BrowserWindow')).toHaveLength(1)
  })

  it('holds its library, and answers the page from it', async () => {
    const { library, call } = await startApp()
    expect(existsSync(lockPath(library))).toBe(true)
    // Another program (the command line) is refused while the app holds it.
    await expect(LibrarySession.start(library, { owner: 'test' })).rejects.toThrow(/in use/)
    expect(await call('stats')).toMatchObject({ ok: true })
  })

  it("writes a backup in a process of Electron's own (utilityProcess), not by running itself as Node", async () => {
    const { call, utilityProcess } = await startApp()
    const answer = (await call('backupNow')) as { ok: boolean; value?: { papers: number } }
    expect(answer).toMatchObject({ ok: true, value: { papers: expect.any(Number) } })
    const backups = utilityProcess.forks.filter((f) => f.modulePath.includes('rebuildWorker'))
    expect(backups.length).toBeGreaterThanOrEqual(1)
    expect(backups.at(-1)!.options).toMatchObject({ serviceName: 'Lectern backup' })
  })

  it('installs the menu, whose commands go to the window’s page, and says in About where the library is', async () => {
    const { menus, windows, app, library } = await startApp()
    const file = menus.at(-1)!.find((item) => item.label === 'File')!
    const exportItem = (file.submenu as MenuItemConstructorOptions[]).find(
      (item) => item.label === 'Export…',
    )!
    ;(exportItem.click as () => void)()
    expect(windows[0]!.webContents.sent).toContainEqual([MENU_CHANNEL, 'export'])
    expect(app.about?.copyright).toBe(`Library: ${library}`)
  })

  it('opens another library from Settings: its dialog on the window, remembered, in About, the page loaded again', async () => {
    const { act, script, openDialogs, windows, app, launch } = await startApp()
    const other = join(tempDir(), 'other.sqlite')
    script.open.push(other)
    expect(await act('openLibrary')).toEqual({ ok: true, value: { opened: other } })
    expect(openDialogs[0]![0]).toBe(windows[0])
    expect(JSON.parse(readFileSync(join(launch.dataDir, CHOSEN_LIBRARY_FILE), 'utf8'))).toEqual({
      library: other,
    })
    expect(app.about?.copyright).toBe(`Library: ${other}`)
    expect(windows[0]!.webContents.reloads).toBe(1)
    expect(existsSync(lockPath(other))).toBe(true)
  })

  it('follows the page’s theme: the system’s dialogs and the View menu’s marks', async () => {
    const { act, nativeTheme, menus } = await startApp()
    const built = menus.length
    expect(await act('setTheme', 'dark')).toEqual({ ok: true, value: null })
    expect(nativeTheme.themeSource).toBe('dark')
    expect(menus.length).toBe(built + 1)
  })

  it('asks before a close would lose a note still being saved, and closes only when told', async () => {
    const { windows, script } = await startApp()
    const contents = windows[0]!.webContents
    const keep = preventable()
    contents.emit('will-prevent-unload', keep)
    // preventDefault on this event lets the page unload: the window closes.
    expect(keep.prevented).toBe(false)
    script.sync = 1
    const close = preventable()
    contents.emit('will-prevent-unload', close)
    expect(close.prevented).toBe(true)
  })
})

describe('packaged and in development', () => {
  /** A built app's folders: out/main (the bundle), out/renderer (the page), out/preload. */
  function builtApp(): { mainDir: string; page: string } {
    const root = tempDir()
    const mainDir = join(root, 'out', 'main')
    mkdirSync(mainDir, { recursive: true })
    mkdirSync(join(root, 'out', 'renderer'))
    const page = '<!doctype html><title>the built page</title>'
    writeFileSync(join(root, 'out', 'renderer', 'index.html'), page)
    return { mainDir, page }
  }

  it('packaged, finds the sample in the app’s resources and has no developer tools', async () => {
    const { mainDir } = builtApp()
    // Nothing beside the bundle: a packaged app's resources are only in resourcesPath.
    const { call, windows } = await startApp({
      isPackaged: true,
      mainDir,
      resourcesPath: join(ROOT, 'resources'),
    })
    expect(await call('importSample')).toMatchObject({ ok: true })
    expect(windows[0]!.options.webPreferences).toMatchObject({
      preload: join(mainDir, '..', 'preload', 'index.js'),
      devTools: false,
    })
  })

  it('in development, finds the sample in the project’s resources folder, not resourcesPath', async () => {
    // Electron's own resources folder when run from a checkout: no sample there.
    const { call, windows } = await startApp({
      isPackaged: false,
      mainDir: join(ROOT, 'out', 'main'),
      resourcesPath: tempDir(),
    })
    expect(await call('importSample')).toMatchObject({ ok: true })
    expect(windows[0]!.options.webPreferences?.devTools).toBe(true)
  })

  it('serves the built page beside the bundle on the app scheme', async () => {
    const { mainDir, page } = builtApp()
    const { schemes, windows } = await startApp({ isPackaged: true, mainDir })
    const response = await schemes.get('app')!(new Request(APP_ENTRY))
    expect(await response.text()).toBe(page)
    expect(windows[0]!.loaded).toEqual([APP_ENTRY])
  })
})

describe('the window’s place', () => {
  it('is where it was left, maximized as it was, and kept when it closes', async () => {
    const dataDir = tempDir()
    const stateFile = join(dataDir, 'window-state.json')
    const saved = { bounds: { x: 100, y: 120, width: 900, height: 700 }, maximized: true }
    writeFileSync(stateFile, JSON.stringify({ ...saved, fullScreen: false }))
    const { windows } = await startApp({ dataDir })
    const window = windows[0]!
    expect(window.options).toMatchObject(saved.bounds)
    expect(window.shown).toBe(false)
    window.emit('ready-to-show')
    expect(window.shown).toBe(true)
    expect(window.maximized).toBe(true)
    window.bounds = { x: 40, y: 50, width: 1000, height: 760 }
    window.close()
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({
      bounds: window.bounds,
      maximized: true,
      fullScreen: false,
    })
  })

  it('is the middle of the primary display the first time', async () => {
    const { windows } = await startApp()
    const window = windows[0]!
    expect(window.options).toMatchObject({
      ...DEFAULT_SIZE,
      x: (1920 - DEFAULT_SIZE.width) / 2,
      y: (1080 - DEFAULT_SIZE.height) / 2,
    })
    window.emit('ready-to-show')
    expect(window.maximized).toBe(false)
  })
})

describe('files opened with the app', () => {
  function filesFolder(): string {
    const dir = tempDir()
    writeFileSync(join(dir, 'refs.bib'), REFS_BIB)
    writeFileSync(join(dir, 'notes.txt'), 'not a format Lectern claims')
    return dir
  }
  const opened = [OPENED_FILE_CHANNEL, [{ name: 'refs.bib', text: REFS_BIB }]]

  it('on its command line go to the page once it has loaded', async () => {
    const cwd = filesFolder()
    const { windows } = await startApp({
      argv: ['/opt/Lectern/lectern', 'refs.bib', 'notes.txt', '--no-sandbox'],
      cwd,
    })
    const contents = windows[0]!.webContents
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(contents.sent).toEqual([])
    contents.emit('did-finish-load')
    await vi.waitFor(() => expect(contents.sent).toEqual([opened]))
  })

  it('given to a second instance come to this one, whose window is restored and focused', async () => {
    const cwd = filesFolder()
    const { app, windows, log } = await startApp()
    const window = windows[0]!
    window.webContents.emit('did-finish-load')
    window.minimized = true
    // The second instance's own folder and Chromium's switches, as Electron hands them over.
    app.emit('second-instance', preventable(), ['/opt/Lectern/lectern', '--flag', 'refs.bib'], cwd)
    expect(window.minimized).toBe(false)
    expect(at(log, 'window.focus')).toBeGreaterThan(at(log, 'window.restore'))
    await vi.waitFor(() => expect(window.webContents.sent).toEqual([opened]))
  })

  it('on macOS, before the app is ready, wait for the window; none is opened early', async () => {
    const cwd = filesFolder()
    const { app, log, windows, started } = wire({ platform: 'darwin' })
    const event = preventable()
    app.emit('open-file', event, join(cwd, 'refs.bib'))
    // Electron's own handling (opening the file as a document) is refused.
    expect(event.prevented).toBe(true)
    expect(log).not.toContain('new BrowserWindow')
    app.becomeReady()
    await started
    expect(windows).toHaveLength(1)
    windows[0]!.webContents.emit('did-finish-load')
    await vi.waitFor(() => expect(windows[0]!.webContents.sent).toEqual([opened]))
  })

  it('on macOS, with the window closed and the app still running, open a window', async () => {
    const cwd = filesFolder()
    const { app, windows } = await startApp({ platform: 'darwin' })
    windows[0]!.close()
    app.emit('window-all-closed')
    expect(app.quitted).toBe(false)
    app.emit('open-file', preventable(), join(cwd, 'refs.bib'))
    expect(windows).toHaveLength(2)
    windows[1]!.webContents.emit('did-finish-load')
    await vi.waitFor(() => expect(windows[1]!.webContents.sent).toEqual([opened]))
  })
})

describe('when the library cannot be opened', () => {
  /** The library's lock taken by another program, as the command line would. */
  async function heldElsewhere(dataDir: string): Promise<LibrarySession> {
    return LibrarySession.start(join(dataDir, LIBRARY_FILE), { owner: 'the command line' })
  }

  it('the user is asked, and quitting opens no window', async () => {
    const dataDir = tempDir()
    const other = await heldElsewhere(dataDir)
    try {
      const wiring = wire({ dataDir })
      let answer: (response: number) => void = () => {}
      wiring.script.messageBox.push(new Promise((resolve) => (answer = resolve)))
      const { app, log, windows, messageBoxes, started } = wiring
      app.becomeReady()
      await vi.waitFor(() => expect(messageBoxes).toHaveLength(1))
      // A file opened while the question waits opens no window: there is no library yet.
      app.emit('open-file', preventable(), join(dataDir, 'refs.bib'))
      expect(windows).toHaveLength(0)
      // Choose Another Library…, Quit: the second.
      answer(1)
      await started
      expect(messageBoxes[0]).toMatchObject({
        message: 'Lectern cannot open this library.',
        buttons: ['Choose Another Library…', 'Quit'],
      })
      expect(messageBoxes[0]!.detail).toMatch(/in use/)
      expect(log).toContain('app.quit')
      expect(windows).toHaveLength(0)
      expect(log).not.toContain('Menu.setApplicationMenu')
      await vi.waitFor(() => expect(app.quitted).toBe(true))
    } finally {
      other.close()
    }
  })

  it('another library chosen is opened and remembered for next time', async () => {
    const dataDir = tempDir()
    const other = await heldElsewhere(dataDir)
    try {
      const chosen = join(tempDir(), 'chosen.sqlite')
      const wiring = wire({ dataDir })
      wiring.script.messageBox.push(0)
      wiring.script.open.push(chosen)
      wiring.app.becomeReady()
      await wiring.started
      expect(wiring.windows).toHaveLength(1)
      expect(existsSync(lockPath(chosen))).toBe(true)
      expect(JSON.parse(readFileSync(join(dataDir, CHOSEN_LIBRARY_FILE), 'utf8'))).toEqual({
        library: chosen,
      })
    } finally {
      other.close()
    }
  })

  it('and the question itself fails, the app says why and exits', async () => {
    const dataDir = tempDir()
    const other = await heldElsewhere(dataDir)
    try {
      const wiring = wire({ dataDir })
      wiring.script.messageBox.push(new Error('no display'))
      wiring.app.becomeReady()
      await wiring.started
      expect(wiring.errors).toEqual([
        { title: 'Lectern cannot open your library', content: 'no display' },
      ])
      expect(wiring.app.exitCode).toBe(1)
      expect(wiring.windows).toHaveLength(0)
    } finally {
      other.close()
    }
  })
})

describe('with its window closed', () => {
  it('the app quits on Windows and Linux', async () => {
    for (const platform of ['linux', 'win32'] as const) {
      const { app, windows, log } = await startApp({ platform })
      windows[0]!.close()
      app.emit('window-all-closed')
      expect(log, platform).toContain('app.quit')
    }
  })

  it('the app stays on macOS, and opens a window again when activated', async () => {
    const { app, windows, log } = await startApp({ platform: 'darwin' })
    windows[0]!.close()
    app.emit('window-all-closed')
    expect(log).not.toContain('app.quit')
    app.emit('activate')
    expect(windows).toHaveLength(2)
    // With a window open, activating opens no other.
    app.emit('activate')
    expect(windows).toHaveLength(2)
  })
})

describe('quitting', () => {
  it('closes the library first, then quits; what was saved is there next time', async () => {
    const { app, library, call, log } = await startApp()
    expect(await call('importSample')).toMatchObject({ ok: true })
    let lockedAtQuit: boolean | null = null
    app.onQuit = () => (lockedAtQuit = existsSync(lockPath(library)))
    app.quit()
    // The first quit was stopped so that the library can close.
    expect(app.quitted).toBe(false)
    await vi.waitFor(() => expect(app.quitted).toBe(true))
    expect(lockedAtQuit).toBe(false)
    expect(log.filter((e) => e === 'app.quit')).toHaveLength(2)
    const session = await LibrarySession.start(library, { owner: 'test' })
    try {
      const ctx = { session, samplePath: '', localFiles: false, maxImportChars: 1 }
      expect(await dispatch(ctx, 'stats', {})).toMatchObject({ ok: true, value: { total: 95 } })
    } finally {
      session.close()
    }
  })

  it('asked again while the library is closing, still waits for the close', async () => {
    const { app, library } = await startApp()
    let lockedAtQuit: boolean | null = null
    app.onQuit = () => (lockedAtQuit = existsSync(lockPath(library)))
    app.quit()
    // Quit pressed again (macOS's ⌘Q, the Dock) while an import is being taken back.
    app.quit()
    expect(app.quitted).toBe(false)
    await vi.waitFor(() => expect(app.quitted).toBe(true))
    expect(lockedAtQuit).toBe(false)
  })

  it('before a library is held (the second instance) is not held up', () => {
    const { app } = wire({ lockObtained: false })
    app.quit()
    expect(app.quitted).toBe(true)
  })
})
