// Takes the README's screenshots: the sample library in the browser host, one paper open
// (docs/screenshot.png), or with --settings the Settings screen after a backup
// (docs/settings.png).
// Usage: node scripts/screenshot.mjs [--settings] [out.png]   (after npm run build; uses
// /usr/bin/chromium, or the browser LECTERN_CHROMIUM names)
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'

const root = fileURLToPath(new URL('..', import.meta.url))
const settings = process.argv.includes('--settings')
const named = process.argv.slice(2).find((arg) => !arg.startsWith('--'))
const out = named ?? join(root, 'docs', settings ? 'settings.png' : 'screenshot.png')
const dir = mkdtempSync(join(tmpdir(), 'lectern-shot-'))
const server = spawn(process.execPath, [
  join(root, 'bin', 'lectern.cjs'),
  '--library',
  join(dir, 'Lectern', 'library.sqlite'),
  'serve',
])
try {
  const url = await new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => {
      const m = /at (http:\S+)/.exec(String(d))
      if (m) resolve(m[1])
    })
    server.once('exit', () => reject(new Error('lectern serve exited')))
  })
  const browser = await chromium.launch({
    executablePath: process.env.LECTERN_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  })
  const page = await browser.newPage({ viewport: { width: 1360, height: settings ? 900 : 820 } })
  await page.goto(url)
  await page.locator('[data-testid="app"][data-ready="true"]').waitFor()
  const row = (text) => page.getByTestId('table-body').getByRole('row').filter({ hasText: text })
  await page.getByRole('button', { name: 'Load the sample dump' }).click()
  if (settings) {
    await row('Thyme').waitFor()
    await page.keyboard.press('Control+Comma')
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await dialog.getByRole('button', { name: 'Back up now' }).click()
    await dialog.getByRole('status').waitFor()
    await dialog.getByRole('checkbox', { name: /inbox folder/ }).check()
    await dialog.screenshot({ path: out })
  } else {
    await row('ADEM-VL').click()
    await page.getByRole('radio', { name: 'Reading' }).click()
    await row('Thyme').click()
    await page.getByRole('radio', { name: 'To read' }).click()
    await row('ADEM-VL').click()
    await page
      .getByRole('textbox', { name: 'Note' })
      .fill(
        '## Why it matters\n\nParameter-free cross-attention; compare with **Flamingo**.\n\n- check the ScienceQA numbers\n- code is public',
      )
    await page.getByText('Saved', { exact: true }).waitFor()
    await page.getByRole('tab', { name: 'Preview' }).click()
    await page.screenshot({ path: out })
  }
  await browser.close()
  console.log(`wrote ${out}`)
} finally {
  server.kill()
  rmSync(dir, { recursive: true, force: true })
}
