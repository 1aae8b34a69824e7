// Deleting from the window, undoing it, and importing several files as one all-or-nothing import.
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { test, expect, SAMPLE, drop } from './fixtures'

const sampleTitles = readFileSync(SAMPLE, 'utf8')
  .split('\n\n')
  .slice(6)
  .filter((_, i) => i % 2 === 0)

const rowOf = (app: Page, title: string) =>
  app.locator('[role="row"][data-paper-id]', { hasText: title })

async function loadSample(app: Page): Promise<void> {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
}

test('delete with the keyboard, confirm, and undo with Ctrl+Z: the note and status come back', async ({
  app,
}) => {
  await loadSample(app)
  const title = sampleTitles[1]!
  const heading = app.getByTestId('detail').getByRole('heading', { level: 2 })
  await rowOf(app, title).click()
  await app.getByRole('radio', { name: 'Reading' }).click()
  await expect(app.getByRole('radio', { name: 'Reading' })).toHaveAttribute('aria-checked', 'true')
  await app.getByRole('textbox', { name: 'Note' }).fill('a note to keep')
  await expect(app.getByTestId('note-state')).toHaveText('Saved')

  await rowOf(app, title).click()
  await app.keyboard.press('Delete')
  const dialog = app.getByRole('dialog', { name: 'Delete paper' })
  await expect(dialog).toContainText(title)
  await app.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '94')
  await expect(rowOf(app, title)).toHaveCount(0)
  await expect(app.getByTestId('toast')).toContainText(`Deleted “${title}”`)
  // The next paper takes its place, so triage goes on from there.
  await expect(heading).toHaveText(sampleTitles[2]!)
  await expect(app.getByRole('button', { name: /Reading\s*0/ })).toBeVisible()

  await app.keyboard.press('Control+z')
  await expect(app.getByTestId('toast')).toContainText('Restored 1 paper')
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  await expect(heading).toHaveText(title)
  await expect(app.getByRole('textbox', { name: 'Note' })).toHaveValue('a note to keep')
  await expect(app.getByRole('radio', { name: 'Reading' })).toHaveAttribute('aria-checked', 'true')
  await expect(app.getByTestId('status-history')).toContainText('Reading')

  // It survives a reload: the undo was saved, not just shown.
  await app.reload()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
})

test('delete from the paper’s pane, cancel once, then delete and undo from the toast', async ({
  app,
}) => {
  await loadSample(app)
  const title = sampleTitles[0]!
  await rowOf(app, title).click()
  await app.getByTestId('detail').getByRole('button', { name: 'Delete…' }).click()
  await app
    .getByRole('dialog', { name: 'Delete paper' })
    .getByRole('button', { name: 'Cancel' })
    .click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')

  await app.getByTestId('detail').getByRole('button', { name: 'Delete…' }).click()
  await app
    .getByRole('dialog', { name: 'Delete paper' })
    .getByRole('button', { name: 'Delete' })
    .click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '94')
  await app.getByTestId('toast').getByRole('button', { name: 'Undo' }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  await expect(rowOf(app, title)).toHaveCount(1)
})

test('dropping several files is one import: a bad file among them adds nothing', async ({
  app,
}) => {
  const good = { name: 'good.txt', text: readFileSync(SAMPLE, 'utf8') }
  const other = { name: 'other.txt', text: 'Aug 21\n\nAnother Paper\n\nIts abstract, in one line.' }
  const bad = { name: 'refs.json', text: '[{"title": "Nope",\n  "abstract": ' }
  await drop(app, [good, bad])
  // The preview names the bad file and line, shows the good one, and lets neither in.
  const preview = app.getByRole('dialog', { name: 'Import preview' })
  await expect(preview.getByRole('region', { name: 'refs.json' }).getByRole('alert')).toContainText(
    'refs.json, line 2',
  )
  await expect(
    preview.getByRole('region', { name: 'good.txt' }).getByTestId('preview-counts'),
  ).toHaveText('95 new')
  await expect(preview.getByRole('button', { name: /^Import/ })).toBeDisabled()
  await preview.getByRole('button', { name: 'Cancel' }).click()
  await expect(app.getByTestId('empty-state')).toBeVisible()

  await drop(app, [good, other])
  await preview.getByRole('button', { name: 'Import 96 papers' }).click()
  const result = app.getByTestId('import-result')
  await expect(result).toContainText('good.txt: 95 added')
  await expect(result).toContainText('other.txt: 1 added')
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '96')
  // The sidebar lists the imports; one shows just the papers it brought, again shows all.
  const imports = app.getByRole('list', { name: 'Imports' })
  await imports.getByRole('button', { name: /^other\.txt/ }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '1')
  await expect(app.getByTestId('table-body')).toContainText('Another Paper')
  await imports.getByRole('button', { name: /^other\.txt/ }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '96')
})
