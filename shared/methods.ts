// The names of the API's methods, apart from their schemas, so that the sandboxed preload can
// expose exactly these without bundling the validation library. Each method says whether it
// only reads the library or changes it: the command line opens a read-only library (no lock)
// for the first kind.
export const METHOD_ACCESS = {
  listPapers: 'read',
  listFullPapers: 'read',
  getPaper: 'read',
  stats: 'read',
  readingStats: 'read',
  revision: 'read',
  setStatus: 'write',
  setNote: 'write',
  updatePaper: 'write',
  updatePapers: 'write',
  restorePapers: 'write',
  listTags: 'read',
  paperIds: 'read',
  renameTag: 'write',
  deleteTag: 'write',
  similarPapers: 'read',
  deletePapers: 'write',
  restoreDeleted: 'write',
  importText: 'write',
  importTexts: 'write',
  importSample: 'write',
  previewImport: 'read',
  uploadText: 'read',
  startImport: 'write',
  importJob: 'read',
  cancelImport: 'write',
  listImports: 'read',
  undoImport: 'write',
  exportPapers: 'read',
  libraryStatus: 'read',
  libraryInfo: 'read',
  getSettings: 'read',
  updateSettings: 'write',
  recover: 'write',
  listBackups: 'read',
  backupNow: 'read',
  restoreBackup: 'write',
  moveLibrary: 'write',
  syncNow: 'write',
  syncStatus: 'read',
  setSyncFolder: 'write',
  resolveNoteConflict: 'write',
} as const satisfies Record<string, 'read' | 'write'>

export type Method = keyof typeof METHOD_ACCESS

export const METHODS = Object.keys(METHOD_ACCESS) as Method[]

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(METHOD_ACCESS, name)
}

/** The IPC channel a method travels on. */
export function channelOf(method: Method): string {
  return `lectern:${method}`
}

/** The header that carries the browser host's API token (lower case, as Node reports it). */
export const TOKEN_HEADER = 'x-lectern-token'
