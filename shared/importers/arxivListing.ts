// The text of an arXiv listing page as a browser copies it (select all, copy): /list/<cat>/new,
// /recent or /pastweek, in the 2024 design or the one before. Section headings ("New
// submissions (showing 57 of 57 entries)", "Cross-lists for Tue, 20 Aug 24") or date headings
// ("Fri, 23 Aug 2024 (showing 50 of 118 entries)"), then per paper an entry line
// "[1] arXiv:2408.01234 [pdf, html, other]", the title (with or without its "Title:" label), the
// authors (one line, or one a line), labelled fields (Comments, Journal-ref, DOI, Subjects…) and,
// on /new only, the abstract.
import { splitLines } from '../text'
import {
  absUrl,
  arxivLine,
  doiOf,
  fieldOf,
  mergeDuplicates,
  noAbstract,
  oneLine,
  readDate,
  splitAuthors,
  warningsInOrder,
} from './arxivDigest'
import type { PendingWarning } from './arxivDigest'
import { ImportError } from './types'
import type { Importer, PaperMeta, ParsedPaper, ParseResult } from './types'

/** Labelled fields of a listing entry, lower-case. */
const LISTING_FIELDS = new Set([
  'title',
  'authors',
  'author',
  'comments',
  'journal-ref',
  'journal reference',
  'doi',
  'report-number',
  'report number',
  'report-no',
  'msc-class',
  'msc classes',
  'acm-class',
  'acm classes',
  'subjects',
  'subject',
])

/** Lines of the page around the entries; the first one after an entry ends it. */
const PAGE_FURNITURE = new Set(
  [
    'about',
    'help',
    'contact',
    'subscribe',
    'copyright',
    'privacy policy',
    'web accessibility assistance',
    'arxiv operational status',
    'get status notifications via email or slack',
    'contact arxivclick here to contact arxiv contact',
    'subscribe to arxiv mailingsclick here to subscribe subscribe',
    'see recent articles',
    "see today's new changes",
    'new submissions',
    'cross-lists',
    'replacements',
    'disable mathjax (what is mathjax?)',
    'enable mathjax',
  ].map((s) => s.toLowerCase()),
)

