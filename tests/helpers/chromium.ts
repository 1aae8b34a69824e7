// Which Chromium the end-to-end tests drive. Contributors work on Windows, macOS and Linux: a
// browser named in LECTERN_CHROMIUM first, then a Chromium or Chrome installed where each system
// puts it, then Playwright's own download (`npx playwright install chromium`, where the network
// allows it). With none of them, one line says what to install, instead of every test failing.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export interface Machine {
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  exists: (path: string) => boolean
  /** Where Playwright's own Chromium would be (it need not be there). */
  playwrightChromium: () => string | null
}

/** Where each system's installers put Chromium or Chrome. */
export function systemBrowsers(platform: NodeJS.Platform, env: Machine['env']): string[] {
  switch (platform) {
    case 'darwin':
      return [
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
        ...(env.HOME
          ? [join(env.HOME, 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome')]
          : []),
      ]
    case 'win32':
      return [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']]
        .filter((dir): dir is string => Boolean(dir))
        .flatMap((dir) => [
          join(dir, 'Chromium', 'Application', 'chrome.exe'),
          join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        ])
    default:
      return [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome',
        '/usr/bin/google-chrome-stable',
        '/snap/bin/chromium',
      ]
  }
}

/**
 * The browser to drive: `{ executablePath }` for one named or installed, `{ executablePath:
 * undefined }` for Playwright's own, or `{ missing }` saying in one line what to do.
 */
export function findChromium(
  machine: Machine,
): { executablePath: string | undefined } | { missing: string } {
  const named = machine.env.LECTERN_CHROMIUM
  if (named) {
    return machine.exists(named)
      ? { executablePath: named }
      : { missing: `LECTERN_CHROMIUM names ${named}, which does not exist` }
  }
  const installed = systemBrowsers(machine.platform, machine.env).find(machine.exists)
  if (installed) return { executablePath: installed }
  const own = machine.playwrightChromium()
  if (own && machine.exists(own)) return { executablePath: undefined }
  return {
    missing:
      'no Chromium or Chrome found for the end-to-end tests: install one (Debian: apt-get install chromium), set LECTERN_CHROMIUM to its path, or run npx playwright install chromium',
  }
}

/** This machine, as findChromium sees it. */
export function thisMachine(playwrightChromium: () => string | null): Machine {
  return { platform: process.platform, env: process.env, exists: existsSync, playwrightChromium }
}
