// The import preview (format, CSV columns, choosing papers), the progress bar with cancel,
// undoing an import from the sidebar, and exporting a view — through `lectern serve`.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { test, expect, SAMPLE, rowWith, drop } from './fixtures'

const sampleTitles = readFileSync(SAMPLE, 'utf8')
  .split('\n\n')
  .slice(6)
  .filter((_, i) => i % 2 === 0)

const BIBTEX = `@article{alpha2024,
  title = {Alpha Networks for Sparse Retrieval},
  author = {Doe, Jane and Roe, Richard},
  year = {2024},
  eprint = {2408.01111},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/2408.01111},
  abstract = {We study alpha networks.}
}

@inproceedings{beta2023,
  title = {Beta Calibration of Language Models},
  author = {Smith, Ann},
  year = {2023},
  doi = {10.1000/beta.2023},
  abstract = {Calibration matters.}
}

@misc{gamma2022,
  title = {Gamma Rays and Transformers},
  author = {Lee, Kim},
  year = {2022}
}
`

/** One paper of the BibTeX file again (by its arXiv id), one of the sample (by title), one new. */
const RIS = `TY  - JOUR
TI  - Alpha Networks for Sparse Retrieval, Extended
AU  - Doe, Jane
AB  - We study alpha networks, at length.
UR  - https://arxiv.org/abs/2408.01111
ER  - 

TY  - JOUR
TI  - ${sampleTitles[2]}
AU  - Writer, Some
AB  - An abstract.
ER  - 

TY  - JOUR
TI  - Delta Sketches for Streams
AU  - Park, Lee
AB  - Sketches of streams.
PY  - 2021
ER  - 
`

const table = (app: Page): Locator => app.getByRole('grid', { name: 'Papers' })
const preview = (app: Page): Locator => app.getByRole('dialog', { name: 'Import preview' })

async function loadSample(app: Page): Promise<void> {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(table(app)).toHaveAttribute('aria-rowcount', '95')
}

/**
 * Where screenshots go for a person to look at (LECTERN_SCREENSHOTS=DIR); none are taken
 * otherwise.
 */
const SHOTS = process.env.LECTERN_SCREENSHOTS

/** Screenshots of the dialog in both themes and two window sizes. */
async function screenshots(app: Page, name: string): Promise<void> {
  if (!SHOTS) return
  for (const size of [
    { width: 1280, height: 800 },
    { width: 800, height: 600 },
  ]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await app.setViewportSize(size)
      await app.emulateMedia({ colorScheme })
      await app.screenshot({
        path: join(SHOTS, `${name}-${size.width}x${size.height}-${colorScheme}.png`),
      })
    }
  }
  await app.emulateMedia({ colorScheme: 'light' })
  await app.setViewportSize({ width: 1280, height: 720 })
}

/** One screenshot, of what the window shows now. */
async function shot(app: Page, name: string): Promise<void> {
  if (SHOTS) await app.screenshot({ path: join(SHOTS, `${name}.png`) })
}

test('two dropped files are previewed together; an unchecked paper is not imported', async ({
  app,
}) => {
  await loadSample(app)
  await drop(app, [
    { name: 'refs.bib', text: BIBTEX },
    { name: 'more.ris', text: RIS },
  ])
  const dialog = preview(app)
  const bib = dialog.getByRole('region', { name: 'refs.bib' })
  const ris = dialog.getByRole('region', { name: 'more.ris' })
  // Gamma has no abstract: a warning, not a reason to refuse.
  await expect(bib.getByTestId('preview-counts')).toHaveText('3 new · 1 warning')
  await expect(bib).toContainText(/line \d+: .*abstract/i)
  await expect(ris.getByTestId('preview-counts')).toHaveText(
    '1 new · 2 already in the library (1 by arXiv id, 1 by title) · 1 will gain missing fields',
  )
  await expect(bib.getByLabel('Format')).toHaveValue('bibtex')
  await expect(ris.getByLabel('Format')).toHaveValue('ris')
  const risPapers = ris.getByRole('list', { name: 'Papers in more.ris' })
  await expect(
    risPapers
      .getByRole('listitem')
      .filter({ hasText: 'Alpha Networks for Sparse Retrieval, Extended' }),
  ).toContainText('In library · arXiv id')
  await expect(risPapers.getByRole('listitem').filter({ hasText: sampleTitles[2]! })).toContainText(
    'Will be updated · title',
  )
  await expect(
    risPapers.getByRole('listitem').filter({ hasText: 'Delta Sketches for Streams' }),
  ).toContainText('New')
  await screenshots(app, 'preview')

  await expect(dialog.getByRole('button', { name: 'Import 6 papers' })).toBeEnabled()
  await bib.getByRole('checkbox', { name: 'Beta Calibration of Language Models' }).uncheck()
  await expect(bib).toContainText('2 of 3 chosen')
  await dialog.getByRole('button', { name: 'Import 5 papers' }).click()
  await expect(dialog).toBeHidden()
  const result = app.getByTestId('import-result')
  await expect(result).toContainText('refs.bib: 2 added')
  await expect(result).toContainText('more.ris: 1 added, 2 already in the library')
  await expect(table(app)).toHaveAttribute('aria-rowcount', '98')
  await expect(rowWith(app, 'Alpha Networks for Sparse Retrieval')).toHaveCount(1)
  await expect(rowWith(app, 'Gamma Rays and Transformers')).toHaveCount(1)
  await expect(rowWith(app, 'Delta Sketches for Streams')).toHaveCount(1)
  await expect(rowWith(app, 'Beta Calibration of Language Models')).toHaveCount(0)
})

