// Export, then import: random papers come back as they went out. The citation formats carry
// the cited fields (title, authors, DOI, and what else each holds without loss); Lectern JSON
// carries everything, the user's state included.
//
// What the generators leave out is what the formats cannot carry, each said where it is.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { STATUSES } from '../../../shared/domain'
import type { Paper } from '../../../shared/domain'
import { exportPapers } from '../../../shared/exporters'
import type { ExportFormat } from '../../../shared/exporters'
import { parseDump } from '../../../shared/importers'
import type { FormatId } from '../../../shared/importers'
import { normaliseDoi } from '../../../shared/importers/fields'
import { NOW } from '../../helpers/importers'
import { EXPORT_CONTEXT, makePaper, parsedFromPaper } from '../../helpers/papers'

const RUNS = 300

// Text as papers hold it: the importers give titles, names and keywords on one line, single
// spaced, with no control characters, and abstracts as paragraphs.

const TEX = [...'&%$#_{}~^\\<>"\'`-,;:.!?()[]*=+|/@']
const LETTERS = [...'abcXYZéüßŁøñçÅαβΩ漢字', 'e\u0301', '😀', '𝔄']

const char = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...LETTERS) },
  { weight: 3, arbitrary: fc.constantFrom(...TEX) },
  { weight: 1, arbitrary: fc.constant(' ') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
)

/** Characters no text of a paper holds: control, surrogate, private-use and unassigned ones. */
const UNHELD = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}\u2028\u2029]/u

const line = fc
  .array(char, { minLength: 1, maxLength: 40 })
  .map((chars) => chars.join('').replace(/\s+/g, ' ').trim())
  .filter((text) => text !== '' && !UNHELD.test(text))

const abstract = fc.array(line, { maxLength: 3 }).map((paragraphs) => paragraphs.join('\n\n'))

const doi = fc
  .tuple(fc.integer({ min: 1000, max: 999_999 }), fc.stringMatching(/^[a-z0-9._;()/:<>-]{1,24}$/))
  .map(([prefix, suffix]) => `10.${prefix}/${suffix}`)
  .filter((d) => normaliseDoi(d) === d)

const arxivId = fc
  .tuple(
    fc.integer({ min: 7, max: 29 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 29999 }),
  )
  .map(
    ([y, m, n]) =>
      `${String(y).padStart(2, '0')}${String(m).padStart(2, '0')}.${String(n).padStart(5, '0')}`,
  )

/** Links as importers keep them (no trailing punctuation, no quotes). */
const url = fc.stringMatching(
  /^https:\/\/[a-z]{1,10}\.(?:org|com)(?:\/[a-z0-9_~-]{1,8}){0,3}(?:\?[a-z]=[a-z0-9%]{1,6})?$/,
)

/** Cells a spreadsheet would run as formulas get an apostrophe (see csv.ts): left out for CSV. */
const FORMULA = /^[=+\-@]/

interface Carried {
  /** Extra rule on text (title, names, venue, keywords, abstract paragraphs). */
  text?: (text: string) => boolean
  /** Extra rule on names. */
  name?: (name: string) => boolean
  /** Whether keywords come back (and the rule on each). */
  keyword?: (keyword: string) => boolean
  /** Links that come back: all, or the first. */
  urls: 'all' | 'first'
  /** The title as it comes back. */
  title?: (title: string) => string
}

const FORMATS: Record<Exclude<ExportFormat, 'markdown' | 'json'>, Carried> = {
  // The LaTeX reading composes accents (NFC) in words that hold a command: generated text is
  // composed already (the sources Lectern reads give composed text).
  bibtex: {
    text: (t) => t === t.normalize('NFC'),
    keyword: (k) => !k.includes(';'),
    urls: 'first',
  },
  // RIS has one author a line, "Family, Given": a name with a comma or semicolon is read apart.
  ris: { name: (n) => !/[,;]/.test(n), keyword: (k) => !k.includes(';'), urls: 'all' },
  // Authors and keywords share a cell, "; " between them.
  csv: {
    text: (t) => !FORMULA.test(t),
    name: (n) => !/[,;]/.test(n),
    keyword: (k) => !k.includes(';'),
    urls: 'first',
  },
  // CSL's keyword is one comma-separated string: keywords do not come back one by one.
  'csl-json': { urls: 'first' },
}

