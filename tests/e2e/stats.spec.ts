// The Statistics view: opened from the sidebar in place of the table, its charts drawn and their
// numbers given as text, its figures following the library.
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { test, expect, bodyRows } from './fixtures'

const DAY = 86_400_000
const HOUR = 3_600_000
const MINUTE = 60_000

/** This week's Monday, 00:00 UTC (weeks begin then), as Unix ms. */
function thisMonday(): number {
  const now = new Date()
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return day - ((now.getUTCDay() + 6) % 7) * DAY
}

type Step = [status: 'to-read' | 'reading' | 'read' | 'skipped', at: number]

/**
 * A Lectern JSON export whose papers carry their history: imported into an empty library, they
 * keep when they were added and every change of status, so the view has weeks to show.
 */
function exportWithHistory(): { name: string; mimeType: string; buffer: Buffer } {
  const monday = thisMonday()
  const fourWeeksAgo = monday - 28 * DAY + 9 * HOUR
  const lastWeek = monday - 7 * DAY + 9 * HOUR
  const thisWeek = monday + MINUTE
  const papers: { added: number; steps: Step[] }[] = [
    // Four weeks ago: 10 papers; 4 queued the next day (2 of them read a week later), 3 skipped.
    ...[0, 1].map(() => ({
      added: fourWeeksAgo,
      steps: [
        ['to-read', fourWeeksAgo + DAY],
        ['read', monday - 20 * DAY],
      ] as Step[],
    })),
    ...[0, 1].map(() => ({
      added: fourWeeksAgo,
      steps: [['to-read', fourWeeksAgo + DAY]] as Step[],
    })),
    ...[0, 1, 2].map(() => ({
      added: fourWeeksAgo,
      steps: [['skipped', fourWeeksAgo + DAY]] as Step[],
    })),
    ...[0, 1, 2].map(() => ({ added: fourWeeksAgo, steps: [] })),
    // Last week: 6 papers; 2 read within hours, 2 queued this week (1 of them read), 2 new.
    ...[0, 1].map(() => ({ added: lastWeek, steps: [['read', lastWeek + 3 * HOUR]] as Step[] })),
    { added: lastWeek, steps: [['to-read', thisWeek]] },
    {
      added: lastWeek,
      steps: [
        ['to-read', thisWeek],
        ['read', thisWeek + MINUTE],
      ],
    },
    ...[0, 1].map(() => ({ added: lastWeek, steps: [] })),
    // This week: 4 papers, all new.
    ...[0, 1, 2, 3].map(() => ({ added: thisWeek, steps: [] })),
  ]
  const iso = (ms: number): string => new Date(ms).toISOString()
  const file = {
    lectern: 'library-export',
    version: 1,
    exportedAt: iso(Date.now()),
    libraryId: 'stats-e2e',
    imports: [],
    papers: papers.map((p, i) => ({
      title: `Reading Statistics Paper ${i + 1}`,
      authors: [],
      abstract: `What paper ${i + 1} found. It holds up.`,
      year: null,
      venue: null,
      arxivId: null,
      arxivVersion: null,
      doi: null,
      keywords: [],
      urls: [],
      status: p.steps.at(-1)?.[0] ?? 'new',
      statusChangedAt: p.steps.length ? iso(p.steps.at(-1)![1]) : null,
      statusHistory: p.steps.map(([status, at]) => ({ status, at: iso(at) })),
      note: '',
      noteUpdatedAt: null,
      addedAt: iso(p.added),
      dumpDate: null,
      dumpDateText: null,
    })),
  }
  return {
    name: 'history.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(file)),
  }
}

async function importHistory(app: Page): Promise<void> {
  await app.getByTestId('file-input').setInputFiles(exportWithHistory())
  await app
    .getByRole('dialog', { name: 'Import preview' })
    .getByRole('button', { name: 'Import 20 papers' })
    .click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '20')
}

/** Tags papers through the window's own API, as the tag editor would. */
async function addTag(app: Page, ids: number[], tag: string): Promise<void> {
  const reply = await app.evaluate(
    async ({ ids, tag }) => {
      const token = sessionStorage.getItem('lectern-token') ?? ''
      const response = await fetch('api/updatePapers', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-lectern-token': token },
        body: JSON.stringify({ ids, addTags: [tag] }),
      })
      return (await response.json()) as { ok: boolean }
    },
    { ids, tag },
  )
  expect(reply.ok).toBe(true)
}

function statsView(app: Page): Locator {
  return app.getByRole('region', { name: 'Statistics' })
}

async function openStats(app: Page): Promise<Locator> {
  await app.getByRole('button', { name: 'Statistics' }).click()
  const view = statsView(app)
  await expect(view).toHaveAttribute('data-ready', 'true')
  return view
}

/** The value shown under a key figure ("Read this week"). */
function figure(view: Locator, name: string): Locator {
  return view.getByRole('term').filter({ hasText: name }).locator('xpath=following-sibling::dd')
}

/** The cells of each body row of a table, as text. */
async function rowsOf(table: Locator): Promise<string[][]> {
  return table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
    )
}

/** Whether the chart's canvas has anything drawn on it. */
async function drawn(canvas: Locator): Promise<boolean> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height)
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true
    return false
  })
}

const SHOTS = process.env.LECTERN_SCREENSHOTS

