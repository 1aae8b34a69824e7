// The native dialogs around which library the app holds: a library that cannot be opened
// (read-only, in use, not a library), choosing a library file, choosing a folder for a new one.
// Electron's `dialog` is passed in, bound to the window, so a unit test answers with stand-ins
// and reads what each dialog said.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type {
  MessageBoxOptions,
  MessageBoxReturnValue,
  OpenDialogOptions,
  OpenDialogReturnValue,
} from 'electron'
import { LIBRARY_FILE } from '../core/paths'
import type { LibraryPrompts, OpenChoice } from './libraryHost'

/** Electron's `dialog`, its methods bound to the window they belong to (or a stand-in). */
export interface DialogApi {
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>
  showMessageBox(options: MessageBoxOptions): Promise<MessageBoxReturnValue>
}

/** A library file to open, or null when the dialog was cancelled. */
export async function chooseLibraryFile(dialog: DialogApi): Promise<string | null> {
  const chosen = await dialog.showOpenDialog({
    title: 'Open a Library',
    buttonLabel: 'Open Library',
    properties: ['openFile'],
    filters: [
      { name: 'Lectern libraries', extensions: ['sqlite'] },
      { name: 'All files', extensions: ['*'] },
    ],
  })
  return chosen.canceled ? null : (chosen.filePaths[0] ?? null)
}

/**
 * Where a new library goes: a folder of its own, since its journal, backups and inbox live
 * beside it. Answers `library.sqlite` in the folder chosen, or null when the user cancelled. A
 * folder that already holds one is said so, and that library is opened only if the user agrees:
 * a new library never replaces one.
 */
export async function chooseNewLibrary(dialog: DialogApi): Promise<string | null> {
  const chosen = await dialog.showOpenDialog({
    title: 'New Library',
    message: 'Choose a folder for the new library (its backups and inbox go there too).',
    buttonLabel: 'Create Library Here',
    properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
  })
  const folder = chosen.canceled ? undefined : chosen.filePaths[0]
  if (folder === undefined) return null
  const file = join(folder, LIBRARY_FILE)
  if (!existsSync(file)) return file
  const { response } = await dialog.showMessageBox({
    type: 'question',
    message: 'This folder already holds a library.',
    detail: `${file} is a Lectern library. Open it instead? A new library never replaces one.`,
    buttons: ['Open It', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
  })
  return response === 0 ? file : null
}

/**
 * The questions LibraryHost asks, as native dialogs. `giveUp` names the way out: Quit at start,
 * keeping the library held when another is being opened from Settings.
 */
export function libraryPrompts(dialog: DialogApi, giveUp: string): LibraryPrompts {
  return {
    async cannotOpen({ path, message, readOnlyFile }) {
      const choices: OpenChoice[] = readOnlyFile
        ? ['read-only', 'choose', 'give-up']
        : ['choose', 'give-up']
      const labels: Record<OpenChoice, string> = {
        'read-only': 'Open Read-Only',
        choose: 'Choose Another Library…',
        'give-up': giveUp,
      }
      const { response } = await dialog.showMessageBox({
        type: 'warning',
        message: readOnlyFile ? 'This library is read-only.' : 'Lectern cannot open this library.',
        detail: readOnlyFile
          ? `${readOnlyFile} cannot be written: its permissions allow no writing, so Lectern leaves it as it is.\n\nOpen it read-only to browse, search, export and back it up (every change is refused), or choose another library. To change it, make its files writable and open it again.`
          : `${path}\n\n${message}`,
        buttons: choices.map((c) => labels[c]),
        defaultId: 0,
        cancelId: choices.length - 1,
        noLink: true,
      })
      return choices[response] ?? 'give-up'
    },
    chooseLibrary: () => chooseLibraryFile(dialog),
  }
}

/** A folder for the library's backups (another disk, say), or null when the user cancelled. */
export async function chooseBackupsFolder(dialog: DialogApi): Promise<string | null> {
  const chosen = await dialog.showOpenDialog({
    title: 'Backups Folder',
    message: 'Choose the folder Lectern writes this library’s backups to.',
    buttonLabel: 'Use This Folder',
    properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
  })
  return chosen.canceled ? null : (chosen.filePaths[0] ?? null)
}

/**
 * The folder a sync service keeps in step between this computer and the others (see README,
 * Several computers), or null when the user cancelled.
 */
export async function chooseSyncFolder(dialog: DialogApi): Promise<string | null> {
  const chosen = await dialog.showOpenDialog({
    title: 'Sync Folder',
    message:
      'Choose the folder that Syncthing, Dropbox or iCloud Drive shares between your computers. Choose the same shared folder on each.',
    buttonLabel: 'Sync Through This Folder',
    properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
  })
  return chosen.canceled ? null : (chosen.filePaths[0] ?? null)
}

/**
 * Where the library at `library` is to move: a folder chosen, then a confirmation saying what
 * moves and what stays. Answers the folder, or null when the user cancelled either.
 */
export async function chooseMoveTarget(
  dialog: DialogApi,
  library: string,
  backupsBeside: boolean,
): Promise<string | null> {
  const chosen = await dialog.showOpenDialog({
    title: 'Move the Library',
    message: 'Choose the folder to move the library to.',
    buttonLabel: 'Move Here',
    properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
  })
  const folder = chosen.canceled ? undefined : chosen.filePaths[0]
  if (folder === undefined) return null
  const { response } = await dialog.showMessageBox({
    type: 'question',
    message: 'Move the library?',
    detail: `${library}\n→ ${folder}\n\nLectern copies the library${backupsBeside ? ' and the backups beside it' : ''} there, checks the copy, opens it there (and there from now on), and only then removes the old files. ${backupsBeside ? '' : 'Backups stay in the folder chosen for them. '}The inbox is the folder “inbox” beside the library at its new place.`,
    buttons: ['Move', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
  })
  return response === 0 ? folder : null
}
