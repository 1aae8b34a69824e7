// The metadata columns: shown from the Columns menu, sortable, and (with the sort) remembered
// across a reload.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, CLI, readyApp, startServer, visibleTitles } from './fixtures'
import type { Server } from './fixtures'

const BIB = `@article{one, title = {Older Journal Paper}, year = {2019}, journal = {Journal of Old Results},
  doi = {10.1000/old}}
@article{two, title = {Newer Conference Paper}, year = {2024}, journal = {Proceedings of New Things}}
@misc{three, title = {Preprint Without A Venue}, eprint = {2401.01234}, archivePrefix = {arXiv}, year = {2023}}
`

// A library with metadata in it before the app opens (the command line imports it).
const test = base.extend<{ server: Server }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-e2e-'))
    const library = join(dir, 'library.sqlite')
    writeFileSync(join(dir, 'refs.bib'), BIB)
    execFileSync(process.execPath, [CLI, '--library', library, 'import', join(dir, 'refs.bib')])
    const server = await startServer(library)
    await use(server)
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  },
})

test('metadata columns are chosen in the Columns menu, sort, and stay chosen', async ({
  page,
  server,
}) => {
  await page.goto(server.url)
  await expect(readyApp(page)).toBeVisible()
  const header = page.getByRole('columnheader')
  await expect(header.filter({ hasText: 'Year' })).toHaveCount(0)

  await page.getByRole('button', { name: 'Columns' }).click()
  await page.getByRole('checkbox', { name: 'Year' }).check()
  await page.getByRole('checkbox', { name: 'Venue' }).check()
  await page.getByRole('checkbox', { name: 'Added' }).uncheck()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('checkbox', { name: 'Year' })).toHaveCount(0)
  await expect(header.filter({ hasText: 'Added' })).toHaveCount(0)

  await header.filter({ hasText: 'Year' }).getByRole('button').click()
  await expect
    .poll(() => visibleTitles(page))
    .toEqual(['Newer Conference Paper', 'Preprint Without A Venue', 'Older Journal Paper'])
  const row = page.locator('[role="row"][data-paper-id]', { hasText: 'Older Journal Paper' })
  await expect(row.locator('[data-column="venue"]')).toHaveText('Journal of Old Results')
  await expect(row.locator('[data-column="year"]')).toHaveText('2019')

  await page.reload()
  await expect(readyApp(page)).toBeVisible()
  await expect(header.filter({ hasText: 'Year' })).toHaveCount(1)
  await expect(header.filter({ hasText: 'Venue' })).toHaveCount(1)
  await expect(header.filter({ hasText: 'Added' })).toHaveCount(0)
  // And so is the sort (issue 8: a reload forgot it).
  await expect(header.filter({ hasText: 'Year' })).toHaveAttribute('aria-sort', 'descending')
  await expect
    .poll(() => visibleTitles(page))
    .toEqual(['Newer Conference Paper', 'Preprint Without A Venue', 'Older Journal Paper'])
})
