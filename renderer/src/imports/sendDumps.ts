// Getting a dump's text to the core: read from the file (decoded as the command line decodes
// it), then sent with the request when it is small, or beforehand in pieces (`uploadText`) when
// it is large — a piece at a time, so that the window can show how far the sending is.
import type { Request } from '../../../shared/api'
import { decodeDump } from '../../../shared/decode'
import { ImportError, describeImportError } from '../../../shared/importers/types'
import type { FormatId } from '../../../shared/importers/types'
import { ApiFailure, call } from '../api/client'

/** What the user gave: a file (picked or dropped), or text (pasted). */
export type ImportSource = { source: string; file: File } | { source: string; text: string }

/** A dump the core can read: its text inline, or the upload that holds it. */
export interface SentDump {
  source: string
  chars: number
  /** The start of the text, kept for reading a CSV header row in the window. */
  head: string
  ref: { text: string } | { upload: string }
}

/**
 * A piece of an upload: well under a message's limit (MAX_IMPORT_CHARS, 64M; not imported, as
 * shared/api.ts would bring its schemas and zod into the window), small enough for the progress
 * of the sending to show, and for the host to take in without keeping the app waiting: the
 * browser host decoded a piece of 8M characters in 150-480 ms, during which every other request
 * waited (`npm run bench:import`).
 */
export const PIECE_CHARS = 2 * 1024 * 1024
/** Texts up to this size go with each request; re-sending them on every preview costs nothing. */
const INLINE_CHARS = 1024 * 1024
/** …as long as all the inline texts together stay this small. */
const INLINE_TOTAL_CHARS = 8 * 1024 * 1024
const HEAD_CHARS = 64 * 1024

/** A file's text, decoded from its bytes; a message naming the file when it cannot be. */
export async function readSource(source: ImportSource): Promise<string> {
  if ('text' in source) return source.text
  const { file } = source
  let bytes: ArrayBuffer
  try {
    bytes = await file.arrayBuffer()
  } catch (error) {
    throw new Error(`${file.name}: cannot read it (${(error as Error).message})`)
  }
  // As bytes, not file.text(): that reads only UTF-8, and Windows saves UTF-16.
  try {
    return decodeDump(new Uint8Array(bytes))
  } catch (error) {
    if (error instanceof ImportError) throw new Error(describeImportError(file.name, error))
    throw error
  }
}

/** Sends `text` in pieces; `onSent` hears how many characters are through. Returns the upload. */
export async function uploadText(
  text: string,
  onSent: (chars: number) => void,
  stopped: () => boolean,
): Promise<string> {
  let upload: string | undefined
  for (let at = 0; at < text.length || upload === undefined; at += PIECE_CHARS) {
    if (stopped()) throw new Error('stopped')
    const piece = text.slice(at, at + PIECE_CHARS)
    const answer = await call(
      'uploadText',
      upload === undefined ? { text: piece } : { upload, text: piece },
    )
    upload = answer.upload
    onSent(Math.min(text.length, at + piece.length))
  }
  return upload
}

/** Decides, dump by dump in order, whether the text goes inline; `inline` is what is used so far. */
export function sendsInline(chars: number, inline: number): boolean {
  return chars <= INLINE_CHARS && inline + chars <= INLINE_TOTAL_CHARS
}

export function headOf(text: string): string {
  return text.slice(0, HEAD_CHARS)
}

/** What the user chose for a dump in the preview. */
export interface DumpChoice {
  format?: string
  /** CSV/TSV: header → field, the columns the user mapped. */
  mapping?: Record<string, string>
}

export type RequestDump = Request<'startImport'>['dumps'][number]

/** A dump as previewImport and startImport take it, with the user's choices. */
export function requestDump(dump: SentDump, choice: DumpChoice, only?: number[]): RequestDump {
  return {
    source: dump.source,
    ...dump.ref,
    ...(choice.format ? { format: choice.format as FormatId } : {}),
    ...(choice.mapping && Object.keys(choice.mapping).length
      ? { mapping: choice.mapping as NonNullable<RequestDump['mapping']> }
      : {}),
    ...(only ? { only } : {}),
  }
}

/** An upload the core no longer holds (it forgets one left idle): sending it again helps. */
export function isLostUpload(error: unknown): boolean {
  return (
    error instanceof ApiFailure && error.error.code === 'not-found' && /upload/i.test(error.message)
  )
}
