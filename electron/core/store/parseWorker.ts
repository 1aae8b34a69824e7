// The thread that reads a dump (see readOffThread.ts): the parse of a 100 MB dump takes
// seconds, and the app keeps answering meanwhile. It takes the text in pieces and posts what it
// read in batches, each when the main thread asks, so that neither handing the text over nor
// taking the papers in stops the main thread for long.
import { parentPort, workerData } from 'node:worker_threads'
import { ImportError, parseDump } from '../../../shared/importers'
import type { FormatId, ParsedPaper } from '../../../shared/importers'
import { storableText, withoutUnstorable } from '../../../shared/text'
import type { ReaderMessage, ToReaderMessage } from './readOffThread'

const BATCH = 2000

const input = workerData as {
  now: string
  format?: FormatId
  mapping?: Record<string, string>
}

function post(message: ReaderMessage): void {
  parentPort!.postMessage(message)
}

/** Reads the text the main thread has sent, then posts the papers a batch at a time. */
function read(text: string): void {
  try {
    const result = parseDump(storableText(text), new Date(input.now), input.format, {
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
    // taken in all in one go, and the main thread would stop for the whole dump. What cannot be
    // stored is taken out here, a batch at a time, rather than there for all at once.
    let at = 0
    const next = (message: ToReaderMessage): void => {
      if (message !== 'next') return
      if (at >= result.papers.length) {
        post({ kind: 'end' })
        parentPort!.off('message', next)
        return
      }
      const batch = result.papers.slice(at, at + BATCH) as ParsedPaper[]
      post({ kind: 'papers', papers: batch.map((paper) => withoutUnstorable(paper)) })
      at += BATCH
    }
    parentPort!.on('message', next)
    next('next')
  } catch (error) {
    if (error instanceof ImportError) {
      post({ kind: 'refused', message: error.message, line: error.line })
    } else {
      post({ kind: 'crashed', message: error instanceof Error ? error.message : String(error) })
    }
  }
}

// The text comes in pieces (see readOffThread.ts), joined here once the last has come.
const pieces: string[] = []
const receive = (message: ToReaderMessage): void => {
  if (message === 'next') return
  if (message.kind === 'piece') {
    pieces.push(message.text)
    return
  }
  parentPort!.off('message', receive)
  const text = pieces.join('')
  pieces.length = 0
  read(text)
}
parentPort!.on('message', receive)
