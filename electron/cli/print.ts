// How the command line words the contract's values as text, and writes them as JSON for --json.
//
// Stored text came from files anyone can write, so it is never printed as it is: a terminal acts
// on control characters (ESC ] 0 retitles the window, ESC [ 2 J clears the screen, ESC ] 52
// writes the clipboard, U+009B is an 8-bit ESC [), and bidi controls make text read otherwise
// than it is ("exe.jpg" shown as "gpj.exe"). They are shown as escapes instead, \x1b or \u202e,
// which can be read and cannot act. A backslash stays as it is: abstracts are full of TeX, and
// telling an escape from a title that spells one out matters less than reading them.
import { STATUSES, STATUS_LABELS, sizeWarning } from '../../shared/domain'
import type {
  ImportPreview,
  ImportSummary,
  LibraryStats,
  Paper,
  PaperRow,
} from '../../shared/domain'
import { placeIn } from '../../shared/importers'

/** C0 (tab and line feed included), DEL, C1, and the bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROLS = /[\0-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g
/** The same but tab and line feed, which lay out a field of several lines. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS_BUT_LAYOUT = /[\0-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g
/** What JSON.stringify leaves as it is (it writes C0 as \u00XX itself). */
const RAW_IN_JSON = /[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g

const hex = (c: string, digits: number): string =>
  c.charCodeAt(0).toString(16).padStart(digits, '0')

function escaped(c: string): string {
  return c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`
}

/** Stored text on a line of its own or within one: every control character shown escaped. */
export function inline(text: string): string {
  return text.replace(CONTROLS, escaped)
}

/** Stored text of several lines (an abstract, a note, a message): its line breaks and tabs kept. */
export function multiline(text: string): string {
  return text.replace(CONTROLS_BUT_LAYOUT, escaped)
}

/**
 * JSON text with what JSON.stringify leaves raw (DEL, C1, bidi controls) written as \u escapes
 * too: the same JSON to a program, and inert on a terminal. Outside strings JSON holds none of
 * them, and inside one such an escape is valid.
 */
export function inertJson(text: string): string {
  return text.replace(RAW_IN_JSON, (c) => `\\u${hex(c, 4)}`)
}

/** A value as `--json` prints it. */
export function json(value: unknown, indent?: number): string {
  return inertJson(JSON.stringify(value, null, indent))
}

export function importLines(s: ImportSummary): string[] {
  const lines = [
    `${inline(s.source)}: ${s.added} added, ${s.duplicates} already in the library${s.updated ? ` (${s.updated} given missing details)` : ''}, ${s.skipped} skipped`,
  ]
  for (const w of s.warnings) {
    lines.push(`  ${placeIn(inline(s.source), w.line)}: ${inline(w.message)}`)
  }
  return lines
}

const MATCH_WORDS = { arxivId: 'same arXiv id', doi: 'same DOI', title: 'same title' }

/** A dry run: the counts the import would report, then each paper and what would become of it. */
export function previewLines(preview: ImportPreview): string[] {
  const s = preview.summary
  const lines = [
    `${inline(s.source)} (${s.format}): would add ${s.added}, find ${s.duplicates} already in the library${s.updated ? ` (${s.updated} given missing details)` : ''}, skip ${s.skipped}`,
  ]
  for (const p of preview.papers) {
    const what =
      p.outcome === 'new'
        ? 'new'
        : `${p.outcome === 'update' ? 'update' : 'known'} #${p.paperId} (${MATCH_WORDS[p.matchedBy!]})`
    lines.push(`  ${placeIn(inline(s.source), p.line)}: ${what} — ${inline(p.title)}`)
  }
  for (const w of s.warnings) {
    lines.push(`  ${placeIn(inline(s.source), w.line)}: ${inline(w.message)}`)
  }
  return lines
}

export function rowLine(p: PaperRow): string {
  const star = p.starred ? '★ ' : ''
  const tags = p.tags.length > 0 ? `  [${inline(p.tags.join(', '))}]` : ''
  return `${String(p.id).padStart(6)}  ${STATUS_LABELS[p.status].padEnd(8)}  ${p.dumpDate ?? '          '}  ${star}${inline(p.title)}${tags}`
}

export function authorsText(authors: string[]): string {
  return authors.length > 0 ? inline(authors.join(', ')) : '—'
}

export function paperText(p: Paper): string {
  const lines = [inline(p.title), '']
  if (p.authors.length > 0) lines.push(`Authors: ${authorsText(p.authors)}`)
  lines.push(
    `Status: ${STATUS_LABELS[p.status]}    Dump date: ${inline(p.dumpDateText ?? '—')}    Added: ${p.addedAt}`,
  )
  lines.push('', multiline(p.abstract) || '(no abstract)')
  if (p.note) lines.push('', 'Note:', multiline(p.note))
  return lines.join('\n')
}

export function statsLines(s: LibraryStats): string[] {
  return [
    `${s.total} papers in ${inline(s.path)}`,
    ...STATUSES.map((st) => `  ${STATUS_LABELS[st].padEnd(8)} ${s.byStatus[st]}`),
    `  with notes ${s.withNotes}; ${s.imports} imports`,
    `  size ${(s.size.bytes / 2 ** 20).toFixed(1)} MB of at most ${(s.size.limitBytes / 2 ** 30).toFixed(1)} GB`,
    ...(sizeWarning(s.size) ? [`warning: ${sizeWarning(s.size)}`] : []),
  ]
}
