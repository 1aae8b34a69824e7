// The browser host's keys as a browser meets them (issue 10, findings 1 and 4): an address opens
// the app once and leaves the address bar without its key; the tab keeps working across reloads
// with nothing a cookie could leak; a spent address, and a tab that never had one, say what to do.
import { pathToFileURL } from 'node:url'
import { writeOpenPage } from '../../electron/cli/browser'
import { test, expect, readyApp } from './fixtures'

test('an address opens the app once; the tab keeps its key across reloads; other tabs are told what to do', async ({
  app,
  server,
  context,
}) => {
  expect(new URL(app.url()).search).toBe('')
  await app.reload()
  await expect(readyApp(app)).toBeVisible()
  expect(new URL(app.url()).search).toBe('')
  // Nothing that the browser would also send to every other server on 127.0.0.1.
  expect(await context.cookies()).toEqual([])

  const other = await context.newPage()
  await other.goto(server.url)
  await expect(other.getByText('This address has already opened Lectern')).toBeVisible()
  await other.goto(new URL('/', server.url).href)
  await expect(other.getByRole('alert')).toContainText(
    'Lectern cannot open here: this page holds no key to the library',
  )
  await other.goto(await server.next(server.url))
  await expect(readyApp(other)).toBeVisible()
  expect(new URL(other.url()).search).toBe('')
})

test('serve --open: the page only this user can read takes the browser on into the app', async ({
  page,
  server,
}) => {
  const open = writeOpenPage(server.url)
  try {
    await page.goto(pathToFileURL(open.file).href)
    await expect(readyApp(page)).toBeVisible()
    expect(new URL(page.url()).search).toBe('')
  } finally {
    open.remove()
  }
})
