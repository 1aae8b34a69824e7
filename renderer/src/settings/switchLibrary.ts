// Opening another library in the desktop app (Settings' buttons, the File menu). Every note is
// saved first: the library it belongs to is about to close, and a save retried after that would
// go to the next one. Then the main process asks which library (its own file dialog) and, once
// another is open, loads the window's page again on it.
import type { NoteDrafts } from '../notes/noteDrafts'
import { answer, desktopBridge } from './desktopBridge'

export type LibrarySwitch = 'openLibrary' | 'newLibrary'

/** Resolves once the user chose (or cancelled); throws what stopped it, for the user. */
export async function switchLibrary(drafts: NoteDrafts, how: LibrarySwitch): Promise<void> {
  const desktop = desktopBridge()
  if (!desktop) return
  if (!(await drafts.saveAll())) {
    throw new Error('A note could not be saved yet; this library stays open until it is.')
  }
  await answer(desktop[how]())
}
