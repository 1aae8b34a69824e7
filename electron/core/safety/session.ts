// A library as a host holds it: the desktop app and `lectern serve` open it once under a lock
// and, if its files turn out to be damaged, keep it locked in a "damaged" state in which the UI
// explains what happened and offers the ways out (recover the journal, restore a backup, start
// empty). The command line holds one for a single command: read-only (no lock, nothing
// written) for the commands that only read.
import { dirname, join } from 'node:path'
import type {
  BackupInfo,
  LibrarySettings,
  LibraryStatus,
  MoveResult,
  RecoveryAction,
} from '../../../shared/domain'
import {
  autoBackupIfDue,
  backupFolders,
  listBackups,
  newestGoodBackup,
  noteBackupsFolder,
  notedFolders,
  prepareBackupsFolder,
  verifyBackupFile,
  writeBackup,
} from './backups'
import type { WrittenBackup } from './backups'
import { LibraryDamagedError, LibraryError, describeWriteError } from '../errors'
import { disk } from '../store/disk'
import { Library } from '../store/library'
import type { SettingsChange } from '../store/library'
import { LibraryLock } from '../store/lock'
import { ensureRegular, locateLibrary, realPath } from '../store/location'
import {
  copyLibrary,
  leaveNote,
  planMove,
  prepareTarget,
  removeOld,
  takeBack,
  verifyCopy,
} from './move'
import { installBackup, keepAside, recoverJournal } from './recovery'

export interface SessionOptions {
  owner: string
  now?: () => Date
}

export class LibrarySession {
  private library: Library | null = null
  private problem: LibraryDamagedError | null = null
  /**
   * Why a read-only session has no library other than damage: there is none at the path, or
   * it is from a newer Lectern. Methods that need the library say so; listing backups still
   * works (a user who lost the library looks there first).
   */
  private unavailable: LibraryError | null = null

  /** Backups being written now: a move waits for them (one may be writing beside the library). */
  private readonly writing = new Set<Promise<unknown>>()

  private constructor(
    /** The library file (its real path); another once the library is moved (moveTo). */
    private where: string,
    /** Null for a read-only session. */
    private lock: LibraryLock | null,
    private readonly now: () => Date,
    private readonly owner = 'Lectern',
  ) {}

  get path(): string {
    return this.where
  }

  get readOnly(): boolean {
    return this.lock === null
  }

  /**
   * Opens without a lock and never writes: for reading while another program may hold the
   * library. A missing library is an error; a damaged one is reported like any other.
   */
  static async openReadOnly(
    path: string,
    options: { now?: () => Date } = {},
  ): Promise<LibrarySession> {
    const real = locateLibrary(path, 'read')
    const session = new LibrarySession(real, null, options.now ?? (() => new Date()))
    await session.open()
    return session
  }

  /** Takes the lock (or throws "in use") and opens the library, or notes why it cannot. */
  static async start(named: string, options: SessionOptions): Promise<LibrarySession> {
    // Its real place (the lock and every other file go beside it), checked before anything is
    // written there.
    const path = locateLibrary(named, 'write')
    // A first import creates the library, and the folder it goes in (the lock file lives there).
    try {
      disk().mkdir(dirname(path))
    } catch (error) {
      throw new LibraryError('write-failed', describeWriteError(error, dirname(path)))
    }
    const lock = LibraryLock.acquire(path, options.owner)
    const session = new LibrarySession(path, lock, options.now ?? (() => new Date()), options.owner)
    try {
      await session.open()
    } catch (error) {
      lock.release()
      throw error
    }
    return session
  }

  private async open(): Promise<void> {
    try {
      this.library = this.lock
        ? await Library.open(this.path, { lock: this.lock, now: this.now })
        : await Library.open(this.path, { readOnly: true, now: this.now })
      this.problem = null
      if (this.lock) this.noteFolderInUse(this.library)
    } catch (error) {
      if (!this.lock && !(error instanceof LibraryDamagedError) && error instanceof LibraryError) {
        this.library = null
        this.unavailable = error
        return
      }
      if (!(error instanceof LibraryDamagedError)) throw error
      this.library = null
      this.problem = error
    }
  }

  /**
   * The list of backup folders beside the library names the folder its settings name (see
   * backups.ts). A library whose list lacks it (restored from a copy of another, the list removed
   * by hand) has it added, so that the folder is found if the library is damaged later.
   */
  private noteFolderInUse(library: Library): void {
    const folder = library.settings().backupsFolder
    if (folder === null || notedFolders(this.path).includes(folder)) return
    try {
      noteBackupsFolder(this.path, folder)
    } catch {
      // Tried again at the next open; the library itself is fine.
    }
  }

