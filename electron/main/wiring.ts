// What the desktop app does with Electron from its first line to its last: the data folder, the
// app's scheme, one instance per library, the session locked down before any window, the library
// opened, the menu, IPC, the window, files opened with the app, and closing the library before
// quitting. Electron's objects and the process's facts are passed in (index.ts passes the real
// ones), so a unit test hands it stand-ins and checks what happens in which order
// (tests/unit/mainWiring.test.ts): Electron's binary cannot run where Lectern is tested.
//
// Everything that is not window, menu or IPC lives in electron/core, which never imports Electron.
import { join } from 'node:path'
import type {
  App,
  BrowserWindow,
  Dialog,
  Menu,
  MessageBoxOptions,
  OpenDialogOptions,
  Protocol,
  Session,
} from 'electron'
import { libraryPath, samplePath } from '../core/paths'
import { rememberLibrary } from '../core/safety/remembered'
import { OPENED_FILE_CHANNEL } from '../../shared/openedFiles'
import type { ThemeChoice } from '../../shared/desktop'
import { useStartProcess } from '../core/jobProcess'
import { bindIpc } from './ipc'
import type { IpcBinder } from './ipc'
import { bindDesktopIpc, desktopHandlers } from './desktop'
import type { ShellApi } from './desktop'
import { LibraryHost } from './libraryHost'
import { libraryPrompts } from './libraryDialogs'
import type { DialogApi } from './libraryDialogs'
import { aboutOptions, installMenu, sendMenuCommand } from './menu'
import type { MenuApi } from './menu'
import { isAppUrl, privilegedAppScheme, serveApp } from './appProtocol'
import { lockDownSession, refuseWebviewsEverywhere } from './security'
import { openAppWindow } from './window'
import type { WindowClass } from './window'
import { OpenedFiles, claimedPathsIn } from './openedFiles'
import { utilityStarter } from './jobProcess'
import type { UtilityProcesses } from './jobProcess'
import {
  placeWindow,
  readWindowState,
  rememberWindow,
  showPlaced,
  writeWindowState,
} from './windowState'
import type { Displays } from './windowState'

/** The parts of Electron the app uses: the `electron` module itself, or stand-ins. */
export interface ElectronParts {
  app: Pick<
    App,
    | 'on'
    | 'setPath'
    | 'getPath'
    | 'whenReady'
    | 'isReady'
    | 'requestSingleInstanceLock'
    | 'quit'
    | 'exit'
    | 'isPackaged'
    | 'name'
    | 'getVersion'
    | 'setAboutPanelOptions'
  >
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>
  session: { readonly defaultSession: Session }
  dialog: Pick<Dialog, 'showErrorBox' | 'showOpenDialog' | 'showMessageBox' | 'showMessageBoxSync'>
  BrowserWindow: WindowClass<BrowserWindow> &
    Pick<typeof BrowserWindow, 'getFocusedWindow' | 'getAllWindows'>
  Menu: MenuApi<Menu>
  ipcMain: IpcBinder
  shell: ShellApi
  screen: Displays
  nativeTheme: { themeSource: ThemeChoice }
  utilityProcess: UtilityProcesses
}

/** What the app is told by the process it runs in. */
export interface Launch {
  platform: NodeJS.Platform
  /** The command line the app was started with (`process.argv`). */
  argv: readonly string[]
  cwd: string
  /** The process's environment: LECTERN_LIBRARY names another library (paths.ts). */
  env: NodeJS.ProcessEnv
  /** The app's data folder: the command line's too (paths.ts, userDataDir). */
  dataDir: string
  /** The folder of the built main bundle (out/main): the preload and the page are beside it. */
  mainDir: string
  /** A packaged app's resources folder (`process.resourcesPath`), where the sample is shipped. */
  resourcesPath: string
}

/**
 * Wires the app: what must happen before Electron is ready happens before this returns; the
 * rest follows once it is. Resolves once the window is open, or once the app has given up
 * (another instance holds the library, the user quit, the library could not be opened).
 */
