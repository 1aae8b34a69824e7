// Which library the desktop app holds: opened at start, asked about when it cannot be opened for
// writing (read-only: open it only to read; in use: choose another), switched from Settings in
// the same process, and the desktop actions behind Settings' buttons, answered only for the
// app's own page. Electron cannot run here: its dialog, shell and ipcMain are stand-ins, the
// libraries are real.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  IpcMainInvokeEvent,
  MessageBoxOptions,
  MessageBoxReturnValue,
  OpenDialogOptions,
  OpenDialogReturnValue,
} from 'electron'
import { DESKTOP_ACTIONS, desktopChannel } from '../../shared/desktop'
import type { ThemeChoice } from '../../shared/desktop'
import type { MenuView } from '../../electron/main/menu'
import { METHODS, channelOf } from '../../shared/methods'
import { dispatch } from '../../electron/core/api/dispatch'
import { LibrarySession } from '../../electron/core/safety/session'
import { APP_ENTRY, isAppUrl } from '../../electron/main/appProtocol'
import { bindDesktopIpc, desktopHandlers } from '../../electron/main/desktop'
import type { ShellApi } from '../../electron/main/desktop'
import { bindIpc } from '../../electron/main/ipc'
import { chooseNewLibrary, libraryPrompts } from '../../electron/main/libraryDialogs'
import type { DialogApi } from '../../electron/main/libraryDialogs'
import { LibraryHost } from '../../electron/main/libraryHost'
import type { LibraryPrompts, OpenProblem } from '../../electron/main/libraryHost'
import { desktopApi } from '../../electron/preload/api'
import { SAMPLE_PATH, tempDir } from '../helpers/fixtures'

const unix = process.platform !== 'win32'

const hosts: LibraryHost[] = []
afterEach(async () => {
  while (hosts.length) await hosts.pop()!.close()
})

function newHost(): LibraryHost {
  const host = new LibraryHost({ owner: 'test app', samplePath: SAMPLE_PATH, log: () => {} })
  hosts.push(host)
  return host
}

/** A library of the sample, closed, in a folder of its own. */
async function sampleLibrary(): Promise<string> {
  const path = join(tempDir(), 'library.sqlite')
  const session = await LibrarySession.start(path, { owner: 'test' })
  const ctx = { session, samplePath: SAMPLE_PATH, localFiles: false, maxImportChars: 1 << 20 }
  expect((await dispatch(ctx, 'importSample', {})).ok).toBe(true)
  session.close()
  return path
}

/** Prompts that answer from a script and keep what they were asked. */
function scripted(
  answers: ('read-only' | 'choose' | 'give-up')[],
  choices: (string | null)[] = [],
) {
  const asked: OpenProblem[] = []
  const prompts: LibraryPrompts = {
    cannotOpen: async (problem) => {
      asked.push(problem)
      const answer = answers.shift()
      if (!answer) throw new Error(`not expected: ${problem.message}`)
      return answer
    },
    chooseLibrary: async () => {
      if (choices.length === 0) throw new Error('no library to choose')
      return choices.shift()!
    },
  }
  return { prompts, asked }
}

const never = scripted([]).prompts

async function papers(host: LibraryHost): Promise<number> {
  const reply = await dispatch(host.context()!, 'stats', {})
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.value.total
}

