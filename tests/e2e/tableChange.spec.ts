// The table while a new sort, view or search loads: the rows on screen stay until the new ones
// come, then are replaced at once. They once flashed to grey loading bars and back on every
// header click (each page's query was new, and had nothing to keep showing).
import type { Page } from '@playwright/test'
import { test, expect, bodyRows } from './fixtures'

/** Every answer to listPapers held back this long, so that what shows meanwhile can be seen. */
const HELD_MS = 1000

/** Records, from now on, whether any row of the table's body was drawn without its paper. */
async function watchForLoadingRows(app: Page): Promise<void> {
  await app.evaluate(() => {
    const w = window as unknown as { __loadingRows: number }
    w.__loadingRows = 0
    const body = document.querySelector('[data-testid="table-body"]')!
    new MutationObserver(() => {
      w.__loadingRows += body.querySelectorAll('[role="row"]:not([data-paper-id])').length
    }).observe(body, { childList: true, subtree: true, attributes: true })
  })
}

async function loadingRowsSeen(app: Page): Promise<number> {
  return app.evaluate(() => (window as unknown as { __loadingRows: number }).__loadingRows)
}

async function firstRowId(app: Page): Promise<string | null> {
  return bodyRows(app).first().getAttribute('data-paper-id')
}

test('a new sort, view or search keeps the rows on screen until its own arrive', async ({
  app,
}) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  const grid = app.getByRole('grid', { name: 'Papers' })
  await expect(grid).toHaveAttribute('aria-rowcount', '95')
  await expect(bodyRows(app).first()).toHaveAttribute('data-paper-id', /\d+/)
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
    // Held back: the old rows are still there, every one with its paper.
    await app.waitForTimeout(HELD_MS / 4)
    expect(await firstRowId(app), what).toBe(before)
    // Then the new ones, and no row went without its paper in between.
    await expect.poll(() => firstRowId(app), { message: what }).not.toBe(before)
    expect(await loadingRowsSeen(app), what).toBe(0)
  }
})
