// The desktop app itself, where Electron's binary exists. On machines that cannot download it
// (offline CI) this skips; the same UI is tested through `lectern serve` in tests/e2e.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { METHODS } from '../../shared/methods'
import { electronBinary } from '../../testkit/electronBinary.cjs'

const ROOT = resolve(__dirname, '..', '..')
const binary = electronBinary()

test.skip(
  !binary,
  'Electron binary not downloaded on this machine; the UI is covered via lectern serve',
)

test('the desktop window is locked down and works the library', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-electron-'))
  const app = await electron.launch({
    executablePath: binary!,
    args: [ROOT],
    env: { ...process.env, LECTERN_LIBRARY: join(dir, 'library.sqlite'), XDG_CONFIG_HOME: dir },
  })
  try {
    const page = await app.firstWindow()
    await expect(page.locator('[data-testid="app"][data-ready="true"]')).toBeVisible()
    // No Node in the page: sandboxed, no integration; only the named API methods.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    )
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
      'undefined',
    )
    expect(await page.evaluate(() => Object.keys(window.lectern ?? {}).sort())).toEqual(
      [...METHODS].sort(),
    )
    await page.getByRole('button', { name: 'Load the sample dump' }).click()
    await expect(page.getByRole('table', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  } finally {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
