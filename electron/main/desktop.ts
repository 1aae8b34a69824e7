// The desktop app's own actions (shared/desktop.ts), bound to IPC beside the contract and, like
// it, answered only for the app's own page. The page names no path: it asks to show "the
// library" or "the backups folder", and the paths are the library held's. Opening another
// library goes through native dialogs here, then LibraryHost; the window's page is loaded again
// on the library opened. The page also says what it shows (the theme, the panes), which the
// application menu's View items reflect. Choosing a backups folder and moving the library take a
// folder from a native dialog too, and only then call the contract with it.
import { existsSync } from 'node:fs'
import type { IpcMainInvokeEvent } from 'electron'
import type { ApiError, Envelope } from '../../shared/api'
import {
  DESKTOP_ACTIONS,
  desktopChannel,
  isLibraryFolder,
  isPanesShown,
  isThemeChoice,
} from '../../shared/desktop'
import type {
  DesktopAction,
  DesktopRequests,
  DesktopResults,
  LibraryFolder,
  ThemeChoice,
} from '../../shared/desktop'
import { dispatch } from '../core/api/dispatch'
import type { HandlerContext } from '../core/api/dispatch'
import {
  chooseBackupsFolder,
  chooseSyncFolder,
  chooseLibraryFile,
  chooseMoveTarget,
  chooseNewLibrary,
  libraryPrompts,
} from './libraryDialogs'
import type { DialogApi } from './libraryDialogs'
import { SWITCHING_MESSAGE, fromAppPage } from './ipc'
import type { IpcBinder } from './ipc'
import type { LibraryHost } from './libraryHost'
import type { MenuView } from './menu'

/** The parts of Electron's `shell` used here. */
export interface ShellApi {
  showItemInFolder(path: string): void
  /** Resolves to an error message, or '' when the folder was opened. */
  openPath(path: string): Promise<string>
}

export interface DesktopOptions {
  host: Pick<LibraryHost, 'context' | 'path' | 'holds' | 'switchTo'>
  dialog: DialogApi
  shell: ShellApi
  /** Electron's `nativeTheme`: the title bar, menus and dialogs follow the theme chosen. */
  nativeTheme: { themeSource: ThemeChoice }
  /**
   * What the page shows now (the theme chosen, the panes on screen), for the menu's radio and
   * check marks. The page says it whenever it changes, from Settings, a key or the menu alike.
   */
  viewShown: (view: Partial<MenuView>) => void
  /** After another library is open: remember it, tell the About panel, load the page again. */
  opened: (path: string) => void
  /**
   * Remembers the library's new place while it moves, before its old files go (so it throws
   * when it cannot: the move is then taken back).
   */
  remember: (path: string) => void
  /** Neither the library asked for nor the one before could be opened: no library is held. */
  lost: (error: Error) => void
}

type DesktopHandlers = {
  [A in DesktopAction]: (request: DesktopRequests[A]) => Promise<DesktopResults[A]>
}

/** A refusal meant for the user, carried to the page as an envelope's error. */
class DesktopRefusal extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
  }
}

/** Between closing one library and opening the next, there is none to act on. */
function switching(): DesktopRefusal {
  return new DesktopRefusal({ code: 'conflict', message: SWITCHING_MESSAGE })
}

function held(options: DesktopOptions): string {
  const path = options.host.path
  if (path === null) throw switching()
  return path
}

function contextOf(options: DesktopOptions): HandlerContext {
  const context = options.host.context()
  if (!context) throw switching()
  return context
}

/** A method of the contract, its refusal carried to the page as it came. */
async function call<M extends Parameters<typeof dispatch>[1]>(
  context: HandlerContext,
  method: M,
  request: Parameters<typeof dispatch<M>>[2],
) {
  const reply = await dispatch(context, method, request)
  if (!reply.ok) throw new DesktopRefusal(reply.error)
  return reply.value
}

async function folderOf(options: DesktopOptions, folder: LibraryFolder): Promise<string> {
  held(options)
  const context = contextOf(options)
  if (folder === 'backups') return (await call(context, 'libraryInfo', {})).backups.folder
  return (await call(context, 'getSettings', {})).inboxFolder
}

