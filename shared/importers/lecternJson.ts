// Lectern's own JSON export (shared/exporters/lecternJson.ts) read back: every paper with its
// metadata, and the user's state — status, its history, the note, when the paper was added —
// carried along for the library to give papers that are new to it (never to papers it has).
//
// The file is a backup, so it is read whole or not at all: a paper that does not fit the schema
// refuses the file, naming the paper (its place in the list, its title, its line) and the field.
// The import history it holds (`imports`, each paper's `seenIn`) is checked but not restored:
// reading the file is one new import of the library it goes into.
import { z } from 'zod'
import { MAX_TAG_CHARS } from '../search'
import { MAX_NOTE_CHARS } from '../api'
import { STATUSES } from '../domain'
import { arxivIdOf, compactMeta, doiOf, oneLine } from './csv'
import { jsonStart, LineCounter, scanJson } from './hfJson'
import { ImportError } from './types'
import type { Importer, ParsedPaper, ParseResult } from './types'

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/

const timestamp = z.string().refine((s) => ISO_TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s)), {
  error: 'expected an ISO timestamp such as 2026-11-30T12:00:00.000Z',
})
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date such as 2026-11-30' })
const status = z.enum(STATUSES, { error: `expected one of ${STATUSES.join(', ')}` })
const count = z.number().int().min(0)

/**
 * A paper as the export writes it. What the import reads is required; the library's own
 * bookkeeping (id, importId, source, seenIn, hasNote) is checked when present, so that a file
 * made by a script need not invent it. Members a later Lectern adds are ignored.
 */
const paperSchema = z.object({
  id: z.number().int().optional(),
  title: z.string().refine((t) => t.trim() !== '', { error: 'is empty' }),
  authors: z.array(z.string()),
  abstract: z.string(),
  year: z.number().int().min(1).max(9999).nullable(),
  venue: z.string().nullable(),
  arxivId: z
    .string()
    .refine((id) => arxivIdOf(id) !== null, { error: 'is not an arXiv identifier' })
    .nullable(),
  arxivVersion: z.number().int().min(1).nullable(),
  doi: z
    .string()
    .refine((doi) => doiOf(doi) !== null, { error: 'is not a DOI' })
    .nullable(),
  keywords: z.array(z.string()),
  urls: z.array(z.string()),
  status,
  statusChangedAt: timestamp.nullable(),
  statusHistory: z.array(z.object({ status, at: timestamp })),
  note: z.string().max(MAX_NOTE_CHARS, { error: `is longer than ${MAX_NOTE_CHARS} characters` }),
  noteUpdatedAt: timestamp.nullable(),
  hasNote: z.boolean().optional(),
  starred: z.boolean().optional(),
  tags: z.array(z.string().max(MAX_TAG_CHARS, { error: 'is longer than a tag may be' })).optional(),
  addedAt: timestamp,
  dumpDate: isoDate.nullable(),
  dumpDateText: z.string().nullable(),
  importId: z.number().int().nullable().optional(),
  source: z.string().nullable().optional(),
  seenIn: z
    .array(
      z.object({
        importId: z.number().int(),
        source: z.string(),
        format: z.string(),
        at: timestamp,
      }),
    )
    .optional(),
})

const importSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  format: z.string(),
  importedAt: timestamp,
  added: count,
  duplicates: count,
  updated: count,
  skipped: count,
  warnings: count,
})

const rootSchema = z.object({
  lectern: z.literal('library-export'),
  version: z.literal(1),
  exportedAt: timestamp,
  libraryId: z.string(),
  papers: z.array(z.unknown()),
  imports: z.array(z.unknown()),
})

type PaperRecord = z.infer<typeof paperSchema>

