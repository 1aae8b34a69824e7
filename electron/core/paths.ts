// Where things live. The command line and the desktop app must agree on the library's default
// place without the CLI loading Electron, so the app's user-data folder is computed here and the
// app adopts it (see electron/main/wiring.ts).
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'

export const APP_NAME = 'Lectern'
export const LIBRARY_FILE = 'library.sqlite'
export const SAMPLE_FILE = 'daily-papers-aug-19.txt'
/** In the app's data folder: the library last opened from the app's Settings, if another. */
export const CHOSEN_LIBRARY_FILE = 'chosen-library.json'

export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  }
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME)
}

/**
 * `--library`, else `LECTERN_LIBRARY`, else the desktop app's library: the one last opened from
 * its Settings, or `library.sqlite` in its data folder.
 */
export function libraryPath(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  dataDir = userDataDir(env),
): string {
  if (explicit) return resolve(explicit)
  if (env.LECTERN_LIBRARY) return resolve(env.LECTERN_LIBRARY)
  return chosenLibrary(dataDir) ?? join(dataDir, LIBRARY_FILE)
}

/**
 * The library last opened from the app's Settings (or moved there), or null: none was, or the
 * file says nothing usable (then the default library is used, as before any choice). It is
 * written by safety/remembered.ts, through the disk port.
 */
export function chosenLibrary(dataDir = userDataDir()): string | null {
  try {
    const stored = JSON.parse(readFileSync(join(dataDir, CHOSEN_LIBRARY_FILE), 'utf8')) as {
      library?: unknown
    } | null
    const library = stored?.library
    return typeof library === 'string' && isAbsolute(library) ? library : null
  } catch {
    return null
  }
}

/**
 * The project's `resources/` folder when running from a checkout; both this source file and the
 * built bundle (out/main) sit two levels below the project root.
 */
export function resourcesDir(): string {
  return resolve(__dirname, '..', '..', 'resources')
}

export function samplePath(resources = resourcesDir()): string {
  return join(resources, 'sample', SAMPLE_FILE)
}
