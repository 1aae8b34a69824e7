// Reading a paper: the abstract's LaTeX typeset (math as MathML, accents, symbols, quotes), its
// links clickable, and the status history as a list — through `lectern serve`.
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { test, expect, drop, rowWith } from './fixtures'

const MATH_TITLE = 'Spectral Bounds for the Schrödinger Operator on Graphs'
const PLAIN_TITLE = 'A Plain Paper'

/** A Daily Papers page as people save it, with the LaTeX arXiv abstracts carry. */
const DUMP = `Daily Papers

Aug 19

${MATH_TITLE}

We study the time-dependent Schr\\"odinger equation $i\\hbar \\partial_t \\psi = H\\psi$ on graphs and show that the ground state energy $E_0$ satisfies $$E_0 \\le \\frac{1}{n}\\sum_{i=1}^{n} \\lambda_i^{2}$$ for every $\\alpha$-regular graph in $\\mathcal{O}(n \\log n)$ time, a $\\boxed{2}$-approximation, with attention scaled by $1/\\sqrt{d_k}$, with a 360{\\deg} view of the \`\`spectral gap'' and Mat\\'ern kernels. At a budget of $5 and $10 per run, our method costs 12\\% less. A bad formula $\\notacommand{x}$ is shown as written. Code: www.example.org/spectral and arXiv:2401.01234.

${PLAIN_TITLE}

Nothing to typeset here.
`

/**
 * Where screenshots go for a person to look at (LECTERN_SCREENSHOTS=DIR); none are taken
 * otherwise.
 */
const SHOTS = process.env.LECTERN_SCREENSHOTS

async function screenshots(app: Page, name: string): Promise<void> {
  if (!SHOTS) return
  const detail = app.getByTestId('detail')
  for (const colorScheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme })
    await detail.getByRole('heading', { level: 2 }).scrollIntoViewIfNeeded()
    await detail.screenshot({ path: join(SHOTS, `${name}-${colorScheme}.png`) })
    // The end of the abstract, scrolled to.
    await detail.getByTestId('abstract').getByRole('link').last().scrollIntoViewIfNeeded()
    await detail.screenshot({ path: join(SHOTS, `${name}-end-${colorScheme}.png`) })
  }
  await app.emulateMedia({ colorScheme: 'light' })
}

test('the abstract is typeset for reading and the status history is a list', async ({ app }) => {
  // Typeset math must not need anything the app's Content-Security-Policy refuses.
  const refused: string[] = []
  app.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) refused.push(message.text())
  })
  await drop(app, [{ name: 'daily.txt', text: DUMP }])
  const dialog = app.getByRole('dialog', { name: 'Import preview' })
  await dialog.getByRole('button', { name: 'Import 2 papers' }).click()
  await expect(app.getByTestId('import-result')).toContainText('2 added')

  await rowWith(app, MATH_TITLE).click()
  const detail = app.getByTestId('detail')
  await expect(detail.getByRole('heading', { name: MATH_TITLE })).toBeVisible()
  const abstract = detail.getByTestId('abstract')

  // Math is MathML: seven formulas, one of them displayed on its own line.
  await expect(abstract.getByRole('math')).toHaveCount(7)
  await expect(abstract.locator('math[display="block"]')).toHaveCount(1)
  await expect(abstract.getByRole('math').first()).toContainText('ψ')
  // Accents, symbols and quotes as the characters they stand for.
  await expect(abstract).toContainText('Schrödinger equation')
  await expect(abstract).toContainText('360° view of the “spectral gap” and Matérn kernels')
  await expect(abstract).toContainText('costs 12% less')
  // Dollar amounts stay dollars; math that cannot be typeset is shown as written.
  await expect(abstract).toContainText('At a budget of $5 and $10 per run')
  await expect(abstract).toContainText('A bad formula $\\notacommand{x}$ is shown as written')
  // Links without a scheme are links too.
  await expect(abstract.getByRole('link', { name: 'arXiv:2401.01234' })).toHaveAttribute(
    'href',
    'https://arxiv.org/abs/2401.01234',
  )
  await expect(abstract.getByRole('link', { name: 'www.example.org/spectral' })).toHaveAttribute(
    'href',
    'https://www.example.org/spectral',
  )
  // Nothing in an abstract's math links anywhere.
  await expect(abstract.locator('math a, math [href]')).toHaveCount(0)

  await app.getByRole('radio', { name: 'Reading' }).click()
  await expect(app.getByRole('radio', { name: 'Reading' })).toHaveAttribute('aria-checked', 'true')
  await app.getByRole('radio', { name: 'Read', exact: true }).click()
  await expect(app.getByRole('radio', { name: 'Read', exact: true })).toHaveAttribute(
    'aria-checked',
    'true',
  )
  const history = detail.getByRole('list', { name: 'Status history' })
  await expect(history).toHaveAttribute('data-testid', 'status-history')
  const changes = history.getByRole('listitem')
  await expect(changes).toHaveCount(2)
  // Oldest first, each "Status · date".
  await expect(changes.nth(0)).toHaveText(/^Reading · \S.*\d{4}/)
  await expect(changes.nth(1)).toHaveText(/^Read · \S.*\d{4}/)
  await screenshots(app, 'abstract')

  // A paper with nothing to typeset reads as it was written, and has no history yet.
  await rowWith(app, PLAIN_TITLE).click()
  await expect(detail.getByRole('heading', { name: PLAIN_TITLE })).toBeVisible()
  await expect(detail.getByTestId('abstract')).toHaveText('Nothing to typeset here.')
  await expect(detail.getByTestId('status-history')).toHaveCount(0)
  expect(refused).toEqual([])
})
