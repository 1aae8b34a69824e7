import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, expect, CLI, SAMPLE, bodyRows, startServer } from './fixtures'

test('a damaged library is explained and restored from its newest good backup', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-e2e-'))
  const library = join(dir, 'library.sqlite')
  execFileSync(process.execPath, [CLI, '--library', library, 'import', SAMPLE])
  execFileSync(process.execPath, [
    CLI,
    '--library',
    library,
    'set',
    '3',
    '--note',
    'kept in the backup',
  ])
  execFileSync(process.execPath, [CLI, '--library', library, 'backup'])
  writeFileSync(library, 'a disk error turned this into noise')
  const server = await startServer(library)
  try {
    await page.goto(server.url)
    const recovery = page.getByTestId('recovery')
    await expect(recovery).toContainText('Your library needs attention')
    await expect(recovery).toContainText('is not an SQLite database')
    await recovery.getByRole('button', { name: /Restore the backup from .* \(95 papers\)/ }).click()
    await expect(page.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
    expect(readdirSync(dir).some((name) => name.startsWith('library.sqlite.damaged-'))).toBe(true)
    await bodyRows(page).and(page.locator('[data-paper-id="3"]')).click()
    await expect(page.getByRole('textbox', { name: 'Note' })).toHaveValue('kept in the backup')
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('back up now, change something, restore the backup', async ({ app }) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  await app.getByRole('button', { name: 'Backups…' }).click()
  const dialog = app.getByRole('dialog', { name: 'Backups' })
  await dialog.getByRole('button', { name: 'Back up now' }).click()
  await expect(dialog.getByRole('status')).toContainText('Backed up 95 papers')
  await dialog.getByRole('button', { name: 'Close' }).click()

  await bodyRows(app).first().click()
  await app.getByRole('radio', { name: 'Skipped' }).click()
  await expect(app.getByRole('button', { name: /Skipped\s*1/ })).toBeVisible()

  await app.getByRole('button', { name: 'Backups…' }).click()
  await dialog.getByRole('button', { name: 'Restore…' }).first().click()
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect(dialog.getByRole('status')).toContainText('Restored 95 papers')
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(app.getByRole('button', { name: /Skipped\s*0/ })).toBeVisible()
  // The library as it was before the restore is itself a backup now.
  await app.getByRole('button', { name: 'Backups…' }).click()
  await expect(dialog.getByText('Before a restore')).toBeVisible()
})

test('a note that cannot be saved says so, keeps the text and retries', async ({ app }) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await bodyRows(app).first().click()
  let refusals = 2
  await app.route('**/api/setNote', async (route) => {
    if (refusals > 0) {
      refusals -= 1
      await route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          ok: false,
          error: {
            code: 'write-failed',
            message: 'could not write library.sqlite.journal: the disk is full (ENOSPC)',
          },
        }),
      })
    } else {
      await route.continue()
    }
  })
  await app.getByRole('textbox', { name: 'Note' }).fill('typed while the disk was full')
  await expect(app.getByTestId('note-state')).toContainText('Not saved — retrying')
  await expect(app.getByTestId('note-state')).toContainText('the disk is full')
  await expect(app.getByRole('textbox', { name: 'Note' })).toHaveValue(
    'typed while the disk was full',
  )
  await expect(app.getByTestId('note-state')).toHaveText('Saved', { timeout: 20_000 })
  await app.reload()
  await bodyRows(app).first().click()
  await expect(app.getByRole('textbox', { name: 'Note' })).toHaveValue(
    'typed while the disk was full',
  )
})
