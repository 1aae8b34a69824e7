// Each test gets its own library folder and its own `lectern serve`, and waits for the app's
// own signals (the URL line, data-ready), never for a fixed time.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test as base, expect } from '@playwright/test'
import type { Locator, Page } from '@playwright/test'

export const ROOT = resolve(__dirname, '..', '..')
export const CLI = join(ROOT, 'bin', 'lectern.cjs')
export const SAMPLE = join(ROOT, 'resources', 'sample', 'daily-papers-aug-19.txt')

export interface Server {
  /** The first address it printed; it opens the app once. */
  url: string
  library: string
  dir: string
  /** The address it printed after `address`, once it has (it prints one when one is used). */
  next: (address: string) => Promise<string>
  stop: () => Promise<void>
}

const ADDRESS = /http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+/g

export async function startServer(library: string, options: string[] = []): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, '--library', library, 'serve', '--port', '0', ...options],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  const heard = new Set<() => void>()
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    heard.forEach((l) => l())
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  /** The first address printed after the first `count`, once there is one. */
  const address = (count: number): Promise<string> =>
    new Promise<string>((resolveUrl, reject) => {
      const check = (): void => {
        const found = output.match(ADDRESS)?.[count]
        if (found === undefined) return
        heard.delete(check)
        resolveUrl(found)
      }
      heard.add(check)
      child.once('exit', (code) =>
        reject(new Error(`lectern serve exited with ${code}: ${output}`)),
      )
      check()
    })
  const url = await address(0)
  return {
    url,
    library,
    dir: join(library, '..'),
    next: (after) => address((output.match(ADDRESS) ?? ([] as string[])).indexOf(after) + 1),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
      }),
  }
}

export const test = base.extend<{ server: Server; app: Page }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-e2e-'))
    const server = await startServer(join(dir, 'library.sqlite'))
    await use(server)
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  },
  app: async ({ page, server }, use) => {
    await page.goto(server.url)
    await expect(readyApp(page)).toBeVisible()
    await use(page)
  },
})

export { expect }

/** The app's root once it says it is ready: the app's own signal that the first data is in. */
export function readyApp(page: Page): Locator {
  return page.locator('[data-testid="app"][data-ready="true"]')
}

/** The table's body rows on screen, loaded or still loading, top to bottom. */
export function bodyRows(page: Page): Locator {
  return page.getByTestId('table-body').getByRole('row')
}

/** The body row whose text includes `text`. */
export function rowWith(page: Page, text: string): Locator {
  return bodyRows(page).filter({ hasText: text })
}

/** The titles of the rows on screen, top to bottom. */
export async function visibleTitles(page: Page): Promise<string[]> {
  return bodyRows(page).locator('[data-column="title"]').allInnerTexts()
}

/** Drops files onto the window, as a user dragging them from the file manager does. */
export async function drop(app: Page, files: { name: string; text: string }[]): Promise<void> {
  const dataTransfer = await app.evaluateHandle((list) => {
    const dt = new DataTransfer()
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }))
    return dt
  }, files)
  const root = app.locator('[data-ready="true"]')
  await root.dispatchEvent('dragover', { dataTransfer })
  await root.dispatchEvent('drop', { dataTransfer })
}

/**
 * Where screenshots go for a person to look at (LECTERN_SCREENSHOTS=DIR); none are taken
 * otherwise.
 */
export const SHOTS = process.env.LECTERN_SCREENSHOTS

/** The window in both themes at the smallest and a large size, as it is now (with SHOTS). */
export async function screenshots(app: Page, name: string): Promise<void> {
  if (!SHOTS) return
  const size = app.viewportSize()
  for (const viewport of [
    { width: 800, height: 600 },
    { width: 1920, height: 1080 },
  ]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await app.setViewportSize(viewport)
      await app.emulateMedia({ colorScheme })
      await app.screenshot({
        path: join(SHOTS, `${name}-${viewport.width}x${viewport.height}-${colorScheme}.png`),
      })
    }
  }
  await app.emulateMedia({ colorScheme: 'light' })
  if (size) await app.setViewportSize(size)
}
