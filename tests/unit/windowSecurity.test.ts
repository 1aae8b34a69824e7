// The window's locks, held against stand-ins for Electron's objects (Electron's binary cannot
// run on the machines that test Lectern): its web preferences, no navigation away from the app,
// no new windows (web links go to the system browser, nothing else does), no webviews, no
// permissions, the CSP on every response, and no spellchecker that would fetch dictionaries.
import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'

const electron = vi.hoisted(() => ({
  opened: [] as string[],
}))
vi.mock('electron', () => ({
  shell: {
    openExternal: async (url: string) => void electron.opened.push(url),
  },
}))

const { lockDownContents, lockDownSession, refuseWebviewsEverywhere } =
  await import('../../electron/main/security')
const { openAppWindow } = await import('../../electron/main/window')

type Handler = (details: { url: string }) => { action: string }

/** A stand-in for a window's WebContents: its events, and the window-open handler it was given. */
class FakeContents extends EventEmitter {
  openHandler: Handler | null = null
  setWindowOpenHandler(handler: Handler): void {
    this.openHandler = handler
  }
}

/** Emits `name` as Electron would and says whether a listener called preventDefault. */
function prevented(contents: EventEmitter, name: string, url?: string): boolean {
  let stopped = false
  contents.emit(name, { preventDefault: () => (stopped = true) }, url)
  return stopped
}

const APP = 'app://lectern/index.html'
const isApp = (url: string) => url === APP

function lockedContents(): FakeContents {
  const contents = new FakeContents()
  lockDownContents(contents as unknown as Electron.WebContents, isApp)
  return contents
}

/** A stand-in for BrowserWindow: what it was made with, and what it was asked to load. */
class FakeWindow {
  readonly webContents = new FakeContents() as unknown as Electron.WebContents
  readonly loaded: string[] = []
  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {}
  async loadFile(path: string): Promise<void> {
    this.loaded.push(`file ${path}`)
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(`url ${url}`)
  }
}

function openWindow(isPackaged: boolean): FakeWindow {
  return openAppWindow(FakeWindow, {
    isPackaged,
    preload: '/app/out/preload/index.js',
  })
}

/** A stand-in for a Session: what lockDownSession set on it. */
function fakeSession() {
  const state = {
    requestHandler: null as null | ((...args: unknown[]) => void),
    checkHandler: null as null | ((...args: unknown[]) => boolean),
    headersListener: null as null | ((...args: unknown[]) => void),
    spellChecker: undefined as boolean | undefined,
  }
  const session = {
    setPermissionRequestHandler: (h: typeof state.requestHandler) => (state.requestHandler = h),
    setPermissionCheckHandler: (h: typeof state.checkHandler) => (state.checkHandler = h),
    webRequest: {
      onHeadersReceived: (l: typeof state.headersListener) => (state.headersListener = l),
    },
    setSpellCheckerEnabled: (enabled: boolean) => (state.spellChecker = enabled),
  }
  return { session: session as unknown as Electron.Session, state }
}

beforeEach(() => {
  electron.opened.length = 0
})

describe('the window', () => {
  it.each([true, false])('has the secure web preferences (packaged: %s)', (isPackaged) => {
    expect(openWindow(isPackaged).options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/out/preload/index.js',
    })
  })

  it('has no spellchecker: on Windows and Linux it downloads dictionaries from Google', () => {
    expect(openWindow(true).options.webPreferences?.spellcheck).toBe(false)
    expect(openWindow(false).options.webPreferences?.spellcheck).toBe(false)
  })

  it('has developer tools only in a development build', () => {
    expect(openWindow(true).options.webPreferences?.devTools).toBe(false)
    expect(openWindow(false).options.webPreferences?.devTools).toBe(true)
  })

  it('is locked down, then loads the app’s page from app://, not file://', () => {
    const window = openWindow(true)
    expect(prevented(window.webContents, 'will-navigate', 'https://a.example/')).toBe(true)
    expect(
      prevented(window.webContents, 'will-navigate', 'file:///app/out/renderer/index.html'),
    ).toBe(true)
    expect(prevented(window.webContents, 'will-navigate', APP)).toBe(false)
    expect(window.loaded).toEqual(['url app://lectern/index.html'])
  })
})

describe('the window’s contents', () => {
  it('never navigate away from the app; a web link opens in the system browser instead', () => {
    const contents = lockedContents()
    expect(prevented(contents, 'will-navigate', APP)).toBe(false)
    expect(prevented(contents, 'will-navigate', 'https://a.example/paper')).toBe(true)
    expect(prevented(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(prevented(contents, 'will-navigate', 'app://lectern/other.html')).toBe(true)
    expect(electron.opened).toEqual(['https://a.example/paper'])
  })

  it('never follow a redirect away from the app', () => {
    const contents = lockedContents()
    expect(prevented(contents, 'will-redirect', APP)).toBe(false)
    expect(prevented(contents, 'will-redirect', 'https://a.example/')).toBe(true)
    expect(electron.opened).toEqual([])
  })

  it('open no window; http(s) links go to the system browser, nothing else goes anywhere', () => {
    const contents = lockedContents()
    const open = (url: string) => contents.openHandler!({ url })
    for (const url of [
      'https://a.example/x',
      'http://b.example/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      APP,
      'smb://host/share',
      'not a url',
    ])
      expect(open(url), url).toEqual({ action: 'deny' })
    expect(electron.opened).toEqual(['https://a.example/x', 'http://b.example/'])
  })

  it('attach no webview', () => {
    expect(prevented(lockedContents(), 'will-attach-webview')).toBe(true)
  })

  it('attach no webview in any contents the app makes, not only the window’s', () => {
    const app = new EventEmitter()
    refuseWebviewsEverywhere(app as unknown as Electron.App)
    const other = new FakeContents()
    app.emit('web-contents-created', {}, other)
    expect(prevented(other, 'will-attach-webview')).toBe(true)
  })
})

describe('the session', () => {
  it('grants no permission, asked or checked', () => {
    const { session, state } = fakeSession()
    lockDownSession(session)
    for (const permission of ['media', 'notifications', 'geolocation', 'openExternal']) {
      const answers: boolean[] = []
      state.requestHandler!(null, permission, (granted: boolean) => answers.push(granted))
      expect(answers, permission).toEqual([false])
      expect(state.checkHandler!(null, permission, APP), permission).toBe(false)
    }
  })

  it('puts the app’s Content-Security-Policy on every response', () => {
    const { session, state } = fakeSession()
    lockDownSession(session)
    const answers: unknown[] = []
    state.headersListener!(
      { responseHeaders: { 'Content-Type': ['text/html'] } },
      (response: unknown) => answers.push(response),
    )
    expect(answers).toEqual([
      {
        responseHeaders: {
          'Content-Type': ['text/html'],
          'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        },
      },
    ])
  })

  it('turns the spellchecker off, so no dictionary is downloaded', () => {
    const { session, state } = fakeSession()
    lockDownSession(session)
    expect(state.spellChecker).toBe(false)
  })
})