/** Screenshots for a person to look at (LECTERN_SCREENSHOTS=DIR), both themes, two sizes. */
async function screenshots(app: Page, name: string): Promise<void> {
  if (!SHOTS) return
  test.slow()
  for (const size of [
    { width: 1920, height: 1080 },
    { width: 800, height: 600 },
  ]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await app.setViewportSize(size)
      await app.emulateMedia({ colorScheme })
      await expect(statsView(app)).toHaveAttribute('data-ready', 'true')
      await app.screenshot({
        path: join(SHOTS, `${name}-${size.width}x${size.height}-${colorScheme}.png`),
      })
      // What a small window shows once the view is scrolled to its end.
      await statsView(app)
        .locator(':scope > div')
        .evaluate((body) => body.scrollTo(0, 1e6))
      await app.screenshot({
        path: join(SHOTS, `${name}-${size.width}x${size.height}-${colorScheme}-end.png`),
      })
      await statsView(app)
        .locator(':scope > div')
        .evaluate((body) => body.scrollTo(0, 0))
    }
  }
  await app.emulateMedia({ colorScheme: 'light' })
  await app.setViewportSize({ width: 1280, height: 720 })
}

test('an empty library: the view says what will show there, and goes back', async ({ app }) => {
  const view = await openStats(app)
  await expect(view.getByTestId('stats-empty')).toContainText('Nothing to count yet')
  await expect(view.locator('canvas')).toHaveCount(0)
  await screenshots(app, 'stats-empty')
  await view.getByRole('button', { name: 'Back to papers' }).click()
  await expect(app.getByTestId('empty-state')).toBeVisible()
})

test('charts and figures of a reading history; another span; back with Escape', async ({ app }) => {
  await importHistory(app)
  // The export's papers are the library's first, numbered in order.
  await addTag(app, [1, 2, 3, 4, 5, 6], 'vision')
  await addTag(app, [7, 8, 9], 'nlp')
  await addTag(app, [10], 'agents')
  const view = await openStats(app)
  await expect(view.getByRole('heading', { name: 'Statistics' })).toBeFocused()

  await expect(figure(view, 'Imported this week')).toHaveText('4')
  await expect(figure(view, 'Triaged this week')).toHaveText('2')
  await expect(figure(view, 'Read this week')).toHaveText('1')
  // Waits of 3 hours (twice), 6.6 days, and 7.6 days (twice).
  await expect(figure(view, 'Median time to read')).toHaveText('6.6 days')

  const weekly = view.getByRole('figure', { name: 'Papers by week' })
  await expect(weekly).toContainText('Last 26 weeks: 20 imported, 11 triaged, 5 read.')
  const weeks = await rowsOf(weekly.getByRole('table'))
  expect(weeks).toHaveLength(26)
  expect(weeks.slice(-5).map((row) => row.slice(1))).toEqual([
    ['10', '7', '0'],
    ['0', '0', '2'],
    ['0', '0', '0'],
    ['6', '2', '2'],
    ['4', '2', '1'],
  ])

  const waits = view.getByRole('figure', { name: 'Time from import to read' })
  await expect(waits).toContainText('Median 6.6 days; the middle half 3 hours to 7.6 days.')
  expect(await rowsOf(waits.getByRole('table'))).toEqual([
    ['under a day', '2'],
    ['1–7 days', '1'],
    ['1 week – 1 month', '2'],
    ['1–3 months', '0'],
    ['over 3 months', '0'],
  ])

  const funnel = view.getByRole('figure', { name: 'How far papers got' })
  expect(await rowsOf(funnel.getByRole('table'))).toEqual([
    ['All papers', '20', '100%'],
    ['Triaged', '11', '55%'],
    ['Queued', '8', '40%'],
    ['Read', '5', '25%'],
    ['Skipped', '3', '15%'],
  ])

  const tags = view.getByRole('figure', { name: 'Top tags' })
  await expect(tags).toContainText('The 3 tags on the most papers.')
  expect(await rowsOf(tags.getByRole('table'))).toEqual([
    ['vision', '6'],
    ['nlp', '3'],
    ['agents', '1'],
  ])

  // Four charts, drawn, and they follow the window's size.
  const canvases = view.locator('canvas')
  await expect(canvases).toHaveCount(4)
  for (const canvas of await canvases.all()) expect(await drawn(canvas)).toBe(true)
  const wide = (await weekly.locator('canvas').boundingBox())!.width
  await app.setViewportSize({ width: 900, height: 700 })
  await expect
    .poll(async () => (await weekly.locator('canvas').boundingBox())!.width)
    .toBeLessThan(wide)

  await screenshots(app, 'stats')

  await view.getByRole('combobox', { name: 'Weeks shown' }).selectOption('4 weeks')
  await expect(view).toHaveAttribute('data-ready', 'true')
  await expect(weekly).toContainText('Last 4 weeks: 10 imported, 4 triaged, 5 read.')
  expect(await rowsOf(weekly.getByRole('table'))).toHaveLength(4)

  await app.keyboard.press('Escape')
  await expect(statsView(app)).toHaveCount(0)
  await expect(app.getByRole('grid', { name: 'Papers' })).toBeVisible()
})

test('the figures follow the library: a paper marked read counts this week', async ({ app }) => {
  await importHistory(app)
  let view = await openStats(app)
  await expect(figure(view, 'Read this week')).toHaveText('1')
  await view.getByRole('button', { name: 'Back to papers' }).click()

  // Newest first: one of this week's new papers.
  await bodyRows(app).first().click()
  await app.getByRole('radio', { name: 'Read', exact: true }).click()
  await expect(app.getByRole('radio', { name: 'Read', exact: true })).toHaveAttribute(
    'aria-checked',
    'true',
  )

  view = await openStats(app)
  await expect(figure(view, 'Read this week')).toHaveText('2')
  await expect(figure(view, 'Triaged this week')).toHaveText('3')
  await expect(
    view.getByRole('figure', { name: 'How far papers got' }).getByRole('table'),
  ).toContainText('Read6')
})