test('a CSV whose columns are not recognised is mapped by hand, then imported', async ({ app }) => {
  const csv = [
    'Paper Name,Summary',
    'Attention Is Enough,We study attention.',
    'Second Paper Here,"Another summary, with a comma."',
    '',
  ].join('\n')
  await drop(app, [{ name: 'papers.csv', text: csv }])
  const dump = preview(app).getByRole('region', { name: 'papers.csv' })
  await expect(dump.getByRole('alert')).toContainText('papers.csv')
  await expect(preview(app).getByRole('button', { name: /^Import/ })).toBeDisabled()
  await screenshots(app, 'preview-error')

  await dump.getByLabel('Paper Name').selectOption('title')
  await dump.getByLabel('Summary').selectOption('abstract')
  await expect(dump.getByRole('alert')).toHaveCount(0)
  await expect(dump.getByTestId('preview-counts')).toHaveText('2 new')
  await expect(dump.getByLabel('Format')).toHaveValue('csv')
  await expect(dump.getByLabel('Paper Name')).toHaveValue('title')
  await expect(dump.getByLabel('Summary')).toHaveValue('abstract')
  await screenshots(app, 'preview-csv')
  await preview(app).getByRole('button', { name: 'Import 2 papers' }).click()
  await expect(app.getByTestId('import-result')).toContainText('papers.csv: 2 added')
  await expect(table(app)).toHaveAttribute('aria-rowcount', '2')
  await rowWith(app, 'Second Paper Here').click()
  await expect(app.getByTestId('detail')).toContainText('Another summary, with a comma.')
})

test('the format can be overridden; a format that does not fit shows why, in place', async ({
  app,
}) => {
  const text = 'Aug 21\n\nA Plain Paper\n\nIts abstract, in one line.\n'
  await drop(app, [{ name: 'notes.txt', text }])
  const dump = preview(app).getByRole('region', { name: 'notes.txt' })
  await expect(dump.getByTestId('preview-counts')).toHaveText('1 new')
  await expect(dump.getByLabel('Format')).toHaveValue('daily-papers')
  await dump.getByLabel('Format').selectOption('bibtex')
  await expect(dump.getByRole('alert')).toContainText('notes.txt')
  await expect(preview(app).getByRole('button', { name: /^Import/ })).toBeDisabled()
  await dump.getByLabel('Format').selectOption('daily-papers')
  await expect(dump.getByTestId('preview-counts')).toHaveText('1 new')
  await preview(app).getByRole('button', { name: 'Import 1 paper' }).click()
  await expect(app.getByTestId('import-result')).toContainText('notes.txt: 1 added')
})

test('a large import shows its progress, can be cancelled with nothing added, then completes', async ({
  app,
}) => {
  test.setTimeout(180_000)
  await loadSample(app)
  const count = 20_000
  const lines = ['Aug 21', '']
  for (let i = 0; i < count; i += 1) {
    lines.push(`Generated Study Number ${i} of Sparse Things`, '', `Abstract of study ${i}.`, '')
  }
  const big = { name: 'big.txt', text: lines.join('\n') }

  await drop(app, [big])
  const dialog = preview(app)
  await expect(dialog.getByTestId('preview-counts')).toHaveText('20,000 new', { timeout: 60_000 })
  await dialog.getByRole('button', { name: 'Import 20,000 papers' }).click()
  const progress = app.getByRole('progressbar', { name: 'Import progress' })
  await expect(progress).toBeVisible()
  await app.getByRole('button', { name: 'Cancel import' }).click()
  await expect(app.getByTestId('import-result')).toContainText(
    'Import cancelled; nothing was added',
    { timeout: 60_000 },
  )
  await expect(progress).toBeHidden()
  await expect(table(app)).toHaveAttribute('aria-rowcount', '95')
  await expect(app.getByRole('button', { name: /All papers\s*95/ })).toBeVisible()

  await drop(app, [big])
  await expect(dialog.getByTestId('preview-counts')).toHaveText('20,000 new', { timeout: 60_000 })
  await dialog.getByRole('button', { name: 'Import 20,000 papers' }).click()
  await expect(progress).toBeVisible()
  await shot(app, 'preview-progress')
  await expect(app.getByTestId('import-result')).toContainText('big.txt: 20000 added', {
    timeout: 120_000,
  })
  await expect(table(app)).toHaveAttribute('aria-rowcount', String(95 + count))
})

