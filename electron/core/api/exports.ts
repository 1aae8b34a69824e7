// Exports: the papers of a view, a selection or the whole library, written in a format other
// tools read (BibTeX, RIS, CSV, CSL-JSON), as reading notes (Markdown), or whole (Lectern JSON,
// which imports back into an empty library as it was).
import { DEFAULT_QUERY } from '../../../shared/domain'
import type { ExportFormat, ExportResult } from '../../../shared/domain'
import { EXPORT_EXTENSIONS, exportPapers } from '../../../shared/exporters'
import type { Handlers } from './context'

const MIME_TYPES: Record<ExportFormat, string> = {
  bibtex: 'application/x-bibtex',
  ris: 'application/x-research-info-systems',
  csv: 'text/csv',
  'csl-json': 'application/vnd.citationstyles.csl+json',
  markdown: 'text/markdown',
  json: 'application/json',
}

export const exportHandlers: Handlers<'exportPapers'> = {
  exportPapers: ({ session }, r): ExportResult => {
    const library = session.get()
    const papers = r.ids
      ? [...new Set(r.ids)].map((id) => library.getPaper(id))
      : library.listFullPapers({
          sort: r.sort ?? DEFAULT_QUERY.sort,
          thenBy: r.thenBy,
          status: r.status ?? null,
          importId: r.importId ?? null,
          starred: r.starred,
          tag: r.tag ?? null,
          search: r.search,
          offset: 0,
          limit: -1,
        })
    const exportedAt = new Date().toISOString()
    const text = exportPapers(r.format, {
      papers,
      imports: library.imports(),
      exportedAt,
      libraryId: library.id,
    })
    return {
      format: r.format,
      fileName: `lectern-${exportedAt.slice(0, 10)}.${EXPORT_EXTENSIONS[r.format]}`,
      mimeType: MIME_TYPES[r.format],
      papers: papers.length,
      text,
    }
  },
}
