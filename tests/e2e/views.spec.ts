// The sidebar's views: Starred and each tag with live counts, a tag renamed (and merged into
// another) and deleted with undo, smart views saved from a search, renamed, moved with the
// keyboard and by dragging, deleted with undo, and still there after a reload.
import type { Locator, Page } from '@playwright/test'
import type { Method, Request, Responses } from '../../shared/api'
import type { PaperRow } from '../../shared/domain'
import { test, expect, bodyRows, readyApp, screenshots } from './fixtures'

const LONG_TAG = 'reinforcement-learning-from-human-feedback-and-preference-optimisation'

/** Calls the library's API as the page does (its token, its origin): the test's own setup. */
async function api<M extends Method>(
  app: Page,
  method: M,
  request: Request<M>,
): Promise<Responses[M]> {
  const envelope = await app.evaluate(
    async ({ method, request }) => {
      const token = sessionStorage.getItem('lectern-token') ?? ''
      const response = await fetch(`api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-lectern-token': token },
        body: JSON.stringify(request),
      })
      return (await response.json()) as { ok: boolean; value?: unknown; error?: unknown }
    },
    { method, request: request as unknown },
  )
  if (!envelope.ok) throw new Error(`${method}: ${JSON.stringify(envelope.error)}`)
  return envelope.value as Responses[M]
}

/** The sample, imported the way a user starts; its papers by title, A to Z. */
async function loadSample(app: Page): Promise<PaperRow[]> {
  await app.getByRole('button', { name: 'Load the sample dump' }).click()
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '95')
  const page = await api(app, 'listPapers', {
    sort: { field: 'title', direction: 'asc' },
    status: null,
    offset: 0,
    limit: 10,
  })
  return page.rows
}

function papersGrid(app: Page): Locator {
  return app.getByRole('grid', { name: 'Papers' })
}

function sidebar(app: Page): Locator {
  return app.getByRole('navigation', { name: 'Views' })
}

function tagList(app: Page): Locator {
  return sidebar(app).getByRole('list', { name: 'Tags' })
}

function savedList(app: Page): Locator {
  return sidebar(app).getByRole('list', { name: 'Saved views' })
}

/** A smart view's actions, once open. */
function actionsOf(app: Page, view: string): Locator {
  return savedList(app).getByRole('group', { name: `Actions for view “${view}”` })
}

/** The names of the smart views, top to bottom. */
function savedNames(app: Page): Promise<string[]> {
  return savedList(app)
    .getByRole('listitem')
    .evaluateAll((items) =>
      items.map((li) => li.querySelector('button > span:nth-of-type(2)')?.textContent ?? ''),
    )
}

/** Reloads the window and waits for it to say it is ready (changes made through the API show). */
async function reload(app: Page): Promise<void> {
  await app.reload()
  await expect(readyApp(app)).toBeVisible()
}

test('Starred and tags filter the table; a tag is renamed, merged, deleted and put back', async ({
  app,
}) => {
  const [a, b, c, d] = await loadSample(app)
  await api(app, 'updatePapers', { ids: [a!.id, b!.id], starred: true })
  await api(app, 'updatePapers', { ids: [a!.id, b!.id, c!.id], addTags: ['diffusion'] })
  await api(app, 'updatePapers', { ids: [c!.id, d!.id], addTags: ['video'] })
  await api(app, 'updatePapers', { ids: [d!.id], addTags: [LONG_TAG] })
  await reload(app)

  // A long tag name is cut short with an ellipsis, and whole on hover.
  const long = tagList(app).getByRole('button', { name: new RegExp(`^${LONG_TAG}\\s*1$`) })
  await expect(long).toHaveAttribute('title', `${LONG_TAG}: 1 paper`)
  expect(
    await long
      .locator('span')
      .nth(1)
      .evaluate((label) => label.scrollWidth > label.clientWidth),
  ).toBe(true)

  // Starred: the two starred papers, and the view says it is the one on show.
  const starred = sidebar(app).getByRole('button', { name: /^Starred\s*2$/ })
  await starred.click()
  await expect(starred).toHaveAttribute('aria-current', 'true')
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '2')
  await expect(bodyRows(app).filter({ hasText: a!.title })).toHaveCount(1)
  await expect(bodyRows(app).filter({ hasText: b!.title })).toHaveCount(1)

  // A tag: its papers; Starred is no longer the view on show.
  const diffusion = tagList(app).getByRole('button', { name: /^diffusion\s*3$/ })
  await diffusion.click()
  await expect(diffusion).toHaveAttribute('aria-current', 'true')
  await expect(starred).not.toHaveAttribute('aria-current')
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '3')
  await expect(bodyRows(app).filter({ hasText: c!.title })).toHaveCount(1)
  await screenshots(app, 'views-tag')

  // Rename it, from its actions, with the keyboard; the table follows the new name.
  await tagList(app).getByRole('button', { name: 'Actions for tag “diffusion”' }).focus()
  await app.keyboard.press('Enter')
  await tagList(app).getByRole('button', { name: 'Rename…' }).click()
  const rename = app.getByRole('dialog', { name: 'Rename tag' })
  await expect(rename.getByRole('textbox', { name: 'New name' })).toBeFocused()
  await rename.getByRole('textbox', { name: 'New name' }).fill('generative')
  await expect(rename).toContainText('On 3 papers')
  await rename.getByRole('button', { name: 'Rename' }).click()
  await expect(rename).toBeHidden()
  await expect(app.getByTestId('toast').last()).toContainText(
    'Renamed the tag “diffusion” to “generative” on 3 papers.',
  )
  const generative = tagList(app).getByRole('button', { name: /^generative\s*3$/ })
  await expect(generative).toHaveAttribute('aria-current', 'true')
  await expect(tagList(app).getByRole('button', { name: /^diffusion/ })).toHaveCount(0)
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '3')

  // Renaming into a name another tag has (in another case) merges the two, and says so first.
  await tagList(app).getByRole('button', { name: 'Actions for tag “video”' }).click()
  await tagList(app).getByRole('button', { name: 'Rename…' }).click()
  await rename.getByRole('textbox', { name: 'New name' }).fill('Generative')
  await expect(rename).toContainText('“generative” exists already (3 papers)')
  await rename.getByRole('button', { name: 'Merge' }).click()
  await expect(app.getByTestId('toast').last()).toContainText(
    'Merged the tag “video” into “generative” (2 papers).',
  )
  await expect(tagList(app).getByRole('button', { name: /^generative\s*4$/ })).toBeVisible()
  await expect(tagList(app).getByRole('button', { name: /^video/ })).toHaveCount(0)

  // Delete it: the dialog says how many papers; the table goes back to all papers; undo.
  await tagList(app).getByRole('button', { name: 'Actions for tag “generative”' }).click()
  await tagList(app).getByRole('button', { name: 'Delete…' }).click()
  const confirm = app.getByRole('dialog', { name: 'Delete tag' })
  await expect(confirm).toContainText('It comes off 4 papers.')
  await confirm.getByRole('button', { name: 'Delete tag' }).click()
  await expect(app.getByTestId('toast').last()).toContainText(
    'Took the tag “generative” off 4 papers.',
  )
  await expect(tagList(app).getByRole('button', { name: /^generative/ })).toHaveCount(0)
  await expect(sidebar(app).getByRole('button', { name: /^All papers\s*95$/ })).toHaveAttribute(
    'aria-current',
    'true',
  )
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '95')
  await app.getByTestId('toast').last().getByRole('button', { name: 'Undo' }).click()
  await expect(app.getByTestId('toast').last()).toContainText(
    'Put the tag “generative” back on 4 papers.',
  )
  await expect(tagList(app).getByRole('button', { name: /^generative\s*4$/ })).toBeVisible()

  // The tag's changes are on the window's undo stack too: Ctrl+Z takes back the merge exactly
  // (each paper as it was), then the rename; Shift+Ctrl+Z makes the rename again.
  await app.getByTestId('table-body').focus()
  await app.keyboard.press('ControlOrMeta+z')
  await expect(tagList(app).getByRole('button', { name: /^video\s*2$/ })).toBeVisible()
  await expect(tagList(app).getByRole('button', { name: /^generative\s*3$/ })).toBeVisible()
  await app.keyboard.press('ControlOrMeta+z')
  await expect(tagList(app).getByRole('button', { name: /^diffusion\s*3$/ })).toBeVisible()
  await expect(tagList(app).getByRole('button', { name: /^generative/ })).toHaveCount(0)
  await app.keyboard.press('ControlOrMeta+Shift+z')
  await expect(tagList(app).getByRole('button', { name: /^generative\s*3$/ })).toBeVisible()
  await expect(tagList(app).getByRole('button', { name: /^video\s*2$/ })).toBeVisible()
})

test('smart views: saved from a search, renamed, moved, deleted with undo, kept on reload', async ({
  app,
}) => {
  const [a, b, c] = await loadSample(app)
  await api(app, 'updatePapers', { ids: [a!.id, b!.id, c!.id], starred: true })
  await api(app, 'setStatus', { id: a!.id, status: 'to-read' })
  const found = await api(app, 'listPapers', {
    sort: { field: 'relevance', direction: 'desc' },
    status: 'new',
    search: 'diffusion',
    offset: 0,
    limit: 1,
  })
  expect(found.total).toBeGreaterThan(0)
  await reload(app)

  // Nothing to save while the table shows every paper.
  const save = sidebar(app).getByRole('button', { name: 'Save this view…' })
  await expect(save).toBeDisabled()
  await expect(sidebar(app)).toContainText('Search or filter the papers')

  // The Inbox, searched: saved under a name, it becomes the view on show, with its count.
  await sidebar(app)
    .getByRole('button', { name: /^Inbox\s*94$/ })
    .click()
  await app.getByRole('searchbox', { name: 'Search papers' }).fill('diffusion')
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', String(found.total))
  await save.click()
  const dialog = app.getByRole('dialog', { name: 'Save this view' })
  await expect(dialog).toContainText('Shows “diffusion” · Inbox.')
  const name = dialog.getByRole('textbox', { name: 'Name' })
  await expect(name).toHaveValue('diffusion')
  await name.fill('New diffusion')
  await app.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  const newDiffusion = savedList(app).getByRole('button', {
    name: new RegExp(`^New diffusion\\s*${found.total}$`),
  })
  await expect(newDiffusion).toHaveAttribute('aria-current', 'true')

  // Starred, saved too; a second name the same as the first is refused.
  await sidebar(app)
    .getByRole('button', { name: /^Starred\s*3$/ })
    .click()
  await expect(app.getByRole('searchbox', { name: 'Search papers' })).toHaveValue('')
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '3')
  await save.click()
  await name.fill('new DIFFUSION')
  await expect(dialog).toContainText('A view is called “new DIFFUSION” already.')
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled()
  await name.fill('Favourites')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(savedList(app).getByRole('button', { name: /^Favourites\s*3$/ })).toHaveAttribute(
    'aria-current',
    'true',
  )
  expect(await savedNames(app)).toEqual(['New diffusion', 'Favourites'])

  // Choosing a smart view sets its search and filters again.
  await sidebar(app)
    .getByRole('button', { name: /^All papers/ })
    .click()
  await newDiffusion.click()
  await expect(app.getByRole('searchbox', { name: 'Search papers' })).toHaveValue('diffusion')
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', String(found.total))

  // Rename in place: Enter keeps the new name.
  await savedList(app).getByRole('button', { name: 'Actions for view “Favourites”' }).click()
  await savedList(app).getByRole('button', { name: 'Rename' }).click()
  const field = savedList(app).getByRole('textbox', { name: 'Name of the view “Favourites”' })
  await expect(field).toBeFocused()
  await field.fill('Best')
  await app.keyboard.press('Enter')
  await expect(savedList(app).getByRole('button', { name: /^Best\s*3$/ })).toBeFocused()

  // Move it up with the keyboard; at the top, the focus goes to Move down.
  await app.keyboard.press('Tab')
  await expect(
    savedList(app).getByRole('button', { name: 'Actions for view “Best”' }),
  ).toBeFocused()
  await app.keyboard.press('Enter')
  await app.keyboard.press('Tab')
  await app.keyboard.press('Tab')
  await expect(actionsOf(app, 'Best').getByRole('button', { name: 'Move up' })).toBeFocused()
  await app.keyboard.press('Enter')
  await expect.poll(() => savedNames(app)).toEqual(['Best', 'New diffusion'])
  await expect(actionsOf(app, 'Best').getByRole('button', { name: 'Move down' })).toBeFocused()
  await expect(actionsOf(app, 'Best').getByRole('button', { name: 'Move up' })).toBeDisabled()
  // Escape closes the actions and gives the focus back to their button.
  await app.keyboard.press('Escape')
  await expect(savedList(app).getByRole('group')).toHaveCount(0)
  await expect(
    savedList(app).getByRole('button', { name: 'Actions for view “Best”' }),
  ).toBeFocused()
  await screenshots(app, 'views-saved')

  // Delete, then undo: it comes back where it was.
  await savedList(app).getByRole('button', { name: 'Actions for view “New diffusion”' }).click()
  await savedList(app).getByRole('button', { name: 'Delete' }).click()
  await expect(app.getByTestId('toast').last()).toContainText('Deleted the view “New diffusion”.')
  await expect.poll(() => savedNames(app)).toEqual(['Best'])
  await app.getByTestId('toast').last().getByRole('button', { name: 'Undo' }).click()
  await expect.poll(() => savedNames(app)).toEqual(['Best', 'New diffusion'])

  // Dragging moves a view too.
  await savedList(app)
    .getByRole('listitem')
    .nth(1)
    .dragTo(savedList(app).getByRole('listitem').nth(0), { targetPosition: { x: 20, y: 3 } })
  await expect.poll(() => savedNames(app)).toEqual(['New diffusion', 'Best'])

  // The library keeps them, in their order.
  await reload(app)
  await expect.poll(() => savedNames(app)).toEqual(['New diffusion', 'Best'])
  await savedList(app)
    .getByRole('button', { name: /^Best\s*3$/ })
    .click()
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '3')
})

test('on a small window the sidebar opens over the papers; its actions and dialogs work there', async ({
  app,
}) => {
  const [a, b] = await loadSample(app)
  await api(app, 'updatePapers', { ids: [a!.id, b!.id], addTags: ['diffusion'] })
  await app.setViewportSize({ width: 800, height: 600 })
  await reload(app)

  const views = app.getByRole('button', { name: 'Views', exact: true })
  await views.click()
  await expect(sidebar(app)).toBeVisible()
  // Opening a tag's actions and its dialog keeps the sidebar open.
  await tagList(app).getByRole('button', { name: 'Actions for tag “diffusion”' }).click()
  await tagList(app).getByRole('button', { name: 'Rename…' }).click()
  const rename = app.getByRole('dialog', { name: 'Rename tag' })
  await expect(rename).toBeVisible()
  await rename.getByRole('textbox', { name: 'New name' }).fill('diffusion models')
  await rename.getByRole('button', { name: 'Rename' }).click()
  await expect(app.getByTestId('toast').last()).toContainText(
    'Renamed the tag “diffusion” to “diffusion models” on 2 papers.',
  )
  await expect(sidebar(app)).toBeVisible()
  await screenshots(app, 'views-narrow')
  // Choosing a view folds it away again.
  await tagList(app)
    .getByRole('button', { name: /^diffusion models\s*2$/ })
    .click()
  await expect(sidebar(app)).toBeHidden()
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '2')
})

test('a star clicked in the Starred view stays with its paper: a key after it stars no other', async ({
  app,
}) => {
  const [a, b, c] = await loadSample(app)
  await api(app, 'updatePapers', { ids: [a!.id, b!.id, c!.id], starred: true })
  await reload(app)
  await sidebar(app)
    .getByRole('button', { name: /^Starred\s*3$/ })
    .click()
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '3')
  const first = bodyRows(app).first()
  const gone = await first.getAttribute('data-paper-id')
  // Unstarred, the paper leaves the view and the rows below move up into its place.
  await first.getByRole('button', { name: 'Starred' }).click()
  await expect(papersGrid(app)).toHaveAttribute('aria-rowcount', '2')
  await expect(first).not.toHaveAttribute('data-paper-id', gone!)
  // Space picks (or Enter opens); neither may press a star that now shows another paper.
  await app.keyboard.press('Space')
  await app.keyboard.press('Enter')
  await app.waitForTimeout(500)
  const starred = await api(app, 'listPapers', {
    sort: { field: 'title', direction: 'asc' },
    status: null,
    starred: true,
    offset: 0,
    limit: 10,
  })
  expect(starred.rows.map((r) => r.id).sort()).toEqual(
    [a!.id, b!.id, c!.id].filter((id) => String(id) !== gone).sort(),
  )
})
