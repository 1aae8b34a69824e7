// Names for people of the formats Lectern reads and of the fields a CSV column can feed. A map
// of its own rather than the importers' labels (shared/importers), so that the window does not
// bundle every reader just to name them.
import type { CsvField, FormatId } from '../../../shared/importers/types'

/** Partial: a format added to the core before it is named here shows its id. */
const FORMAT_LABELS: Partial<Record<FormatId, string>> = {
  'daily-papers': 'Daily Papers page text',
  'hf-json': 'Hugging Face JSON',
  'csl-json': 'CSL-JSON',
  'arxiv-digest': 'arXiv e-mail digest',
  'arxiv-listing': 'arXiv listing page',
  'arxiv-atom': 'arXiv API (Atom)',
  bibtex: 'BibTeX / BibLaTeX',
  ris: 'RIS',
  csv: 'CSV / TSV',
  'lectern-json': 'Lectern JSON',
}

export function formatLabel(format: string): string {
  return FORMAT_LABELS[format as FormatId] ?? format
}

export const CSV_FIELD_LABELS: Record<CsvField, string> = {
  title: 'Title',
  abstract: 'Abstract',
  authors: 'Authors',
  year: 'Year',
  doi: 'DOI',
  url: 'Link',
  arxiv: 'arXiv id',
  venue: 'Venue',
  keywords: 'Keywords',
  ignore: 'Not read',
}
