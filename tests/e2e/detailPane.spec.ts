// The detail pane: a star (click or s), tags added through the library's suggestions with the
// keyboard alone (t, type, ↓, Enter) and removed, "More like this" opening a related paper, e
// for the note, and the search's words marked in the title and abstract — through `lectern serve`.
import type { Locator, Page } from '@playwright/test'
import { test, expect, drop, rowWith, screenshots, SHOTS } from './fixtures'

const ROBOT = 'Diffusion Policies for Dexterous Robot Manipulation'
const GRASP = 'Visuomotor Diffusion Policy Learning for Robot Grasping'
const SPECTRAL = 'Spectral Clustering of Sparse Graphs'
const LAPLACIAN = 'Graph Laplacian Eigenvalues under Perturbation'
const BRIDGES = 'Schrödinger Bridges for Image Translation'

/** Two papers on robot policies, two on graph spectra, one on neither. */
const DUMP = `Daily Papers

Aug 19

${ROBOT}

We train diffusion policies that control a dexterous robot hand for the manipulation of deformable objects, from visuomotor observations with action chunking. The policy $\\pi_\\theta$ is a diffusion model.

${GRASP}

A visuomotor diffusion policy learns robot grasping of deformable objects from demonstrations, with action chunking and dexterous fingers.

${SPECTRAL}

We bound the eigenvalues of the graph Laplacian for sparse random graphs and give a spectral clustering algorithm.

${LAPLACIAN}

Eigenvalues of the graph Laplacian move little when sparse graphs are perturbed; we bound the change.

${BRIDGES}

We use Schr\\"odinger bridges to translate images between domains without paired data.
`

async function importDump(app: Page): Promise<void> {
  await drop(app, [{ name: 'daily.txt', text: DUMP }])
  await app
    .getByRole('dialog', { name: 'Import preview' })
    .getByRole('button', { name: 'Import 5 papers' })
    .click()
  await expect(app.getByTestId('import-result')).toContainText('5 added')
}

/** Selects the paper from the table and waits for the pane to show it. */
async function open(app: Page, title: string): Promise<Locator> {
  await rowWith(app, title).click()
  const detail = app.getByTestId('detail')
  await expect(detail.getByRole('heading', { level: 2, name: title })).toBeVisible()
  return detail
}

