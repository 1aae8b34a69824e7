// The text of an arXiv listing page copied from a browser: /new in the 2024 design (Chrome),
// /recent (Firefox: blank lines, one author a line, no "Title:" label), /new in the design
// before (BOM, CRLF, "Authors:" labels, replacements without abstracts). Exact papers, warnings
// with lines, refusals with lines, the same values as the e-mail digest gives for the same paper,
// and hostile input that must neither throw anything but ImportError nor take quadratic time.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arxivDigestImporter } from '../../../shared/importers/arxivDigest'
import { arxivListingImporter } from '../../../shared/importers/arxivListing'
import { ImportError } from '../../../shared/importers/types'
import type { ParsedPaper, ParseResult } from '../../../shared/importers/types'
import { MAX_WARNINGS } from '../../../shared/importers/warnings'
import { SAMPLE } from '../../helpers/fixtures'

const NOW = new Date('2026-11-30T12:00:00Z')
const FIXTURES = resolve(__dirname, '../../fixtures/formats')
const fixture = (name: string): string =>
  readFileSync(join(FIXTURES, 'arxiv-listing', name), 'utf8')
const parse = (text: string): ParseResult => arxivListingImporter.parse(text, NOW)

function headOf(text: string): string {
  const start = text.search(/\S/)
  return start === -1 ? '' : text.slice(start, start + 8192)
}

function byId(result: ParseResult, id: string): ParsedPaper {
  const paper = result.papers.find((p) => p.meta?.arxivId === id)
  expect(paper, `paper ${id}`).toBeDefined()
  return paper!
}

describe('/new, 2024 design, copied from Chrome', () => {
  const result = parse(fixture('new-cs-cl-2024-08-20-chrome.txt'))

  it('reads the nine entries of the three sections, with their lines', () => {
    expect(result.format).toBe('arxiv-listing')
    expect(result.papers.map((p) => [p.meta?.arxivId, p.line])).toEqual([
      ['2408.10221', 21],
      ['2408.10234', 27],
      ['2408.10258', 35],
      ['2408.10263', 41],
      ['2408.10297', 49],
      ['2408.09871', 57],
      ['2408.10012', 63],
      ['2403.05530', 69],
      ['2311.09876', 74],
    ])
    expect(result.warnings).toEqual([])
    expect(result.skipped).toBe(0)
  })

  it('dates every paper by the "Showing new listings for" line', () => {
    for (const p of result.papers) {
      expect([p.dumpDate, p.dumpDateText]).toEqual(['2024-08-20', 'Tuesday, 20 August 2024'])
    }
  })

  it('reads titles, authors without affiliations, and the metadata', () => {
    expect(byId(result, '2408.10221')).toMatchObject({
      title:
        'Sparse Mixture-of-Experts Routing with Learned Temperature for Multilingual Machine Translation',
      authors: ['María González', 'Jonas Müller', 'Wei Zhang', 'Priya Raghavan'],
      meta: { arxivId: '2408.10221', urls: ['https://arxiv.org/abs/2408.10221'] },
    })
    expect(byId(result, '2408.10234').meta).toEqual({
      arxivId: '2408.10234',
      doi: '10.18653/v1/2024.findings-acl.262',
      venue:
        'Findings of the Association for Computational Linguistics: ACL 2024, pages 4412--4429',
      urls: ['https://arxiv.org/abs/2408.10234'],
    })
    expect(byId(result, '2408.10297').authors).toContain('Robert Walsh Jr.')
    expect(byId(result, '2408.10012').authors).toEqual([
      'Amara Okafor',
      'Kwame Mensah',
      'Zanele Dlamini',
    ])
  })

  it('keeps abstracts as shown, LaTeX and "this https URL" included, a line a paragraph', () => {
    expect(byId(result, '2408.10258').abstract).toMatch(
      /^Softmax attention costs \$\\mathcal\{O\}\(n\^2 d\)\$ time .* Schr\\"odinger-bridge .* accuracy\.$/,
    )
    expect(byId(result, '2408.10221').abstract).toMatch(/available at this https URL\.$/)
    expect(byId(result, '2408.10263').abstract.split('\n\n')).toHaveLength(3)
    // "Report number:" is a field, not the start of the abstract.
    expect(byId(result, '2408.10297').abstract).toMatch(/^Scientific assistants that answer/)
    // The footer is not part of the last abstract.
    expect(byId(result, '2311.09876').abstract).toMatch(/the sets are small in practice\.$/)
  })
})

