// A list taller than a browser can make an element (a million rows): the scrolled height is
// capped and positions are scaled (renderer/src/table/rowWindow.ts). Tried here on the sample
// with the cap lowered, as a million papers would be.
import { test, expect, bodyRows, readyApp } from './fixtures'

test('a list taller than the cap: every row is reached, the wheel moves as in any list', async ({
  app,
}) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  await app.evaluate(() => localStorage.setItem('lectern.maxScrollHeight', '2400'))
  await app.reload()
  await expect(readyApp(app)).toBeVisible()
  const body = app.getByTestId('table-body')
  await expect(bodyRows(app).first()).toHaveAttribute('aria-rowindex', '1')
  // 95 rows of 46 px would be 4,370 px; the content is the cap.
  expect(await body.evaluate((el) => el.scrollHeight)).toBeLessThanOrEqual(2400)

  // The scrollbar's end shows the last rows.
  await body.evaluate((el) => (el.scrollTop = el.scrollHeight))
  const last = app.locator('[data-testid="table-body"] [role="row"][aria-rowindex="95"]')
  await expect(last).toBeInViewport()

  // Half way down shows the rows half way down.
  await body.evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2))
  const middle = app.locator('[data-testid="table-body"] [role="row"][aria-rowindex="48"]')
  await expect(middle).toBeInViewport()

  // A wheel turn of 460 px moves about ten rows (46 px each), not ten times the scale.
  await body.evaluate((el) => (el.scrollTop = 0))
  await expect(bodyRows(app).first()).toHaveAttribute('aria-rowindex', '1')
  await body.hover()
  await app.mouse.wheel(0, 460)
  const firstInView = async (): Promise<number> =>
    body.evaluate((el) => {
      const top = el.getBoundingClientRect().top
      const rows = [...el.querySelectorAll<HTMLElement>('[role="row"]')]
      const row = rows.find((r) => r.getBoundingClientRect().bottom > top + 1)
      return Number(row?.getAttribute('aria-rowindex'))
    })
  await expect.poll(firstInView).toBeGreaterThanOrEqual(9)
  expect(await firstInView()).toBeLessThanOrEqual(12)

  // Fine trackpad turns add up, though the browser rounds each scroll position: 20 × 4 px.
  await body.evaluate((el) => (el.scrollTop = 0))
  await expect.poll(firstInView).toBe(1)
  for (let i = 0; i < 20; i += 1) await app.mouse.wheel(0, 4)
  await expect.poll(firstInView).toBe(2)

  // The keys that move the selection (from the first row) bring its row into view.
  await body.focus()
  for (let i = 0; i < 40; i += 1) await app.keyboard.press('j')
  const current = app.locator('[data-testid="table-body"] [role="row"][aria-current="true"]')
  await expect(current).toHaveAttribute('aria-rowindex', '41')
  await expect(current).toBeInViewport({ ratio: 1 })
  for (let i = 0; i < 30; i += 1) await app.keyboard.press('k')
  await expect(current).toHaveAttribute('aria-rowindex', '11')
  await expect(current).toBeInViewport({ ratio: 1 })

  // Page Down moves one view of rows, wherever in the table the focus is.
  await body.evaluate((el) => (el.scrollTop = 0))
  await expect.poll(firstInView).toBe(1)
  const rowsPerView = await body.evaluate((el) => Math.floor(el.clientHeight / 46))
  await app.keyboard.press('PageDown')
  await expect.poll(firstInView).toBeGreaterThanOrEqual(rowsPerView - 1)
  expect(await firstInView()).toBeLessThanOrEqual(rowsPerView + 1)
})
