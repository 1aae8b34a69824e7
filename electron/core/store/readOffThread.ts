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

/** What the reading thread says, in order: read (or refused, or crashed), papers…, end. */
export type ReaderMessage =
  | { kind: 'read'; format: string; warnings: ImportWarning[]; skipped: number; total: number }
  | { kind: 'papers'; papers: ParsedPaper[] }
  | { kind: 'end' }
  | { kind: 'refused'; message: string; line: number | null }
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

/** What the main thread says to the reading thread: the text piece by piece, then "next"s. */
export type ToReaderMessage = { kind: 'piece'; text: string } | { kind: 'text-end' } | 'next'

/**
 * Parses a dump on another thread. Rejects with ImportError exactly where parseDump would
 * throw it; `cancelled` is asked between batches and stops the thread. The text (one string,
 * or the pieces it came in) is handed over in pieces of at most PIECE_CHARS, the app having a
 * turn between them; the thread joins them.
 */
export function readOffThread(
  input: {
    text: string | readonly string[]
    now: Date
    format?: FormatId
    mapping?: Record<string, string>
  },
  cancelled: () => boolean = () => false,
): Promise<ParseResult> {
  const { file, execArgv } = workerScript('parseWorker')
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, {
      execArgv,
      workerData: {
        now: input.now.toISOString(),
        format: input.format,
        mapping: input.mapping,
      },
    })
    const send = (message: ToReaderMessage): void => worker.postMessage(message)
    let result: ParseResult | null = null
    let settled = false
    const settle = (outcome: () => void): void => {
      if (settled) return
      settled = true
      clearInterval(watch)
      void worker.terminate()
      outcome()
    }
    // A cancel stops the thread mid-parse, not only between its messages.
    const watch = setInterval(() => {
      if (cancelled()) settle(() => reject(new ReadCancelled()))
    }, 100)
    worker.on('message', (message: ReaderMessage) => {
      if (cancelled()) {
        settle(() => reject(new ReadCancelled()))
        return
      }
      switch (message.kind) {
        case 'read':
          result = {
            format: message.format,
            warnings: message.warnings,
            skipped: message.skipped,
            papers: [],
          }
          return
        case 'papers':
          for (const paper of message.papers) result!.papers.push(paper)
          // The next batch once the app has had a turn.
          setImmediate(() => {
            if (!settled) send('next')
          })
          return
        case 'end':
          settle(() => resolve(result!))
          return
        case 'refused':
          settle(() => reject(new ImportError(message.message, message.line)))
          return
        case 'crashed':
          settle(() => reject(new Error(message.message)))
      }
    })
    worker.on('error', (error) => settle(() => reject(error)))
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`the reading thread stopped (exit code ${code})`))),
    )
    void (async () => {
      for (const piece of typeof input.text === 'string' ? [input.text] : input.text) {
        // A slice of a string is copied alone (the string it is cut from is not).
        for (let at = 0; at < piece.length; at += PIECE_CHARS) {
          if (settled) return
          send({ kind: 'piece', text: piece.slice(at, at + PIECE_CHARS) })
          await new Promise((next) => setImmediate(next))
        }
      }
      if (!settled) send({ kind: 'text-end' })
    })()
  })
}

/** The reading was cancelled. */
export class ReadCancelled extends Error {
  constructor() {
    super('cancelled')
  }
}