test('star, tags from the keyboard, more like this, and e for the note', async ({ app }) => {
  test.slow(!!SHOTS, 'screenshots at two sizes in two themes')
  await importDump(app)
  let detail = await open(app, GRASP)

  // The star: a toggle button, by click and by s from the table.
  const star = detail.getByRole('button', { name: 'Star', exact: true })
  await expect(star).toHaveAttribute('aria-pressed', 'false')
  await expect(star).toHaveText('☆')
  await star.click()
  await expect(star).toHaveAttribute('aria-pressed', 'true')
  await expect(star).toHaveText('★')
  await rowWith(app, GRASP).click()
  await app.keyboard.press('s')
  await expect(star).toHaveAttribute('aria-pressed', 'false')
  await app.keyboard.press('s')
  await expect(star).toHaveAttribute('aria-pressed', 'true')

  // A new tag: t goes to the field, and a name no tag has is offered as a new tag.
  const field = detail.getByRole('combobox', { name: 'Add tag' })
  await app.keyboard.press('t')
  await expect(field).toBeFocused()
  await expect(field).toHaveValue('')
  await app.keyboard.type('Robot Learning')
  const suggestions = detail.getByRole('listbox', { name: 'Tag suggestions' })
  await expect(field).toHaveAttribute('aria-expanded', 'true')
  await expect(suggestions.getByRole('option')).toHaveText(['New tag “Robot Learning”'])
  await app.keyboard.press('Enter')
  const tags = detail.getByRole('list', { name: 'Tags' })
  await expect(tags.getByRole('listitem')).toHaveText(['Robot Learning×'])
  await expect(field).toHaveValue('')
  await expect(field).toHaveAttribute('aria-expanded', 'false')
  // Escape leaves the field, and the pane's keys work again.
  await app.keyboard.press('Escape')
  await expect(field).not.toBeFocused()

  // Another paper takes the same tag from the suggestions, in the library's spelling.
  detail = await open(app, ROBOT)
  await expect(detail.getByRole('list', { name: 'Tags' })).toHaveCount(0)
  await app.keyboard.press('t')
  await expect(field).toBeFocused()
  await app.keyboard.type('robot')
  await expect(suggestions.getByRole('option')).toHaveText(['Robot Learning1', 'New tag “robot”'])
  await app.keyboard.press('ArrowDown')
  const first = suggestions.getByRole('option').first()
  await expect(first).toHaveAttribute('aria-selected', 'true')
  await expect(field).toHaveAttribute('aria-activedescendant', (await first.getAttribute('id'))!)
  await screenshots(app, 'pane-tag-suggestions')
  await app.keyboard.press('Enter')
  await expect(tags.getByRole('listitem')).toHaveText(['Robot Learning×'])
  await app.keyboard.type('manipulation')
  await app.keyboard.press('Enter')
  await expect(tags.getByRole('listitem')).toHaveText(['Robot Learning×', 'manipulation×'])
  await app.keyboard.press('Escape')

  // Removing one leaves the other, and the focus moves to what is left, not to the page.
  await detail.getByRole('button', { name: 'Remove tag “manipulation”' }).click()
  await expect(tags.getByRole('listitem')).toHaveText(['Robot Learning×'])
  await expect(detail.getByRole('button', { name: 'Remove tag “Robot Learning”' })).toBeFocused()

  // More like this: closed until asked, then the papers sharing this one's words, best first.
  const more = detail.getByRole('button', { name: 'More like this' })
  await expect(more).toHaveAttribute('aria-expanded', 'false')
  await expect(detail.getByRole('list', { name: 'Related papers' })).toHaveCount(0)
  await more.click()
  await expect(more).toHaveAttribute('aria-expanded', 'true')
  const related = detail.getByRole('list', { name: 'Related papers' }).getByRole('button')
  await expect(related.first()).toContainText(GRASP)
  await expect(related.first()).toContainText('★ starred')
  await expect(detail.getByTestId('similar-terms')).toContainText('visuomotor')
  await related.first().scrollIntoViewIfNeeded()
  await screenshots(app, 'pane-more-like-this')
  await related.first().click()
  const heading = detail.getByRole('heading', { level: 2, name: GRASP })
  await expect(heading).toBeVisible()
  await expect(heading).toBeFocused()
  await expect(rowWith(app, GRASP)).toHaveAttribute('aria-selected', 'true')
  // The section stays open from one paper to the next.
  await expect(related.first()).toContainText(ROBOT)

  // e: straight to the note, which saves as it is typed.
  await app.keyboard.press('e')
  const note = detail.getByRole('textbox', { name: 'Note' })
  await expect(note).toBeFocused()
  await app.keyboard.type('Compare with the dexterous one.')
  await expect(note).toHaveValue('Compare with the dexterous one.')
  await expect(detail.getByTestId('note-state')).toHaveText('Saved')
  // Typed in the note, s and t were letters, not keys.
  await expect(star).toHaveAttribute('aria-pressed', 'true')

  // e from the preview goes back to the text.
  await detail.getByRole('tab', { name: 'Preview' }).click()
  await expect(note).toHaveCount(0)
  await app.keyboard.press('e')
  await expect(note).toBeFocused()
})

test('the search’s words are marked in the title and the abstract, not in math', async ({
  app,
}) => {
  test.slow(!!SHOTS, 'screenshots at two sizes in two themes')
  await importDump(app)
  const search = app.getByRole('searchbox', { name: 'Search papers' })
  await search.fill('robot dexter* diffusion -grasping')
  await search.press('Enter')
  await expect(rowWith(app, GRASP)).toHaveCount(0)
  const detail = await open(app, ROBOT)
  await expect(detail.getByRole('heading', { level: 2 }).locator('mark')).toHaveText([
    'Diffusion',
    'Dexterous',
    'Robot',
  ])
  const abstract = detail.getByTestId('abstract')
  // A prefix marks the words it starts; math is left alone.
  await expect(abstract.locator('mark')).toHaveText([
    'diffusion',
    'dexterous',
    'robot',
    'diffusion',
  ])
  await expect(abstract.getByRole('math').locator('mark')).toHaveCount(0)
  await screenshots(app, 'pane-highlight')

  // Accents and case do not count, as in the search itself.
  await search.fill('SCHRODINGER')
  await search.press('Enter')
  await expect(rowWith(app, ROBOT)).toHaveCount(0)
  const bridges = await open(app, BRIDGES)
  await expect(bridges.getByRole('heading', { level: 2 }).locator('mark')).toHaveText([
    'Schrödinger',
  ])
  await expect(bridges.getByTestId('abstract').locator('mark')).toHaveText(['Schrödinger'])
})
