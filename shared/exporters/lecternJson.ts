// The whole library as Lectern has it — every field of every paper (the user's status, its
// history and the note included) and the import history — for a backup that another Lectern
// reads back (the 'lectern-json' importer) and for scripts. Pretty-printed: people diff it.
import type { ImportRecord, Paper } from '../domain'

/** What the file says it is; the importer recognises it by this, the first member. */
export const LECTERN_EXPORT_KIND = 'library-export'
export const LECTERN_EXPORT_VERSION = 1

export interface LecternExport {
  lectern: typeof LECTERN_EXPORT_KIND
  version: typeof LECTERN_EXPORT_VERSION
  exportedAt: string
  libraryId: string
  papers: Paper[]
  imports: ImportRecord[]
}

/**
 * A paper with its fields in the order people read them. Fields added to Paper later come
 * after these, so the export stays lossless without changes here.
 */
const FIELD_ORDER: readonly (keyof Paper)[] = [
  'id',
  'title',
  'authors',
  'abstract',
  'year',
  'venue',
  'arxivId',
  'arxivVersion',
  'doi',
  'keywords',
  'urls',
  'status',
  'statusChangedAt',
  'statusHistory',
  'note',
  'noteUpdatedAt',
  'hasNote',
  'addedAt',
  'dumpDate',
  'dumpDateText',
  'importId',
  'source',
  'seenIn',
]

function paperRecord(paper: Paper): Paper {
  const record: Record<string, unknown> = {}
  for (const field of FIELD_ORDER) record[field] = paper[field]
  for (const [field, value] of Object.entries(paper)) if (!(field in record)) record[field] = value
  return record as unknown as Paper
}

export function exportLecternJson(input: {
  papers: readonly Paper[]
  imports: readonly ImportRecord[]
  exportedAt: string
  libraryId: string
}): string {
  const file: LecternExport = {
    lectern: LECTERN_EXPORT_KIND,
    version: LECTERN_EXPORT_VERSION,
    exportedAt: input.exportedAt,
    libraryId: input.libraryId,
    papers: input.papers.map(paperRecord),
    imports: input.imports.map((record) => ({ ...record })),
  }
  return `${JSON.stringify(file, null, 2)}\n`
}
