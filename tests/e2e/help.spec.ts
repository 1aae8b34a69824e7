// The View and Help menus' part in the page, through `lectern serve`: Lectern Help (the README's
// sections for users, rendered as a note's Markdown is) from F1, the toolbar and the shortcut
// sheet; the sidebar and the detail pane hidden and shown from the keyboard and the toolbar,
// and kept so; and the desktop menu's commands, played here through a stand-in for the preload's
// bridges: the theme and pane commands change the window by the same ways Settings and the keys
// do, and the page tells the main process what it shows, whichever way it changed.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { test, expect, bodyRows, readyApp, screenshots, SHOTS } from './fixtures'

const grid = (app: Page) => app.getByRole('grid', { name: 'Papers' })
const sidebar = (app: Page) => app.getByRole('navigation', { name: 'Views' })
const detail = (app: Page) => app.getByRole('complementary', { name: 'Paper' })
const help = (app: Page) => app.getByRole('dialog', { name: 'Lectern Help' })

async function loadSample(app: Page): Promise<void> {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '95')
}

/** Whether the focus is inside the element the locator finds. */
async function holdsFocus(app: Page, selector: string): Promise<boolean> {
  return app.evaluate(
    (s) => document.querySelector(s)?.contains(document.activeElement) ?? false,
    selector,
  )
}

/** Whether an element of the page outside the open dialog has the focus. */
async function outsideDialog(app: Page): Promise<boolean> {
  return app.evaluate(() => {
    const focused = document.activeElement
    return focused !== null && focused !== document.body && !focused.closest('dialog[open]')
  })
}

test('Lectern Help shows the manual: from F1, the toolbar and the shortcut sheet', async ({
  app,
}) => {
  test.slow(!!SHOTS, 'screenshots at two sizes in two themes')
  await app.keyboard.press('F1')
  const dialog = help(app)
  await expect(dialog).toBeVisible()
  const manual = dialog.getByTestId('manual')
  // The README's sections for users, one level under the dialog's title; not the developers'.
  for (const name of ['What it does', 'Formats', 'Command line', 'Your data'])
    await expect(manual.getByRole('heading', { level: 3, name, exact: true })).toBeVisible()
  for (const name of ['Keyboard', 'Menus', 'Settings', 'Backups'])
    await expect(manual.getByRole('heading', { level: 4, name, exact: true })).toHaveCount(1)
  for (const name of ['Run it', 'Measure it', 'Security', 'Build installers', 'How it is built'])
    await expect(manual.getByRole('heading', { name, exact: true })).toHaveCount(0)
  await expect(manual).toContainText('An offline reading list for research papers.')
  await expect(manual.getByRole('table').first()).toBeVisible()
  // The README's pictures are files the page does not carry: left out, with their paragraphs.
  await expect(manual.locator('img')).toHaveCount(0)
  expect(
    await manual.evaluate(
      (el) => [...el.querySelectorAll('p')].filter((p) => !p.textContent?.trim()).length,
    ),
  ).toBe(0)
  // Nothing of the app's own kind gets through the cleaning: no scripts, styles, forms, handlers.
  expect(
    await manual.evaluate(
      (el) =>
        el.querySelectorAll('script, style, form, input, button, iframe, [style], [onclick]')
          .length,
    ),
  ).toBe(0)
  // Every link goes to a heading of the manual, or opens outside the app as a note's links do.
  const links = await manual.locator('a').evaluateAll((all) =>
    all.map((a) => ({
      href: a.getAttribute('href') ?? '',
      target: a.getAttribute('target'),
      rel: a.getAttribute('rel'),
    })),
  )
  expect(links.length).toBeGreaterThan(0)
  for (const link of links) {
    if (link.href.startsWith('#'))
      expect(await manual.locator(`[id="${link.href.slice(1)}"]`).count(), link.href).toBe(1)
    else expect(link, link.href).toMatchObject({ target: '_blank', rel: 'noopener noreferrer' })
  }
  // The manual has the keyboard at once: the arrow keys and Page Down scroll it.
  expect(await holdsFocus(app, '[data-testid="manual"]')).toBe(true)
  await app.keyboard.press('PageDown')
  await expect.poll(() => manual.evaluate((el) => el.scrollTop)).toBeGreaterThan(0)

  // The contents and the manual's own links move within it, the focus with them; the page's
  // address stays as it was.
  const address = app.url()
  await dialog
    .getByRole('navigation', { name: 'Contents' })
    .getByRole('link', { name: 'Menus' })
    .click()
  const menus = manual.getByRole('heading', { name: 'Menus', exact: true })
  await expect(menus).toBeFocused()
  await expect(menus).toBeInViewport()
  await manual.getByRole('link', { name: 'Settings', exact: true }).first().click()
  await expect(manual.getByRole('heading', { name: 'Settings', exact: true })).toBeFocused()
  expect(app.url()).toBe(address)
  // The keyboard never reaches the page behind the dialog (inert while it is open), on from its
  // last control too; Esc closes it (below).
  for (const from of ['Settings', 'Close']) {
    if (from === 'Close') await dialog.getByRole('button', { name: 'Close' }).focus()
    for (let i = 0; i < 4; i++) {
      await app.keyboard.press('Tab')
      expect(await outsideDialog(app)).toBe(false)
    }
  }
  // Nothing reads below the AA contrast ratio, nothing unnamed, in either theme.
  for (const colorScheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme })
    const results = await new AxeBuilder({ page: app })
      .include('dialog[open]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze()
    expect(results.violations.map((v) => `${colorScheme} ${v.id}`)).toEqual([])
  }
  await app.emulateMedia({ colorScheme: 'light' })
  await manual.evaluate((el) => el.scrollTo(0, 0))
  await screenshots(app, 'help')
  await app.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)

  // From the toolbar, and from the shortcut sheet (which it replaces).
  await app.getByRole('button', { name: 'Help', exact: true }).click()
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toHaveCount(0)
  await app.keyboard.press('?')
  const sheet = app.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(sheet).toContainText('F1')
  await sheet.getByRole('button', { name: 'Lectern Help…' }).click()
  await expect(dialog).toBeVisible()
  await expect(sheet).toHaveCount(0)
  // Over another dialog F1 opens nothing.
  await app.keyboard.press('Escape')
  await app.keyboard.press('Control+Comma')
  await expect(app.getByRole('dialog', { name: 'Settings' })).toBeVisible()
  await app.keyboard.press('F1')
  await expect(dialog).toHaveCount(0)
})

