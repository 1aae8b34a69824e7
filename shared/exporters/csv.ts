// CSV, for spreadsheets and scripts: one header row, one row a paper, RFC 4180 (CRLF, fields
// quoted only when they hold a comma, quote or line break, quotes doubled). No byte-order mark:
// pandas and Python's csv module would keep it as part of the first column's name.
//
// The columns are those Lectern's CSV importer reads (title, authors, year, doi, arxiv, venue,
// keywords, url, abstract), and then the user's own: status, note and when the paper was added.
import Papa from 'papaparse'
import type { Paper } from '../domain'
import { htmlText, splitAuthors, splitKeywords } from '../importers/csv'
import { guardHtml } from './text'

export const CSV_COLUMNS = [
  'title',
  'authors',
  'year',
  'doi',
  'arxiv',
  'venue',
  'keywords',
  'url',
  'abstract',
  'status',
  'note',
  'added',
] as const

const same = (a: string[], b: string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i])

/**
 * The authors cell, "Ada Lovelace; Charles Babbage", as people read names. A name the importer
 * would turn around ("John Smith III" reads as initials first) is written "III, John Smith",
 * which it reads back as written; a lone name that holds "and" or a comma ends in ";" so that it
 * is not split.
 */
function authorsCell(authors: string[]): string {
  const names = authors.map((name) => {
    if (same(splitAuthors(`${name};`), [name])) return name
    const at = name.lastIndexOf(' ')
    const turned = at === -1 ? name : `${name.slice(at + 1)}, ${name.slice(0, at)}`
    return same(splitAuthors(`${turned};`), [name]) ? turned : name
  })
  const cell = names.join('; ')
  return names.length === 1 && !same(splitAuthors(cell), authors) ? `${cell};` : cell
}

/** Keywords, "; " between them; a lone keyword with a comma ends in ";" (else it is split). */
function keywordsCell(keywords: string[]): string {
  const cell = keywords.join('; ')
  return keywords.length === 1 && !same(splitKeywords(cell), keywords) ? `${cell};` : cell
}

/**
 * Guard against formula injection: a spreadsheet runs a cell that starts with "=", "+", "-" or
 * "@" (and, in some, a tab or carriage return) as a formula — "=HYPERLINK(…)" in a title from a
 * scraped page would be a live link. Such cells get a leading apostrophe, which spreadsheets
 * take as "this is text" (OWASP's advice). This changes the value: the importer reads the
 * apostrophe back as part of the text. Ordinary titles, names and abstracts never start with
 * these characters, so they round-trip unchanged; a note that starts with a Markdown list ("- ")
 * gains the apostrophe, and so would a title like "-Divergences".
 */
function defused(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell
}

/** Text the importer cleans of HTML: "&" and "<" as entities when it would read them as markup. */
function text(value: string): string {
  return guardHtml(value, htmlText)
}

function row(paper: Paper): string[] {
  return [
    text(paper.title),
    text(authorsCell(paper.authors)),
    paper.year === null ? '' : String(paper.year),
    paper.doi ?? '',
    paper.arxivId ?? '',
    text(paper.venue ?? ''),
    text(keywordsCell(paper.keywords)),
    // One link: the importer reads a cell as a link only when it is one.
    paper.urls[0] ?? '',
    text(paper.abstract),
    paper.status,
    paper.note,
    paper.addedAt,
  ].map(defused)
}

export function exportCsv(papers: readonly Paper[]): string {
  const rows = [[...CSV_COLUMNS], ...papers.map(row)]
  return `${Papa.unparse(rows, { newline: '\r\n', quotes: false })}\r\n`
}