/** "statusHistory[0].at" */
function pathOf(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`
  }
  return out
}

/** Zod's message, worded for people. */
function problemOf(error: z.ZodError): string {
  const issue = error.issues[0]!
  const missing = /^Invalid input: expected (.+), received undefined$/.exec(issue.message)
  const message = missing
    ? `is missing (expected ${missing[1]})`
    : issue.message.replace(/^Invalid (?:input|option): /, '')
  const where = pathOf(issue.path)
  return where ? `${where}: ${message}` : message
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

function toParsed(record: PaperRecord, line: number): ParsedPaper {
  const arxiv = record.arxivId === null ? null : arxivIdOf(record.arxivId)
  const paper: ParsedPaper = {
    title: oneLine(record.title),
    abstract: record.abstract,
    authors: record.authors.map(oneLine).filter((a) => a !== ''),
    dumpDate: record.dumpDate,
    dumpDateText: record.dumpDateText,
    line,
    carried: {
      status: record.status,
      note: record.note,
      noteUpdatedAt: record.noteUpdatedAt,
      statusChangedAt: record.statusChangedAt,
      addedAt: record.addedAt,
      statusHistory: record.statusHistory.map(({ status, at }) => ({ status, at })),
      // Only what there is: a paper without either reads as it did before stars and tags.
      ...(record.starred ? { starred: true } : {}),
      ...(record.tags?.length ? { tags: record.tags } : {}),
    },
  }
  const meta = compactMeta({
    year: record.year ?? undefined,
    arxivId: arxiv?.id,
    arxivVersion: record.arxivVersion ?? arxiv?.version ?? undefined,
    doi: (record.doi !== null && doiOf(record.doi)) || undefined,
    venue: record.venue === null ? undefined : oneLine(record.venue),
    keywords: record.keywords.map(oneLine).filter((k) => k !== ''),
    urls: record.urls.filter((u) => u.trim() !== ''),
  })
  if (meta) paper.meta = meta
  return paper
}

export function parseLecternJson(text: string): ParseResult {
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const lines = new LineCounter(text, from)
  const scan = scanJson(text, from)
  if (!scan.ok) {
    const at = lines.at(scan.offset)
    throw new ImportError(`not valid JSON at column ${at.column}: ${scan.message}`, at.line)
  }
  const [root, extra] = scan.roots
  if (!root) throw new ImportError('the file is empty')
  if (extra) {
    throw new ImportError(
      'a Lectern export is one JSON object, but another value follows it',
      lines.at(extra.start).line,
    )
  }
  const rootLine = lines.at(root.start).line
  let value: unknown
  try {
    value = JSON.parse(text.slice(root.start, root.end))
  } catch (error) {
    // The scan accepts what JSON.parse does; this guards only against an engine's limits.
    throw new ImportError(
      `this JSON could not be read: ${error instanceof Error ? error.message : String(error)}`,
      rootLine,
    )
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportError('a Lectern export is a JSON object', rootLine)
  }
  const version = (value as Record<string, unknown>).version
  if (typeof version === 'number' && version > 1) {
    throw new ImportError(
      `this Lectern export is version ${version}, made by a newer Lectern; this one reads version 1`,
      rootLine,
    )
  }
  const checked = rootSchema.safeParse(value)
  if (!checked.success) {
    throw new ImportError(`this is not a Lectern export: ${problemOf(checked.error)}`, rootLine)
  }
  const { papers: records, imports } = checked.data
  if (records.length === 0) throw new ImportError('this Lectern export holds no papers', rootLine)

  // Offsets grow along each list, so lines are counted in one pass per list (linear).
  const importStarts = root.memberElements?.get('imports') ?? []
  imports.forEach((record, k) => {
    const result = importSchema.safeParse(record)
    if (!result.success) {
      const line = lines.at(importStarts[k] ?? root.start).line
      throw new ImportError(`import ${k + 1} (imports[${k}]): ${problemOf(result.error)}`, line)
    }
  })
  const paperStarts = root.memberElements?.get('papers') ?? []
  const papers = records.map((record, k) => {
    const line = lines.at(paperStarts[k] ?? root.start).line
    const result = paperSchema.safeParse(record)
    if (!result.success) {
      const title = (record as { title?: unknown } | null)?.title
      const named =
        typeof title === 'string' && title.trim() ? `, “${shorten(oneLine(title))}”` : ''
      throw new ImportError(
        `paper ${k + 1} (papers[${k}]${named}): ${problemOf(result.error)}`,
        line,
      )
    }
    return toParsed(result.data, line)
  })
  return { format: 'lectern-json', papers, warnings: [], skipped: 0 }
}

/**
 * Sure when the text is a JSON object whose first member is `"lectern": "library-export"`, as
 * the export writes it; fairly sure when that member comes later in the first 8 KB (a tool
 * sorted the keys). Any other JSON is not claimed.
 */
export function detectLecternJson(head: string): number {
  const json = jsonStart(head)
  if (json === null || json[0] !== '{') return 0
  if (/^\{\s*"lectern"\s*:\s*"library-export"/.test(json)) return 0.99
  return /[{,]\s*"lectern"\s*:\s*"library-export"\s*[,}]/.test(json) ? 0.9 : 0
}

export const lecternJsonImporter: Importer = {
  format: 'lectern-json',
  label: 'Lectern JSON export',
  detect: detectLecternJson,
  parse: (text) => parseLecternJson(text),
}