export function wireApp(electron: ElectronParts, launch: Launch): Promise<void> {
  const { app, dialog, protocol, BrowserWindow } = electron

  // The command line finds the app's library without Electron; both must agree on the folder.
  // Electron's single-instance lock lives in this folder too, so it is set before the lock.
  app.setPath('userData', launch.dataDir)

  // The page comes from app://lectern/, not file:// (appProtocol.ts). A scheme's privileges can
  // only be given before the app is ready.
  protocol.registerSchemesAsPrivileged([privilegedAppScheme()])
  const rendererDir = join(launch.mainDir, '..', 'renderer')

  // Not only the window's contents: any made later (developer tools, say) attach no webview.
  refuseWebviewsEverywhere(app)

  // A backup is written in a process of its own (core/jobProcess.ts): here Electron's,
  // since the packaged app cannot run its own binary as Node.
  useStartProcess(utilityStarter(electron.utilityProcess))

  let window: BrowserWindow | null = null
  // The library held, with the backups and the inbox that run beside it (libraryHost.ts).
  let host: LibraryHost | null = null

  // Files opened with the app wait for the window's page (openedFiles.ts). On macOS they come as
  // open-file events, the first possibly before the app is ready, so it is listened for at once.
  const openedFiles = new OpenedFiles((message) =>
    dialog.showErrorBox('Lectern cannot open this file', message),
  )
  app.on('open-file', (event, path) => {
    event.preventDefault()
    void openedFiles.add([path])
    // A macOS app stays running with its window closed: a file opened then needs one.
    if (app.isReady() && host?.path && !window) createWindow()
  })

  // Native dialogs belong to the window once there is one (before it, at start, to none).
  const dialogs: DialogApi = {
    showOpenDialog: (options: OpenDialogOptions) =>
      window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options),
    showMessageBox: (options: MessageBoxOptions) =>
      window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options),
  }

  /** About says where the library lives (and whether it is open only to read). */
  function updateAbout(): void {
    const path = host?.path
    app.setAboutPanelOptions(
      aboutOptions({
        platform: launch.platform,
        appName: app.name,
        version: app.getVersion(),
        library: path ? { path, readOnly: host!.readOnly } : null,
      }),
    )
  }

  /** The library opened from Settings is the app's next time too (and the command line's). */
  function remember(path: string): void {
    try {
      rememberLibrary(path, launch.dataDir)
    } catch (error) {
      console.error(`could not remember the library ${path}: ${(error as Error).message}`)
    }
  }

  function createWindow(): void {
    // The window opens where it was closed (windowState.ts); `screen` is only there once ready.
    const stateFile = join(app.getPath('userData'), 'window-state.json')
    const placement = placeWindow(readWindowState(stateFile), electron.screen)
    const opened = openAppWindow(BrowserWindow, {
      isPackaged: app.isPackaged,
      preload: join(launch.mainDir, '..', 'preload', 'index.js'),
      bounds: placement.bounds,
    })
    window = opened
    rememberWindow(
      opened,
      (state) => writeWindowState(stateFile, state),
      (error) => console.error(`window state: ${error.message}`),
    )
    // The page holds the close while a note is still being saved (it saves at once); if saving
    // fails, ask rather than silently keep the window open or silently drop the note.
    opened.webContents.on('will-prevent-unload', (event) => {
      const choice = dialog.showMessageBoxSync(opened, {
        type: 'warning',
        buttons: ['Keep Lectern open', 'Close without saving'],
        defaultId: 0,
        cancelId: 0,
        message: 'A note has not been saved yet.',
        detail:
          'Lectern is still trying to save it. Closing now loses what was typed since the last save.',
      })
      if (choice === 1) event.preventDefault()
    })
    opened.once('ready-to-show', () => window && showPlaced(window, placement))
    // Each time the page has loaded (its preload listens by then), it takes the files waiting.
    const contents = opened.webContents
    contents.on('did-finish-load', () => {
      void openedFiles.attach((files) => contents.send(OPENED_FILE_CHANNEL, files))
    })
    opened.on('closed', () => {
      openedFiles.detach()
      window = null
    })
  }

  async function start(): Promise<void> {
    if (!app.requestSingleInstanceLock()) {
      app.quit()
      return
    }
    // Windows and Linux: files named on the command line, ours or a second instance's.
    void openedFiles.add(claimedPathsIn(launch.argv, launch.cwd))
    app.on('second-instance', (_event, argv, workingDirectory) => {
      void openedFiles.add(claimedPathsIn(argv, workingDirectory))
      if (window) {
        if (window.isMinimized()) window.restore()
        window.focus()
      }
    })
    await app.whenReady()
    lockDownSession(electron.session.defaultSession)
    serveApp(protocol, rendererDir)
    const resources = app.isPackaged
      ? launch.resourcesPath
      : join(launch.mainDir, '..', '..', 'resources')
    host = new LibraryHost({
      owner: 'the Lectern app',
      samplePath: samplePath(resources),
      log: (line) => console.error(line),
    })
    const wanted = libraryPath(undefined, launch.env, launch.dataDir)
    try {
      // A damaged library still opens: the window explains and offers recovery. One that cannot
      // be opened for writing (read-only, in use) is asked about: open it read-only, choose
      // another, or quit.
      const opened = await host.open(wanted, libraryPrompts(dialogs, 'Quit'))
      if (opened === null) {
        app.quit()
        return
      }
      if (!host.holds(wanted)) remember(opened)
    } catch (error) {
      dialog.showErrorBox('Lectern cannot open your library', (error as Error).message)
      app.exit(1)
      return
    }
    const held = host
    // The menu's commands go to the focused window's page (or the one window, when the focus is
    // in its developer tools), which routes them as its own keys would (renderer/src/menu/).
    const menu = installMenu(electron.Menu, app, {
      platform: launch.platform,
      isPackaged: app.isPackaged,
      appName: app.name,
      version: app.getVersion(),
      library: { path: held.path!, readOnly: held.readOnly },
      send: (command) =>
        void sendMenuCommand(
          (BrowserWindow.getFocusedWindow() ?? window)?.webContents,
          command,
        ).catch((error: Error) => console.error(`menu: ${command}: ${error.message}`)),
    })
    bindIpc(electron.ipcMain, () => held.context(), isAppUrl)
    bindDesktopIpc(
      electron.ipcMain,
      desktopHandlers({
        host: held,
        dialog: dialogs,
        shell: electron.shell,
        nativeTheme: electron.nativeTheme,
        viewShown: (view) => menu.show(view),
        opened: (path) => {
          remember(path)
          updateAbout()
          // The page starts again on the library now open (its caches are the old one's).
          window?.webContents.reload()
        },
        lost: (error) => {
          dialog.showErrorBox('Lectern cannot open a library', error.message)
          app.quit()
        },
        // A move's new place: a failure here takes the move back, so it is not caught.
        remember: (path) => rememberLibrary(path, launch.dataDir),
      }),
      isAppUrl,
    )
    createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow()
    })
  }

  app.on('window-all-closed', () => {
    if (launch.platform !== 'darwin') app.quit()
  })

  let closing = false
  let closed = false

  app.on('will-quit', (event) => {
    // The library is closed first (an import under way is taken back, the inbox's import in
    // flight finishes, the final snapshot is written), then the app quits again.
    if (closed) return
    // Quit asked again while the library closes (pressed twice, say) is held back as well: the
    // close quits the app once it is done.
    if (closing) {
      event.preventDefault()
      return
    }
    if (!host) return
    event.preventDefault()
    closing = true
    const held = host
    host = null
    void held
      .close()
      .catch((error: Error) => {
        // Every change is already in the journal; only the final snapshot is missing.
        dialog.showErrorBox('Lectern could not write its final snapshot', error.message)
      })
      .finally(() => {
        closed = true
        app.quit()
      })
  })

  return start()
}
