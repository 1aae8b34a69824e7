// Large imports from the window: text sent in pieces (uploads), then an import that runs in the
// background (a job) and reports its progress, so that no message has to carry a whole 100 MB
// dump and the app answers while the papers are written. Uploads and jobs belong to the library
// session they were made in.
import { randomUUID } from 'node:crypto'
import { MAX_DUMP_CHARS, MAX_IMPORT_FILES } from '../../../shared/api'
import type { ImportJob } from '../../../shared/domain'
import type { DumpInput } from '../../../shared/importers'
import { dumpLength } from '../../../shared/importers'
import { LibraryError } from '../errors'
import type { LibrarySession } from '../safety/session'
import { ImportCancelled } from '../store/library'
import type { HandlerContext } from './context'
import { checkImportSize } from './context'

/** An upload nobody has added to or used for this long is dropped. */
const UPLOAD_IDLE_MS = 15 * 60 * 1000
/** A finished job is remembered this long, for the window to read its outcome. */
const JOB_KEPT_MS = 15 * 60 * 1000
/** Uploads held at once (together up to MAX_DUMP_CHARS). */
const MAX_UPLOADS = MAX_IMPORT_FILES
/** Imports under way at once. */
const MAX_RUNNING_JOBS = 4

interface Upload {
  parts: string[]
  chars: number
  touched: number
}

interface Job {
  snapshot: ImportJob
  started: number
  cancel: boolean
  finished: Promise<void>
  finishedAt: number | null
}

class Registry {
  readonly uploads = new Map<string, Upload>()
  readonly jobs = new Map<string, Job>()

  /** Forgets idle uploads and old finished jobs. */
  sweep(now: number): void {
    for (const [id, upload] of this.uploads) {
      if (now - upload.touched > UPLOAD_IDLE_MS) this.uploads.delete(id)
    }
    for (const [id, job] of this.jobs) {
      if (job.finishedAt !== null && now - job.finishedAt > JOB_KEPT_MS) this.jobs.delete(id)
    }
  }
}

const registries = new WeakMap<LibrarySession, Registry>()

function registryOf(session: LibrarySession): Registry {
  let registry = registries.get(session)
  if (!registry) {
    registry = new Registry()
    registries.set(session, registry)
  }
  registry.sweep(Date.now())
  return registry
}

/** Adds a piece of text to an upload (a new one when `id` is left out). */
export function uploadText(
  ctx: HandlerContext,
  id: string | undefined,
  text: string,
): { upload: string; chars: number } {
  const registry = registryOf(ctx.session)
  let upload = id === undefined ? undefined : registry.uploads.get(id)
  if (id !== undefined && !upload) {
    throw new LibraryError('not-found', `there is no upload ${id} (it may have expired)`)
  }
  if (!upload) {
    if (registry.uploads.size >= MAX_UPLOADS) {
      throw new LibraryError('conflict', 'too many uploads at once; import what was sent first')
    }
    id = randomUUID()
    upload = { parts: [], chars: 0, touched: Date.now() }
    registry.uploads.set(id, upload)
  }
  let held = 0
  for (const other of registry.uploads.values()) held += other.chars
  if (held + text.length > MAX_DUMP_CHARS) {
    throw new LibraryError(
      'invalid-request',
      `uploadText: text: together the dumps sent are longer than ${MAX_DUMP_CHARS} characters; import them in smaller groups`,
    )
  }
  upload.parts.push(text)
  upload.chars += text.length
  upload.touched = Date.now()
  return { upload: id!, chars: upload.chars }
}

type RequestDump = Omit<DumpInput, 'text'> & ({ text: string } | { upload: string })

/**
 * The dumps of a request with their text: sent whole (held to the host's size for one
 * message), or uploaded in pieces before (kept until `releaseUploads`).
 */
