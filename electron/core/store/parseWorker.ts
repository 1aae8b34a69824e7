// The thread that reads a dump (see readOffThread.ts): the parse of a 100 MB dump takes
// seconds, and the app keeps answering meanwhile. It posts what it read in batches, each when
// the main thread asks, so that taking them in never stops the main thread for long.
import { parentPort, workerData } from 'node:worker_threads'
import { ImportError, parseDump } from '../../../shared/importers'
import type { FormatId, ParsedPaper } from '../../../shared/importers'
import { storableText } from '../../../shared/text'
import type { ReaderMessage } from './readOffThread'

const BATCH = 2000

const input = workerData as {
  text: string
  now: string
  format?: FormatId
  mapping?: Record<string, string>
}

function post(message: ReaderMessage): void {
  parentPort!.postMessage(message)
}

try {
  const result = parseDump(storableText(input.text), new Date(input.now), input.format, {
    mapping: input.mapping,
  })
  post({
    kind: 'read',
    format: result.format,
    warnings: result.warnings,
    skipped: result.skipped,
    total: result.papers.length,
  })
  // One batch at a time, the next when the main thread asks for it: messages that pile up are
  // taken in all in one go, and the main thread would stop for the whole dump.
  let at = 0
  const next = (): void => {
    if (at >= result.papers.length) {
      post({ kind: 'end' })
      parentPort!.off('message', next)
      return
    }
    post({ kind: 'papers', papers: result.papers.slice(at, at + BATCH) as ParsedPaper[] })
    at += BATCH
  }
  parentPort!.on('message', next)
  next()
} catch (error) {
  if (error instanceof ImportError) {
    post({ kind: 'refused', message: error.message, line: error.line })
  } else {
    post({ kind: 'crashed', message: error instanceof Error ? error.message : String(error) })
  }
}
