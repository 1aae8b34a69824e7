// How the command line words the contract's values as text (`--json` prints them as they are).
import { STATUSES, STATUS_LABELS, sizeWarning } from '../../shared/domain'
import type {
  ImportPreview,
  ImportSummary,
  LibraryStats,
  Paper,
  PaperRow,
} from '../../shared/domain'
import { placeIn } from '../../shared/importers'

export function importLines(s: ImportSummary): string[] {
  const lines = [
    `${s.source}: ${s.added} added, ${s.duplicates} already in the library${s.updated ? ` (${s.updated} given missing details)` : ''}, ${s.skipped} skipped`,
  ]
  for (const w of s.warnings) lines.push(`  ${placeIn(s.source, w.line)}: ${w.message}`)
  return lines
}

const MATCH_WORDS = { arxivId: 'same arXiv id', doi: 'same DOI', title: 'same title' }

/** A dry run: the counts the import would report, then each paper and what would become of it. */
export function previewLines(preview: ImportPreview): string[] {
  const s = preview.summary
  const lines = [
    `${s.source} (${s.format}): would add ${s.added}, find ${s.duplicates} already in the library${s.updated ? ` (${s.updated} given missing details)` : ''}, skip ${s.skipped}`,
  ]
  for (const p of preview.papers) {
    const what =
      p.outcome === 'new'
        ? 'new'
        : `${p.outcome === 'update' ? 'update' : 'known'} #${p.paperId} (${MATCH_WORDS[p.matchedBy!]})`
    lines.push(`  ${placeIn(s.source, p.line)}: ${what} — ${p.title}`)
  }
  for (const w of s.warnings) lines.push(`  ${placeIn(s.source, w.line)}: ${w.message}`)
  return lines
}

export function rowLine(p: PaperRow): string {
  const star = p.starred ? '★ ' : ''
  const tags = p.tags.length > 0 ? `  [${p.tags.join(', ')}]` : ''
  return `${String(p.id).padStart(6)}  ${STATUS_LABELS[p.status].padEnd(8)}  ${p.dumpDate ?? '          '}  ${star}${p.title}${tags}`
}

export function authorsText(authors: string[]): string {
  return authors.length > 0 ? authors.join(', ') : '—'
}

export function paperText(p: Paper): string {
  const lines = [`${p.title}`, '']
  if (p.authors.length > 0) lines.push(`Authors: ${authorsText(p.authors)}`)
  lines.push(
    `Status: ${STATUS_LABELS[p.status]}    Dump date: ${p.dumpDateText ?? '—'}    Added: ${p.addedAt}`,
  )
  lines.push('', p.abstract || '(no abstract)')
  if (p.note) lines.push('', 'Note:', p.note)
  return lines.join('\n')
}

export function statsLines(s: LibraryStats): string[] {
  return [
    `${s.total} papers in ${s.path}`,
    ...STATUSES.map((st) => `  ${STATUS_LABELS[st].padEnd(8)} ${s.byStatus[st]}`),
    `  with notes ${s.withNotes}; ${s.imports} imports`,
    `  size ${(s.size.bytes / 2 ** 20).toFixed(1)} MB of at most ${(s.size.limitBytes / 2 ** 30).toFixed(1)} GB`,
    ...(sizeWarning(s.size) ? [`warning: ${sizeWarning(s.size)}`] : []),
  ]
}
