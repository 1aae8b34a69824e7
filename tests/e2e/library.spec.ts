import { readFileSync } from 'node:fs'
import {
  test,
  expect,
  SAMPLE,
  bodyRows,
  readyApp,
  rowWith,
  startServer,
  visibleTitles,
} from './fixtures'

const sampleTitles = readFileSync(SAMPLE, 'utf8')
  .split('\n\n')
  .slice(6)
  .filter((_, i) => i % 2 === 0)

test('first run offers the sample; loading it shows 95 papers', async ({ app }) => {
  await expect(app.getByTestId('empty-state')).toBeVisible()
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(app.getByTestId('import-result')).toContainText('95 added, 0 already in the library')
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  await expect(app.getByRole('button', { name: /All papers\s*95/ })).toBeVisible()
  // Newest first, in the dump's own order.
  await expect(bodyRows(app).first()).toContainText(sampleTitles[0]!)
  // A Daily Papers page lists no authors, so no empty Authors column takes the titles' room.
  await expect(app.getByRole('columnheader', { name: 'Title' })).toBeVisible()
  await expect(app.getByRole('columnheader', { name: 'Authors' })).toHaveCount(0)
})

test('import through the file picker, sort by title both ways, re-import adds nothing', async ({
  app,
}) => {
  await app.getByTestId('file-input').setInputFiles(SAMPLE)
  await app
    .getByRole('dialog', { name: 'Import preview' })
    .getByRole('button', { name: 'Import 95 papers' })
    .click()
  await expect(app.getByTestId('import-result')).toContainText(
    'daily-papers-aug-19.txt: 95 added, 0 already in the library',
  )
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')

  const sorted = [...sampleTitles].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
  await app.getByRole('button', { name: 'Title' }).click()
  await expect(app.getByRole('columnheader', { name: 'Title' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  )
  await expect(bodyRows(app).first()).toContainText(sorted[0]!)
  const ascending = await visibleTitles(app)
  expect(ascending.slice(0, 5)).toEqual(sorted.slice(0, 5))

  await app.getByRole('button', { name: 'Title' }).click()
  await expect(app.getByRole('columnheader', { name: 'Title' })).toHaveAttribute(
    'aria-sort',
    'descending',
  )
  await expect(bodyRows(app).first()).toContainText(sorted[94]!)
  const descending = await visibleTitles(app)
  expect(descending.slice(0, 5)).toEqual([...sorted].reverse().slice(0, 5))

  await app.getByTestId('file-input').setInputFiles(SAMPLE)
  const again = app.getByRole('dialog', { name: 'Import preview' })
  await expect(again.getByTestId('preview-counts')).toHaveText(
    '0 new · 95 already in the library (95 by title)',
  )
  await again.getByRole('button', { name: 'Import 95 papers' }).click()
  await expect(app.getByTestId('import-result')).toContainText('0 added, 95 already in the library')
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
})

test('status and note are kept across a reload and a restart', async ({ app, server }) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  const title = sampleTitles[1]!
  await rowWith(app, title).click()
  await expect(app.getByTestId('detail').getByRole('heading', { name: title })).toBeVisible()
  await app.getByRole('radio', { name: 'Reading' }).click()
  await expect(app.getByRole('radio', { name: 'Reading' })).toHaveAttribute('aria-checked', 'true')
  await expect(rowWith(app, title).getByTestId('status-pill')).toHaveText('Reading')

  await app.getByRole('textbox', { name: 'Note' }).fill('Read **section 3** again.')
  await expect(app.getByTestId('note-state')).toHaveText('Saved')

  await app.reload()
  await expect(readyApp(app)).toBeVisible()
  await rowWith(app, title).click()
  await expect(app.getByRole('textbox', { name: 'Note' })).toHaveValue('Read **section 3** again.')
  await expect(app.getByRole('radio', { name: 'Reading' })).toHaveAttribute('aria-checked', 'true')

  await app.getByRole('tab', { name: 'Preview' }).click()
  await expect(app.getByTestId('note-preview').locator('strong')).toHaveText('section 3')

  // Restart the host on the same library.
  await server.stop()
  const again = await startServer(server.library)
  try {
    await app.goto(again.url)
    await expect(readyApp(app)).toBeVisible()
    await expect(app.getByRole('button', { name: /Reading\s*1/ })).toBeVisible()
    await app.getByRole('button', { name: /Reading\s*1/ }).click()
    await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '1')
    await rowWith(app, title).click()
    await expect(app.getByRole('textbox', { name: 'Note' })).toHaveValue(
      'Read **section 3** again.',
    )
  } finally {
    await again.stop()
  }
})

test('keyboard triage: move with j/k and set statuses with number keys', async ({ app }) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  await expect(bodyRows(app).first()).toContainText(sampleTitles[0]!)
  await app.keyboard.press('j')
  await expect(app.getByTestId('detail').getByRole('heading', { level: 2 })).toHaveText(
    sampleTitles[0]!,
  )
  await app.keyboard.press('j')
  await expect(app.getByTestId('detail').getByRole('heading', { level: 2 })).toHaveText(
    sampleTitles[1]!,
  )
  await app.keyboard.press('2')
  await expect(app.getByRole('radio', { name: 'To read' })).toHaveAttribute('aria-checked', 'true')
  await app.keyboard.press('k')
  await expect(app.getByTestId('detail').getByRole('heading', { level: 2 })).toHaveText(
    sampleTitles[0]!,
  )
  await app.keyboard.press('5')
  await expect(app.getByRole('button', { name: /Skipped\s*1/ })).toBeVisible()
  await expect(app.getByRole('button', { name: /To read\s*1/ })).toBeVisible()
})

