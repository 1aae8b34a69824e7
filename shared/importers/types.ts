import type { ImportWarning, Status } from '../domain'

/** A paper as a dump describes it, before it meets the library. */
export interface ParsedPaper {
  /** As the source has it, one line (hard wraps joined); LaTeX and HTML are cleaned for display only. */
  title: string
  abstract: string
  /** Author names in order ("Ada Lovelace"); empty when the dump does not list them. */
  authors: string[]
  /** ISO date (YYYY-MM-DD) of the dump, listing or digest the paper came in, when it has one. */
  dumpDate: string | null
  /** That date as written. */
  dumpDateText: string | null
  /** 1-based line where the paper's record starts in the dump. */
  line: number
  /** The paper's own metadata, where the source gives it (see fields.ts for the normal forms). */
  meta?: PaperMeta
  /** The user's own state, carried by a Lectern JSON export (applied only to papers new to the library). */
  carried?: {
    status: Status
    note: string
    noteUpdatedAt: string | null
    statusChangedAt: string | null
    addedAt: string
    statusHistory: { status: Status; at: string }[]
    /** Absent in exports made before stars and tags. */
    starred?: boolean
    tags?: string[]
  }
}

export interface PaperMeta {
  /** Year of publication. */
  year?: number
  /** arXiv identifier without version: "2408.01234" or "hep-th/9901001". */
  arxivId?: string
  /** The version the source named ("v2" → 2). */
  arxivVersion?: number
  /** DOI, lower-case, without "https://doi.org/" or "doi:". */
  doi?: string
  /** Journal, conference or other venue. */
  venue?: string
  keywords?: string[]
  /** Links the source gives for the paper (abstract page, PDF, code…), without trailing punctuation. */
  urls?: string[]
}

/** The formats Lectern reads; the id is what `--format` takes. */
export const FORMATS = [
  'daily-papers',
  'hf-json',
  'csl-json',
  'arxiv-digest',
  'arxiv-listing',
  'arxiv-atom',
  'bibtex',
  'ris',
  'csv',
  'lectern-json',
] as const
export type FormatId = (typeof FORMATS)[number]

/** A reader of one format. */
export interface Importer {
  format: FormatId
  /** For people: "BibTeX", "arXiv e-mail digest". */
  label: string
  /**
   * How sure it is that `head` (the text's first 8 KB, byte-order mark and leading blank lines
   * removed) is in its format: 0 not at all … 1 certain. Must be fast and linear.
   */
  detect: (head: string) => number
  /**
   * Reads the whole text. Throws only ImportError (with the line of the problem where there is
   * one); records it could not read are counted in `skipped` with a warning naming their line.
   * Linear in the size of the text (a fuzz test checks).
   */
  parse: (text: string, now: Date) => ParseResult
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

/** The fields a CSV/TSV column can be read into; 'ignore' reads nothing from it. */
export const CSV_FIELDS = [
  'title',
  'abstract',
  'authors',
  'year',
  'doi',
  'url',
  'arxiv',
  'venue',
  'keywords',
  'ignore',
] as const
export type CsvField = (typeof CSV_FIELDS)[number]
