// The watched folder of the browser host: a dump saved into it shows up in the open window.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, readyApp, rowWith, startServer } from './fixtures'
import type { Server } from './fixtures'

const test = base.extend<{ watched: Server & { inbox: string } }>({
  // eslint-disable-next-line no-empty-pattern
  watched: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-e2e-'))
    const inbox = join(dir, 'inbox')
    mkdirSync(inbox)
    const server = await startServer(join(dir, 'library.sqlite'), ['--inbox', inbox])
    await use({ ...server, inbox })
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  },
})

test('a dump saved into the watched folder is imported, moved to processed/, and shown', async ({
  page,
  watched: server,
}) => {
  await page.goto(server.url)
  await expect(readyApp(page)).toBeVisible()
  writeFileSync(
    join(server.inbox, 'saved.bib'),
    '@article{a, title = {A Paper From The Inbox}, year = 2025, abstract = {Saved into the folder.}}\n',
  )
  // Imported once complete, then the window notices the library changed.
  await expect(rowWith(page, 'A Paper From The Inbox')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '1')
  expect(existsSync(join(server.inbox, 'processed', 'saved.bib'))).toBe(true)

  writeFileSync(join(server.inbox, 'broken.json'), '[{"title": "Never Closed", "abstract": ')
  await expect
    .poll(() => existsSync(join(server.inbox, 'failed', 'broken.json.txt')), { timeout: 30_000 })
    .toBe(true)
  expect(readFileSync(join(server.inbox, 'failed', 'broken.json.txt'), 'utf8')).toContain(
    'broken.json, line 1',
  )
  await expect(page.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '1')
})

test('Settings switches on the inbox beside the library; a dump saved there shows up', async ({
  app,
  server,
}) => {
  await app.getByRole('button', { name: 'Settings…' }).click()
  const dialog = app.getByRole('dialog', { name: 'Settings' })
  const inbox = join(server.dir, 'inbox')
  await expect(dialog).toContainText(inbox)
  await dialog.getByRole('checkbox', { name: /inbox folder/ }).check()
  await expect(dialog.getByRole('checkbox', { name: /inbox folder/ })).toBeChecked()
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect.poll(() => existsSync(inbox), { timeout: 30_000 }).toBe(true)
  writeFileSync(join(inbox, 'later.ris'), 'TY  - JOUR\nTI  - Saved Into The Inbox\nER  - \n')
  await expect(rowWith(app, 'Saved Into The Inbox')).toBeVisible({ timeout: 30_000 })
  expect(existsSync(join(inbox, 'processed', 'later.ris'))).toBe(true)
})
