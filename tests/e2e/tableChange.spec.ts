// The table while a new sort, view or search loads: the rows on screen stay until the new ones
// come, then are replaced at once. They once flashed to grey loading bars and back on every
// header click (each page's query was new, and had nothing to keep showing). The rows kept are
// only shown: the keys and the pointer do not choose them, since their places are the old list's.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { test, expect, bodyRows, CLI, readyApp, startServer } from './fixtures'
import type { Server } from './fixtures'

/** Every answer to listPapers held back this long, so that what shows meanwhile can be seen. */
const HELD_MS = 1000

/**
 * Records, from now on, whether any row of the table's body was drawn without its paper, and
 * how many changes were made to the rows' elements (`rowChanges`, counted until `stopCounting`).
 */
async function watchForLoadingRows(app: Page): Promise<void> {
  await app.evaluate(() => {
    const w = window as unknown as { __loadingRows: number; __rowChanges: number | null }
    w.__loadingRows = 0
    w.__rowChanges = 0
    const body = document.querySelector('[data-testid="table-body"]')!
    new MutationObserver((records) => {
      w.__loadingRows += body.querySelectorAll('[role="row"]:not([data-paper-id])').length
      if (w.__rowChanges === null) return
      for (const record of records) {
        const target =
          record.target instanceof Element ? record.target : record.target.parentElement
        if (target?.closest('[role="row"]')) w.__rowChanges += 1
      }
    }).observe(body, { childList: true, subtree: true, attributes: true, characterData: true })
  })
}

async function loadingRowsSeen(app: Page): Promise<number> {
  return app.evaluate(() => (window as unknown as { __loadingRows: number }).__loadingRows)
}

/** The changes made to the rows' elements since watchForLoadingRows; counts no more after. */
async function rowChangesSoFar(app: Page): Promise<number> {
  return app.evaluate(() => {
    const w = window as unknown as { __rowChanges: number | null }
    const seen = w.__rowChanges ?? 0
    w.__rowChanges = null
    return seen
  })
}

/** The sample loaded, its 95 papers counted and its first row drawn. */
async function loadSample(app: Page): Promise<void> {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  await expect(bodyRows(app).first()).toHaveAttribute('data-paper-id', /\d+/)
}

async function firstRowId(app: Page): Promise<string | null> {
  return bodyRows(app).first().getAttribute('data-paper-id')
}

test('a new sort, view or search keeps the rows on screen until its own arrive', async ({
  app,
}) => {
  await loadSample(app)
  await app.route('**/api/listPapers', async (route) => {
    await new Promise((done) => setTimeout(done, HELD_MS))
    await route.continue()
  })

  const changes: [string, () => Promise<void>][] = [
    ['a header click', () => app.getByRole('columnheader', { name: 'Title' }).click()],
    ['the same header again', () => app.getByRole('columnheader', { name: 'Title' }).click()],
    [
      'a search',
      async () => {
        await app.getByRole('searchbox', { name: 'Search papers' }).fill('model')
        await app.keyboard.press('Enter')
      },
    ],
  ]
  for (const [what, change] of changes) {
    const before = await firstRowId(app)
    await watchForLoadingRows(app)
    await change()
    // Held back: the old rows are still there, every one with its paper, and not one of them
    // drawn again meanwhile (each row was once marked as the old list's, at every change).
    await app.waitForTimeout(HELD_MS / 4)
    expect(await firstRowId(app), what).toBe(before)
    expect(await rowChangesSoFar(app), what).toBe(0)
    // Then the new ones, and no row went without its paper in between.
    await expect.poll(() => firstRowId(app), { message: what }).not.toBe(before)
    expect(await loadingRowsSeen(app), what).toBe(0)
  }
})

const WORDS = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Omega', 'Sigma', 'Kappa', 'Lambda']

/** 400 papers, 50 of them with “Omega” in the title. */
const withPapers = test.extend<{ server: Server }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-e2e-'))
    let dump = 'New\n\nDaily Papers\n\nbyAK and the research community\n\nAug 19\n\n'
    for (let i = 1; i <= 400; i += 1) {
      dump += `Study ${WORDS[i % 8]} ${WORDS[(i * 3) % 8]} number ${String(i).padStart(4, '0')} of transformers\n\n`
      dump += `This abstract describes experiment ${i} about learning representations with enough words to read like one.\n\n`
    }
    writeFileSync(join(dir, 'big.txt'), dump)
    const library = join(dir, 'library.sqlite')
    execFileSync(process.execPath, [CLI, '--library', library, 'import', join(dir, 'big.txt')])
    const server = await startServer(library)
    await use(server)
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  },
})

withPapers(
  'keys pressed while a search loads do not choose from the previous list',
  async ({ page, server }) => {
    await page.goto(server.url)
    await expect(readyApp(page)).toBeVisible()
    await expect(page.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '400')
    await bodyRows(page).first().click()
    const chosen = await bodyRows(page).first().getAttribute('data-paper-id')
    await page.route('**/api/listPapers', async (route) => {
      await new Promise((done) => setTimeout(done, HELD_MS))
      await route.continue()
    })
    const search = page.getByRole('searchbox', { name: 'Search papers' })
    await search.fill('Omega')
    await page.keyboard.press('Enter')
    // Enter puts the focus on the table: ↓ at once, and a click on a row still shown.
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await bodyRows(page).nth(3).click()
    expect(await page.locator('[data-stale]').count()).toBeGreaterThan(0)
    await expect(page.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '50')
    await expect(page.locator('[data-stale]')).toHaveCount(0)
    const selection = await page.evaluate(() => localStorage.getItem('lectern.selection'))
    expect(String((JSON.parse(selection!) as { id: number }).id)).toBe(chosen)
  },
)

