// The thread that reads a dump (see readOffThread.ts): the parse of a 100 MB dump takes
// seconds, and the app keeps answering meanwhile. It takes the text in pieces, reads all of it,
// then holds the papers and hands them over as many at a time as the main thread asks for, so
// that neither handing the text over nor taking the papers in stops the main thread for long,
// and the main thread holds only the papers it is about to write.
import { parentPort, workerData } from 'node:worker_threads'
import { ImportError, parseDump } from '../../../shared/importers'
import type { FormatId, ParsedPaper } from '../../../shared/importers'
import { storableText, withoutUnstorable } from '../../../shared/text'
import type { ReaderMessage, ToReaderMessage } from './readOffThread'

const input = workerData as {
  now: string
  format?: FormatId
  mapping?: Record<string, string>
  /** Only these papers (0-based, in the dump's order), as DumpInput.only. */
  only?: number[]
}

function post(message: ReaderMessage): void {
  parentPort!.postMessage(message)
}

/** The distinct dump dates of some papers, in order (as mutations.ts dumpDatesOf). */
function dumpDatesOf(papers: readonly ParsedPaper[]): string[] {
  const dates = new Set<string>()
  for (const p of papers) if (p.dumpDate !== null) dates.add(p.dumpDate)
  return [...dates].sort()
}

/** Reads the text the main thread has sent, then hands the papers over as asked. */
function read(text: string): void {
  let papers: ParsedPaper[]
  try {
    const result = parseDump(storableText(text), new Date(input.now), input.format, {
      mapping: input.mapping,
    })
    papers = result.papers
    if (input.only) {
      const chosen = [...new Set(input.only)].sort((a, b) => a - b)
      const missing = chosen.find((i) => i >= papers.length)
      if (missing !== undefined) {
        post({ kind: 'not-there', index: missing, count: papers.length })
        return
      }
      papers = chosen.map((i) => papers[i]!)
    }
    post({
      kind: 'read',
      format: result.format,
      warnings: result.warnings,
      skipped: result.skipped,
      total: papers.length,
      dumpDates: dumpDatesOf(papers),
    })
  } catch (error) {
    if (error instanceof ImportError) {
      post({ kind: 'refused', message: error.message, line: error.line })
    } else {
      post({ kind: 'crashed', message: error instanceof Error ? error.message : String(error) })
    }
    return
  }
  // What cannot be stored is taken out here, as the papers are handed over, not there.
  let at = 0
  parentPort!.on('message', (message: ToReaderMessage) => {
    if (typeof message !== 'object' || message.kind !== 'take') return
    const batch = papers.slice(at, at + Math.max(1, message.count))
    for (let i = at; i < at + batch.length; i += 1) papers[i] = undefined as unknown as ParsedPaper
    at += batch.length
    post({ kind: 'papers', papers: batch.map((paper) => withoutUnstorable(paper)) })
  })
}

// The text comes in pieces (see readOffThread.ts), joined here once the last has come.
const pieces: string[] = []
const receive = (message: ToReaderMessage): void => {
  if (message.kind === 'piece') {
    pieces.push(message.text)
    return
  }
  if (message.kind !== 'text-end') return
  parentPort!.off('message', receive)
  const text = pieces.join('')
  pieces.length = 0
  read(text)
}
parentPort!.on('message', receive)