function isPageFurniture(text: string): boolean {
  const lower = text.toLowerCase()
  return (
    PAGE_FURNITURE.has(lower) ||
    /^\[? ?(?:total of \d+ entries|showing (?:up to |first )?\d+ entries)/.test(lower) ||
    lower.startsWith('links to:') ||
    lower.startsWith('disable mathjax')
  )
}

type Section = 'new' | 'cross' | 'replacement'

const SECTIONS: [string, Section][] = [
  ['new submissions', 'new'],
  ['cross submissions', 'cross'],
  ['cross-lists', 'cross'],
  ['cross-listings', 'cross'],
  ['replacement submissions', 'replacement'],
  ['replacements', 'replacement'],
]

type Heading =
  | { kind: 'section'; section: Section; date: { iso: string; text: string } | null }
  | { kind: 'date'; date: { iso: string; text: string } }

/**
 * "New submissions (showing 57 of 57 entries)", "Replacements for Tue, 20 Aug 24", "Fri, 23 Aug
 * 2024 (showing 50 of 118 entries )", "Showing new listings for Tuesday, 20 August 2024".
 */
function headingOf(text: string): Heading | null {
  if (text.length > 120) return null
  const lower = text.toLowerCase()
  if (lower.startsWith('showing new listings for ')) {
    const date = readDate(text.slice(25))
    return date ? { kind: 'date', date } : null
  }
  for (const [words, section] of SECTIONS) {
    if (!lower.startsWith(words)) continue
    const rest = lower.slice(words.length).trim()
    // A bare "New submissions" is the page's table of contents, not a heading.
    if (rest.startsWith('(showing')) return { kind: 'section', section, date: null }
    if (rest.startsWith('for ')) {
      const date = readDate(text.slice(text.length - rest.length + 4))
      if (date) return { kind: 'section', section, date }
    }
    return null
  }
  const showing = lower.indexOf('(showing')
  if (showing > 0) {
    const date = readDate(text.slice(0, showing))
    if (date) return { kind: 'date', date }
  }
  return null
}

type Start = { id: NonNullable<ReturnType<typeof arxivLine>>; replaced: boolean }

/**
 * "[1] arXiv:2408.01234 [pdf, html, other]", "arXiv:2408.01234 (cross-list from cs.LG) [pdf]",
 * "[88]  arXiv:2307.12345 (replaced) [pdf, other]": what follows the id is only brackets, so
 * that an abstract line starting with an arXiv id is not taken for an entry.
 */
function entryStart(text: string): Start | null {
  const number = /^\[\d{1,6}\]\s*/.exec(text)
  const id = arxivLine(number ? text.slice(number[0].length) : text)
  if (!id) return null
  if (id.rest !== '' && !id.rest.startsWith('(') && !id.rest.startsWith('[')) return null
  return { id, replaced: id.rest.toLowerCase().includes('(replaced') }
}

const ENTRY_LINE_TAIL = /^(?:\([^()]{0,40}\)\s*)?(?:\[[^[\]]{0,60}\])?$/

interface ListingEntry {
  line: number
  id: { id: string; version: number | null }
  replacement: boolean
  stage: 'title' | 'authors' | 'fields' | 'abstract'
  /** A label whose value is on the next line ("Title:" alone, as some copies give it). */
  pending: string | null
  title: string
  authors: string[]
  fields: Map<string, string>
  /** Abstract lines; '' for a blank line. */
  abstract: string[]
  dumpDate: string | null
  dumpDateText: string | null
}

/** Adds one non-blank line to the entry, by where the entry has got to. */
function feed(entry: ListingEntry, text: string): void {
  if (entry.stage === 'abstract') {
    entry.abstract.push(text)
    return
  }
  const field = fieldOf(text, LISTING_FIELDS)
  if (entry.pending && !field) {
    if (entry.pending === 'title') {
      entry.title = text
      entry.stage = 'authors'
    } else {
      entry.fields.set(entry.pending, text)
    }
    entry.pending = null
    return
  }
  entry.pending = null
  if (field) {
    if (field.name === 'title') {
      entry.title = field.value
      if (!field.value) entry.pending = 'title'
      entry.stage = 'authors'
    } else if (field.name === 'authors' || field.name === 'author') {
      if (field.value) entry.authors.push(field.value)
      entry.stage = 'authors'
    } else {
      if (!entry.fields.has(field.name)) entry.fields.set(field.name, field.value)
      if (!field.value) entry.pending = field.name
      entry.stage = 'fields'
    }
    return
  }
  if (entry.stage === 'title') {
    // The rest of the entry line, when the copy broke it: "[pdf, html, other]", "(replaced)".
    if (ENTRY_LINE_TAIL.test(text)) {
      if (text.includes('(replaced')) entry.replacement = true
      return
    }
    entry.title = text
    entry.stage = 'authors'
  } else if (entry.stage === 'authors') {
    entry.authors.push(text)
  } else {
    entry.stage = 'abstract'
    entry.abstract.push(text)
  }
}

/**
 * A browser copies the abstract as one line (a listing never hard-wraps), so each line is a
 * paragraph; blank lines between them are only the browser's.
 */
function abstractOf(lines: string[]): string {
  return lines
    .filter((l) => l !== '')
    .map((l) => oneLine([l]))
    .join('\n\n')
}

/**
 * Reads the copied text of one listing page or several. Each paper gets the date of the page
 * or section it is listed under: the "Showing new listings for …" / "New submissions for …" line
 * of /new, the date heading of /recent and /pastweek.
 *
 * /recent and /pastweek show no abstracts: when no paper has one, one warning says so instead of
 * one per paper. On /new, a paper without an abstract is warned about by line, except a
 * replacement (a paper announced before), which is counted in one warning. An entry without a
 * title is skipped with a warning. The page's header, navigation and footer are passed over.
 */
export function parseArxivListing(text: string, _now: Date): ParseResult {
  const found: ParsedPaper[] = []
  const replacements = new Set<ParsedPaper>()
  const skips: PendingWarning[] = []
  let entries = 0
  let section: Section = 'new'
  let date: { iso: string; text: string } | null = null
  let entry: ListingEntry | null = null
  /** The line of an entry's "[12]" when the copy put it on a line of its own. */
  let numberLine: number | null = null

  const finish = (e: ListingEntry): void => {
    const title = oneLine([e.title])
    if (!title) {
      skips.push({
        line: e.line,
        message: () => `the entry for arXiv:${e.id.id} has no title; it was skipped`,
      })
      return
    }
    const meta: PaperMeta = { arxivId: e.id.id }
    if (e.id.version !== null) meta.arxivVersion = e.id.version
    const doi = doiOf(e.fields.get('doi') ?? '')
    if (doi) meta.doi = doi
    const venue = oneLine([e.fields.get('journal-ref') ?? e.fields.get('journal reference') ?? ''])
    if (venue) meta.venue = venue
    meta.urls = [absUrl(e.id.id)]
    const paper: ParsedPaper = {
      title,
      abstract: abstractOf(e.abstract),
      authors: splitAuthors(e.authors.join(', ')),
      dumpDate: e.dumpDate,
      dumpDateText: e.dumpDateText,
      line: e.line,
      meta,
    }
    found.push(paper)
    if (e.replacement) replacements.add(paper)
  }

  const lines = splitLines(text)
  for (const line of lines) {
    const t = line.text.trim()
    if (t === '') {
      if (entry?.stage === 'abstract') entry.abstract.push('')
      continue
    }
    if (/^\[\d{1,6}\]$/.test(t)) {
      numberLine = line.number
      continue
    }
    const start = entryStart(t)
    if (start) {
      if (entry) finish(entry)
      entries += 1
      entry = {
        line: numberLine ?? line.number,
        id: start.id.id,
        replacement: start.replaced || section === 'replacement',
        stage: 'title',
        pending: null,
        title: '',
        authors: [],
        fields: new Map(),
        abstract: [],
        dumpDate: date?.iso ?? null,
        dumpDateText: date?.text ?? null,
      }
      numberLine = null
      continue
    }
    numberLine = null
    const heading = headingOf(t)
    if (heading) {
      if (entry) finish(entry)
      entry = null
      if (heading.kind === 'section') section = heading.section
      if (heading.date) date = heading.date
      continue
    }
    if (isPageFurniture(t)) {
      if (entry) finish(entry)
      entry = null
      continue
    }
    if (entry) feed(entry, t)
  }
  if (entry) finish(entry)

  if (entries === 0) {
    const first = lines.find((l) => l.text.trim() !== '')
    throw new ImportError(
      'this is not the text of an arXiv listing page: no entries were found (lines such as “[1] arXiv:2408.01234 [pdf, other]”)',
      first?.number ?? null,
    )
  }

  const papers = mergeDuplicates(found)
  const pending = [...skips]
  const bare = papers.filter((p) => !p.abstract)
  if (bare.length > 0 && bare.length === papers.length) {
    const n = bare.length
    pending.push({
      line: bare[0]!.line,
      message: () =>
        `this listing shows no abstracts (the /recent and /pastweek pages list titles only): ${n} paper${n === 1 ? '' : 's'} imported without one`,
    })
  } else {
    const bareReplacements = bare.filter((p) => replacements.has(p))
    for (const paper of bare) if (!replacements.has(paper)) pending.push(noAbstract(paper))
    const n = bareReplacements.length
    if (n > 0) {
      pending.push({
        line: bareReplacements[0]!.line,
        message: () =>
          `${n} replacement${n === 1 ? '' : 's'} imported without abstract: a replacement is a paper announced before and listed again when revised`,
      })
    }
  }
  return {
    format: 'arxiv-listing',
    papers,
    warnings: warningsInOrder(pending),
    skipped: skips.length,
  }
}

/**
 * Unmistakable: entry lines "[1] arXiv:2408.01234 [pdf, …]"; the "(showing N of M entries)"
 * headings and "Subjects:" lines help.
 */
export function detectArxivListing(head: string): number {
  let numbered = 0
  let bracketed = 0
  let subjects = 0
  let headings = 0
  for (const raw of head.split(/\r\n?|\n/)) {
    const t = raw.trim()
    const start = entryStart(t)
    if (start) {
      if (/^\[\d/.test(t)) numbered += 1
      else if (start.id.rest.includes('[pdf') || start.id.rest.includes('(cross-list from'))
        bracketed += 1
      continue
    }
    if (t.startsWith('Subjects:') && /\([a-z-]+(?:\.[A-Za-z-]+)?\)/.test(t.slice(0, 300)))
      subjects += 1
    else if (headingOf(t)) headings += 1
  }
  if (numbered > 0 && (subjects > 0 || headings > 0)) return 0.97
  if (numbered + bracketed > 0 && subjects > 0) return 0.95
  if (numbered > 0) return 0.9
  if (bracketed > 0) return 0.8
  if (headings > 0 && subjects > 0) return 0.85
  if (subjects > 0) return 0.4
  return 0
}

export const arxivListingImporter: Importer = {
  format: 'arxiv-listing',
  label: 'arXiv listing page',
  detect: detectArxivListing,
  parse: parseArxivListing,
}
