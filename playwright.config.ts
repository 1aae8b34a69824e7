import { chromium, defineConfig } from '@playwright/test'
import { findChromium, thisMachine } from './tests/helpers/chromium'

// A system Chromium or Chrome where there is one (Playwright's own download is not reachable
// from every machine), else Playwright's; with neither, one line saying what to install.
const found = findChromium(
  thisMachine(() => {
    try {
      return chromium.executablePath()
    } catch {
      return null
    }
  }),
)
if ('missing' in found) {
  console.error(`lectern: end-to-end tests: ${found.missing}`)
  process.exit(1)
}
const { executablePath } = found

export default defineConfig({
  testDir: 'tests',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
})
