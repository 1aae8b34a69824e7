// Sync in the window: a note edited on two computers at once shows the other version in the
// paper's pane, to keep or discard; Settings › Sync shows the folder and the last pass — through
// `lectern serve`, on a library that synced with another before the app opened.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, CLI, SAMPLE, readyApp, rowWith, startServer } from './fixtures'
import type { Server } from './fixtures'

// First in the table's order (by title), so on screen without scrolling.
const TITLE = 'A Deep Conjugate Direction Method for Iteratively Solving Linear Systems'

function lectern(...args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' })
}

/** Two computers' libraries, each with its own note on the same paper, synced both ways. */
const test = base.extend<{ server: Server; folder: string }>({
  // eslint-disable-next-line no-empty-pattern
  folder: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-e2e-'))
    const folder = join(dir, 'Sync')
    mkdirSync(folder)
    await use(folder)
    rmSync(dir, { recursive: true, force: true })
  },
  server: async ({ folder }, use) => {
    const laptop = join(folder, '..', 'laptop.sqlite')
    const desktop = join(folder, '..', 'desktop.sqlite')
    lectern('--library', laptop, 'import', SAMPLE)
    lectern('--library', laptop, 'sync', folder)
    lectern('--library', desktop, 'sync', folder, '--remember')
    const idOf = (library: string): string => {
      const papers = JSON.parse(
        lectern('--library', library, 'list', '--limit', '500', '--json'),
      ) as {
        id: number
        title: string
      }[]
      return String(papers.find((p) => p.title === TITLE)!.id)
    }
    lectern('--library', laptop, 'set', idOf(laptop), '--note', 'Read on the train: section 3.')
    lectern('--library', desktop, 'set', idOf(desktop), '--note', 'Compare with Qwen-VL.')
    lectern('--library', laptop, 'sync', folder)
    lectern('--library', desktop, 'sync', folder)
    const server = await startServer(desktop)
    await use(server)
    await server.stop()
  },
})

test('another version of a note is shown in the pane, and kept', async ({ page, server }) => {
  await page.goto(server.url)
  await expect(readyApp(page)).toBeVisible()
  await rowWith(page, TITLE).click()
  const detail = page.getByTestId('detail')
  await expect(detail.getByRole('heading', { level: 2, name: TITLE })).toBeVisible()
  const note = detail.getByRole('textbox', { name: 'Note' })
  const other = detail.getByTestId('note-conflict')
  // The desktop's note is the later one: shown; the laptop's is offered beside it.
  await expect(note).toHaveValue('Compare with Qwen-VL.')
  await expect(other).toContainText('Another version of the note, from device')
  await expect(other).toContainText('Read on the train: section 3.')
  await other.getByRole('button', { name: 'Keep this version' }).click()
  await expect(other).toHaveCount(0)
  await expect(note).toHaveValue('Read on the train: section 3.')
})

test('Settings › Sync shows the folder, the last pass and Sync Now', async ({
  page,
  server,
  folder,
}) => {
  await page.goto(server.url)
  await expect(readyApp(page)).toBeVisible()
  await page.getByRole('button', { name: 'Settings…' }).click()
  const sync = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Sync' })
  await expect(sync).toContainText(folder)
  await sync.getByRole('button', { name: 'Sync Now' }).click()
  await expect(sync).toContainText(/Last sync .*: \d+ changes? sent, \d+ received\./)
  await expect(sync.getByRole('list', { name: 'Other devices' })).toContainText('Device ')
})
