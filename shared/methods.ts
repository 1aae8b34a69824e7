// The names of the API's methods, apart from their schemas, so that the sandboxed preload can
// expose exactly these without bundling the validation library.
export const METHODS = [
  'listPapers',
  'getPaper',
  'setStatus',
  'setNote',
  'importText',
  'importSample',
  'stats',
  'libraryStatus',
  'recover',
  'listBackups',
  'backupNow',
  'restoreBackup',
] as const

export type Method = (typeof METHODS)[number]

/** The IPC channel a method travels on. */
export function channelOf(method: Method): string {
  return `lectern:${method}`
}

/** The header that carries the browser host's API token (lower case, as Node reports it). */
export const TOKEN_HEADER = 'x-lectern-token'
