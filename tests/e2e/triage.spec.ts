// Finding and triaging at keyboard speed, as a user does it: search as you type with highlighted
// snippets, stars, picking several papers, acting on them, undo and redo, the shortcut sheet;
// and the window checked for accessibility and layout at both ends of the sizes it supports.
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { test, expect, bodyRows, rowWith } from './fixtures'

const grid = (app: Page) => app.getByRole('grid', { name: 'Papers' })
const search = (app: Page) => app.getByRole('searchbox', { name: 'Search papers' })

async function loadSample(app: Page): Promise<void> {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '95')
}

test('search as you type: ranked rows, marked words, snippets, syntax help, gentle notes', async ({
  app,
}) => {
  await loadSample(app)
  // "/" comes to the search box from anywhere.
  await bodyRows(app).first().click()
  await app.keyboard.press('/')
  await expect(search(app)).toBeFocused()
  await app.keyboard.type('video')
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '1')
  await expect(app.getByRole('status').filter({ hasText: '1 found' })).toBeVisible()
  await expect(bodyRows(app).first()).toContainText('Video Object Detection')
  await expect(bodyRows(app).first().locator('mark').first()).toHaveText(/video/i)
  await expect(bodyRows(app).first().getByTestId('snippet')).toContainText(/video/i)
  // Ranked: papers with the word in their title come first.
  await search(app).fill('vision')
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '12')
  await expect(bodyRows(app).first().locator('[data-column="title"] mark').first()).toHaveText(
    /vision/i,
  )
  // The detail pane marks the words too.
  await bodyRows(app).first().click()
  await expect(app.getByTestId('detail').locator('mark').first()).toHaveText(/vision/i)

  // Exclusion, a prefix, a field; then something it cannot read, said gently.
  await search(app).fill('vision -transformer*')
  await expect(grid(app)).not.toHaveAttribute('aria-rowcount', '12')
  await expect(rowWith(app, 'Scattering Vision Transformer')).toHaveCount(0)
  await expect(bodyRows(app).first()).toBeVisible()
  await search(app).fill('status:maybe vision')
  await expect(app.getByTestId('search-notes')).toContainText('status: is one of')
  await search(app).fill('zzqqxx')
  await expect(app.getByTestId('empty-view')).toContainText('No paper matches')
  await app.getByRole('button', { name: 'Clear the search' }).click()
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '95')
  await expect(search(app)).toHaveValue('')

  // The help popover lists the syntax; an example runs.
  await app.getByRole('button', { name: 'Search syntax' }).click()
  const help = app.getByRole('dialog', { name: 'Search syntax' })
  await expect(help).toContainText('year:2020..2024')
  await help.getByRole('button', { name: '"flow matching"' }).click()
  await expect(search(app)).toHaveValue('"flow matching"')
  // Escape empties the box; the view comes back, sorted as before the search.
  await search(app).press('Escape')
  await expect(search(app)).toHaveValue('')
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '95')

  // The search is remembered across a reload.
  await search(app).fill('memory bank')
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '1')
  await app.reload()
  await expect(search(app)).toHaveValue('memory bank')
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '1')
})

