// What a command of the command line is: its name, its arguments and options, whether it reads
// or changes the library, and its run. Commands reach the library only through the contract's
// dispatcher (`call`), exactly as the window and the browser host do.
import { resolve } from 'node:path'
import type { Method, Request, Responses, ApiError } from '../../shared/api'
import { DumpReadError, MAX_DUMP_BYTES, readBounded } from '../core/dumpFile'
import { json } from './print'

export type Access = 'read' | 'write' | 'none'

export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  /** Repeats the option: `--tag a --tag b`. */
  multiple?: boolean
}

export interface Io {
  out: (text: string) => void
  err: (text: string) => void
  /** Its bytes as they arrive (a stream), or all at once; tests may pass text. */
  readStdin: () => AsyncIterable<Uint8Array> | Uint8Array | string
  /**
   * Standard output is a terminal: an export printed there has its control characters escaped,
   * as all other output has (into a pipe or a file it is the data, exactly).
   */
  terminal?: boolean
  /** Aborted when standard output's reader has gone (`| head`): long-running commands stop. */
  outputClosed?: AbortSignal
  /**
   * A line of progress that the next one replaces (a terminal's standard error); absent when
   * nobody watches (piped, tests), and then nothing is shown. `null` clears it.
   */
  progress?: (line: string | null) => void
}

export interface CommandRun {
  /** Positional arguments after the command's name. */
  args: string[]
  values: Record<string, string | boolean | undefined>
  /** The library file this command works on. */
  library: string
  io: Io
  /** Calls a method of the contract; a refusal is thrown as an ApiFailure. */
  call: <M extends Method>(method: M, request: Request<M>) => Promise<Responses[M]>
}

export interface Command {
  name: string
  /** e.g. `ID [--json]`, shown after the name in the usage. */
  synopsis: string
  summary: string
  options: Record<string, OptionSpec>
  /** How the library is opened for it: read-only (no lock), for writing (locked), or not at all. */
  access: Access | ((args: string[], values: CommandRun['values']) => Access)
  run: (ctx: CommandRun) => Promise<void>
}

/** A mistake in how the command was typed: exit 2, with the usage. */
export class UsageError extends Error {}

/**
 * A file or folder named on the command line, made absolute from here. An empty (or blank) name
 * is refused: it is most often a script's unset variable, and resolved it would be the current
 * folder (a library moved, or backups made, wherever the script happened to run).
 */
export function namedPath(value: string, what: string, kind: 'file' | 'folder'): string {
  if (value.trim() === '') {
    throw new UsageError(
      `${what}: the ${kind} name is empty (an unset variable in a script?); name the ${kind}`,
    )
  }
  return resolve(value)
}

/** Standard output can no longer be written (its reader has gone): the command ends there. */
export class OutputClosed extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException) {
    super(`standard output is closed (${cause.code ?? cause.message})`)
  }
}

/** A method's refusal, carried out of `call`. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
  }
}

export function stringOption(ctx: CommandRun, name: string): string | undefined {
  const value = ctx.values[name]
  return typeof value === 'string' ? value : undefined
}

export function flag(ctx: CommandRun, name: string): boolean {
  return ctx.values[name] === true
}

/** A command-line id as the contract's number; the contract says what is wrong with it. */
export function toId(value: string | undefined): number {
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN
}

/**
 * Standard input, read as a file is: bytes, decoded like a file (or text, from a test), counted
 * as they arrive and refused once past `maxBytes` (nothing more is read).
 */
export async function readStdin(
  io: Io,
  maxBytes = MAX_DUMP_BYTES,
  together = false,
): Promise<Uint8Array | string> {
  const input = io.readStdin()
  if (typeof input === 'string') return input
  try {
    return await readBounded(
      input instanceof Uint8Array ? [input] : input,
      maxBytes,
      'stdin',
      together,
    )
  } catch (error) {
    if (error instanceof DumpReadError) {
      throw new ApiFailure({ code: 'import-failed', message: error.message })
    }
    throw error
  }
}

export function printJson(ctx: CommandRun, value: unknown): void {
  ctx.io.out(json(value, 2))
}
