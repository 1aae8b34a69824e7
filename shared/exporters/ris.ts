// RIS (.ris), as Zotero, EndNote, Mendeley and Lectern's own importer read it: "TY  - JOUR" to
// "ER  - ", one tag a line, CRLF line ends (the RIS specification's and EndNote's), a blank line
// between records.
//
// The arXiv id goes in AN (accession number: an id in a database) as "arXiv:2408.01234", as
// Zotero writes arXiv ids in free-text fields. The user's reading note is not written (N1 is
// imported as a note attached to the item by reference managers, which share libraries);
// the Markdown and Lectern JSON exports carry notes.
import type { Paper } from '../domain'
import { stripHtml } from '../importers/fields'
import { splitName } from './names'
import { guardHtml } from './text'

const CRLF = '\r\n'

/** A line that would read as a tag ("AB  - …") if a value's line started with it. */
const TAG_LIKE = /^[A-Z][A-Z0-9] {2}-(?: |$)/

/** "Family, Given" (RIS's form), "Family, Given, Suffix"; a name with a comma as written. */
function risName(name: string): string {
  const { given, particle, family, suffix } = splitName(name)
  if (name.includes(',') || given === '') return name
  const last = [particle, family].filter((p) => p).join(' ')
  return [last, given, suffix].filter((p) => p).join(', ')
}

/** A line of a value as the RIS importer reads it back: HTML in it is text, not markup. */
function guarded(text: string): string {
  return guardHtml(text, stripHtml)
}

/** A one-line value: a line break in it would end the field. */
function value(text: string): string {
  return guarded(text.replace(/\s+/g, ' ').trim())
}

function record(paper: Paper): string {
  const lines: string[] = []
  const tag = (name: string, text: string): void => {
    lines.push(`${name}  - ${text}`)
  }
  tag('TY', paper.venue ? 'JOUR' : 'GEN')
  tag('TI', value(paper.title))
  for (const author of paper.authors) tag('AU', value(risName(author)))
  if (paper.year !== null) tag('PY', String(paper.year))
  if (paper.venue) tag('T2', value(paper.venue))
  if (paper.abstract) {
    // Lines after the first continue the field; a blank one is a paragraph break. A line that
    // would read as a tag is indented.
    const [first, ...rest] = paper.abstract.split('\n').map(guarded)
    tag('AB', first!)
    for (const line of rest) lines.push(TAG_LIKE.test(line) ? ` ${line}` : line)
  }
  for (const keyword of paper.keywords) tag('KW', value(keyword))
  if (paper.doi) tag('DO', value(paper.doi))
  for (const url of paper.urls) tag('UR', value(url))
  if (paper.arxivId) tag('AN', `arXiv:${paper.arxivId}`)
  tag('ER', '')
  return lines.map((line) => line + CRLF).join('')
}

export function exportRis(papers: readonly Paper[]): string {
  return papers.map(record).join(CRLF)
}