export function desktopHandlers(options: DesktopOptions): DesktopHandlers {
  const switchTo = async (path: string | null): Promise<{ opened: string | null }> => {
    if (path === null) return { opened: null }
    if (options.host.holds(path)) {
      throw new DesktopRefusal({ code: 'conflict', message: `${path} is the library open now` })
    }
    let opened: string | null
    try {
      opened = await options.host.switchTo(
        path,
        libraryPrompts(options.dialog, 'Keep the Current Library'),
      )
    } catch (error) {
      if (options.host.path === null) options.lost(error as Error)
      throw error
    }
    if (opened !== null) options.opened(opened)
    return { opened }
  }
  return {
    showLibrary: async () => {
      options.shell.showItemInFolder(held(options))
      return null
    },
    // A folder not made yet (no backup so far, the inbox never switched on): the library's own
    // folder, where it will be, rather than an error.
    showFolder: async (folder) => {
      const path = await folderOf(options, folder)
      if (!existsSync(path)) {
        options.shell.showItemInFolder(held(options))
        return null
      }
      const problem = await options.shell.openPath(path)
      if (problem) throw new DesktopRefusal({ code: 'internal', message: problem })
      return null
    },
    openLibrary: async () => switchTo(await chooseLibraryFile(options.dialog)),
    newLibrary: async () => switchTo(await chooseNewLibrary(options.dialog)),
    // The folder comes from the app's own dialog, so the call may name it (localFiles).
    chooseBackupsFolder: async () => {
      const context = contextOf(options)
      const folder = await chooseBackupsFolder(options.dialog)
      if (folder === null) return { folder: null }
      const settings = await call({ ...context, localFiles: true }, 'updateSettings', {
        backupsFolder: folder,
      })
      return { folder: settings.backupsFolder ?? (await folderOf(options, 'backups')) }
    },
    // The same for the sync folder; the page then asks for a pass.
    chooseSyncFolder: async () => {
      const context = contextOf(options)
      const folder = await chooseSyncFolder(options.dialog)
      if (folder === null) return { folder: null }
      const status = await call({ ...context, localFiles: true }, 'setSyncFolder', { folder })
      return { folder: status.folder }
    },
    moveLibrary: async () => {
      const context = contextOf(options)
      const info = await call(context, 'libraryInfo', {})
      const folder = await chooseMoveTarget(options.dialog, info.path, info.backups.isDefault)
      if (folder === null) return { moved: null }
      const moved = await call(
        {
          ...context,
          localFiles: true,
          // The app holds this library, so it is the one it opens next, wherever it goes.
          libraryMoved: (_from, to) => {
            options.remember(to)
            return true
          },
        },
        'moveLibrary',
        { folder },
      )
      options.opened(moved.path)
      return { moved }
    },
    setTheme: async (choice) => {
      options.nativeTheme.themeSource = choice
      options.viewShown({ theme: choice })
      return null
    },
    setPanes: async (panes) => {
      options.viewShown({ panes })
      return null
    },
  }
}

/**
 * What each action accepts from the page: a folder's or a theme's name, which panes are shown
 * (both, as booleans, and nothing else), or nothing.
 */
const VALID_REQUEST: Record<DesktopAction, (request: unknown) => boolean> = {
  showLibrary: (request) => request === undefined,
  showFolder: isLibraryFolder,
  openLibrary: (request) => request === undefined,
  newLibrary: (request) => request === undefined,
  chooseBackupsFolder: (request) => request === undefined,
  chooseSyncFolder: (request) => request === undefined,
  moveLibrary: (request) => request === undefined,
  setTheme: isThemeChoice,
  setPanes: isPanesShown,
}

/** What a request of the wrong shape is told (the page never sends one). */
function invalid(action: DesktopAction): Envelope<never> {
  return { ok: false, error: { code: 'invalid-request', message: `${action}: invalid request` } }
}

/**
 * One channel per action, answered only for the app's own page; every answer an envelope, as
 * the contract's are.
 */
export function bindDesktopIpc(
  ipc: IpcBinder,
  handlers: DesktopHandlers,
  isAppUrl: (url: string) => boolean,
): void {
  for (const action of DESKTOP_ACTIONS) {
    ipc.handle(
      desktopChannel(action),
      async (event: IpcMainInvokeEvent, request: unknown): Promise<Envelope<unknown>> => {
        if (!fromAppPage(event, isAppUrl)) {
          return {
            ok: false,
            error: { code: 'forbidden', message: 'request from an unknown page' },
          }
        }
        if (!VALID_REQUEST[action](request)) return invalid(action)
        try {
          const run = handlers[action] as (r: unknown) => Promise<unknown>
          return { ok: true, value: await run(request) }
        } catch (error) {
          if (error instanceof DesktopRefusal) return { ok: false, error: error.error }
          return {
            ok: false,
            error: { code: 'internal', message: `unexpected error: ${(error as Error).message}` },
          }
        }
      },
    )
  }
}