withPapers(
  'a search that failed, asked again, does not bring back the previous rows',
  async ({ page, server }) => {
    await page.goto(server.url)
    await expect(readyApp(page)).toBeVisible()
    const grid = page.getByRole('grid', { name: 'Papers' })
    await expect(grid).toHaveAttribute('aria-rowcount', '400')
    await page.route('**/api/listPapers', async (route) => {
      const asked = JSON.parse(route.request().postData() ?? '{}') as { search?: string }
      if (asked.search !== 'boom') return route.continue()
      await new Promise((done) => setTimeout(done, 300))
      await route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error: { code: 'internal', message: 'boom' } }),
      })
    })
    const search = page.getByRole('searchbox', { name: 'Search papers' })
    await search.fill('boom')
    await search.press('Enter')
    const alert = page.getByRole('alert').filter({ hasText: 'Could not load the papers' })
    await expect(alert).toBeVisible()
    await expect(bodyRows(page)).toHaveCount(0)
    await page.evaluate(() => {
      const w = window as unknown as { __rowsSeen: number }
      w.__rowsSeen = 0
      const grid = document.querySelector('[role="grid"]')!
      new MutationObserver(() => {
        w.__rowsSeen += grid.querySelectorAll('[role="row"][data-paper-id]').length
      }).observe(grid, { subtree: true, childList: true, attributes: true })
    })
    await search.press('Enter')
    await page.waitForTimeout(800)
    await expect(alert).toBeVisible()
    expect(
      await page.evaluate(() => (window as unknown as { __rowsSeen: number }).__rowsSeen),
    ).toBe(0)
    // Not stuck: a search that works shows its rows.
    await search.fill('Omega')
    await search.press('Enter')
    await expect(grid).toHaveAttribute('aria-rowcount', '50')
  },
)

test('a header click gives the rows on screen their new papers instead of making them again', async ({
  app,
}) => {
  await loadSample(app)
  // Each row's element marked with the paper it shows now; and every row element made from
  // now on counted.
  const before = await app.evaluate(() => {
    const w = window as unknown as { __rowsMade: number }
    w.__rowsMade = 0
    const body = document.querySelector('[data-testid="table-body"]')!
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof Element && node.matches('[role="row"]')) w.__rowsMade += 1
        }
      }
    }).observe(body, { childList: true, subtree: true })
    const rows = [...body.querySelectorAll<HTMLElement>('[role="row"][data-paper-id]')]
    for (const row of rows) row.dataset.markedFor = row.dataset.paperId
    return rows.length
  })
  expect(before).toBeGreaterThan(10)
  const firstBefore = await firstRowId(app)
  await app.getByRole('columnheader', { name: 'Title' }).click()
  await expect.poll(() => firstRowId(app)).not.toBe(firstBefore)
  const after = await app.evaluate(() => {
    const rows = [
      ...document.querySelectorAll<HTMLElement>('[data-testid="table-body"] [role="row"]'),
    ]
    return {
      rowsMade: (window as unknown as { __rowsMade: number }).__rowsMade,
      kept: rows.filter((r) => r.dataset.markedFor !== undefined).length,
      // A kept element shows its new paper, not the one it was marked with.
      showingNewPaper: rows.filter((r) => r.dataset.markedFor !== r.dataset.paperId).length,
      shown: rows.length,
    }
  })
  expect(after.rowsMade).toBe(0)
  expect(after.kept).toBe(before)
  expect(after.showingNewPaper).toBeGreaterThan(before / 2)
})

test('a header pressed asks for its sorted rows before it is released, and only once', async ({
  app,
}) => {
  await loadSample(app)
  const byTitle: string[] = []
  app.on('request', (request) => {
    if (!request.url().endsWith('/api/listPapers')) return
    const asked = JSON.parse(request.postData() ?? '{}') as { sort?: { field?: string } }
    if (asked.sort?.field === 'title') byTitle.push(request.postData()!)
  })
  const header = app.getByRole('columnheader', { name: 'Title' })
  const before = await firstRowId(app)
  const box = (await header.locator('button').first().boundingBox())!
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await app.mouse.down()
  // Asked for while held; not shown until released.
  await expect.poll(() => byTitle.length).toBe(1)
  await app.waitForTimeout(300)
  expect(await firstRowId(app)).toBe(before)
  await expect(header).not.toHaveAttribute('aria-sort', 'ascending')
  await app.mouse.up()
  await expect(header).toHaveAttribute('aria-sort', 'ascending')
  await expect.poll(() => firstRowId(app)).not.toBe(before)
  // The click took the page asked for ahead: no second request for it.
  await app.waitForTimeout(300)
  expect(byTitle).toHaveLength(1)
})