test('the sidebar and the detail pane hide and show from the keyboard and the toolbar, and stay so', async ({
  app,
}) => {
  await loadSample(app)
  await bodyRows(app).first().click()
  await expect(detail(app)).toBeVisible()
  const table = grid(app)
  const before = (await table.boundingBox())!.width
  const views = app.getByRole('button', { name: 'Views', exact: true })
  const pane = app.getByRole('button', { name: 'Detail pane' })
  await expect(views).toHaveAttribute('aria-expanded', 'true')
  await expect(pane).toHaveAttribute('aria-pressed', 'true')

  await app.keyboard.press('Control+b')
  await expect(sidebar(app)).toBeHidden()
  await expect(views).toHaveAttribute('aria-expanded', 'false')
  await app.keyboard.press('Control+j')
  await expect(detail(app)).toHaveCount(0)
  await expect(pane).toHaveAttribute('aria-pressed', 'false')
  // The papers take the room the panes had.
  await expect.poll(async () => (await table.boundingBox())!.width).toBeGreaterThan(before + 500)

  // Kept across a reload, as the panes' widths are.
  await app.reload()
  await expect(readyApp(app)).toBeVisible()
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '95')
  await expect(sidebar(app)).toBeHidden()
  await expect(detail(app)).toHaveCount(0)

  // The toolbar brings each back; Enter on a paper brings the detail pane back for it too.
  await views.click()
  await expect(sidebar(app)).toBeVisible()
  await pane.click()
  await expect(detail(app)).toBeVisible()
  await pane.click()
  await expect(detail(app)).toHaveCount(0)
  await bodyRows(app).first().click()
  await app.keyboard.press('Enter')
  await expect(detail(app)).toBeVisible()
  await expect(detail(app).getByRole('heading', { level: 2 })).toBeFocused()

  // The keys work from a text field too (they type nothing), and leave the text alone.
  const search = app.getByRole('searchbox', { name: 'Search papers' })
  await search.click()
  await app.keyboard.press('Control+b')
  await expect(sidebar(app)).toBeHidden()
  await expect(search).toHaveValue('')
  await app.keyboard.press('Control+b')
  await expect(sidebar(app)).toBeVisible()
})

