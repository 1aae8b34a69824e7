import type { ImportWarning } from '../domain'

/** A paper as a dump describes it, before it meets the library. */
export interface ParsedPaper {
  title: string
  abstract: string
  /** Author names in order; empty when the dump does not list them. */
  authors: string[]
  /** ISO date of the dump section the paper was listed under. */
  dumpDate: string | null
  /** The date line as written. */
  dumpDateText: string | null
  /** Line of the title in the dump. */
  line: number
}

export interface ParseResult {
  format: string
  papers: ParsedPaper[]
  warnings: ImportWarning[]
  /** Blocks that could not be read as part of a paper. */
  skipped: number
}

/** Raised when a dump cannot be read at all; the library is left as it was. */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message)
    this.name = 'ImportError'
  }
}

/** "name, line N": the one way Lectern names a place in a dump, in every message and host. */
export function placeIn(source: string, line: number | null | undefined): string {
  return line ? `${source}, line ${line}` : source
}

/** "name, line N: message", the way the library words a dump it refused. */
export function describeImportError(source: string, error: ImportError): string {
  return `${placeIn(source, error.line)}: ${error.message}`
}
