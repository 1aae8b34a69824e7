// The app's window and everything that locks it down. Electron's BrowserWindow class is passed
// in, as installMenu is passed Menu, so a unit test can hand it a stand-in and read what the
// window was given.
//
// The options are written out in the one `new BrowserWindow({ … })` below, not spread from a
// constant: Electronegativity (tests/unit/electronegativity.test.ts) reads the code, not the
// values, and checks each preference where the window is made.
import type { BrowserWindowConstructorOptions, WebContents } from 'electron'
import { APP_ENTRY, isAppUrl } from './appProtocol'
import { lockDownContents } from './security'
import { DEFAULT_SIZE, MIN_SIZE } from './windowState'
import type { Rect } from './windowState'

/** Electron's BrowserWindow, or a stand-in with the parts this module uses. */
export type WindowClass<W> = new (options: BrowserWindowConstructorOptions) => W

export interface AppWindow {
  webContents: WebContents
  loadURL(url: string): Promise<void>
}

export interface AppWindowOptions {
  /** A packaged build has no developer tools. */
  isPackaged: boolean
  /** The sandboxed preload's bundle. */
  preload: string
  /** Where the window opens and its size (windowState.ts); the system's choice, at the default size, if left out. */
  bounds?: Rect
}

/**
 * Opens the app's window: locked down, then pointed at the app's page on its own scheme
 * (appProtocol.ts), which the wiring (wiring.ts) serves before any window opens.
 */
export function openAppWindow<W extends AppWindow>(
  BrowserWindow: WindowClass<W>,
  { isPackaged, preload, bounds }: AppWindowOptions,
): W {
  const window = new BrowserWindow({
    // Without a place, the system chooses one (centered on the primary display).
    ...(bounds ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds?.width ?? DEFAULT_SIZE.width,
    height: bounds?.height ?? DEFAULT_SIZE.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Lectern',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // Electron's spellchecker fetches its dictionaries from Google on Windows and Linux.
      spellcheck: false,
      // A middle click on a link asks for a new window; the window-open handler refuses it
      // anyway (security.ts), and the page never listens for auxclick.
      disableBlinkFeatures: 'Auxclick',
      devTools: !isPackaged,
      // The preload is sandboxed and exposes named methods only (tests/unit/hosts.test.ts).
      preload, // eng-disable PRELOAD_JS_CHECK — reviewed: sandboxed, named methods, no ipcRenderer
    },
  })
  lockDownContents(window.webContents, isAppUrl)
  void window.loadURL(APP_ENTRY)
  return window
}
