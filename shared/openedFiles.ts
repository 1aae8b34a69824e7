// Files the system opens with Lectern (a double-click on a .bib, "Open With", a file dropped on
// the app's icon): one list of the extensions Lectern claims, for the installers
// (electron-builder.yml, checked by tests/unit/openedFiles.test.ts) and the main process, and
// the one channel on which such a file's text travels to the page, which previews it as a file
// dropped on the window.

/**
 * Only formats no other program has a better claim to: BibTeX and RIS. Text, JSON and CSV are
 * formats Lectern reads too, but taking them over system-wide would be a nuisance.
 */
export const OPENED_EXTENSIONS = ['bib', 'bibtex', 'ris'] as const

/** The one channel opened files travel on, main process to page. */
export const OPENED_FILE_CHANNEL = 'lectern:opened-file'

/** A file the system opened with Lectern: its name (no folder) and its decoded text. */
export interface OpenedFile {
  name: string
  text: string
}

export function isOpenedFile(value: unknown): value is OpenedFile {
  if (typeof value !== 'object' || value === null) return false
  const { name, text } = value as Record<string, unknown>
  return typeof name === 'string' && typeof text === 'string'
}

/** The path names a file of a format Lectern claims (by its extension, in any case). */
export function isClaimedPath(path: string): boolean {
  const dot = path.lastIndexOf('.')
  if (dot === -1) return false
  const extension = path.slice(dot + 1).toLowerCase()
  return (OPENED_EXTENSIONS as readonly string[]).includes(extension)
}
