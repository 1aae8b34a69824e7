// The library the desktop app holds, and what runs beside it while it is open: the daily
// backups and the inbox. At start, a library that cannot be opened for writing is not the end:
// the user is asked whether to open it only to read (when its files are read-only), to choose
// another, or to give up. Opening another library from Settings stops all of it, closes the
// library (its final snapshot written) and starts it again on the new one, in this process;
// when the new one cannot be opened and the user gives up, the one before is opened again.
//
// Nothing here imports Electron: the dialogs are passed in (libraryDialogs.ts makes them), so a
// unit test drives it on real libraries with stand-in answers.
import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { MAX_DUMP_CHARS, MAX_IMPORT_CHARS } from '../../shared/api'
import { readOnlyFile } from '../core/api/access'
import type { HandlerContext } from '../core/api/dispatch'
import { cancelJobs } from '../core/api/jobs'
import { followInboxSetting } from '../core/inbox/follow'
import type { InboxFollower } from '../core/inbox/follow'
import { scheduleAutoBackups } from '../core/safety/autoBackup'
import { scheduleAutoSync } from '../core/api/sync'
import { LibrarySession } from '../core/safety/session'

/** What the user chose for a library that could not be opened for writing. */
export type OpenChoice = 'read-only' | 'choose' | 'give-up'

export interface OpenProblem {
  /** The library that could not be opened. */
  path: string
  /** Why, in the core's words. */
  message: string
  /** Its first read-only file when that is why: then it can be opened only to read. */
  readOnlyFile: string | null
}

export interface LibraryPrompts {
  cannotOpen(problem: OpenProblem): Promise<OpenChoice>
  /** Another library file to open, or null when the user cancelled. */
  chooseLibrary(): Promise<string | null>
}

export interface LibraryHostOptions {
  /** Who holds the lock, as a second writer is told. */
  owner: string
  samplePath: string
  log: (line: string) => void
}

interface Held {
  session: LibrarySession
  context: HandlerContext
  stopBackups: () => void
  stopSync: () => void
  inbox: InboxFollower | null
}

/** The same file, links followed; a path that does not exist is no library held. */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b)
  } catch {
    return resolve(a) === resolve(b)
  }
}

export class LibraryHost {
  private held: Held | null = null

  constructor(private readonly options: LibraryHostOptions) {}

  /**
   * What the window's requests are answered with, or null while no library is open (between
   * closing one and opening the next).
   */
  context(): HandlerContext | null {
    return this.held?.context ?? null
  }

  /** The library file held (its real path), or null. */
  get path(): string | null {
    return this.held?.session.path ?? null
  }

  /** Whether the library held was opened only to read. */
  get readOnly(): boolean {
    return this.held?.session.readOnly ?? false
  }

  /** Whether `path` is the library held. */
  holds(path: string): boolean {
    return this.held !== null && sameFile(this.held.session.path, path)
  }

  /**
   * Opens the library at `path`, asking what to do when it cannot be opened for writing.
   * Answers the library opened (another, if the user chose one), or null when the user gave up.
   */
  async open(path: string, prompts: LibraryPrompts): Promise<string | null> {
    const session = await this.openSession(path, prompts)
    if (!session) return null
    this.hold(session)
    return session.path
  }

  /**
   * Puts the library at `path` in the place of the one held. Answers the library opened, or
   * null when the user gave up on it and the one before is open again. Throws only when the
   * one before cannot be opened again either (then no library is held).
   */
  async switchTo(path: string, prompts: LibraryPrompts): Promise<string | null> {
    const before = this.held?.session
    const beforeReadOnly = before?.readOnly ?? false
    await this.close()
    const session = await this.openSession(path, prompts)
    if (session) {
      this.hold(session)
      return session.path
    }
    if (before) {
      // As it was held: a library opened only to read is opened so again, asking nothing.
      this.hold(
        beforeReadOnly
          ? await LibrarySession.openReadOnly(before.path)
          : await LibrarySession.start(before.path, { owner: this.options.owner }),
      )
    }
    return null
  }

  /**
   * Stops what runs beside the library (an import under way is taken back, the inbox's import
   * in flight finishes) and closes it, writing its final snapshot. A snapshot that cannot be
   * written is thrown (every change is in the journal already); the library is closed anyway.
   */
  async close(): Promise<void> {
    const held = this.held
    if (!held) return
    this.held = null
    held.stopBackups()
    held.stopSync()
    await Promise.all([cancelJobs(held.session), held.inbox?.stop()])
    held.session.close()
  }

  private async openSession(path: string, prompts: LibraryPrompts): Promise<LibrarySession | null> {
    let next = path
    let readOnly = false
    for (;;) {
      try {
        return readOnly
          ? await LibrarySession.openReadOnly(next)
          : await LibrarySession.start(next, { owner: this.options.owner })
      } catch (error) {
        const file: string | null = readOnly ? null : readOnlyFile(next)
        const choice = await prompts.cannotOpen({
          path: next,
          message: (error as Error).message,
          readOnlyFile: file,
        })
        readOnly = choice === 'read-only' && file !== null
        if (choice === 'choose') next = (await prompts.chooseLibrary()) ?? next
        else if (!readOnly) return null
      }
    }
  }

  private hold(session: LibrarySession): void {
    const context: HandlerContext = {
      session,
      samplePath: this.options.samplePath,
      // The page cannot name files on the computer; the app's own dialogs pick them.
      localFiles: false,
      maxImportChars: MAX_IMPORT_CHARS,
    }
    const { log } = this.options
    this.held = {
      session,
      context,
      stopBackups: scheduleAutoBackups(session, log),
      stopSync: scheduleAutoSync(session, log),
      // The inbox beside the library, when its settings say so; a library opened only to read
      // takes in nothing.
      inbox: session.readOnly
        ? null
        : followInboxSetting(
            { ...context, maxImportChars: MAX_DUMP_CHARS },
            { log: (line) => log(`inbox: ${line}`) },
          ),
    }
  }
}
