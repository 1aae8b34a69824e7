// Reading a dump from a path the user named (`lectern import FILE`) or from a watched folder:
// only a regular file, and never more bytes than one import may hold. A character device such as
// /dev/zero never ends, a FIFO blocks the reader until something writes to it, a folder cannot be
// read at all: each is refused by its kind, before it is opened. A file too large is refused by
// its size before a byte of it is read, and standard input, whose size is known only at its end,
// is counted as it arrives and refused as soon as it is past the bound.
import { constants } from 'node:fs'
import type { Stats } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { MAX_DUMP_CHARS } from '../../shared/api'

/**
 * The most bytes one dump is read from. A dump decodes to at most one character per byte, so a
 * file within this bound always fits MAX_DUMP_CHARS; one over it might still (UTF-16, or text in
 * a script of three bytes a character), but reading half a gigabyte to find out is not worth it,
 * and a dump that size is better split anyway.
 */
export const MAX_DUMP_BYTES = MAX_DUMP_CHARS

/** Why a dump was not read; the message names the file (or stdin) and what to do. */
export class DumpReadError extends Error {
  constructor(
    message: string,
    /** not-a-file: a folder, device, FIFO or socket; too-large; unreadable: the system said no. */
    readonly reason: 'not-a-file' | 'too-large' | 'unreadable',
    /** The system's error code, for `unreadable` (ENOENT, EACCES…). */
    readonly code?: string,
  ) {
    super(message)
    this.name = 'DumpReadError'
  }
}

const count = (n: number): string => n.toLocaleString('en')

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder'
  if (info.isCharacterDevice()) return 'a character device'
  if (info.isBlockDevice()) return 'a block device'
  if (info.isFIFO()) return 'a named pipe (FIFO)'
  if (info.isSocket()) return 'a socket'
  return 'not a regular file'
}

function notAFile(name: string, info: Stats): DumpReadError {
  const hint = info.isDirectory() ? 'name the dump files in it' : 'name a dump file'
  return new DumpReadError(`${name}: not a file but ${kindOf(info)}; ${hint}`, 'not-a-file')
}

function tooLarge(name: string, bytes: number, maxBytes: number): DumpReadError {
  return new DumpReadError(
    `${name}: ${count(bytes)} bytes, more than the ${count(maxBytes)} one import may hold; split it into smaller files`,
    'too-large',
  )
}

/** More bytes came than `maxBytes`: said without a size, which is not known. */
export function pastTheBound(name: string, maxBytes: number, together = false): DumpReadError {
  return new DumpReadError(
    `${name}: ${together ? 'together with the files before it, ' : ''}more than the ${count(maxBytes)} bytes one import may hold; split it into smaller files`,
    'too-large',
  )
}

function unreadable(name: string, error: unknown): DumpReadError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
  return new DumpReadError(`${name}: cannot read it (${code})`, 'unreadable', code)
}

export interface DumpReadOptions {
  /** The most bytes to read (MAX_DUMP_BYTES unless less is left for this file). */
  maxBytes?: number
  /** How messages name the file: the path unless given. */
  name?: string
  /** Other files come before it in one import: a message over the bound says "together". */
  together?: boolean
}

/**
 * The size of the regular file at `path`, or a DumpReadError saying why it is not one to read
 * (its kind, its size over the bound, or the system's refusal). Opens nothing.
 */
export async function dumpFileSize(path: string, options: DumpReadOptions = {}): Promise<number> {
  const { maxBytes = MAX_DUMP_BYTES, name = path } = options
  let info: Stats
  try {
    info = await stat(path)
  } catch (error) {
    throw unreadable(name, error)
  }
  return checked(info, options, name, maxBytes)
}

function checked(info: Stats, options: DumpReadOptions, name: string, maxBytes: number): number {
  if (!info.isFile()) throw notAFile(name, info)
  if (info.size > maxBytes) {
    throw options.together
      ? pastTheBound(name, maxBytes, true)
      : tooLarge(name, info.size, maxBytes)
  }
  return info.size
}

/** The bytes of the regular file at `path`, within the bound; anything else is a DumpReadError. */
export async function readDumpFile(
  path: string,
  options: DumpReadOptions = {},
): Promise<Uint8Array> {
  const { maxBytes = MAX_DUMP_BYTES, name = path } = options
  await dumpFileSize(path, options)
  // Non-blocking, and checked again once open: a FIFO put in the file's place since the stat
  // must not leave the open waiting for a writer. (Windows has no such flag, nor FIFOs.)
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw unreadable(name, error)
  }
  try {
    const size = checked(await handle.stat(), options, name, maxBytes)
    return await readWhole(handle, size, maxBytes, name, options.together ?? false)
  } catch (error) {
    throw error instanceof DumpReadError ? error : unreadable(name, error)
  } finally {
    await handle.close()
  }
}

/**
 * Reads an open file to its end: into one buffer of the size it had, then on in pieces should it
 * have grown since (a dump still being saved), still within the bound.
 */
async function readWhole(
  handle: FileHandle,
  size: number,
  maxBytes: number,
  name: string,
  together: boolean,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(size)
  let filled = 0
  while (filled < size) {
    const { bytesRead } = await handle.read(buffer, filled, size - filled, null)
    if (bytesRead === 0) return buffer.subarray(0, filled)
    filled += bytesRead
  }
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield buffer
    for (;;) {
      const piece = new Uint8Array(64 * 1024)
      const { bytesRead } = await handle.read(piece, 0, piece.length, null)
      if (bytesRead === 0) return
      yield piece.subarray(0, bytesRead)
    }
  }
  return readBounded(rest(), maxBytes, name, together)
}

/**
 * Every byte from `chunks` (standard input, say), refused with a DumpReadError naming `name` as
 * soon as they are more than `maxBytes`: nothing past that is read, so input without an end
 * (`< /dev/zero`) costs at most the bound.
 */
export async function readBounded(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  maxBytes: number,
  name: string,
  together = false,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let total = 0
  for await (const chunk of chunks) {
    total += chunk.length
    // Returning from the loop closes the source (a stream is destroyed, a generator ended).
    if (total > maxBytes) throw pastTheBound(name, maxBytes, together)
    parts.push(chunk)
  }
  if (parts.length === 1) return parts[0]!
  const whole = new Uint8Array(total)
  let at = 0
  for (const part of parts) {
    whole.set(part, at)
    at += part.length
  }
  return whole
}
