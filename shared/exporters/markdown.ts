// Reading notes as a Markdown document: for each paper its title, authors, year and venue,
// links, status, the user's note as written (it is Markdown already) and any other version of it
// that sync kept, and the abstract.
//
// Metadata is text, not Markdown: a "*" or "_" in a title must not turn into emphasis, so the
// characters Markdown reads are escaped — except in math ($\alpha$), which is kept as written
// for renderers that show it (GitHub, Obsidian, pandoc).
import { STATUSES, STATUS_LABELS } from '../domain'
import type { Paper } from '../domain'
import { arxivIdOfUrl } from '../importers/csv'
import { splitLinks } from '../links'
import { mathPieces } from './text'

/** Characters that are Markdown anywhere in a line (CommonMark's inline syntax, GFM's "~"). */
const INLINE = /[\\`*_[\]<>~|$]/g

/** Plain text with Markdown's inline characters escaped. */
function escaped(text: string): string {
  return text.replace(INLINE, '\\$&').replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
}

/**
 * Text inside a line: Markdown's inline characters escaped; math kept; web links as autolinks
 * ("<https://…>"), inside which nothing is escaped (a "\_" would become part of the link).
 */
function markdownText(text: string): string {
  return mathPieces(text)
    .map((piece) =>
      piece.math
        ? piece.text
        : splitLinks(piece.text)
            .map((segment) =>
              segment.kind === 'link' ? `<${segment.url}>` : escaped(segment.text),
            )
            .join(''),
    )
    .join('')
}

/** A line of text: also what would start a heading, list, quote or rule when it opens a line. */
function markdownLine(text: string): string {
  const out = markdownText(text)
  const start = /^(?:#|[-+=]|\d+[.)])/.exec(out)
  if (!start) return out
  const at = start[0].length - 1
  return `${out.slice(0, at)}\\${out.slice(at)}`
}

/** A link destination no character of which can end the link early. */
function destination(url: string): string {
  return url.replace(
    /[\s()<>\\]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  )
}

function link(label: string, url: string): string {
  return `[${markdownText(label)}](${destination(url)})`
}

/** "github.com/user/repo" for "https://github.com/user/repo/": a link as people name it. */
function shortUrl(url: string): string {
  return url.replace(/^https?:\/\/(?:www\.)?/i, '').replace(/\/$/, '')
}

function links(paper: Paper): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  const add = (label: string, url: string): void => {
    const key = url
      .replace(/^https?:\/\//i, '')
      .replace(/\/$/, '')
      .toLowerCase()
    if (seen.has(key)) return
    seen.add(key)
    out.push(link(label, url))
  }
  if (paper.arxivId) add(`arXiv:${paper.arxivId}`, `https://arxiv.org/abs/${paper.arxivId}`)
  if (paper.doi) add(`doi:${paper.doi}`, `https://doi.org/${paper.doi}`)
  for (const url of paper.urls) {
    // A version of the abstract page already linked: "arxiv.org/abs/2408.01234v2".
    const arxiv = /arxiv\.org\/abs\//i.test(url) ? arxivIdOfUrl(url) : null
    if (arxiv && arxiv.id === paper.arxivId) continue
    add(shortUrl(url), url)
  }
  return out
}

/** "2026-03-02" of an ISO timestamp. */
const day = (iso: string): string => iso.slice(0, 10)

function statusLine(paper: Paper): string {
  const label = STATUS_LABELS[paper.status]
  const since = paper.statusChangedAt
    ? `since ${day(paper.statusChangedAt)}`
    : `added ${day(paper.addedAt)}`
  return `Status: **${label}**, ${since}`
}

/**
 * The note as written — but a code fence it leaves open would swallow every paper after it,
 * so one is closed.
 */
function noteBlock(note: string): string {
  const body = note.replace(/\r\n?/g, '\n').trimEnd()
  let fence: string | null = null
  for (const line of body.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line)
    if (!m) continue
    if (fence === null) fence = m[1]!
    else if (m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) {
      fence = null
    }
  }
  return fence === null ? body : `${body}\n${fence}`
}

function section(paper: Paper): string {
  // "## Title #": a heading drops a closing run of "#" after a space.
  const title = markdownText(paper.title).replace(/(\s)(#+)$/, '$1\\$2')
  const blocks: string[] = [`## ${title}`]
  const when = [paper.year === null ? '' : String(paper.year), paper.venue ?? '']
    .filter((part) => part !== '')
    .join(' · ')
  // A list, heading or quote can start on any line of a paragraph: each line is escaped as one.
  const byline = [paper.authors.join(', '), when].filter((l) => l !== '').map(markdownLine)
  // Two spaces end a line without ending the paragraph.
  if (byline.length > 0) blocks.push(byline.join('  \n'))
  const found = links(paper)
  if (found.length > 0) blocks.push(found.join(' · '))
  blocks.push(statusLine(paper))
  if (paper.note.trim() !== '') blocks.push(noteBlock(paper.note))
  // Versions of the note written on two computers at once (sync keeps both until one is chosen).
  for (const other of paper.noteConflicts ?? []) {
    const when = `${other.at.slice(0, 10)} ${other.at.slice(11, 16)} UTC`
    blocks.push(
      `*Another version of the note, from device ${markdownText(other.device.slice(0, 8))} · ${when}:*`,
      noteBlock(other.text),
    )
  }
  if (paper.abstract) {
    const quoted = paper.abstract
      .split('\n')
      .map((line) => (line.trim() === '' ? '>' : `> ${markdownLine(line)}`))
    quoted[0] = quoted[0]!.replace(/^> /, '> **Abstract.** ')
    blocks.push(quoted.join('\n'))
  }
  return blocks.join('\n\n')
}

/** "4 papers: 2 read, 1 reading, 1 to read". */
function tally(papers: readonly Paper[]): string {
  const count = papers.length === 1 ? '1 paper' : `${papers.length} papers`
  const byStatus = STATUSES.map((status) => {
    const n = papers.filter((p) => p.status === status).length
    return n > 0 ? `${n} ${STATUS_LABELS[status].toLowerCase()}` : ''
  }).filter((part) => part !== '')
  return byStatus.length > 0 ? `${count}: ${byStatus.join(', ')}` : count
}

export function exportMarkdown(papers: readonly Paper[], exportedAt: string): string {
  const head = `# Reading notes\n\nExported from Lectern on ${day(exportedAt)}. ${tally(papers)}.`
  // A rule between papers: a note may hold headings of its own.
  return `${[head, ...papers.map(section)].join('\n\n---\n\n')}\n`
}
