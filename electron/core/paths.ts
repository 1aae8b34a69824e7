// Where things live. The command line and the desktop app must agree on the library's default
// place without the CLI loading Electron, so the app's user-data folder is computed here and the
// app adopts it (see electron/main/index.ts).
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export const APP_NAME = 'Lectern'
export const LIBRARY_FILE = 'library.sqlite'
export const SAMPLE_FILE = 'daily-papers-aug-19.txt'

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

/** `--library`, else `LECTERN_LIBRARY`, else the desktop app's own library. */
export function libraryPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit)
  if (env.LECTERN_LIBRARY) return resolve(env.LECTERN_LIBRARY)
  return join(userDataDir(env), LIBRARY_FILE)
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