describe('the library the app holds', () => {
  it('opens a library for writing, with nothing asked', async () => {
    const path = await sampleLibrary()
    const host = newHost()
    expect(await host.open(path, never)).toBe(path)
    expect({ path: host.path, readOnly: host.readOnly }).toEqual({ path, readOnly: false })
    expect(host.holds(path)).toBe(true)
    expect(await papers(host)).toBe(95)
    await host.close()
    expect(host.context()).toBeNull()
  })

  it('a library in use elsewhere: the user chooses another, which is opened', async () => {
    const busy = await sampleLibrary()
    const other = join(tempDir(), 'library.sqlite')
    const holder = await LibrarySession.start(busy, { owner: 'lectern serve' })
    try {
      const { prompts, asked } = scripted(['choose'], [other])
      const host = newHost()
      expect(await host.open(busy, prompts)).toBe(other)
      expect(asked).toEqual([
        {
          path: busy,
          message: expect.stringContaining('is in use by lectern serve'),
          readOnlyFile: null,
        },
      ])
      expect(await papers(host)).toBe(0)
    } finally {
      holder.close()
    }
  })

  it('giving up opens nothing', async () => {
    const busy = await sampleLibrary()
    const holder = await LibrarySession.start(busy, { owner: 'lectern serve' })
    try {
      const host = newHost()
      expect(await host.open(busy, scripted(['give-up']).prompts)).toBeNull()
      expect(host.context()).toBeNull()
    } finally {
      holder.close()
    }
  })

  it.skipIf(!unix)('a read-only library is opened only to read when the user says so', async () => {
    const path = await sampleLibrary()
    chmodSync(path, 0o444)
    const bytes = readFileSync(path)
    const { prompts, asked } = scripted(['read-only'])
    const host = newHost()
    expect(await host.open(path, prompts)).toBe(path)
    expect(asked).toEqual([
      { path, message: expect.stringContaining('is read-only'), readOnlyFile: path },
    ])
    expect(host.readOnly).toBe(true)
    expect(await papers(host)).toBe(95)
    expect(await dispatch(host.context()!, 'setStatus', { id: 1, status: 'read' })).toMatchObject({
      ok: false,
      error: { code: 'read-only' },
    })
    await host.close()
    expect(readFileSync(path).equals(bytes)).toBe(true)
  })

  it('“Open Read-Only” for a library that is not read-only (in use elsewhere) opens nothing', async () => {
    const writable = await sampleLibrary()
    const holder = await LibrarySession.start(writable, { owner: 'another app' })
    try {
      const host = newHost()
      expect(await host.open(writable, scripted(['read-only']).prompts)).toBeNull()
      expect(host.context()).toBeNull()
    } finally {
      holder.close()
    }
  })

  it('switches to another library: the first is closed (its lock released), the page’s requests go to the new one', async () => {
    const first = await sampleLibrary()
    const second = join(tempDir(), 'new', 'library.sqlite')
    const host = newHost()
    await host.open(first, never)
    const bound = new Map<string, (event: IpcMainInvokeEvent, request: unknown) => unknown>()
    bindIpc({ handle: (c, l) => void bound.set(c, l) }, () => host.context(), isAppUrl)
    const stats = (): Promise<unknown> =>
      bound.get(channelOf('stats'))!(
        { senderFrame: { url: APP_ENTRY } } as never,
        {},
      ) as Promise<unknown>
    expect(await stats()).toMatchObject({ ok: true, value: { total: 95 } })
    expect(await host.switchTo(second, never)).toBe(second)
    expect(existsSync(second)).toBe(true)
    expect(await stats()).toMatchObject({ ok: true, value: { total: 0, path: second } })
    // The first library is free for another program.
    ;(await LibrarySession.start(first, { owner: 'another' })).close()
    // While no library is held, a request is told to wait, not answered from a closed one.
    await host.close()
    expect(await stats()).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'another library is being opened; try again in a moment',
      },
    })
  })

  it('when the library asked for cannot be opened and the user gives up, the one before is open again', async () => {
    const first = await sampleLibrary()
    const busy = await sampleLibrary()
    const holder = await LibrarySession.start(busy, { owner: 'lectern serve' })
    try {
      const host = newHost()
      await host.open(first, never)
      const { prompts, asked } = scripted(['give-up'])
      expect(await host.switchTo(busy, prompts)).toBeNull()
      expect(asked).toHaveLength(1)
      expect(host.path).toBe(first)
      expect(await papers(host)).toBe(95)
      expect(
        await dispatch(host.context()!, 'setNote', { id: 1, note: 'still writable' }),
      ).toMatchObject({
        ok: true,
      })
    } finally {
      holder.close()
    }
  })
})

