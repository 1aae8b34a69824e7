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

/** A title is short and is not a sentence; an abstract is prose. */
const MAX_TITLE_CHARS = 300
const MAX_TITLE_LINES = 3

function isFurniture(block: Block): boolean {
  if (block.lines.length !== 1) return false
  const text = block.lines[0]!
  return PAGE_FURNITURE.has(text.toLowerCase()) || FURNITURE_PATTERNS.some((p) => p.test(text))
}

function looksLikeAbstract(text: string, lines: number): boolean {
  if (text.length > MAX_TITLE_CHARS || lines > MAX_TITLE_LINES) return true
  const words = text.split(/\s+/).length
  // Titles rarely end in a full stop; short abstracts ("We study X.") do.
  if (/[.。]["'”’)\]]?$/.test(text) && words >= 6) return true
  // Two or more sentences.
  return /[a-z0-9)][.!?]\s+[A-Z]/.test(text) && words >= 12
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

export function parseDailyPapers(text: string, now: Date): ParseResult {
  const blocks = splitBlocks(splitLines(text))
  const papers: ParsedPaper[] = []
  const warnings = new Warnings()
  let skipped = 0
  let dumpDate: string | null = null
  let dumpDateText: string | null = null
  let pending: { title: string; line: number } | null = null

  const emit = (abstract: string): void => {
    if (!pending) return
    papers.push({ title: pending.title, abstract, dumpDate, dumpDateText, line: pending.line })
    if (abstract === '') {
      const { title } = pending
      warnings.add(
        pending.line,
        () => `“${shorten(title)}” has no abstract; imported with the title only`,
      )
    }
    pending = null
  }

  for (const block of blocks) {
    if (isFurniture(block)) continue
    if (block.lines.length === 1) {
      const date = parseDumpDate(block.lines[0]!, now)
      if (date) {
        emit('')
        dumpDate = date
        dumpDateText = block.lines[0]!
        continue
      }
    }
    const joined = joinWrapped(block.lines)
    const abstractLike = looksLikeAbstract(joined, block.lines.length)
    if (pending) {
      if (abstractLike) {
        emit(joined)
        continue
      }
      emit('')
    }
    if (abstractLike) {
      skipped += 1
      warnings.add(
        block.line,
        () => `a paragraph with no title before it was skipped: “${shorten(joined)}”`,
      )
      continue
    }
    pending = { title: joined, line: block.line }
  }
  emit('')
  return { format: 'daily-papers', papers, warnings: warnings.list(), skipped }
}