test('stars, picking several, bulk status with Undo, undo and redo from the keyboard', async ({
  app,
}) => {
  await loadSample(app)
  const first = bodyRows(app).nth(0)
  const third = bodyRows(app).nth(2)
  // One click stars; `s` toggles the selected paper's star.
  await first.getByRole('button', { name: 'Star' }).click()
  await expect(first.getByRole('button', { name: 'Starred' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await third.click()
  await app.keyboard.press('s')
  await expect(third.getByRole('button', { name: 'Starred' })).toBeVisible()
  await app.keyboard.press('s')
  await expect(third.getByRole('button', { name: 'Star' })).toBeVisible()

  // Shift-click picks a range, Ctrl-click one more, x one more from the keyboard.
  await bodyRows(app).nth(0).click()
  await bodyRows(app)
    .nth(3)
    .click({ modifiers: ['Shift'] })
  await expect(app.getByTestId('bulk-bar')).toContainText('4 picked')
  await bodyRows(app)
    .nth(6)
    .click({ modifiers: ['Control'] })
  await expect(app.getByTestId('bulk-bar')).toContainText('5 picked')
  await app.keyboard.press('j')
  await app.keyboard.press('x')
  await expect(app.getByTestId('bulk-bar')).toContainText('6 picked')
  await expect(grid(app).locator('[aria-selected="true"]')).toHaveCount(6)

  // One key sets the status of all six; the toast offers Undo.
  await app.keyboard.press('4')
  await expect(app.getByTestId('toast')).toContainText('Status of 6 papers → Read')
  await expect(app.getByRole('button', { name: /^Read\s*6/ })).toBeVisible()
  await app.getByTestId('toast').getByRole('button', { name: 'Undo' }).click()
  await expect(app.getByRole('button', { name: /^Read\s*0/ })).toBeVisible()
  // Redo, then undo again, from the keyboard.
  await app.keyboard.press('Control+Shift+z')
  await expect(app.getByRole('button', { name: /^Read\s*6/ })).toBeVisible()
  await app.keyboard.press('Control+z')
  await expect(app.getByRole('button', { name: /^Read\s*0/ })).toBeVisible()

  // Done, the picks are let go (the next key acts on one paper); pick six again and tag them
  // from the bar; Escape picks none.
  await expect(app.getByTestId('bulk-bar')).toHaveCount(0)
  await bodyRows(app).nth(0).click()
  await bodyRows(app)
    .nth(5)
    .click({ modifiers: ['Shift'] })
  await expect(app.getByTestId('bulk-bar')).toContainText('6 picked')
  await app.getByTestId('bulk-bar').getByRole('combobox', { name: 'Tag' }).fill('survey-later')
  await app.getByTestId('bulk-bar').getByRole('button', { name: 'Add tag' }).click()
  await expect(app.getByTestId('toast')).toContainText('Tagged 6 papers “survey-later”')
  await app.keyboard.press('Escape')
  await expect(app.getByTestId('bulk-bar')).toHaveCount(0)
  await app.getByRole('searchbox', { name: 'Search papers' }).fill('tag:survey-later')
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '6')
  await app.getByRole('searchbox', { name: 'Search papers' }).fill('')
  // The box sends the empty search after a pause: the whole library again before picking.
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '95')

  // Ctrl+A picks the whole view; a bulk delete asks first and is undone.
  await bodyRows(app).first().click()
  await app.keyboard.press('Control+a')
  await expect(app.getByTestId('bulk-bar')).toContainText('95 picked')
  await app.keyboard.press('Delete')
  const confirm = app.getByRole('dialog', { name: 'Delete papers' })
  await expect(confirm).toContainText('Delete 95 papers?')
  await confirm.getByRole('button', { name: 'Delete' }).click()
  await expect(app.getByTestId('toast')).toContainText('Deleted 95 papers')
  await app.keyboard.press('Control+z')
  await expect(app.getByTestId('toast')).toContainText('Restored 95 papers')
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '95')
})

test('the shortcut sheet lists the keys; no key fires while typing', async ({ app }) => {
  await loadSample(app)
  await bodyRows(app).first().click()
  await app.keyboard.press('?')
  const sheet = app.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(sheet).toContainText('star or unstar')
  await expect(sheet).toContainText('pick every paper of the view')
  await app.keyboard.press('Escape')
  await expect(sheet).toHaveCount(0)
  // Typing "s4x" in the search box searches; it stars, reads and picks nothing.
  await search(app).click()
  await app.keyboard.type('s4x')
  await expect(search(app)).toHaveValue('s4x')
  await search(app).fill('')
  await expect(app.getByRole('button', { name: /^Read\s*0/ })).toBeVisible()
  await expect(app.getByTestId('bulk-bar')).toHaveCount(0)
  await expect(rowWith(app, 'MAMBA').getByRole('button', { name: 'Star' })).toBeVisible()
})

for (const [width, height] of [
  [800, 600],
  [1920, 1080],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`at ${width}×${height}, ${scheme}: everything fits and axe finds nothing serious`, async ({
      page,
      server,
    }) => {
      await page.setViewportSize({ width, height })
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
      await page.goto(server.url)
      await loadSample(page)
      await bodyRows(page).nth(1).click()
      await search(page).fill('vision')
      await expect(bodyRows(page).first().getByTestId('snippet')).toBeVisible()
      // Nothing sticks out of the window; the title column and the paper have room to read.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
      const title = await page.getByRole('columnheader', { name: 'Title' }).boundingBox()
      expect(title!.width).toBeGreaterThan(width < 1000 ? 150 : 500)
      const detail = await page.getByTestId('detail').boundingBox()
      expect(detail!.x + detail!.width).toBeLessThanOrEqual(width + 1)
      expect(detail!.width).toBeGreaterThan(280)
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze()
      const serious = results.violations.filter((v) =>
        ['serious', 'critical'].includes(v.impact ?? ''),
      )
      expect(
        serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([])
      if (process.env.LECTERN_SCREENSHOTS) {
        await page.screenshot({
          path: join(process.env.LECTERN_SCREENSHOTS, `triage-${width}x${height}-${scheme}.png`),
        })
      }
    })
  }
}