describe('/recent, copied from Firefox', () => {
  const result = parse(fixture('recent-cs-cl-firefox.txt'))

  it('reads six entries under two date headings, not the table of dates above them', () => {
    expect(result.papers.map((p) => [p.meta?.arxivId, p.line, p.dumpDate, p.dumpDateText])).toEqual(
      [
        ['2408.12599', 29, '2024-08-23', 'Fri, 23 Aug 2024'],
        ['2408.12574', 51, '2024-08-23', 'Fri, 23 Aug 2024'],
        ['2408.12480', 67, '2024-08-23', 'Fri, 23 Aug 2024'],
        ['2408.12325', 86, '2024-08-22', 'Thu, 22 Aug 2024'],
        ['2408.12151', 104, '2024-08-22', 'Thu, 22 Aug 2024'],
        ['2408.11590', 115, '2024-08-22', 'Thu, 22 Aug 2024'],
      ],
    )
  })

  it('reads titles without their label and authors one a line, past the broken entry line', () => {
    expect(byId(result, '2408.12325')).toMatchObject({
      title:
        'Improving Factuality in Large Language Models via Decoding-Time Hallucinatory and Truthful Comparators',
      authors: [
        'Dingkang Yang',
        'Dongling Xiao',
        'Jinjie Wei',
        'Mingcheng Li',
        'Zhaoyu Chen',
        'Ke Li',
        'Lihua Zhang',
      ],
    })
    expect(byId(result, '2408.12480').authors).toEqual([
      'Khang T. Doan',
      'Bao G. Huynh',
      'Dung T. Hoang',
      'Thuc D. Pham',
      'Nhat H. Pham',
      'Quan T.M. Nguyen',
      'Bang Q. Vo',
      'Suong N. Hoang',
    ])
    expect(byId(result, '2408.11590').meta).toEqual({
      arxivId: '2408.11590',
      doi: '10.18653/v1/2024.emnlp-main.88',
      venue: 'Proceedings of EMNLP 2024',
      urls: ['https://arxiv.org/abs/2408.11590'],
    })
  })

  it('has no abstracts, and says so once', () => {
    expect(result.papers.every((p) => p.abstract === '')).toBe(true)
    expect(result.warnings).toEqual([
      { line: 29, message: expect.stringMatching(/shows no abstracts.*6 papers/) },
    ])
  })
})

describe('/new, the design before 2024, with a BOM and CRLF', () => {
  const text = fixture('new-old-design-bom-crlf.txt')
  const result = parse(text)

  it('is what it says, and reads six papers dated by the "New submissions for" heading', () => {
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(text).toContain('\r\n')
    expect(result.papers.map((p) => [p.meta?.arxivId, p.line])).toEqual([
      ['2408.11590', 19],
      ['2408.11650', 27],
      ['2408.11618', 37],
      ['2408.10877', 45],
      ['2402.17764', 54],
      ['2311.09876', 59],
    ])
    for (const p of result.papers) {
      expect([p.dumpDate, p.dumpDateText]).toEqual(['2024-08-22', 'Thu, 22 Aug 24'])
    }
  })

  it('reads "Title:" alone on its line, "[2]" alone on its line, runs of spaces', () => {
    expect(byId(result, '2408.11650')).toMatchObject({
      title: 'Position: Benchmarks for Machine Translation Should Report Variance',
      authors: ['Ola Nordmann'],
      line: 27,
    })
    expect(byId(result, '2408.11618').title).toBe(
      'Gender Bias in Machine Translation of Job Advertisements: A Multilingual Audit',
    )
  })

  it('merges a paper listed as new and as replaced, filling DOI and venue', () => {
    expect(byId(result, '2408.11590')).toMatchObject({
      line: 19,
      abstract: expect.stringMatching(/^Subword tokenizers/),
      meta: {
        arxivId: '2408.11590',
        doi: '10.18653/v1/2024.emnlp-main.88',
        venue: 'Proceedings of EMNLP 2024',
      },
    })
  })

  it('warns once for replacements without abstract, and skips an entry without a title', () => {
    expect(result.skipped).toBe(1)
    expect(result.warnings).toEqual([
      { line: 54, message: expect.stringMatching(/^2 replacements imported without abstract/) },
      { line: 73, message: 'the entry for arXiv:2306.00001 has no title; it was skipped' },
    ])
  })
})

describe('the same paper from the digest and from the listing', () => {
  it('has the same title, authors and identifiers (and abstract where no link was replaced)', () => {
    const digest = arxivDigestImporter.parse(
      readFileSync(join(FIXTURES, 'arxiv-digest', 'cs-daily-2024-08-20.txt'), 'utf8'),
      NOW,
    )
    const listing = parse(fixture('new-cs-cl-2024-08-20-chrome.txt'))
    expect(listing.papers.map((p) => p.meta?.arxivId)).toEqual(
      digest.papers.map((p) => p.meta?.arxivId),
    )
    for (const fromDigest of digest.papers) {
      const fromListing = byId(listing, fromDigest.meta!.arxivId!)
      expect(fromListing.title).toBe(fromDigest.title)
      expect(fromListing.authors).toEqual(fromDigest.authors)
      expect(fromListing.dumpDate).toBe(fromDigest.dumpDate)
      // The digest knows the submission year; the listing does not show it.
      const { year: _year, ...meta } = fromDigest.meta!
      expect(fromListing.meta).toEqual(meta)
      // The listing writes "this https URL" for links; replacements have no abstract in the digest.
      if (fromDigest.abstract && !fromDigest.abstract.includes('https://')) {
        expect(fromListing.abstract).toBe(fromDigest.abstract)
      }
    }
  })
})

