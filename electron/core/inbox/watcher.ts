// A watched inbox folder: dumps saved into it are imported once they are complete, then moved to
// `processed/` (or, when they cannot be imported, to `failed/` with the reason beside them).
//
// The folder is polled rather than trusted to fs.watch, which misses events on network shares
// and in folders a sync service writes to, and reports them differently on every platform; its
// events only bring the next scan forward. A file is complete when its size and modification
// time have not changed for `settleMs` (measured on the given clock, across at least two scans):
// a download or a copy in progress keeps changing one of them. Names that browsers, editors and
// sync services give files still being written are never looked at.
//
// Imports go through the contract's dispatcher (`importThroughApi`), one file at a time, so
// a dump from the inbox is all or nothing and deduplicated exactly like one dropped on the window.
import { watch } from 'node:fs'
import type { FSWatcher } from 'node:fs'
import { lstat, mkdir, readdir, realpath, rename, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { ErrorCode } from '../../../shared/api'
import { decodeDump } from '../../../shared/decode'
import type { ImportWarning } from '../../../shared/domain'
import { ImportError, describeImportError } from '../../../shared/importers'
import type { HandlerContext } from '../api/context'
import { dispatch } from '../api/dispatch'
import { DumpReadError, readDumpFile } from '../dumpFile'

export const PROCESSED = 'processed'
export const FAILED = 'failed'

export type ImportOutcome =
  | {
      ok: true
      added: number
      duplicates: number
      updated: number
      /** Blocks that could not be read as a paper, and why. */
      skipped?: number
      warnings?: ImportWarning[]
    }
  | {
      ok: false
      message: string
      /**
       * The library, not the file, is at fault (damaged, the disk full): the file stays in the
       * inbox and is tried again later instead of going to `failed/`.
       */
      retry?: boolean
    }

/** Imports one dump; resolves once the import is durable (or refused). */
export type ImportFile = (source: string, bytes: Uint8Array) => Promise<ImportOutcome>

/** What happened to a file in the inbox. Paths in events are relative to the inbox. */
export type InboxEvent =
  | {
      kind: 'imported'
      at: string
      file: string
      added: number
      duplicates: number
      updated: number
      skipped: number
      warnings: ImportWarning[]
      /** Null when the file could not be moved (a `move-failed` event follows). */
      movedTo: string | null
    }
  | { kind: 'failed'; at: string; file: string; reason: string; movedTo: string | null }
  /** The file was imported or refused, but stays in the inbox; it is not imported again. */
  | { kind: 'move-failed'; at: string; file: string; to: string; message: string }
  /** The file could not be read, or the library could not take it now; it is tried again. */
  | { kind: 'deferred'; at: string; file: string; message: string }
  /** The inbox folder cannot be read (removed, unmounted), or a reason file not written. */
  | { kind: 'inbox-error'; at: string; message: string }

export interface InboxOptions {
  folder: string
  importFile: ImportFile
  /** One line per event, as `describeInboxEvent` words it. */
  log: (line: string) => void
  onEvent?: (event: InboxEvent) => void
  now?: () => Date
  /** How often the folder is scanned (ms). */
  intervalMs?: number
  /** How long a file's size and time must stay the same before it is imported (ms). */
  settleMs?: number
  /** How long a file the library could not take waits before it is tried again (ms). */
  retryMs?: number
  /** False: no timer and no fs.watch; the folder is scanned only by `scanNow()` (tests). */
  poll?: boolean
}

/** Names of files still being written, or that are not the user's: never imported. */
const TEMPORARY_NAMES = [
  /^\./, // hidden files; Syncthing's (.syncthing.*), Dropbox's (.~*) and macOS's (._*) temporaries
  /^~\$/, // Office's lock files
  /~$/, // editors' backup copies
  /\.(part|partial|crdownload|opdownload|download|tmp|temp)$/i, // browsers' unfinished downloads
]
const SYSTEM_FILES = new Set(['desktop.ini', 'thumbs.db', 'icon\r'])

/** Whether the watcher leaves a file of this name alone. A sync conflict copy is a real file. */
export function isIgnoredName(name: string): boolean {
  return SYSTEM_FILES.has(name.toLowerCase()) || TEMPORARY_NAMES.some((re) => re.test(name))
}

/** The error codes that are the library's fault, not the file's: the file is tried again later. */
const LIBRARY_FAULTS = new Set<ErrorCode>([
  'library-damaged',
  'library-error',
  'write-failed',
  'conflict',
])

/** An `ImportFile` that imports through the contract, as any host does. */
export function importThroughApi(ctx: HandlerContext): ImportFile {
  return async (source, bytes) => {
    let text: string
    try {
      text = decodeDump(bytes)
    } catch (error) {
      if (!(error instanceof ImportError)) throw error
      return { ok: false, message: describeImportError(source, error) }
    }
    // In the background, as the window imports: read on a thread of its own and written in
    // steps, so that a large file does not stop the app while it goes in.
    const started = await dispatch(ctx, 'startImport', { dumps: [{ source, text }] })
    if (!started.ok) {
      return {
        ok: false,
        message: started.error.message,
        retry: LIBRARY_FAULTS.has(started.error.code),
      }
    }
    let job = started.value
    for (let wait = 10; job.state === 'reading' || job.state === 'writing';) {
      await new Promise((resolve) => setTimeout(resolve, wait))
      wait = Math.min(wait * 2, 250)
      const polled = await dispatch(ctx, 'importJob', { id: job.id })
      if (!polled.ok) return { ok: false, message: polled.error.message, retry: true }
      job = polled.value
    }
    if (job.state !== 'done') {
      // Cancelled (the host is closing): the file stays, to be imported next time.
      const error = job.error ?? { code: 'conflict', message: 'the import was cancelled' }
      return {
        ok: false,
        message: error.message,
        retry: job.state === 'cancelled' || LIBRARY_FAULTS.has(error.code as ErrorCode),
      }
    }
    const s = job.summaries![0]!
    return {
      ok: true,
      added: s.added,
      duplicates: s.duplicates,
      updated: s.updated,
      skipped: s.skipped,
      warnings: s.warnings,
    }
  }
}

/** One line for an event, for a terminal or a log. */
export function describeInboxEvent(e: InboxEvent): string {
  switch (e.kind) {
    case 'imported': {
      const counts = [
        `${e.added} added`,
        `${e.duplicates} already in the library${e.updated ? ` (${e.updated} given missing details)` : ''}`,
        ...(e.skipped ? [`${e.skipped} skipped`] : []),
      ].join(', ')
      const renamed = e.movedTo !== null && e.movedTo !== `${PROCESSED}/${e.file}`
      return `imported ${e.file}: ${counts}${renamed ? `; moved to ${e.movedTo}` : ''}`
    }
    case 'failed': {
      // The import's message already starts with the file's name (and line).
      const reason = e.reason.startsWith(e.file) ? e.reason : `${e.file}: ${e.reason}`
      const moved =
        e.movedTo === null
          ? 'left in the inbox'
          : `moved to ${e.movedTo === `${FAILED}/${e.file}` ? `${FAILED}/` : e.movedTo}`
      return `failed ${reason}; ${moved}`
    }
    case 'move-failed':
      return `could not move ${e.file} to ${e.to}: ${e.message}; it stays in the inbox and is not imported again unless it changes`
    case 'deferred':
      return `not imported yet ${e.file}: ${e.message}; it stays in the inbox and is tried again`
    case 'inbox-error':
      return e.message
  }
}

/**
 * Whether `folder` can be an inbox: it must exist, and must not be one of `keepOut` (the
 * library's own folder and its backups, whose files would otherwise be "imported" and moved).
 */
export async function inboxFolderProblem(
  folder: string,
  keepOut: string[] = [],
): Promise<string | null> {
  const info = await stat(folder).catch(() => null)
  if (!info) return `there is no folder at ${folder}`
  if (!info.isDirectory()) return `${folder} is not a folder`
  const real = (p: string): Promise<string> => realpath(p).catch(() => resolve(p))
  const here = await real(folder)
  for (const other of keepOut) {
    if ((await real(other)) === here) {
      return `${folder} holds the library's own files; choose another folder for the inbox`
    }
  }
  return null
}

/** `name (n).ext`: the n-th name for a file that must not overwrite another. */
export function numberedName(name: string, n: number): string {
  if (n === 1) return name
  const dot = name.lastIndexOf('.')
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`
}

/** What the watcher knows of a file still in the inbox. */
interface Tracked {
  size: number
  mtimeMs: number
  /** When (on the clock) this size and time were first seen. */
  since: number
  /**
   * settling: waiting to be complete; held: tried again at `retryAt`; done: imported or refused
   * but could not be moved, so left alone while it stays as it is.
   */
  state: 'settling' | 'held' | 'done'
  retryAt: number
  /** The last message reported for this version of the file, so it is reported once. */
  reported: string | null
}

const errorText = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code
  return code ?? (error as Error).message
}

const exists = async (path: string): Promise<boolean> =>
  (await lstat(path).catch(() => null)) !== null

export class InboxWatcher {
  readonly folder: string
  private readonly importFile: ImportFile
  private readonly log: (line: string) => void
  private readonly onEvent: ((event: InboxEvent) => void) | undefined
  private readonly now: () => Date
  private readonly intervalMs: number
  private readonly settleMs: number
  private readonly retryMs: number
  private readonly poll: boolean

  private readonly files = new Map<string, Tracked>()
  /** Every scan runs after the one before it: one import at a time, never the same file twice. */
  private chain: Promise<void> = Promise.resolve()
  private timer: NodeJS.Timeout | null = null
  private timerDue = 0
  private fsWatcher: FSWatcher | null = null
  private started = false
  private stopped = false
  private folderProblem: string | null = null

  constructor(options: InboxOptions) {
    this.folder = resolve(options.folder)
    this.importFile = options.importFile
    this.log = options.log
    this.onEvent = options.onEvent
    this.now = options.now ?? (() => new Date())
    this.intervalMs = options.intervalMs ?? 1000
    this.settleMs = options.settleMs ?? this.intervalMs
    this.retryMs = options.retryMs ?? 60_000
    this.poll = options.poll ?? true
  }

  /** Scans at once (what is already waiting is seen now), then keeps scanning until `stop()`. */
  start(): Promise<void> {
    if (this.started || this.stopped) return this.chain
    this.started = true
    if (this.poll) {
      try {
        this.fsWatcher = watch(this.folder, { persistent: false }, () => this.schedule(100))
        this.fsWatcher.on('error', () => this.closeFsWatcher())
      } catch {
        // No events here (some network folders): polling alone finds the files.
      }
    }
    const first = this.scanNow()
    void first.then(() => this.schedule(this.intervalMs))
    return first
  }

  /** Scans now, after any scan in progress; resolves when this scan's imports are done. */
  scanNow(): Promise<void> {
    if (this.stopped) return this.chain
    // A scan reports its own failures; only a logger that throws could get here.
    this.chain = this.chain.then(() => this.scan()).catch(() => undefined)
    return this.chain
  }

  /** Stops watching; resolves once the import in flight (if any) is done and its file moved. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.closeFsWatcher()
    await this.chain
  }

  private closeFsWatcher(): void {
    this.fsWatcher?.close()
    this.fsWatcher = null
  }

  /** The next scan in `ms`, unless one is already due sooner. */
  private schedule(ms: number): void {
    if (!this.poll || this.stopped) return
    const due = Date.now() + ms
    if (this.timer) {
      if (this.timerDue <= due) return
      clearTimeout(this.timer)
    }
    this.timerDue = due
    this.timer = setTimeout(() => {
      this.timer = null
      void this.scanNow().then(() => this.schedule(this.intervalMs))
    }, ms)
  }

  private emit(event: InboxEvent): void {
    this.log(describeInboxEvent(event))
    this.onEvent?.(event)
  }

  private at(): string {
    return this.now().toISOString()
  }

  private async scan(): Promise<void> {
    if (this.stopped) return
    try {
      const due = await this.completeFiles()
      for (const name of due) {
        if (this.stopped) return
        await this.take(name)
      }
    } catch (error) {
      this.emit({
        kind: 'inbox-error',
        at: this.at(),
        message: `unexpected error in the inbox: ${(error as Error).message}`,
      })
    }
  }

  /** Looks at every file in the inbox; returns those complete and due, oldest first. */
  private async completeFiles(): Promise<string[]> {
    let entries
    try {
      entries = await readdir(this.folder, { withFileTypes: true })
    } catch (error) {
      const message = `cannot read the inbox ${this.folder}: ${errorText(error)}`
      if (message !== this.folderProblem) {
        this.folderProblem = message
        this.emit({ kind: 'inbox-error', at: this.at(), message })
      }
      return []
    }
    this.folderProblem = null
    const now = this.now().getTime()
    const present = new Set<string>()
    const due: { name: string; mtimeMs: number }[] = []
    for (const entry of entries) {
      const name = entry.name
      // processed/ and failed/ are folders, and folders are never imported.
      if (entry.isDirectory() || isIgnoredName(name)) continue
      const info = await stat(join(this.folder, name)).catch(() => null)
      if (!info?.isFile()) continue
      present.add(name)
      const known = this.files.get(name)
      if (!known || known.size !== info.size || known.mtimeMs !== info.mtimeMs) {
        // New, or still being written: wait until it has stayed like this for settleMs.
        this.files.set(name, {
          size: info.size,
          mtimeMs: info.mtimeMs,
          since: now,
          state: 'settling',
          retryAt: 0,
          reported: null,
        })
        continue
      }
      const ready =
        known.state === 'settling'
          ? now - known.since >= this.settleMs
          : known.state === 'held' && now >= known.retryAt
      if (ready) due.push({ name, mtimeMs: info.mtimeMs })
    }
    // A file that left the inbox is forgotten; one of the same name later is a new file.
    for (const name of this.files.keys()) if (!present.has(name)) this.files.delete(name)
    due.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    return due.map((d) => d.name)
  }

  /** Leaves a file in the inbox to be tried again; says why once per version of the file. */
  private defer(name: string, known: Tracked, message: string, retryAt: number): void {
    known.state = 'held'
    known.retryAt = retryAt
    if (known.reported === message) return
    known.reported = message
    this.emit({ kind: 'deferred', at: this.at(), file: name, message })
  }

  /** Imports one complete file and moves it out of the inbox. */
  private async take(name: string): Promise<void> {
    const known = this.files.get(name)
    if (!known) return
    const path = join(this.folder, name)
    let bytes: Uint8Array
    try {
      // A regular file within the bound only, checked again here: a FIFO or a device put in its
      // place since the scan is never opened (a FIFO would wait, /dev/zero never ends).
      bytes = await readDumpFile(path, { name })
    } catch (error) {
      if (!(error instanceof DumpReadError)) throw error
      if (error.reason === 'too-large')
        return this.finish(name, known, { ok: false, message: error.message })
      if (error.reason === 'not-a-file' || error.code === 'ENOENT') {
        // Gone, or no longer a file: the next scan does not see it as one.
        this.files.delete(name)
        return
      }
      // Locked by the program still writing it (Windows), or not readable: tried next scan.
      return this.defer(name, known, `cannot read it (${error.code})`, 0)
    }
    // Changed while it was read: not complete after all.
    const after = await stat(path).catch(() => null)
    if (!after || after.size !== known.size || after.mtimeMs !== known.mtimeMs) {
      this.files.delete(name)
      return
    }
    let outcome: ImportOutcome
    try {
      outcome = await this.importFile(name, bytes)
    } catch (error) {
      outcome = { ok: false, message: `unexpected error: ${(error as Error).message}`, retry: true }
    }
    if (!outcome.ok && outcome.retry) {
      return this.defer(name, known, outcome.message, this.now().getTime() + this.retryMs)
    }
    await this.finish(name, known, outcome)
  }

  /** Moves an imported or refused file out of the inbox, and says what happened. */
  private async finish(name: string, known: Tracked, outcome: ImportOutcome): Promise<void> {
    const at = this.at()
    const folder = outcome.ok ? PROCESSED : FAILED
    let movedTo: string | null = null
    let moveProblem = ''
    try {
      movedTo = await this.moveOut(name, folder, !outcome.ok)
    } catch (error) {
      moveProblem = errorText(error)
    }
    if (outcome.ok) {
      this.emit({
        kind: 'imported',
        at,
        file: name,
        added: outcome.added,
        duplicates: outcome.duplicates,
        updated: outcome.updated,
        skipped: outcome.skipped ?? 0,
        warnings: outcome.warnings ?? [],
        movedTo,
      })
    } else {
      this.emit({ kind: 'failed', at, file: name, reason: outcome.message, movedTo })
      if (movedTo !== null) {
        const reasonFile = `${movedTo}.txt`
        try {
          await writeFile(
            join(this.folder, reasonFile),
            `${name} could not be imported (${at}):\n${outcome.message}\n`,
          )
        } catch (error) {
          this.emit({
            kind: 'inbox-error',
            at,
            message: `could not write ${reasonFile}, which says why ${name} failed: ${errorText(error)}`,
          })
        }
      }
    }
    if (movedTo !== null) {
      this.files.delete(name)
      return
    }
    // Remembered as it is now, so it is not imported again every scan nor reported again.
    known.state = 'done'
    this.emit({ kind: 'move-failed', at, file: name, to: `${folder}/`, message: moveProblem })
  }

  /**
   * Moves `name` into `folder` under a name no file there has (`a (2).bib`…); a failed file also
   * needs its `.txt` name free. Returns the new path relative to the inbox.
   */
  private async moveOut(name: string, folder: string, withReason: boolean): Promise<string> {
    const dir = join(this.folder, folder)
    await mkdir(dir, { recursive: true })
    for (let n = 1; ; n += 1) {
      const candidate = numberedName(name, n)
      if (await exists(join(dir, candidate))) continue
      if (withReason && (await exists(join(dir, `${candidate}.txt`)))) continue
      await rename(join(this.folder, name), join(dir, candidate))
      return `${folder}/${candidate}`
    }
  }
}