export function resolveDumps(
  ctx: HandlerContext,
  method: 'previewImport' | 'startImport',
  dumps: RequestDump[],
): DumpInput[] {
  const registry = registryOf(ctx.session)
  checkImportSize(
    ctx,
    method,
    dumps.flatMap((d) => ('text' in d ? [{ text: d.text }] : [])),
  )
  const resolved = dumps.map((d) => {
    if ('text' in d) return d
    const { upload: id, ...rest } = d
    const upload = registry.uploads.get(id)
    if (!upload) {
      throw new LibraryError(
        'not-found',
        `${d.source}: there is no upload ${id} (it may have expired)`,
      )
    }
    // The pieces as they came: joined into one string here, 100 MB of them stopped the app for
    // a second. The reading thread takes them one by one (see readOffThread.ts).
    upload.touched = Date.now()
    return { ...rest, text: '', pieces: [...upload.parts] }
  })
  const chars = resolved.reduce((n, d) => n + dumpLength(d), 0)
  if (chars > MAX_DUMP_CHARS) {
    throw new LibraryError(
      'invalid-request',
      `${method}: dumps: together these dumps are over ${MAX_DUMP_CHARS} characters; import them in smaller groups`,
    )
  }
  return resolved
}

/** Lets go of the uploads a started import has taken its text from. */
export function releaseUploads(ctx: HandlerContext, dumps: RequestDump[]): void {
  const registry = registryOf(ctx.session)
  for (const d of dumps) if ('upload' in d) registry.uploads.delete(d.upload)
}

function view(job: Job): ImportJob {
  const end = job.finishedAt ?? Date.now()
  return { ...job.snapshot, elapsedMs: end - job.started }
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof LibraryError) return { code: error.code, message: error.message }
  return {
    code: 'internal',
    message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
  }
}

/**
 * Starts an import in the background and answers at once. The dumps are read first (a dump
 * that cannot be read fails the job before anything is written).
 */
export function startImport(ctx: HandlerContext, dumps: DumpInput[]): ImportJob {
  const registry = registryOf(ctx.session)
  const library = ctx.session.get()
  const running = [...registry.jobs.values()].filter((j) => j.finishedAt === null).length
  if (running >= MAX_RUNNING_JOBS) {
    throw new LibraryError(
      'conflict',
      `${running} imports are under way; wait for one to finish or cancel it`,
    )
  }
  const id = randomUUID()
  const started = Date.now()
  const job: Job = {
    snapshot: {
      id,
      state: 'reading',
      sources: dumps.map((d) => d.source),
      total: null,
      done: 0,
      startedAt: new Date(started).toISOString(),
      elapsedMs: 0,
      summaries: null,
      error: null,
    },
    started,
    cancel: false,
    finished: Promise.resolve(),
    finishedAt: null,
  }
  registry.jobs.set(id, job)
  const finish = (patch: Partial<ImportJob>): void => {
    job.snapshot = { ...job.snapshot, ...patch }
    job.finishedAt = Date.now()
  }
  job.finished = (async () => {
    // Answer the request that started the job before the dumps are read.
    await new Promise((resolve) => setImmediate(resolve))
    try {
      const summaries = await library.importInSteps(dumps, {
        onRead: (total) => {
          job.snapshot = { ...job.snapshot, state: 'writing', total }
        },
        onProgress: (done) => {
          job.snapshot = { ...job.snapshot, done }
        },
        cancelled: () => job.cancel,
      })
      finish({ state: 'done', summaries })
    } catch (error) {
      if (error instanceof ImportCancelled) finish({ state: 'cancelled', done: 0 })
      else finish({ state: 'failed', error: describe(error) })
    }
  })()
  return view(job)
}

function jobOf(ctx: HandlerContext, id: string): Job {
  const job = registryOf(ctx.session).jobs.get(id)
  if (!job) throw new LibraryError('not-found', `there is no import job ${id}`)
  return job
}

export function importJob(ctx: HandlerContext, id: string): ImportJob {
  return view(jobOf(ctx, id))
}

/** Cancels a job and answers once it has stopped (the library as it was). */
export async function cancelImport(ctx: HandlerContext, id: string): Promise<ImportJob> {
  const job = jobOf(ctx, id)
  if (job.finishedAt === null) job.cancel = true
  await job.finished
  return view(job)
}

/** Waits for the session's imports under way to finish (a host about to close the library). */
export async function settleJobs(session: LibrarySession): Promise<void> {
  const registry = registries.get(session)
  if (!registry) return
  await Promise.all([...registry.jobs.values()].map((job) => job.finished))
}

/** Cancels the session's imports under way and waits until they have stopped (a host closing). */
export async function cancelJobs(session: LibrarySession): Promise<void> {
  const registry = registries.get(session)
  if (!registry) return
  for (const job of registry.jobs.values()) if (job.finishedAt === null) job.cancel = true
  await settleJobs(session)
}