  /** The open library; in the damaged state, an error that says so. */
  get(): Library {
    if (this.library) return this.library
    if (this.unavailable) throw this.unavailable
    throw new LibraryError('library-damaged', this.problem?.message ?? 'the library is not open')
  }

  async status(): Promise<LibraryStatus> {
    if (this.library) return { state: 'open', path: this.path }
    if (this.unavailable) throw this.unavailable
    const problem = this.problem!
    return {
      state: 'damaged',
      path: this.path,
      damage: problem.kind,
      journalRecoverable: problem.kind === 'journal' && problem.journalCut !== null,
      message: problem.message,
      backups: listBackups(this.path),
      newestGoodBackup: await newestGoodBackup(this.path),
    }
  }

  private writable(): void {
    if (!this.lock) throw new LibraryError('library-error', 'the library was opened read-only')
  }

  /** Leaves the damaged state in the way the user chose. Damaged files are kept aside. */
  async recover(choice: RecoveryAction): Promise<{ status: LibraryStatus; kept: string[] }> {
    this.writable()
    if (this.library) {
      throw new LibraryError('library-error', 'the library is not damaged; nothing to recover')
    }
    const now = this.now()
    let kept: string[]
    switch (choice.action) {
      case 'journal':
        if (this.problem?.kind !== 'journal' || this.problem.journalCut === null) {
          throw new LibraryError(
            'library-error',
            'only a damaged journal can be recovered this way',
          )
        }
        kept = recoverJournal(this.path, this.problem.journalCut, now)
        break
      case 'backup':
        return this.restoreFrom(this.backupFile(choice.name)).then(async (r) => ({
          status: await this.status(),
          kept: r.kept,
        }))
      case 'empty':
        kept = keepAside(this.path, 'damaged', now)
        break
    }
    await this.open()
    return { status: await this.status(), kept }
  }

  /**
   * The folders backups are looked for in: the one in use first (known while the library is
   * open), then `backups` beside it and those chosen before (see backups.ts).
   */
  private folders(): string[] {
    return backupFolders(this.path, this.library?.settings().backupsFolder ?? null)
  }

  listBackups(): BackupInfo[] {
    return listBackups(this.path, this.folders())
  }

  /**
   * Changes the library's settings. A new backups folder is made ready first (created, tried,
   * written down beside the library; see prepareBackupsFolder): a folder that cannot take the
   * backups is refused, naming it, and no setting changes.
   */
  updateSettings(change: SettingsChange): LibrarySettings {
    const library = this.get()
    if (change.backupsFolder === undefined || change.backupsFolder === null) {
      return library.updateSettings(change)
    }
    this.writable()
    const folder = prepareBackupsFolder(
      this.path,
      library.settings().inboxFolder,
      change.backupsFolder,
    )
    return library.updateSettings({ ...change, backupsFolder: folder })
  }

  /** Counts a backup being written until it is done (see `writing`). */
  private tracked<T>(backup: Promise<T>): Promise<T> {
    this.writing.add(backup)
    const done = (): void => void this.writing.delete(backup)
    backup.then(done, done)
    return backup
  }

  /** The last backup asked for: the next one starts after it (see oneAtATime). */
  private lastBackup: Promise<unknown> = Promise.resolve()

  /**
   * Backups are written one at a time, in the order asked for: each rebuilds the library on a
   * thread of its own, in memory as large as the library, so two at once doubled the process's
   * memory (a backup asked for during the automatic one: 1.9 GB at 100k papers).
   */
  private oneAtATime<T>(write: () => Promise<T>): Promise<T> {
    const turn = this.lastBackup.then(write, write)
    this.lastBackup = turn.catch(() => undefined)
    return this.tracked(turn)
  }

  /** A manual backup, in the backups folder or at `file` (never over the library's own files). */
  async backupNow(file?: string): Promise<WrittenBackup> {
    if (file !== undefined) {
      // Compared by real paths: a link to the library is the library.
      const real = realPath(file)
      if (real === this.path || real.startsWith(`${this.path}.`)) {
        throw new LibraryError(
          'library-error',
          `${file} is one of the library's own files; back up to another place`,
        )
      }
      // The copy is renamed into place: over a device or a pipe, that would replace the node.
      ensureRegular(file, 'the backup file', 'choose another')
    }
    return this.oneAtATime(() => writeBackup(this.get(), { kind: 'manual', now: this.now(), file }))
  }

