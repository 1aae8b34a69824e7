// The end-to-end tests find a browser on any system, or say in one line what to install.
import { describe, expect, it } from 'vitest'
import { findChromium } from '../helpers/chromium'
import type { Machine } from '../helpers/chromium'

function machine(platform: NodeJS.Platform, files: string[], env: Machine['env'] = {}): Machine {
  return {
    platform,
    env,
    exists: (path) => files.includes(path),
    playwrightChromium: () => '/cache/ms-playwright/chrome',
  }
}

describe('the browser the end-to-end tests drive', () => {
  it('is the one LECTERN_CHROMIUM names, and a name that does not exist is said so', () => {
    const env = { LECTERN_CHROMIUM: '/opt/chrome/chrome' }
    expect(
      findChromium(machine('linux', ['/opt/chrome/chrome', '/usr/bin/chromium'], env)),
    ).toEqual({ executablePath: '/opt/chrome/chrome' })
    expect(findChromium(machine('linux', ['/usr/bin/chromium'], env))).toEqual({
      missing: 'LECTERN_CHROMIUM names /opt/chrome/chrome, which does not exist',
    })
  })

  it('is a system Chromium or Chrome where each system installs one', () => {
    expect(findChromium(machine('linux', ['/usr/bin/google-chrome-stable']))).toEqual({
      executablePath: '/usr/bin/google-chrome-stable',
    })
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
    expect(findChromium(machine('darwin', [mac]))).toEqual({ executablePath: mac })
    const win = machine('win32', [], { PROGRAMFILES: 'C:\\Program Files' })
    const chrome = findChromium({
      ...win,
      exists: (p) => /Google.Chrome.Application.chrome\.exe$/.test(p),
    })
    expect(chrome).toEqual({
      executablePath: expect.stringMatching(
        /^C:\\Program Files.Google.Chrome.Application.chrome\.exe$/,
      ),
    })
  })

  it("falls back to Playwright's own browser, then to one line saying what to install", () => {
    expect(findChromium(machine('darwin', ['/cache/ms-playwright/chrome']))).toEqual({
      executablePath: undefined,
    })
    const none = findChromium(
      machine('win32', [], { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }),
    )
    expect(none).toEqual({ missing: expect.stringMatching(/npx playwright install chromium/) })
    expect((none as { missing: string }).missing).not.toMatch(/\n/)
  })
})
