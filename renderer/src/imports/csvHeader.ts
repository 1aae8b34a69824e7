// The header row of a CSV/TSV text, read in the window: when a preview fails (no title column
// found) the core sends no columns, and the user still needs the names to map them. Only the
// first records are read, and only when the mapping is shown.

const DELIMITERS = [',', ';', '\t'] as const
type Delimiter = (typeof DELIMITERS)[number]

interface Row {
  cells: string[]
  counts: Record<Delimiter, number>
}

/** The next record from `start` (a quoted cell may hold delimiters, quotes as "" and line breaks). */
function readRow(text: string, start: number): { row: Row; end: number } {
  const counts = { ',': 0, ';': 0, '\t': 0 }
  // Cells are cut at every candidate delimiter and joined again once the delimiter is known.
  const pieces: { text: string; after: Delimiter | null }[] = []
  let cell = ''
  let quoted = false
  let i = start
  for (; i < text.length; i += 1) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i += 1
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',' || c === ';' || c === '\t') {
      counts[c] += 1
      pieces.push({ text: cell, after: c })
      cell = ''
    } else if (c === '\n' || c === '\r') break
    else cell += c
  }
  pieces.push({ text: cell, after: null })
  let delimiter: Delimiter = ','
  for (const d of DELIMITERS) if (counts[d] > counts[delimiter]) delimiter = d
  const cells: string[] = []
  let current = ''
  for (const piece of pieces) {
    current += piece.text
    if (piece.after === delimiter || piece.after === null) {
      cells.push(current.trim())
      current = ''
    } else current += piece.after
  }
  let end = i
  if (text[end] === '\r') end += 1
  if (text[end] === '\n') end += 1
  return { row: { cells, counts }, end }
}

function firstRows(head: string, max: number): Row[] {
  const text = head.replace(/^\uFEFF/, '')
  let start = 0
  while (start < text.length && /\s/.test(text[start]!)) start += 1
  const rows: Row[] = []
  while (start < text.length && rows.length < max) {
    const { row, end } = readRow(text, start)
    rows.push(row)
    if (end === start) break
    start = end
  }
  return rows
}

/** The names in the header row, as written (empty ones, such as a trailing tab's, left out). */
export function csvHeaderCells(head: string): string[] {
  return (firstRows(head, 1)[0]?.cells ?? []).filter((c) => c !== '')
}

/**
 * Whether the text reads as a table (a header row and a row as wide), for offering the column
 * mapping when the format was not recognised: a CSV whose header names no title column is
 * otherwise taken for page text.
 */
export function looksLikeCsv(head: string): boolean {
  const [header, row] = firstRows(head, 2)
  if (!header || !row || header.cells.length < 2) return false
  return row.cells.length === header.cells.length && row.cells.some((c) => c !== '')
}