function papersFor(carried: Carried) {
  const text = line.filter((t) => carried.text?.(t) ?? true)
  const name = text.filter((n) => carried.name?.(n) ?? true)
  const keyword = text.filter((k) => carried.keyword?.(k) ?? true)
  return fc.record({
    title: text,
    authors: fc.array(name, { maxLength: 4 }),
    abstract: abstract.filter((a) => a.split('\n\n').every((p) => carried.text?.(p) ?? true)),
    year: fc.option(fc.integer({ min: 1800, max: 2100 }), { nil: null }),
    doi: fc.option(doi, { nil: null }),
    arxivId: fc.option(arxivId, { nil: null }),
    venue: fc.option(text, { nil: null }),
    keywords: fc.uniqueArray(keyword, { maxLength: 3, selector: (k) => k.toLowerCase() }),
    urls: fc.uniqueArray(url, { maxLength: 2 }),
  })
}

describe.each(Object.entries(FORMATS))('%s round trip', (format, carried) => {
  it('gives back the title, authors, DOI, abstract, year, arXiv id, venue, keywords and links', () => {
    fc.assert(
      fc.property(fc.array(papersFor(carried), { minLength: 1, maxLength: 3 }), (fields) => {
        // Distinct papers: copies of one paper in one file are read as one.
        const papers = fields.map((f, i) =>
          makePaper({ ...f, id: i + 1, title: `${f.title} ${i}`, doi: f.doi && `${f.doi}${i}` }),
        )
        papers.forEach((p, i) => {
          if (p.arxivId) p.arxivId = `${p.arxivId.slice(0, -1)}${i}`
        })
        const text = exportPapers(format as ExportFormat, { ...EXPORT_CONTEXT, papers })
        const read = parseDump(text, NOW, format as FormatId).papers
        expect(read.map((p) => [p.title, p.authors, p.meta?.doi ?? null])).toEqual(
          papers.map((p) => [p.title, p.authors, p.doi]),
        )
        expect(
          read.map((p) => [
            p.abstract,
            p.meta?.year ?? null,
            p.meta?.arxivId ?? null,
            p.meta?.venue ?? null,
          ]),
        ).toEqual(papers.map((p) => [p.abstract, p.year, p.arxivId, p.venue]))
        if (carried.keyword) {
          expect(read.map((p) => p.meta?.keywords ?? [])).toEqual(papers.map((p) => p.keywords))
        }
        expect(read.map((p) => p.meta?.urls ?? [])).toEqual(
          papers.map((p) => (carried.urls === 'all' ? p.urls : p.urls.slice(0, 1))),
        )
      }),
      { numRuns: RUNS },
    )
  })
})

// Lectern JSON: everything, with any text at all where the library keeps text as it was given.

const anyText = fc.string({ unit: 'grapheme', maxLength: 60 })
const timestamp = fc
  .date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString())
const status = fc.constantFrom(...STATUSES)

const fullPaper: fc.Arbitrary<Paper> = fc
  .record({
    id: fc.nat(),
    title: line,
    authors: fc.array(line, { maxLength: 4 }),
    abstract: anyText,
    note: anyText,
    year: fc.option(fc.integer({ min: 1000, max: 9999 }), { nil: null }),
    arxivId: fc.option(arxivId, { nil: null }),
    arxivVersion: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
    doi: fc.option(doi, { nil: null }),
    venue: fc.option(line, { nil: null }),
    keywords: fc.array(line, { maxLength: 3 }),
    urls: fc.array(fc.webUrl({ withQueryParameters: true, withFragments: true }), { maxLength: 3 }),
    status,
    statusChangedAt: fc.option(timestamp, { nil: null }),
    statusHistory: fc.array(fc.record({ status, at: timestamp }), { maxLength: 4 }),
    noteUpdatedAt: fc.option(timestamp, { nil: null }),
    addedAt: timestamp,
    dumpDate: fc.option(
      timestamp.map((t) => t.slice(0, 10)),
      { nil: null },
    ),
    dumpDateText: fc.option(anyText, { nil: null }),
    importId: fc.option(fc.nat(), { nil: null }),
    source: fc.option(anyText, { nil: null }),
    seenIn: fc.array(
      fc.record({ importId: fc.nat(), source: anyText, format: anyText, at: timestamp }),
      { maxLength: 2 },
    ),
  })
  .map((fields) => makePaper(fields))

describe('Lectern JSON round trip', () => {
  it('gives back every paper whole: metadata, status, its history, the note, the dates', () => {
    fc.assert(
      fc.property(fc.array(fullPaper, { minLength: 1, maxLength: 4 }), (papers) => {
        const text = exportPapers('json', { ...EXPORT_CONTEXT, papers })
        // The file holds every field as it was.
        expect(JSON.parse(text).papers).toEqual(papers)
        const read = parseDump(text, NOW).papers
        expect(read.map(({ line: _line, ...paper }) => paper)).toEqual(papers.map(parsedFromPaper))
      }),
      { numRuns: RUNS },
    )
  })
})