describe('entries as they come damaged or repeated', () => {
  it('warns about a paper without abstract on a page that has them, by line', () => {
    const text = [
      'New submissions (showing 2 of 2 entries)',
      '[1] arXiv:2408.00001 [pdf, other]',
      'Title: With Abstract',
      'Ada Lovelace',
      'Subjects: Computation and Language (cs.CL)',
      'We do a thing.',
      '[2] arXiv:2408.00002 [pdf, other]',
      'Title: Without Abstract',
      'Alan Turing',
      'Subjects: Computation and Language (cs.CL)',
    ].join('\n')
    const result = parse(text)
    expect(result.papers.map((p) => [p.title, p.abstract, p.authors])).toEqual([
      ['With Abstract', 'We do a thing.', ['Ada Lovelace']],
      ['Without Abstract', '', ['Alan Turing']],
    ])
    expect(result.warnings).toEqual([
      { line: 7, message: '“Without Abstract” has no abstract; imported with the title only' },
    ])
    expect(result.papers[0]!.dumpDate).toBeNull()
  })

  it('merges a page pasted twice into one copy of each paper', () => {
    const page = fixture('new-cs-cl-2024-08-20-chrome.txt')
    const result = parse(page + '\n' + page)
    expect(result.papers).toHaveLength(9)
    expect(result.papers.map((p) => p.line)).toEqual([21, 27, 35, 41, 49, 57, 63, 69, 74])
  })

  it('does not take an abstract line that starts with an arXiv id for an entry', () => {
    const text = [
      '[1] arXiv:2408.00003 [pdf]',
      'Title: Follow-Up',
      'Subjects: Computation and Language (cs.CL)',
      'arXiv:2401.00001 showed a thing. We show another.',
    ].join('\n')
    expect(parse(text).papers).toMatchObject([
      { title: 'Follow-Up', abstract: 'arXiv:2401.00001 showed a thing. We show another.' },
    ])
  })

  it('refuses text that is not a listing, naming the first line', () => {
    expect(() => parse(SAMPLE)).toThrow(ImportError)
    expect(() => parse(SAMPLE)).toThrow(expect.objectContaining({ line: 1 }))
    expect(() => parse('\n\nSubjects: nothing')).toThrow(
      expect.objectContaining({ line: 3, message: expect.stringMatching(/arXiv listing/) }),
    )
    expect(() => parse('')).toThrow(expect.objectContaining({ line: null }))
  })
})

describe('detect', () => {
  it('is sure of every listing fixture', () => {
    for (const name of readdirSync(join(FIXTURES, 'arxiv-listing'))) {
      expect(arxivListingImporter.detect(headOf(fixture(name))), name).toBeGreaterThanOrEqual(0.9)
    }
  })

  it('does not claim the Daily Papers sample or any other format’s fixture', () => {
    expect(arxivListingImporter.detect(headOf(SAMPLE))).toBeLessThan(0.2)
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const path = join(dir, f)
        return statSync(path).isDirectory() ? walk(path) : [path]
      })
    const others = walk(resolve(__dirname, '../../fixtures')).filter(
      (p) => !p.includes(join('formats', 'arxiv-listing')),
    )
    expect(others.length).toBeGreaterThan(0)
    for (const path of others) {
      expect(arxivListingImporter.detect(headOf(readFileSync(path, 'utf8'))), path).toBeLessThan(
        0.5,
      )
    }
  })
})

// Hostile input

function parsedOrRefused(text: string): void {
  let result: ParseResult
  try {
    result = parse(text)
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError)
    const e = error as ImportError
    expect(e.message).not.toBe('')
    if (e.line !== null) expect(e.line).toBeGreaterThanOrEqual(1)
    return
  }
  const lines = text.split(/\r\n?|\n/).length
  expect(result.warnings.length).toBeLessThanOrEqual(MAX_WARNINGS + 1)
  result.warnings.forEach((w, i) => {
    if (i === MAX_WARNINGS) expect(w.line).toBeNull()
    else {
      expect(w.line).toBeGreaterThanOrEqual(1)
      expect(w.line).toBeLessThanOrEqual(lines)
    }
  })
  for (const p of result.papers) {
    expect(p.title).not.toBe('')
    expect(p.title).not.toContain('\n')
    expect(p.line).toBeGreaterThanOrEqual(1)
    expect(p.line).toBeLessThanOrEqual(lines)
  }
}

