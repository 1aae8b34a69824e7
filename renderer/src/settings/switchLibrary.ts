// Opening another library in the desktop app (Settings' buttons, the File menu), or moving this
// one to another folder. Every note is saved first: the library it belongs to is about to close,
// and a save retried after that would go to the next one (or find none while it moves). Then the
// main process asks which library or folder (its own dialogs) and, once a library is open,
// loads the window's page again on it.
import type { NoteDrafts } from '../notes/noteDrafts'
import { answer, desktopBridge } from './desktopBridge'

export type LibrarySwitch = 'openLibrary' | 'newLibrary' | 'moveLibrary'

/**
 * Resolves once the user chose (or cancelled) with the desktop action's answer; throws what
 * stopped it, for the user.
 */
export async function switchLibrary(drafts: NoteDrafts, how: LibrarySwitch): Promise<unknown> {
  const desktop = desktopBridge()
  if (!desktop) return null
  if (!(await drafts.saveAll())) {
    throw new Error('A note could not be saved yet; this library stays open until it is.')
  }
  return answer<unknown>(desktop[how]())
}
