// Files the system opens with Lectern: named on the command line of the first instance
// (Windows, Linux), on that of a second one, which hands them over before it quits, or in
// macOS's open-file event, which may come before the app is ready. They wait here until the
// window's page can take them, are read as the command line reads a dump (a regular file only,
// within the bound, dumpFile.ts), and go to the page, which previews them as files dropped on
// the window: nothing is imported before the user says so.
import { basename, resolve } from 'node:path'
import { readDumpFile } from '../core/dumpFile'
import { MAX_IMPORT_CHARS } from '../../shared/api'
import { decodeDump } from '../../shared/decode'
import { isClaimedPath } from '../../shared/openedFiles'
import type { OpenedFile } from '../../shared/openedFiles'

/**
 * The files of formats Lectern claims among command-line arguments, as absolute paths. `cwd`
 * is the folder of the instance they were given to: a second instance's may not be ours.
 * Switches (Chromium adds its own to a second instance's) and anything else are left alone.
 */
export function claimedPathsIn(argv: readonly string[], cwd: string): string[] {
  return argv
    .slice(1)
    .filter((arg) => !arg.startsWith('-') && isClaimedPath(arg))
    .map((arg) => resolve(cwd, arg))
}

/**
 * A file's name and text, or a DumpReadError saying why not (a folder, a device, too large).
 * The bound is one request's (a dropped file of this size is sent the same way).
 */
export async function readOpenedFile(path: string): Promise<OpenedFile> {
  const name = basename(path)
  const bytes = await readDumpFile(path, { maxBytes: MAX_IMPORT_CHARS, name })
  return { name, text: decodeDump(bytes) }
}

/** Files to open, held until a page takes them. */
export class OpenedFiles {
  private pending: string[][] = []
  private send: ((files: OpenedFile[]) => void) | null = null
  private chain: Promise<void> = Promise.resolve()

  constructor(
    /** Says why a file could not be opened. */
    private readonly report: (message: string) => void,
    private readonly read: (path: string) => Promise<OpenedFile> = readOpenedFile,
  ) {}

  /** Files opened together (one command line, one open-file event): one preview. */
  add(paths: readonly string[]): Promise<void> {
    if (paths.length) this.pending.push([...paths])
    return this.flush()
  }

  /** A page that can take files now (its preload has run); those waiting go to it. */
  attach(send: (files: OpenedFile[]) => void): Promise<void> {
    this.send = send
    return this.flush()
  }

  /** The page is gone: files wait for the next one. */
  detach(): void {
    this.send = null
  }

  /** Read one group at a time, in the order opened, each sent once all of it is read. */
  private flush(): Promise<void> {
    this.chain = this.chain.then(async () => {
      while (this.send && this.pending.length) {
        const group = this.pending.shift()!
        const files: OpenedFile[] = []
        for (const path of group) {
          try {
            files.push(await this.read(path))
          } catch (error) {
            this.report((error as Error).message)
          }
        }
        if (files.length && this.send) this.send(files)
        else if (files.length) this.pending.unshift(group)
      }
    })
    return this.chain
  }
}