test('pasted text is imported; a bad paste is refused and changes nothing', async ({ app }) => {
  await app.getByRole('button', { name: 'Paste…' }).first().click()
  await app
    .getByRole('textbox', { name: 'Dump text' })
    .fill('Aug 20\n\nA Pasted Paper\n\nWe paste things. It works across hosts.')
  await app.getByRole('button', { name: 'Import', exact: true }).click()
  const preview = app.getByRole('dialog', { name: 'Import preview' })
  await preview.getByRole('button', { name: 'Import 1 paper' }).click()
  await expect(app.getByTestId('import-result')).toContainText('pasted text: 1 added')
  await app.getByRole('button', { name: 'Paste…' }).first().click()
  await app.getByRole('textbox', { name: 'Dump text' }).fill('[{"title": "Nope",\n  "abstract": ')
  await app.getByRole('button', { name: 'Import', exact: true }).click()
  // The preview says what is wrong and where, and lets nothing in.
  await expect(preview.getByRole('alert')).toContainText('pasted text, line 2')
  await expect(preview.getByRole('button', { name: /^Import/ })).toBeDisabled()
  await preview.getByRole('button', { name: 'Cancel' }).click()
  await expect(preview).toBeHidden()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '1')
})

test('links in abstracts open outside the app', async ({ app }) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await rowWith(app, 'ADEM-VL').click()
  const link = app
    .getByTestId('detail')
    .getByRole('link', { name: 'https://github.com/Hao840/ADEM-VL' })
  await expect(link).toHaveAttribute('href', 'https://github.com/Hao840/ADEM-VL')
  await expect(link).toHaveAttribute('target', '_blank')
  await expect(link).toHaveAttribute('rel', /noopener/)
})

test('dropping a dump onto the window imports it', async ({ app }) => {
  const text = readFileSync(SAMPLE, 'utf8')
  const dataTransfer = await app.evaluateHandle((content) => {
    const dt = new DataTransfer()
    dt.items.add(new File([content], 'dropped-dump.txt', { type: 'text/plain' }))
    return dt
  }, text)
  await app.getByTestId('app').dispatchEvent('dragover', { dataTransfer })
  await expect(app.getByText('Drop dumps to import them')).toBeVisible()
  await app.getByTestId('app').dispatchEvent('drop', { dataTransfer })
  await app
    .getByRole('dialog', { name: 'Import preview' })
    .getByRole('button', { name: 'Import 95 papers' })
    .click()
  await expect(app.getByTestId('import-result')).toContainText('dropped-dump.txt: 95 added')
  await expect(app.getByText('Drop dumps to import them')).toBeHidden()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
})

test('a note typed just before switching papers is kept and shown on return', async ({ app }) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await rowWith(app, sampleTitles[0]!).click()
  await app.getByRole('textbox', { name: 'Note' }).fill('written in a hurry')
  // Switch at once, before the typing pause would have saved it, and straight back.
  await rowWith(app, sampleTitles[1]!).click()
  await rowWith(app, sampleTitles[0]!).click()
  await expect(app.getByRole('textbox', { name: 'Note' })).toHaveValue('written in a hurry')
  await expect(app.getByTestId('note-state')).toHaveText('Saved')
  await app.reload()
  await rowWith(app, sampleTitles[0]!).click()
  await expect(app.getByRole('textbox', { name: 'Note' })).toHaveValue('written in a hurry')
})

test('triage in a filtered view moves on to the next paper, not back to the top', async ({
  app,
}) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  const inbox = app.getByRole('button', { name: /^Inbox\s*95/ })
  await inbox.click()
  // The Inbox's own rows, not All papers' still shown while it loads (the same first row there):
  // keys pressed meanwhile are not taken (tableChange.spec.ts), and the test raced them.
  await expect(inbox).toHaveAttribute('aria-current', 'true')
  await expect(app.locator('[data-stale]')).toHaveCount(0)
  await expect(bodyRows(app).first()).toContainText(sampleTitles[0]!)
  const heading = app.getByTestId('detail').getByRole('heading', { level: 2 })
  await app.keyboard.press('j')
  await app.keyboard.press('j')
  await app.keyboard.press('j')
  await expect(heading).toHaveText(sampleTitles[2]!)
  await app.keyboard.press('2')
  await expect(app.getByRole('button', { name: /^Inbox\s*94/ })).toBeVisible()
  await expect(rowWith(app, sampleTitles[2]!)).toHaveCount(0)
  await app.keyboard.press('j')
  await expect(heading).toHaveText(sampleTitles[3]!)
  // Shortcuts stay out of the way while a dialog is open.
  await app.getByRole('button', { name: 'Backups…' }).click()
  await app.keyboard.press('5')
  await app.getByRole('dialog', { name: 'Backups' }).getByRole('button', { name: 'Close' }).click()
  await expect(app.getByRole('button', { name: /Skipped\s*0/ })).toBeVisible()
})

test('the table is reached with Tab, and the arrow keys triage from there', async ({ app }) => {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(app.getByRole('grid', { name: 'Papers' })).toHaveAttribute('aria-rowcount', '95')
  const body = app.getByTestId('table-body')
  for (let presses = 0; presses < 40; presses += 1) {
    if (await body.evaluate((el) => el === document.activeElement)) break
    await app.keyboard.press('Tab')
  }
  await expect(body).toBeFocused()
  await app.keyboard.press('ArrowDown')
  await expect(app.locator('[role="row"][aria-selected="true"]')).toHaveCount(1)
  await expect(app.getByTestId('detail').getByRole('heading', { level: 2 })).toBeVisible()
})