/** A stand-in for Electron's dialog: answers from a script, keeps what each dialog said. */
function standInDialog(
  opens: (string | null)[],
  responses: number[] = [],
): DialogApi & { opened: OpenDialogOptions[]; boxes: MessageBoxOptions[] } {
  const opened: OpenDialogOptions[] = []
  const boxes: MessageBoxOptions[] = []
  return {
    opened,
    boxes,
    showOpenDialog: async (options): Promise<OpenDialogReturnValue> => {
      opened.push(options)
      const next = opens.shift() ?? null
      return next === null
        ? { canceled: true, filePaths: [] }
        : { canceled: false, filePaths: [next] }
    },
    showMessageBox: async (options): Promise<MessageBoxReturnValue> => {
      boxes.push(options)
      return { response: responses.shift() ?? options.cancelId ?? 0, checkboxChecked: false }
    },
  }
}

describe('the dialogs around libraries', () => {
  it('a read-only library offers Open Read-Only first; another problem, only another library or the way out', async () => {
    const dialog = standInDialog([], [0, 1, 0])
    const prompts = libraryPrompts(dialog, 'Quit')
    expect(
      await prompts.cannotOpen({
        path: '/l/library.sqlite',
        message: 'x',
        readOnlyFile: '/l/library.sqlite',
      }),
    ).toBe('read-only')
    expect(
      await prompts.cannotOpen({
        path: '/l/library.sqlite',
        message: 'in use by lectern serve',
        readOnlyFile: null,
      }),
    ).toBe('give-up')
    expect(
      await prompts.cannotOpen({
        path: '/l/library.sqlite',
        message: 'in use',
        readOnlyFile: null,
      }),
    ).toBe('choose')
    expect(dialog.boxes.map((b) => [b.message, b.buttons, b.cancelId])).toEqual([
      ['This library is read-only.', ['Open Read-Only', 'Choose Another Library…', 'Quit'], 2],
      ['Lectern cannot open this library.', ['Choose Another Library…', 'Quit'], 1],
      ['Lectern cannot open this library.', ['Choose Another Library…', 'Quit'], 1],
    ])
    expect(dialog.boxes[0]!.detail).toContain('/l/library.sqlite cannot be written')
    expect(dialog.boxes[1]!.detail).toBe('/l/library.sqlite\n\nin use by lectern serve')
  })

  it('a new library goes in a folder of its own, and never replaces one there', async () => {
    const empty = tempDir()
    const dialog = standInDialog([empty])
    expect(await chooseNewLibrary(dialog)).toBe(join(empty, 'library.sqlite'))
    expect(dialog.opened[0]!.properties).toEqual([
      'openDirectory',
      'createDirectory',
      'promptToCreate',
    ])
    const taken = join(await sampleLibrary(), '..')
    expect(await chooseNewLibrary(standInDialog([taken], [1]))).toBeNull()
    expect(await chooseNewLibrary(standInDialog([taken], [0]))).toBe(join(taken, 'library.sqlite'))
    expect(await chooseNewLibrary(standInDialog([null]))).toBeNull()
  })
})

