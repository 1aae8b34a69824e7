// The Settings screen in the browser host: where the library lives (and the command that serves
// another, since a browser cannot open one), Back up now, how often and how many backups (kept
// in the library, which the command line sees), a backups folder chosen elsewhere, the inbox
// switch, the theme (this browser's, applied at once and kept across reloads), a library whose
// files are read-only: served for reading, said so, and nothing offered that would change it;
// and Move…, as the desktop app offers it (its main process stood in for: no Electron here).
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import {
  test as base,
  expect,
  CLI,
  SAMPLE,
  bodyRows,
  readyApp,
  screenshots,
  startServer,
} from './fixtures'
import type { Server } from './fixtures'

/** A library of the sample, served; `readOnly` makes its file read-only first. */
function sampleServer(readOnly: boolean) {
  // eslint-disable-next-line no-empty-pattern
  return async ({}, use: (server: Server) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-e2e-'))
    const library = join(dir, 'library.sqlite')
    execFileSync(process.execPath, [CLI, '--library', library, 'import', SAMPLE])
    if (readOnly) chmodSync(library, 0o444)
    const server = await startServer(library)
    await use(server)
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const test = base.extend<{ sample: Server; readOnlySample: Server }>({
  sample: sampleServer(false),
  readOnlySample: sampleServer(true),
})

async function openApp(page: Page, server: Server): Promise<void> {
  await page.goto(server.url)
  await expect(readyApp(page)).toBeVisible()
}

function settings(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Settings' })
  return {
    dialog,
    library: dialog.getByRole('region', { name: 'Library' }),
    backups: dialog.getByRole('region', { name: 'Backups' }),
    inbox: dialog.getByRole('region', { name: 'Inbox' }),
    appearance: dialog.getByRole('region', { name: 'Appearance' }),
  }
}

/** The theme in force, as the page's root carries it and as its background shows it. */
async function themeShown(page: Page): Promise<{ theme: string | null; background: string }> {
  return page.evaluate(() => ({
    theme: document.documentElement.dataset.theme ?? null,
    background: getComputedStyle(document.documentElement).backgroundColor,
  }))
}

const LIGHT = { theme: 'light', background: 'rgb(247, 247, 245)' }
const DARK = { theme: 'dark', background: 'rgb(22, 24, 28)' }

test('Ctrl+, opens Settings: where the library is, its papers and size, and its path copied', async ({
  page,
  context,
  sample,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await openApp(page, sample)
  await page.keyboard.press('Control+Comma')
  const { dialog, library, backups, inbox } = settings(page)
  await expect(dialog).toBeVisible()
  await expect(library).toContainText(sample.library)
  await expect(library.getByTestId('library-facts')).toHaveText(/^95 papers · \d+ KB on disk$/)
  await expect(backups).toContainText(join(sample.dir, 'backups'))
  await expect(backups).toContainText('once a day while it is open, and keeps the newest 7')
  await expect(inbox).toContainText(join(sample.dir, 'inbox'))
  // A browser cannot open another library or show a folder: it is told how to serve another.
  await expect(library).toContainText('lectern --library FILE serve')
  await expect(
    dialog.getByRole('button', { name: /Open Another Library|New Library/ }),
  ).toHaveCount(0)
  await expect(dialog.getByRole('button', { name: /^Show in/ })).toHaveCount(0)
  await library.getByRole('button', { name: 'Copy the library’s path' }).click()
  await expect(library.getByRole('button', { name: 'Copy the library’s path' })).toHaveText(
    'Copied',
  )
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(sample.library)
  // Nothing reads below the AA contrast ratio, nothing unnamed, in either theme.
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    const results = await new AxeBuilder({ page })
      .include('dialog[open]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze()
    expect(results.violations.map((v) => `${colorScheme} ${v.id}`)).toEqual([])
  }
  await screenshots(page, 'settings')
  // Over another dialog Ctrl+, opens nothing; Esc closes Settings.
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await page.keyboard.press('?')
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Ctrl+,')
  await page.keyboard.press('Control+Comma')
  await expect(dialog).toBeHidden()
})

test('the theme is applied at once, kept across a reload, and System follows the computer', async ({
  page,
  sample,
}) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await openApp(page, sample)
  expect(await themeShown(page)).toEqual(LIGHT)
  await page.getByRole('button', { name: 'Settings…' }).click()
  const { appearance } = settings(page)
  await expect(appearance.getByRole('radio', { name: 'System' })).toBeChecked()
  await appearance.getByRole('radio', { name: 'Dark' }).check()
  expect(await themeShown(page)).toEqual(DARK)
  // The computer's setting no longer matters once a theme is chosen.
  await page.emulateMedia({ colorScheme: 'light' })
  await page.reload()
  await expect(readyApp(page)).toBeVisible()
  expect(await themeShown(page)).toEqual(DARK)
  await page.getByRole('button', { name: 'Settings…' }).click()
  await expect(appearance.getByRole('radio', { name: 'Dark' })).toBeChecked()
  await appearance.getByRole('radio', { name: 'Light' }).check()
  await page.emulateMedia({ colorScheme: 'dark' })
  expect(await themeShown(page)).toEqual(LIGHT)
  // System: the computer's, as it changes.
  await appearance.getByRole('radio', { name: 'System' }).check()
  expect(await themeShown(page)).toEqual(DARK)
  await expect(appearance).toContainText('(dark now)')
  await page.emulateMedia({ colorScheme: 'light' })
  await expect.poll(() => themeShown(page)).toEqual(LIGHT)
})

test('Back up now makes a backup, shown as the last one; Backups… lists it', async ({
  page,
  sample,
}) => {
  await openApp(page, sample)
  await page.getByRole('button', { name: 'Settings…' }).click()
  const { dialog, backups } = settings(page)
  await expect(backups.getByTestId('last-backup')).toHaveText('Last backup: none yet')
  await backups.getByRole('button', { name: 'Back up now' }).click()
  await expect(backups.getByRole('status')).toHaveText('Backed up 95 papers.')
  await expect(backups.getByTestId('last-backup')).toHaveText(/^Last backup: .+ \(manual\)$/)
  const made = readdirSync(join(sample.dir, 'backups'))
  expect(made).toEqual([expect.stringMatching(/^library-manual-.*\.sqlite$/)])
  await backups.getByRole('button', { name: 'Backups…' }).click()
  await expect(dialog).toBeHidden()
  const list = page.getByRole('dialog', { name: 'Backups' })
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await expect(list.getByRole('listitem')).toContainText('Manual')
})

test('the inbox switch is kept in the library: the command line sees it', async ({
  page,
  sample,
}) => {
  await openApp(page, sample)
  await page.getByRole('button', { name: 'Settings…' }).click()
  const { dialog, inbox } = settings(page)
  const box = inbox.getByRole('checkbox', { name: 'Import the dumps saved into the inbox folder' })
  await expect(box).not.toBeChecked()
  await box.check()
  await expect(box).toBeChecked()
  const seen = (): string =>
    execFileSync(process.execPath, [CLI, '--library', sample.library, 'settings'], {
      encoding: 'utf8',
    })
  // Read by `lectern settings` while `lectern serve` holds the library.
  await expect.poll(seen).toContain('on: dumps saved there are imported')
  await dialog.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('button', { name: 'Settings…' }).click()
  await expect(box).toBeChecked()
  await box.uncheck()
  await expect.poll(seen).toContain('off (lectern settings --inbox on)')
})

// The refusal rests on the permission bits, which Windows does not have.
test.describe(() => {
  test.skip(process.platform === 'win32', 'read-only by permission bits')

  test('a read-only library: said so, nothing that would change it offered, a change by key refused', async ({
    page,
    readOnlySample,
  }) => {
    await openApp(page, readOnlySample)
    await expect(page.getByTestId('read-only')).toContainText(
      'This library’s files cannot be written',
    )
    for (const name of ['Import…', 'Paste…', 'Undo', 'Redo'])
      await expect(page.getByRole('button', { name, exact: true })).toBeDisabled()
    await expect(page.getByRole('button', { name: 'Export…' })).toBeEnabled()
    await bodyRows(page).first().click()
    const pane = page.getByTestId('detail')
    await expect(pane.getByRole('radio', { name: 'Read', exact: true })).toBeDisabled()
    await expect(pane.getByRole('button', { name: 'Star' })).toBeDisabled()
    await expect(pane.getByRole('button', { name: 'Delete…' })).toHaveCount(0)
    await expect(pane.getByRole('combobox', { name: 'Add tag' })).toHaveCount(0)
    await expect(pane.getByRole('textbox', { name: 'Note' })).toHaveAttribute('readonly', '')
    await expect(pane.getByTestId('note-state')).toHaveText('Read-only')
    // A key that would change the paper is refused by the library, in words that say why.
    await bodyRows(page).first().click()
    await page.keyboard.press('4')
    await expect(
      page.getByText('Not done: this library is read-only.', { exact: true }),
    ).toBeVisible()
    await expect(pane.getByRole('radio', { name: 'New', exact: true })).toHaveAttribute(
      'aria-checked',
      'true',
    )

    await page.getByRole('button', { name: 'Settings…', exact: true }).first().click()
    const { library, backups, inbox } = settings(page)
    await expect(library.getByTestId('library-facts')).toContainText('95 papers')
    await expect(library.getByTestId('library-facts')).toContainText('read-only')
    await expect(library).toContainText('cannot be written')
    await expect(inbox.getByRole('checkbox')).toBeDisabled()
    // A copy of a read-only library can still be made.
    await backups.getByRole('button', { name: 'Back up now' }).click()
    await expect(backups.getByRole('status')).toHaveText('Backed up 95 papers.')
    await screenshots(page, 'settings-read-only')
  })
})

test('how often and how many backups: chosen here, kept in the library, seen by the command line', async ({
  page,
  sample,
}) => {
  await openApp(page, sample)
  await page.getByRole('button', { name: 'Settings…' }).click()
  const { backups } = settings(page)
  const schedule = backups.getByTestId('backup-schedule')
  const every = backups.getByRole('combobox', { name: 'Automatic backups' })
  await expect(every).toHaveValue('daily')
  await every.selectOption({ label: 'Once a week' })
  await expect(schedule).toHaveText(
    'Lectern makes a checked copy of this library once a week while it is open, and keeps the newest 7.',
  )
  const kept = backups.getByRole('spinbutton', { name: 'Keep the newest' })
  await kept.fill('3')
  await kept.press('Enter')
  await expect(schedule).toContainText('once a week while it is open, and keeps the newest 3.')
  // Nonsense is said so, and not saved.
  await kept.fill('0')
  await kept.press('Enter')
  await expect(backups.getByRole('alert')).toHaveText('Keep from 1 to 100 automatic backups.')
  await expect(schedule).toContainText('keeps the newest 3.')
  const seen = (): string =>
    execFileSync(process.execPath, [CLI, '--library', sample.library, 'settings'], {
      encoding: 'utf8',
    })
  await expect
    .poll(seen)
    .toContain('once a week while the app or lectern serve has the library open; the newest 3 kept')
  await every.selectOption({ label: 'Off' })
  await expect(schedule).toContainText('No automatic copies are made')
  await expect.poll(seen).toContain('automatic backups off')
  // A browser names no folder on the computer: it says which command does.
  await expect(backups.getByRole('button', { name: 'Change Folder…' })).toHaveCount(0)
  await expect(backups).toContainText('lectern settings --backups-folder FOLDER')
  // Moving the library likewise.
  const { library } = settings(page)
  await expect(library.getByRole('button', { name: 'Move…' })).toHaveCount(0)
  await expect(library).toContainText('lectern move-library FOLDER')
})

test('a backups folder chosen elsewhere is shown, and the folder beside the library taken back', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-e2e-'))
  const library = join(dir, 'library.sqlite')
  const chosen = join(dir, 'other-disk', 'backups')
  execFileSync(process.execPath, [CLI, '--library', library, 'import', SAMPLE])
  execFileSync(process.execPath, [
    CLI,
    '--library',
    library,
    'settings',
    '--backups-folder',
    chosen,
  ])
  execFileSync(process.execPath, [CLI, '--library', library, 'backup'])
  const server = await startServer(library)
  try {
    await openApp(page, server)
    await page.getByRole('button', { name: 'Settings…' }).click()
    const { dialog, backups } = settings(page)
    await expect(backups.getByRole('code').first()).toHaveText(chosen)
    await expect(backups.getByTestId('last-backup')).toHaveText(/\(manual\)$/)
    await backups.getByRole('button', { name: 'Use the Folder Beside the Library' }).click()
    await expect(backups.getByRole('code').first()).toHaveText(join(dir, 'backups'))
    // The backup made in the folder chosen before is still listed, and can be restored.
    await expect(backups.getByTestId('other-backup-folders')).toContainText(chosen)
    await backups.getByRole('button', { name: 'Backups…' }).click()
    await expect(dialog).toBeHidden()
    const list = page.getByRole('dialog', { name: 'Backups' })
    await expect(list.getByRole('listitem')).toHaveCount(1)
    await expect(list.getByRole('listitem')).toContainText('in a folder used before')
    await list.getByRole('button', { name: 'Restore…' }).click()
    await list.getByRole('button', { name: 'Restore', exact: true }).click()
    await expect(list.getByRole('status')).toHaveText(
      'Restored 95 papers. The library as it was is kept as a backup.',
    )
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

/**
 * The desktop app's bridge, standing in for its main process (no Electron here): each call is
 * counted on `window.desktopCalls`, and Move… answers with `window.moveAnswers`, one per call.
 */
async function standInDesktop(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as {
      lecternDesktop: unknown
      desktopCalls: string[]
      moveAnswers: unknown[]
    }
    w.desktopCalls = []
    w.moveAnswers = []
    const ok = (value: unknown) => Promise.resolve({ ok: true, value })
    const named = (action: string, answer: () => Promise<unknown>) => () => {
      w.desktopCalls.push(action)
      return answer()
    }
    w.lecternDesktop = {
      showLibrary: named('showLibrary', () => ok(null)),
      showFolder: named('showFolder', () => ok(null)),
      openLibrary: named('openLibrary', () => ok({ opened: null })),
      newLibrary: named('newLibrary', () => ok({ opened: null })),
      chooseBackupsFolder: named('chooseBackupsFolder', () => ok({ folder: null })),
      chooseSyncFolder: named('chooseSyncFolder', () => ok({ folder: null })),
      moveLibrary: named('moveLibrary', () => Promise.resolve(w.moveAnswers.shift())),
      // What the page tells the app it shows (the menu's marks): every action the bridge has.
      setTheme: () => ok(null),
      setPanes: () => ok(null),
    }
  })
}

test('in the desktop app, Move… asks the app to move the library, and says where it went or why not', async ({
  page,
  sample,
}) => {
  await standInDesktop(page)
  await openApp(page, sample)
  const target = join(sample.dir, 'Papers', 'library.sqlite')
  await page.evaluate(
    ({ target, from }) => {
      const w = window as unknown as { moveAnswers: unknown[] }
      w.moveAnswers.push(
        {
          ok: false,
          error: {
            code: 'library-error',
            message: `${target.replace(/\/library\.sqlite$/, '')} holds a library already; choose another folder`,
          },
        },
        { ok: true, value: { moved: null } },
        {
          ok: true,
          value: { moved: { from, path: target, backupsMoved: 2, remembered: true, left: [] } },
        },
      )
    },
    { target, from: sample.library },
  )
  await page.getByRole('button', { name: 'Settings…' }).click()
  const { library, backups } = settings(page)
  await expect(backups.getByRole('button', { name: 'Change Folder…' })).toBeVisible()
  await expect(library).not.toContainText('lectern move-library')
  const move = library.getByRole('button', { name: 'Move…' })
  await move.click()
  await expect(library.getByRole('alert')).toHaveText(
    `${join(sample.dir, 'Papers')} holds a library already; choose another folder`,
  )
  // Cancelled in the app's dialog: nothing said.
  await move.click()
  await expect(library.getByRole('alert')).toHaveCount(0)
  await expect(library.getByRole('status')).toHaveCount(0)
  await move.click()
  await expect(library.getByRole('status')).toHaveText(`Moved to ${target} with 2 backups.`)
  expect(
    await page.evaluate(() => (window as unknown as { desktopCalls: string[] }).desktopCalls),
  ).toEqual(['moveLibrary', 'moveLibrary', 'moveLibrary'])
})

test('in the desktop app, the sync folder is chosen in the app’s own dialog; in a browser, the command is shown', async ({
  page,
  sample,
}) => {
  await openApp(page, sample)
  await page.getByRole('button', { name: 'Settings…' }).click()
  const sync = settings(page).dialog.getByRole('region', { name: 'Sync' })
  await expect(sync).toContainText('lectern sync FOLDER --remember')
  await expect(sync.getByRole('button', { name: 'Choose Sync Folder…' })).toHaveCount(0)
  await page.keyboard.press('Escape')

  await standInDesktop(page)
  await page.reload()
  await expect(readyApp(page)).toBeVisible()
  await page.getByRole('button', { name: 'Settings…' }).click()
  await expect(sync).not.toContainText('lectern sync FOLDER')
  // Cancelled in the app's dialog: sync stays off.
  await sync.getByRole('button', { name: 'Choose Sync Folder…' }).click()
  await expect(sync.getByRole('button', { name: 'Choose Sync Folder…' })).toBeVisible()
  expect(
    await page.evaluate(() => (window as unknown as { desktopCalls: string[] }).desktopCalls),
  ).toEqual(['chooseSyncFolder'])
})
