// Reading a dump on a thread of its own (parseWorker.ts), so that the process stays free to
// answer while a large dump is parsed: the same reading as parseDump, the same result, the same
// errors. Built, the thread runs out/main/parseWorker.js; from the sources (tests, scripts) it
// runs parseWorker.ts through tsx.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { ImportWarning } from '../../../shared/domain'
import { ImportError } from '../../../shared/importers'
import type { FormatId, ParseResult, ParsedPaper } from '../../../shared/importers'

/** What the reading thread says: read (or refused, not-there, crashed), then papers as asked. */
export type ReaderMessage =
  | {
      kind: 'read'
      format: string
      warnings: ImportWarning[]
      skipped: number
      total: number
      dumpDates: string[]
    }
  | { kind: 'papers'; papers: ParsedPaper[] }
  | { kind: 'refused'; message: string; line: number | null }
  | { kind: 'not-there'; index: number; count: number }
  | { kind: 'crashed'; message: string }

/**
 * A thread's script (parseWorker, rebuildWorker): the built one beside this bundle, or the
 * source through tsx.
 */
export function workerScript(name: string): { file: string; execArgv: string[] } {
  const built = join(__dirname, `${name}.js`)
  if (existsSync(built)) return { file: built, execArgv: [] }
  const require = createRequire(__filename)
  return {
    file: join(__dirname, `${name}.ts`),
    // The BibTeX parser is read from its ESM build (see electron.vite.config.ts).
    execArgv: ['--conditions=import', '--require', require.resolve('tsx/cjs')],
  }
}

/**
 * The most characters handed to the thread in one message. Each message's text is copied there
 * while this thread waits: 125 MB in one took a second, a piece of this size about 30 ms.
 */
export const PIECE_CHARS = 4 * 1024 * 1024

/** What the main thread says to the reading thread: the text piece by piece, then "take"s. */
export type ToReaderMessage =
  { kind: 'piece'; text: string } | { kind: 'text-end' } | { kind: 'take'; count: number }

/** How many papers readOffThread takes in at a time (each a turn of the main thread). */
const BATCH = 2000

/**
 * A dump read whole on a thread of its own, which holds its papers and hands them over as many
 * at a time as asked: an import takes each step's papers as it writes them, so that the main
 * thread never holds them all (100,000 papers held there made its garbage collections stop the
 * app for up to 0.6 s).
 */
export interface HeldDump {
  format: string
  warnings: ImportWarning[]
  skipped: number
  /** How many papers (the chosen ones, where only some were). */
  total: number
  /** The distinct dump dates of those papers, in order. */
  dumpDates: string[]
  /** The next papers, at most `count` (none: all have been taken). One take at a time. */
  take(count: number): Promise<ParsedPaper[]>
  /** Lets the thread go. */
  close(): void
}

/** A paper chosen by its place in the dump (DumpInput.only) that the dump does not have. */
export class NotInDump extends Error {
  constructor(
    readonly index: number,
    readonly count: number,
  ) {
    super(`there is no paper ${index} (the dump has ${count}, counted from 0)`)
  }
}

/**
 * Reads a dump on another thread, whole, and holds it there (see HeldDump). Rejects with
 * ImportError exactly where parseDump would throw it, NotInDump for a chosen paper it does not
 * have, ReadCancelled when `cancelled` says so while it reads. The text (one string, or the
 * pieces it came in) is handed over in pieces of at most PIECE_CHARS, the app having a turn
 * between them; the thread joins them.
 */
export function holdOffThread(
  input: {
    text: string | readonly string[]
    now: Date
    format?: FormatId
    mapping?: Record<string, string>
    only?: number[]
  },
  cancelled: () => boolean = () => false,
): Promise<HeldDump> {
  const { file, execArgv } = workerScript('parseWorker')
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, {
      execArgv,
      workerData: {
        now: input.now.toISOString(),
        format: input.format,
        mapping: input.mapping,
        only: input.only,
      },
    })
    const send = (message: ToReaderMessage): void => worker.postMessage(message)
    let read = false
    /** Why the thread is gone, once it is. */
    let gone: Error | null = null
    let waiting: { resolve: (papers: ParsedPaper[]) => void; reject: (e: Error) => void } | null =
      null
    const fail = (error: Error): void => {
      gone ??= error
      clearInterval(watch)
      void worker.terminate()
      if (!read) {
        read = true
        reject(error)
      }
      const taking = waiting
      waiting = null
      taking?.reject(gone)
    }
    // A cancel stops the thread mid-parse, not only between its messages.
    const watch = setInterval(() => {
      if (cancelled()) fail(new ReadCancelled())
    }, 100)
    worker.on('message', (message: ReaderMessage) => {
      switch (message.kind) {
        case 'read': {
          clearInterval(watch)
          read = true
          const { kind: _kind, ...found } = message
          resolve({
            ...found,
            take: (count) =>
              new Promise<ParsedPaper[]>((taken, refused) => {
                if (gone) return refused(gone)
                if (waiting) return refused(new Error('one take at a time'))
                waiting = { resolve: taken, reject: refused }
                send({ kind: 'take', count })
              }),
            close: () => fail(new Error('the dump was let go')),
          })
          return
        }
        case 'papers': {
          const taking = waiting
          waiting = null
          taking?.resolve(message.papers)
          return
        }
        case 'refused':
          fail(new ImportError(message.message, message.line))
          return
        case 'not-there':
          fail(new NotInDump(message.index, message.count))
          return
        case 'crashed':
          fail(new Error(message.message))
      }
    })
    worker.on('error', (error) => fail(error))
    worker.on('exit', (code) => fail(new Error(`the reading thread stopped (exit code ${code})`)))
    void (async () => {
      for (const piece of typeof input.text === 'string' ? [input.text] : input.text) {
        // A slice of a string is copied alone (the string it is cut from is not).
        for (let at = 0; at < piece.length; at += PIECE_CHARS) {
          if (gone) return
          send({ kind: 'piece', text: piece.slice(at, at + PIECE_CHARS) })
          await new Promise((next) => setImmediate(next))
        }
      }
      if (!gone) send({ kind: 'text-end' })
    })()
  })
}

/**
 * Parses a dump on another thread: the same result as parseDump, the same errors (see
 * holdOffThread), its papers taken in a batch at a time, the app having a turn between them.
 */
export async function readOffThread(
  input: {
    text: string | readonly string[]
    now: Date
    format?: FormatId
    mapping?: Record<string, string>
  },
  cancelled: () => boolean = () => false,
): Promise<ParseResult> {
  const held = await holdOffThread(input, cancelled)
  try {
    const papers: ParsedPaper[] = []
    for (;;) {
      if (cancelled()) throw new ReadCancelled()
      const batch = await held.take(BATCH)
      if (batch.length === 0) break
      for (const paper of batch) papers.push(paper)
      await new Promise((resolve) => setImmediate(resolve))
    }
    return { format: held.format, warnings: held.warnings, skipped: held.skipped, papers }
  } finally {
    held.close()
  }
}

/** The reading was cancelled. */
export class ReadCancelled extends Error {
  constructor() {
    super('cancelled')
  }
}
