// The desktop shell: one locked-down window over the library core. Everything that is not
// window, menu or IPC lives in electron/core, which never imports Electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  screen,
  session as sessions,
} from 'electron'
import { join } from 'node:path'
import { LibrarySession } from '../core/safety/session'
import { scheduleAutoBackups } from '../core/safety/autoBackup'
import { libraryPath, samplePath, userDataDir } from '../core/paths'
import type { HandlerContext } from '../core/api/dispatch'
import { cancelJobs } from '../core/api/jobs'
import { followInboxSetting } from '../core/inbox/follow'
import type { InboxFollower } from '../core/inbox/follow'
import { MAX_DUMP_CHARS, MAX_IMPORT_CHARS } from '../../shared/api'
import { bindIpc } from './ipc'
import { installMenu, sendMenuCommand } from './menu'
import { isAppUrl, privilegedAppScheme, serveApp } from './appProtocol'
import { lockDownSession } from './security'
import { openAppWindow } from './window'
import { OpenedFiles, claimedPathsIn } from './openedFiles'
import { OPENED_FILE_CHANNEL } from '../../shared/openedFiles'
import {
  placeWindow,
  readWindowState,
  rememberWindow,
  showPlaced,
  writeWindowState,
} from './windowState'

// The command line finds the app's library without Electron; both must agree on the folder.
app.setPath('userData', userDataDir())

// The page comes from app://lectern/, not file:// (appProtocol.ts). A scheme's privileges can
// only be given before the app is ready.
protocol.registerSchemesAsPrivileged([privilegedAppScheme()])
const rendererDir = join(__dirname, '..', 'renderer')

let window: BrowserWindow | null = null

// Files opened with the app wait for the window's page (openedFiles.ts). On macOS they come as
// open-file events, the first possibly before the app is ready, so it is listened for at once.
const openedFiles = new OpenedFiles((message) =>
  dialog.showErrorBox('Lectern cannot open this file', message),
)
app.on('open-file', (event, path) => {
  event.preventDefault()
  void openedFiles.add([path])
  // A macOS app stays running with its window closed: a file opened then needs one.
  if (app.isReady() && session && !window) createWindow()
})
let session: LibrarySession | null = null
let stopBackups: (() => void) | null = null

function createWindow(): void {
  // The window opens where it was closed (windowState.ts); `screen` is only there once ready.
  const stateFile = join(app.getPath('userData'), 'window-state.json')
  const placement = placeWindow(readWindowState(stateFile), screen)
  window = openAppWindow(BrowserWindow, {
    isPackaged: app.isPackaged,
    preload: join(__dirname, '..', 'preload', 'index.js'),
    bounds: placement.bounds,
  })
  rememberWindow(
    window,
    (state) => writeWindowState(stateFile, state),
    (error) => console.error(`window state: ${error.message}`),
  )
  // The page holds the close while a note is still being saved (it saves at once); if saving
  // fails, ask rather than silently keep the window open or silently drop the note.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window!, {
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
  window.once('ready-to-show', () => window && showPlaced(window, placement))
  // Each time the page has loaded (its preload listens by then), it takes the files waiting.
  const contents = window.webContents
  contents.on('did-finish-load', () => {
    void openedFiles.attach((files) => contents.send(OPENED_FILE_CHANNEL, files))
  })
  window.on('closed', () => {
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
  void openedFiles.add(claimedPathsIn(process.argv, process.cwd()))
  app.on('second-instance', (_event, argv, workingDirectory) => {
    void openedFiles.add(claimedPathsIn(argv, workingDirectory))
    if (window) {
      if (window.isMinimized()) window.restore()
      window.focus()
    }
  })
  await app.whenReady()
  lockDownSession(sessions.defaultSession)
  serveApp(protocol, rendererDir)
  const resources = app.isPackaged
    ? process.resourcesPath
    : join(__dirname, '..', '..', 'resources')
  try {
    // A damaged library still opens a session: the window explains and offers recovery.
    session = await LibrarySession.start(libraryPath(), { owner: 'the Lectern app' })
  } catch (error) {
    dialog.showErrorBox('Lectern cannot open your library', (error as Error).message)
    app.exit(1)
    return
  }
  // The page cannot name files on the computer; dialogs in this process would pick them.
  const context: HandlerContext = {
    session,
    samplePath: samplePath(resources),
    localFiles: false,
    maxImportChars: MAX_IMPORT_CHARS,
  }
  stopBackups = scheduleAutoBackups(session, (message) => console.error(message))
  // The inbox beside the library, when its settings say so (Settings in the window).
  inbox = followInboxSetting(
    { ...context, maxImportChars: MAX_DUMP_CHARS },
    { log: (line) => console.error(`inbox: ${line}`) },
  )
  bindIpc(ipcMain, () => context, isAppUrl)
  // The menu's commands go to the focused window's page (or the one window, when the focus is
  // in its developer tools), which routes them as its own keys would (renderer/src/menu/).
  installMenu(Menu, app, {
    platform: process.platform,
    isPackaged: app.isPackaged,
    appName: app.name,
    version: app.getVersion(),
    send: (command) =>
      void sendMenuCommand(
        (BrowserWindow.getFocusedWindow() ?? window)?.webContents,
        command,
      ).catch((error: Error) => console.error(`menu: ${command}: ${error.message}`)),
  })
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

let importsCancelled = false
let inbox: InboxFollower | null = null

app.on('will-quit', (event) => {
  // An import under way is cancelled (taken back) and the inbox's import in flight finishes
  // first, then the app quits again.
  if (session && !importsCancelled) {
    importsCancelled = true
    event.preventDefault()
    void Promise.all([cancelJobs(session), inbox?.stop()]).finally(() => app.quit())
    return
  }
  stopBackups?.()
  try {
    session?.close()
  } catch (error) {
    // Every change is already in the journal; only the final snapshot is missing.
    dialog.showErrorBox('Lectern could not write its final snapshot', (error as Error).message)
  }
  session = null
})

void start()