describe('the desktop actions behind Settings', () => {
  async function setUp(opens: (string | null)[] = [], responses: number[] = []) {
    const library = await sampleLibrary()
    const host = newHost()
    await host.open(library, never)
    const dialog = standInDialog(opens, responses)
    const shown: string[] = []
    const shell: ShellApi = {
      showItemInFolder: (path) => void shown.push(`item:${path}`),
      openPath: async (path) => {
        shown.push(`folder:${path}`)
        return ''
      },
    }
    const opened: string[] = []
    const remembered: string[] = []
    const nativeTheme = { themeSource: 'system' as ThemeChoice }
    const viewed: Partial<MenuView>[] = []
    const bound = new Map<string, (event: IpcMainInvokeEvent, request: unknown) => unknown>()
    bindDesktopIpc(
      { handle: (channel, listener) => void bound.set(channel, listener) },
      desktopHandlers({
        host,
        dialog,
        shell,
        nativeTheme,
        viewShown: (view) => void viewed.push(view),
        opened: (path) => void opened.push(path),
        lost: (error) => {
          throw error
        },
        remember: (path) => void remembered.push(path),
      }),
      isAppUrl,
    )
    // What the page calls: the preload's functions, over the stand-in ipcMain.
    const page = desktopApi(async (channel, request) =>
      bound.get(channel)!({ senderFrame: { url: APP_ENTRY } } as never, request),
    )
    return { library, host, dialog, shown, opened, remembered, bound, page, nativeTheme, viewed }
  }

  it('binds one channel per action, answered only for the app’s own page', async () => {
    const { bound } = await setUp()
    expect([...bound.keys()].sort()).toEqual(DESKTOP_ACTIONS.map(desktopChannel).sort())
    // Apart from the contract's channels.
    for (const method of METHODS) expect(bound.has(channelOf(method))).toBe(false)
    for (const action of DESKTOP_ACTIONS) {
      for (const url of ['https://evil.example/', 'file:///app/out/renderer/index.html', ''])
        expect(
          await bound.get(desktopChannel(action))!({ senderFrame: { url } } as never, 'backups'),
          url,
        ).toEqual({
          ok: false,
          error: { code: 'forbidden', message: 'request from an unknown page' },
        })
      // A frame inside the page, even one at the app's address, is not the page.
      expect(
        await bound.get(desktopChannel(action))!(
          { senderFrame: { url: APP_ENTRY, parent: { url: APP_ENTRY } } } as never,
          'backups',
        ),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
  })

  it('shows the library in the file manager, and its folders by name only', async () => {
    const { library, page, shown, bound } = await setUp()
    expect(await page.showLibrary()).toEqual({ ok: true, value: null })
    // No backup yet: the library's own folder is shown, where the backups will be.
    expect(await page.showFolder('backups')).toEqual({ ok: true, value: null })
    mkdirSync(join(library, '..', 'inbox'))
    expect(await page.showFolder('inbox')).toEqual({ ok: true, value: null })
    expect(shown).toEqual([
      `item:${library}`,
      `item:${library}`,
      `folder:${join(library, '..', 'inbox')}`,
    ])
    // A path, or anything but a folder's name, is refused: the page names no file.
    const showFolder = bound.get(desktopChannel('showFolder'))!
    for (const request of ['/etc', '../backups', { folder: 'inbox' }, undefined]) {
      expect(await showFolder({ senderFrame: { url: APP_ENTRY } } as never, request)).toEqual({
        ok: false,
        error: { code: 'invalid-request', message: 'showFolder: invalid request' },
      })
    }
    expect(shown).toHaveLength(3)
  })

  it('opens another library chosen in the file dialog, and says so', async () => {
    const other = await sampleLibrary()
    const { host, page, dialog, opened } = await setUp([other])
    expect(await page.openLibrary()).toEqual({ ok: true, value: { opened: other } })
    expect(opened).toEqual([other])
    expect(host.path).toBe(other)
    expect(dialog.opened[0]).toMatchObject({
      properties: ['openFile'],
      filters: [
        { name: 'Lectern libraries', extensions: ['sqlite'] },
        { name: 'All files', extensions: ['*'] },
      ],
    })
  })

  it('a cancelled dialog changes nothing', async () => {
    const { library, host, page, opened } = await setUp([null, null])
    expect(await page.openLibrary()).toEqual({ ok: true, value: { opened: null } })
    expect(await page.newLibrary()).toEqual({ ok: true, value: { opened: null } })
    expect(host.path).toBe(library)
    expect(opened).toEqual([])
  })

  it('refuses to open the library already open', async () => {
    const path = await sampleLibrary()
    const host = newHost()
    await host.open(path, never)
    const handlers = desktopHandlers({
      host,
      dialog: standInDialog([path]),
      shell: { showItemInFolder: () => {}, openPath: async () => '' },
      nativeTheme: { themeSource: 'system' },
      viewShown: () => {},
      opened: () => {
        throw new Error('not expected')
      },
      lost: () => {},
      remember: () => {
        throw new Error('not expected')
      },
    })
    await expect(handlers.openLibrary()).rejects.toThrow(`${path} is the library open now`)
    expect(host.path).toBe(path)
  })

  it('makes a new library in the folder chosen, and opens it', async () => {
    const folder = join(tempDir(), 'Papers 2027')
    const { host, page, opened } = await setUp([folder])
    const created = join(folder, 'library.sqlite')
    expect(await page.newLibrary()).toEqual({ ok: true, value: { opened: created } })
    expect(opened).toEqual([created])
    expect(host.path).toBe(created)
    expect(await papers(host)).toBe(0)
  })

  it('another backups folder comes from the app’s own dialog; the page names none', async () => {
    const folder = join(tempDir(), 'external', 'lectern-backups')
    const { library, page, dialog, shown, host } = await setUp([null, SAMPLE_PATH, folder])
    // Cancelled: nothing changes.
    expect(await page.chooseBackupsFolder()).toEqual({ ok: true, value: { folder: null } })
    // A file is refused, in the core's words.
    expect(await page.chooseBackupsFolder()).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('is a file, not a folder') },
    })
    expect(await page.chooseBackupsFolder()).toEqual({ ok: true, value: { folder } })
    expect(dialog.opened[2]).toMatchObject({
      properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
    })
    const info = await dispatch(host.context()!, 'libraryInfo', {})
    expect(info).toMatchObject({ ok: true, value: { backups: { folder, isDefault: false } } })
    // Show in Folder shows the folder chosen.
    expect(await page.showFolder('backups')).toEqual({ ok: true, value: null })
    expect(shown).toEqual([`folder:${folder}`])
    expect(host.path).toBe(library)
  })

  it('the sync folder comes from the app’s own dialog too; the page names none', async () => {
    const folder = join(tempDir(), 'Sync', 'lectern')
    mkdirSync(folder, { recursive: true })
    const { page, dialog, host } = await setUp([null, folder])
    // Cancelled: sync stays off.
    expect(await page.chooseSyncFolder()).toEqual({ ok: true, value: { folder: null } })
    expect(await dispatch(host.context()!, 'syncStatus', {})).toMatchObject({
      ok: true,
      value: { folder: null },
    })
    expect(await page.chooseSyncFolder()).toEqual({ ok: true, value: { folder } })
    expect(dialog.opened[1]).toMatchObject({
      title: 'Sync Folder',
      properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
    })
    // The library's sync folder now, for every host: a pass goes through it.
    expect(await dispatch(host.context()!, 'syncStatus', {})).toMatchObject({
      ok: true,
      value: { folder },
    })
    const pass = await dispatch(host.context()!, 'syncNow', {})
    expect(pass).toMatchObject({ ok: true, value: { folder } })
    expect(readdirSync(join(folder, 'devices'))).toHaveLength(1)
  })

  it('moves the library to the folder chosen, once the user agrees; remembers it and starts again', async () => {
    const target = join(tempDir(), 'Papers')
    const { library, host, page, dialog, opened, remembered } = await setUp(
      [target, target],
      [1, 0],
    )
    // Cancelled at the question: nothing moves.
    expect(await page.moveLibrary()).toEqual({ ok: true, value: { moved: null } })
    expect(host.path).toBe(library)
    expect(existsSync(join(target, 'library.sqlite'))).toBe(false)
    const reply = await page.moveLibrary()
    const to = join(target, 'library.sqlite')
    expect(reply).toEqual({
      ok: true,
      value: { moved: { from: library, path: to, backupsMoved: 0, remembered: true, left: [] } },
    })
    expect(dialog.boxes[1]).toMatchObject({
      message: 'Move the library?',
      detail: expect.stringContaining(`${library}\n→ ${target}`),
      buttons: ['Move', 'Cancel'],
    })
    // Remembered during the move (before the old files went), then the page starts again.
    expect(remembered).toEqual([to])
    expect(opened).toEqual([to])
    expect(host.path).toBe(to)
    expect(existsSync(library)).toBe(false)
    expect(await papers(host)).toBe(95)
  })

  it('the window’s own parts and the menu take the theme chosen; nothing else is a theme', async () => {
    const { page, nativeTheme, bound, viewed } = await setUp()
    expect(await page.setTheme('dark')).toEqual({ ok: true, value: null })
    expect(nativeTheme.themeSource).toBe('dark')
    expect(await page.setTheme('system')).toEqual({ ok: true, value: null })
    expect(nativeTheme.themeSource).toBe('system')
    expect(viewed).toEqual([{ theme: 'dark' }, { theme: 'system' }])
    for (const request of ['sepia', 'DARK', undefined, { theme: 'dark' }]) {
      expect(
        await bound.get(desktopChannel('setTheme'))!(
          { senderFrame: { url: APP_ENTRY } } as never,
          request,
        ),
      ).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    }
    expect(nativeTheme.themeSource).toBe('system')
    expect(viewed).toHaveLength(2)
  })

  it('the menu takes the panes the page shows; nothing else is a pane’s state', async () => {
    const { page, bound, viewed } = await setUp()
    expect(await page.setPanes({ sidebar: false, detail: true })).toEqual({ ok: true, value: null })
    expect(viewed).toEqual([{ panes: { sidebar: false, detail: true } }])
    const setPanes = bound.get(desktopChannel('setPanes'))!
    for (const request of [
      undefined,
      null,
      'sidebar',
      [true, true],
      { sidebar: false },
      { sidebar: 'no', detail: true },
      { sidebar: false, detail: true, devTools: true },
      { sidebar: 0, detail: 1 },
    ]) {
      expect(
        await setPanes({ senderFrame: { url: APP_ENTRY } } as never, request),
        JSON.stringify(request),
      ).toEqual({
        ok: false,
        error: { code: 'invalid-request', message: 'setPanes: invalid request' },
      })
    }
    // Only the app's own page is heard.
    expect(
      await setPanes({ senderFrame: { url: 'https://evil.example/' } } as never, {
        sidebar: false,
        detail: false,
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(viewed).toHaveLength(1)
  })

  it('the preload passes a folder’s or a theme’s name, the panes shown, and nothing else', async () => {
    const calls: [string, unknown][] = []
    const api = desktopApi(async (channel, request) => {
      calls.push([channel, request])
      return { ok: true, value: null }
    })
    expect(Object.keys(api).sort()).toEqual([...DESKTOP_ACTIONS].sort())
    await api.showFolder('inbox')
    await api.setTheme('light')
    await api.setPanes({ sidebar: true, detail: false })
    await (api.openLibrary as (x: unknown) => Promise<unknown>)('/etc/passwd')
    await (api.showLibrary as (x: unknown) => Promise<unknown>)({ path: '/' })
    await (api.moveLibrary as (x: unknown) => Promise<unknown>)('/tmp/elsewhere')
    await (api.chooseBackupsFolder as (x: unknown) => Promise<unknown>)('/tmp/elsewhere')
    expect(calls).toEqual([
      [desktopChannel('showFolder'), 'inbox'],
      [desktopChannel('setTheme'), 'light'],
      [desktopChannel('setPanes'), { sidebar: true, detail: false }],
      [desktopChannel('openLibrary'), undefined],
      [desktopChannel('showLibrary'), undefined],
      [desktopChannel('moveLibrary'), undefined],
      [desktopChannel('chooseBackupsFolder'), undefined],
    ])
  })
})
