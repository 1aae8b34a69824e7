// Exporting papers as text, one module per format. Pure: the hosts save the text (the window
// through a save dialog, the command line to a file or stdout, the browser as a download).
import type { ExportFormat, ImportRecord, Paper } from '../domain'
import { exportBibtex } from './bibtex'
import { exportCslJson } from './cslJson'
import { exportCsv } from './csv'
import { exportLecternJson } from './lecternJson'
import { exportMarkdown } from './markdown'
import { exportRis } from './ris'

export { EXPORT_FORMATS, EXPORT_LABELS } from '../domain'
export type { ExportFormat } from '../domain'

export interface ExportInput {
  /** In the order they are to be written. */
  papers: Paper[]
  /** The import history (the Lectern JSON export carries it). */
  imports: ImportRecord[]
  /** ISO timestamp of the export. */
  exportedAt: string
  libraryId: string
}

/** File name extensions, without the dot. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = {
  bibtex: 'bib',
  ris: 'ris',
  csv: 'csv',
  'csl-json': 'json',
  markdown: 'md',
  json: 'json',
}

export function exportPapers(format: ExportFormat, input: ExportInput): string {
  switch (format) {
    case 'bibtex':
      return exportBibtex(input.papers)
    case 'ris':
      return exportRis(input.papers)
    case 'csv':
      return exportCsv(input.papers)
    case 'csl-json':
      return exportCslJson(input.papers)
    case 'markdown':
      return exportMarkdown(input.papers, input.exportedAt)
    case 'json':
      return exportLecternJson(input)
  }
}