  /** Replaces the library with a backup from the backups folder. */
  async restore(name: string): Promise<{ papers: number; kept: string[] }> {
    return this.restoreFrom(this.backupFile(name))
  }

  /**
   * Replaces the library with a copy from anywhere. A healthy library is first saved as a
   * `before-restore` backup; a damaged one is kept aside as it is. Nothing is deleted.
   */
  async restoreFrom(file: string): Promise<{ papers: number; kept: string[] }> {
    this.writable()
    // Checked before the library is touched: a missing or bad copy changes nothing.
    await verifyBackupFile(file)
    const library = this.library
    if (library) {
      // Out of service while the copy of it is written (a thread takes seconds): a change made
      // meanwhile would be in neither the copy nor the restored library.
      this.library = null
      this.unavailable = new LibraryError(
        'conflict',
        'the library is being restored from a backup; try again in a moment',
      )
      try {
        await this.oneAtATime(() =>
          writeBackup(library, { kind: 'before-restore', now: this.now() }),
        )
      } catch (error) {
        this.library = library // nothing was touched: back in service as it was
        throw error
      } finally {
        this.unavailable = null
      }
      library.close()
    }
    try {
      return await installBackup(
        this.path,
        file,
        library ? 'before-restore' : 'damaged',
        this.now(),
      )
    } finally {
      await this.open()
    }
  }

  async autoBackup(): Promise<WrittenBackup | null> {
    if (!this.library || !this.lock) return null
    // Whether one is due is decided in its turn: a backup written just before may be the one.
    return this.oneAtATime(async () =>
      this.library && this.lock ? autoBackupIfDue(this.library, this.now()) : null,
    )
  }

  private backupFile(name: string): string {
    const backup = listBackups(this.path, this.folders()).find((b) => b.name === name)
    if (!backup) throw new LibraryError('not-found', `there is no backup named ${name}`)
    return join(backup.folder, backup.name)
  }

  /**
   * Moves the library into `folder` (its file keeps its name there), crash-safely: see move.ts
   * for the steps. `remember` is the host's: once the copy is whole and checked, it makes the
   * new place the one opened next (answering whether it did), before the old files go. While
   * the library moves, every request is told to try again in a moment; afterwards this session
   * holds the library at its new place, locked, as it held the old one.
   */
  async moveTo(
    folder: string,
    remember: (from: string, to: string) => boolean = () => false,
  ): Promise<MoveResult> {
    this.writable()
    this.get()
    // A backup under way (an automatic one, say) is let finish first, and the move planned
    // after it: planned before, the new backup would be left behind in the old folder, and one
    // its rotation removed would fail the move halfway. Planned, the library goes out of service
    // without a pause, so no other backup can start in between.
    while (this.writing.size > 0) await Promise.allSettled([...this.writing])
    const library = this.get()
    const from = this.path
    const plan = planMove(from, folder, [
      { folder: library.settings().inboxFolder, what: "the library's inbox" },
      ...this.folders().map((f) => ({ folder: f, what: 'a folder of its backups' })),
    ])
    // Created and tried before anything is closed: a folder that cannot take the library
    // changes nothing.
    prepareTarget(plan)
    const expected = { revision: library.revision, papers: library.stats().total }
    this.library = null
    this.unavailable = new LibraryError(
      'conflict',
      'the library is being moved to another folder; try again in a moment',
    )
    let newLock: LibraryLock | null = null
    let remembered = false
    try {
      library.close()
      newLock = LibraryLock.acquire(plan.to, this.owner)
      const made = await copyLibrary(plan)
      try {
        await verifyCopy(plan, expected)
        remembered = remember(from, plan.to)
      } catch (error) {
        takeBack(plan, made)
        throw error
      }
    } catch (error) {
      newLock?.release()
      this.unavailable = null
      await this.open()
      throw error
    }
    // The new place is the library from here on.
    const oldLock = this.lock!
    this.where = plan.to
    this.lock = newLock
    const left = leaveNote(plan, this.now())
      ? await removeOld(plan)
      : [...plan.files, ...plan.backups].map((f) => f.from)
    oldLock.release()
    this.unavailable = null
    await this.open()
    return {
      from,
      path: plan.to,
      backupsMoved: plan.backups.length,
      remembered,
      left,
    }
  }

  close(): void {
    try {
      this.library?.close()
    } finally {
      this.library = null
      this.lock?.release()
    }
  }
}