test('the menu’s theme and pane commands go the way Settings and the keys go, and the menu hears what the page shows', async ({
  page,
  server,
}) => {
  // The preload's bridges as the desktop app gives them: the menu's commands, played from the
  // test, and the desktop actions, which record what the page tells the main process.
  await page.addInitScript(() => {
    const told: [string, unknown][] = []
    const listeners = new Set<(command: string) => void>()
    const ok = async () => ({ ok: true, value: null })
    Object.assign(window, {
      told,
      menu: (command: string) => listeners.forEach((l) => l(command)),
      lecternMenu: {
        onCommand: (listener: (command: string) => void) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
      },
      lecternDesktop: {
        showLibrary: ok,
        showFolder: ok,
        openLibrary: async () => ({ ok: true, value: { opened: null } }),
        newLibrary: async () => ({ ok: true, value: { opened: null } }),
        setTheme: async (theme: unknown) => (told.push(['setTheme', theme]), ok()),
        setPanes: async (panes: unknown) => (told.push(['setPanes', panes]), ok()),
      },
    })
  })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(server.url)
  await expect(readyApp(page)).toBeVisible()
  const menu = (command: string) =>
    page.evaluate((c) => (window as never as { menu: (c: string) => void }).menu(c), command)
  const told = () => page.evaluate(() => (window as never as { told: unknown[] }).told.slice())
  const last = async (what: string) =>
    (await told()).filter((t) => (t as [string])[0] === what).at(-1)
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme)

  // At start the page says what it shows, so that the marks are right from the first.
  await expect.poll(() => last('setTheme')).toEqual(['setTheme', 'system'])
  await expect.poll(() => last('setPanes')).toEqual(['setPanes', { sidebar: true, detail: true }])

  // View › Theme › Dark: applied as Settings applies it, and Settings agrees.
  await menu('themeDark')
  await expect.poll(theme).toBe('dark')
  await expect.poll(() => last('setTheme')).toEqual(['setTheme', 'dark'])
  await page.keyboard.press('Control+Comma')
  const appearance = page
    .getByRole('dialog', { name: 'Settings' })
    .getByRole('region', { name: 'Appearance' })
  await expect(appearance.getByRole('radio', { name: 'Dark' })).toBeChecked()
  // A choice in Settings reaches the menu; one from the menu, over the open dialog, reaches
  // Settings.
  await appearance.getByRole('radio', { name: 'Light' }).check()
  await expect.poll(() => last('setTheme')).toEqual(['setTheme', 'light'])
  await menu('themeSystem')
  await expect(appearance.getByRole('radio', { name: 'System' })).toBeChecked()
  await expect.poll(() => last('setTheme')).toEqual(['setTheme', 'system'])
  await expect.poll(theme).toBe('light')
  await page.keyboard.press('Escape')

  // View › Sidebar and View › Detail Pane, and the keys: each change is told.
  await menu('toggleSidebar')
  await expect(sidebar(page)).toBeHidden()
  await expect.poll(() => last('setPanes')).toEqual(['setPanes', { sidebar: false, detail: true }])
  await menu('toggleDetail')
  await expect(page.getByRole('button', { name: 'Detail pane' })).toHaveAttribute(
    'aria-pressed',
    'false',
  )
  await expect.poll(() => last('setPanes')).toEqual(['setPanes', { sidebar: false, detail: false }])
  await page.keyboard.press('Control+b')
  await expect(sidebar(page)).toBeVisible()
  await expect.poll(() => last('setPanes')).toEqual(['setPanes', { sidebar: true, detail: false }])
  // A narrow window folds the sidebar away: the menu hears it is not on screen, and the same
  // command opens it over the papers.
  await page.setViewportSize({ width: 800, height: 600 })
  await expect.poll(() => last('setPanes')).toEqual(['setPanes', { sidebar: false, detail: false }])
  await menu('toggleSidebar')
  await expect(sidebar(page)).toBeVisible()
  await expect.poll(() => last('setPanes')).toEqual(['setPanes', { sidebar: true, detail: false }])

  // Help › Lectern Help.
  await menu('help')
  await expect(help(page)).toBeVisible()
  await expect(
    help(page).getByRole('heading', { level: 3, name: 'What it does', exact: true }),
  ).toBeVisible()
})