test('undoing an import from the sidebar removes its papers but keeps one given a status', async ({
  app,
}) => {
  const text = [
    'Aug 22',
    '',
    'First Undo Paper',
    '',
    'One.',
    '',
    'Second Undo Paper',
    '',
    'Two.',
    '',
    'Third Undo Paper',
    '',
    'Three.',
    '',
  ].join('\n')
  await drop(app, [{ name: 'undo-me.txt', text }])
  await preview(app).getByRole('button', { name: 'Import 3 papers' }).click()
  await expect(table(app)).toHaveAttribute('aria-rowcount', '3')
  await rowWith(app, 'Second Undo Paper').click()
  await app.getByRole('radio', { name: 'Reading' }).click()
  await expect(app.getByRole('radio', { name: 'Reading' })).toHaveAttribute('aria-checked', 'true')

  const imports = app.getByRole('list', { name: 'Imports' })
  await imports.getByRole('button', { name: 'Undo import of undo-me.txt' }).click()
  const confirm = app.getByRole('dialog', { name: 'Undo import' })
  await expect(confirm).toContainText('Undo import of undo-me.txt?')
  await expect(confirm).toContainText('The 3 papers it added will be removed')
  await confirm.getByRole('button', { name: 'Undo import' }).click()
  await expect(confirm).toBeHidden()
  const toast = app.getByTestId('toast')
  await expect(toast).toContainText('Removed 2 papers')
  await expect(toast).toContainText('kept 1 you had used')
  await expect(table(app)).toHaveAttribute('aria-rowcount', '1')
  await expect(rowWith(app, 'Second Undo Paper')).toHaveCount(1)
  // Undone once, it shows so and offers no second undo.
  await expect(imports.getByRole('button', { name: /undo-me\.txt/ })).toContainText('undone')
  await expect(imports.getByRole('button', { name: 'Undo import of undo-me.txt' })).toHaveCount(0)
  await shot(app, 'preview-undone')
})

test('export: the BibTeX of the view is downloaded with its papers', async ({ app }) => {
  await loadSample(app)
  await rowWith(app, sampleTitles[1]!).click()
  await app.getByRole('radio', { name: 'Reading' }).click()
  await app.getByRole('button', { name: /^Reading\s*1/ }).click()
  await expect(table(app)).toHaveAttribute('aria-rowcount', '1')

  await app.getByRole('banner').getByRole('button', { name: 'Export…' }).click()
  const dialog = app.getByRole('dialog', { name: 'Export' })
  await expect(dialog.getByLabel('Format')).toHaveValue('bibtex')
  await expect(dialog.getByRole('radio', { name: 'This view (1 paper)' })).toBeChecked()
  await shot(app, 'preview-export')
  const download = app.waitForEvent('download')
  await dialog.getByRole('button', { name: 'Export', exact: true }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/\.bib$/)
  // BibTeX keeps capitals with braces ({ADEM-VL:}); the titles are there without them.
  const text = readFileSync((await file.path())!, 'utf8').replace(/[{}]/g, '')
  expect(text).toContain(sampleTitles[1]!)
  expect(text).not.toContain(sampleTitles[0]!)
  await expect(dialog).toBeHidden()
  await expect(app.getByTestId('toast')).toContainText('Exported 1 paper')

  // Everything, from the paper's own pane: this paper only.
  await app.getByRole('button', { name: /^All papers\s*95/ }).click()
  await rowWith(app, sampleTitles[0]!).click()
  await app.getByTestId('detail').getByRole('button', { name: 'Export…' }).click()
  await expect(dialog.getByRole('radio', { name: /This paper/ })).toBeChecked()
  await dialog.getByLabel('Format').selectOption('ris')
  const single = app.waitForEvent('download')
  await dialog.getByRole('button', { name: 'Export', exact: true }).click()
  const ris = readFileSync((await (await single).path())!, 'utf8')
  expect(ris).toContain(sampleTitles[0]!)
  expect(ris).not.toContain(sampleTitles[1]!)
})
