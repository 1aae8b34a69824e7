// The text of a Hugging Face Daily Papers page (or several pasted one after another): page
// furniture, a date line, then for each paper a title, a blank line and an abstract.
import { parseDumpDate } from '../dates'
import { joinWrapped, splitBlocks, splitLines } from '../text'
import type { Block } from '../text'
import type { ParsedPaper, ParseResult } from './types'
import { Warnings } from './warnings'

/** Lines that are part of the page, not of any paper. Compared case-insensitively. */
const PAGE_FURNITURE = new Set(
  [
    'new',
    'get trending papers in your email inbox!',
    'subscribe',
    'daily papers',
    'byak and the research community',
    'trending papers',
    'previous',
    'next',
    'upvote',
    'search',
    'sign up',
    'log in',
    'submit',
    'submit paper',
    'daily',
    'weekly',
    'monthly',
  ].map((s) => s.toLowerCase()),
)

/** Single-line blocks the page adds around papers: upvote counts, "Submitted by …". */
const FURNITURE_PATTERNS = [
  /^\d+$/,
  /^[·•\-–—|]+$/,
  /^submitted by\b/i,
  /^published on\b/i,
  /^\d+\s+(?:comments?|upvotes?|authors?)$/i,
  /^#\d+ paper of the (?:day|week|month)$/i,
]

/**
 * A title is short and is not a sentence; an abstract is prose. These shapes only settle what
 * the position leaves open: the format alternates title, abstract, title, abstract.
 */
const MAX_TITLE_CHARS = 300
const MAX_TITLE_LINES = 3

function isFurniture(block: Block): boolean {
  if (block.lines.length !== 1) return false
  const text = block.lines[0]!
  return PAGE_FURNITURE.has(text.toLowerCase()) || FURNITURE_PATTERNS.some((p) => p.test(text))
}

/** A paragraph, dated or not, once the page furniture is gone. */
type Item =
  | { kind: 'date'; date: string; text: string }
  | { kind: 'content'; line: number; text: string; lines: number }
type Content = Extract<Item, { kind: 'content' }>

/** Too long to be a title, wherever it stands. */
function isProse(block: Content): boolean {
  return block.text.length > MAX_TITLE_CHARS || block.lines > MAX_TITLE_LINES
}

/** Titles rarely end in a full stop; abstracts, even one-sentence ones, do. */
function endsWithFullStop(text: string): boolean {
  // Only the last two characters, so a megabyte-long line costs nothing here.
  return /[.。]["'”’)\]]?$/.test(text.slice(-2))
}

/** Could be a title: short, on few lines, not ending in a full stop. */
function isTitleShaped(block: Content): boolean {
  return !isProse(block) && !endsWithFullStop(block.text)
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

/** The paragraphs of the dump in order, furniture dropped and date lines marked, in one pass. */
function readItems(text: string, now: Date): Item[] {
  const items: Item[] = []
  for (const block of splitBlocks(splitLines(text))) {
    if (isFurniture(block)) continue
    if (block.lines.length === 1) {
      const date = parseDumpDate(block.lines[0]!, now)
      if (date) {
        items.push({ kind: 'date', date, text: block.lines[0]! })
        continue
      }
    }
    items.push({
      kind: 'content',
      line: block.line,
      text: joinWrapped(block.lines),
      lines: block.lines.length,
    })
  }
  return items
}

/**
 * Classification is by position. At a title's place, any paragraph that is not prose is a title
 * (a long title with a question mark or "vs." in it included). The paragraph after a title is
 * its abstract (a five-word one-sentence abstract included) unless it is title-shaped: then it is
 * the next paper's title and this paper has none, which the user is warned about. A paragraph
 * at a title's place that is prose, or that ends in a full stop and has no abstract after it, is
 * not a title but a stray paragraph (an introduction, a second paragraph of an abstract): it is
 * skipped with a warning naming its line.
 */
export function parseDailyPapers(text: string, now: Date): ParseResult {
  const items = readItems(text, now)
  const papers: ParsedPaper[] = []
  const warnings = new Warnings()
  let skipped = 0
  let dumpDate: string | null = null
  let dumpDateText: string | null = null

  const skip = (block: Content): void => {
    skipped += 1
    warnings.add(
      block.line,
      () => `a paragraph with no title before it was skipped: “${shorten(block.text)}”`,
    )
  }

  let i = 0
  while (i < items.length) {
    const item = items[i]!
    if (item.kind === 'date') {
      dumpDate = item.date
      dumpDateText = item.text
      i += 1
      continue
    }
    // A title's place.
    if (isProse(item)) {
      skip(item)
      i += 1
      continue
    }
    const next = items[i + 1]
    if (next?.kind === 'content' && !isTitleShaped(next)) {
      papers.push({
        title: item.text,
        abstract: next.text,
        // A Daily Papers page shows authors as pictures, not as text.
        authors: [],
        dumpDate,
        dumpDateText,
        line: item.line,
      })
      i += 2
      continue
    }
    // No abstract follows: the next paragraph is a title, a date line or nothing.
    i += 1
    if (endsWithFullStop(item.text)) {
      skip(item)
      continue
    }
    papers.push({
      title: item.text,
      abstract: '',
      authors: [],
      dumpDate,
      dumpDateText,
      line: item.line,
    })
    warnings.add(
      item.line,
      () => `“${shorten(item.text)}” has no abstract; imported with the title only`,
    )
  }
  return { format: 'daily-papers', papers, warnings: warnings.list(), skipped }
}