const listingLine = fc.oneof(
  fc.constantFrom(
    '',
    '[1] arXiv:2408.01234 [pdf, html, other]',
    '[2] arXiv:2408.01235 (cross-list from cs.LG) [pdf, other]',
    '[3]  arXiv:2307.12345 (replaced) [pdf, other]',
    '[4]',
    'arXiv:2408.01236',
    '[pdf, html, other]',
    '(replaced)',
    'Title: A Title',
    'Title:',
    'Authors: Ada Lovelace, Alan Turing',
    'Grace Hopper,',
    'Comments: 9 pages',
    'Comments:',
    'Journal-ref: J. 1 (2024)',
    'DOI: 10.1000/xyz',
    'Subjects: Computation and Language (cs.CL)',
    'We propose a method. It works.',
    'New submissions (showing 3 of 3 entries)',
    'Replacements for Tue, 20 Aug 24',
    'Fri, 23 Aug 2024 (showing 50 of 118 entries )',
    'Showing new listings for Tuesday, 20 August 2024',
    'Total of 612 entries : 1-50 51-100',
    'About',
    '\uFEFF',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
)
const listingText = fc
  .tuple(fc.array(listingLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join(eol))

const mutatedFixture = fc
  .tuple(
    fc.constantFrom(...readdirSync(join(FIXTURES, 'arxiv-listing'))),
    fc.array(
      fc.tuple(
        fc.constantFrom('drop', 'double', 'swap', 'char'),
        fc.nat(),
        fc.string({ maxLength: 3 }),
      ),
      { minLength: 1, maxLength: 12 },
    ),
  )
  .map(([name, edits]) => {
    const lines = fixture(name).split('\n')
    for (const [kind, at, s] of edits) {
      const i = at % lines.length
      if (kind === 'drop') lines.splice(i, 1)
      else if (kind === 'double') lines.splice(i, 0, lines[i]!)
      else if (kind === 'swap') [lines[i], lines[0]] = [lines[0]!, lines[i]!]
      else lines[i] = lines[i]!.slice(0, at % 7) + s + lines[i]!.slice(at % 7)
      if (lines.length === 0) lines.push('')
    }
    return lines.join('\n')
  })

describe('hostile input', () => {
  it('parses or refuses arbitrary text, never anything else', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), parsedOrRefused), { numRuns: 300 })
    fc.assert(fc.property(listingText, parsedOrRefused), { numRuns: 1000 })
  })

  it('parses or refuses mutated fixtures', () => {
    fc.assert(fc.property(mutatedFixture, parsedOrRefused), { numRuns: 500 })
  })

  it('gets through large pathological inputs', () => {
    const mb = 1_000_000
    const entry = '[1] arXiv:2408.01234 [pdf]\n'
    const inputs = [
      '['.repeat(mb),
      '('.repeat(mb),
      ' '.repeat(mb),
      'a'.repeat(mb),
      '\n'.repeat(mb),
      '[1]\n'.repeat(100_000),
      entry.repeat(100_000),
      'Title:\n'.repeat(100_000),
      `[1] arXiv:${'-'.repeat(mb)}`,
      `[${'1'.repeat(mb)}] arXiv:2408.01234`,
      `arXiv:2408.01234 ${'('.repeat(mb)}`,
      `arXiv:2408.01234 [${' '.repeat(mb)}`,
      `${entry}Title: ${'x '.repeat(mb / 2)}`,
      `${entry}Title: T\n${'Ada, '.repeat(mb / 5)}`,
      `${entry}Title: T\nSubjects: x\n${'a '.repeat(mb / 2)}`,
      `${entry}Title: T\nSubjects: x\n${'line\n\n'.repeat(mb / 6)}`,
      `${entry}Title: T\nDOI: 10.1234/x${'.'.repeat(mb)}a`,
      `Fri, 23 Aug 2024 ${'(showing '.repeat(mb / 9)}`,
      `Subjects: ${'(cs.CL'.repeat(mb / 6)}`,
      Array.from(
        { length: 50_000 },
        (_, i) => `[${i}] arXiv:2408.${String(i).padStart(5, '0')} [pdf]\nTitle: P ${i}\nA. B\nx`,
      ).join('\n'),
    ]
    for (const text of inputs) {
      parsedOrRefused(text)
      arxivListingImporter.detect(text.slice(0, 8192))
    }
  })

  it('caps the warnings of a page with very many entries without titles', () => {
    const text = Array.from(
      { length: 5000 },
      (_, i) => `[${i + 1}] arXiv:2408.${String(i).padStart(5, '0')} [pdf]`,
    ).join('\n')
    const result = parse(text)
    expect(result.skipped).toBe(5000)
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(result.warnings[MAX_WARNINGS]!.message).toMatch(/^…and 4900 more warnings/)
  })
})
