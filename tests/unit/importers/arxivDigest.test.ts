// The arXiv e-mail digest: fixtures written as the real mailings look (a plain mail, a Gmail
// print view with page breaks and CRLF, two mailings pasted together with a BOM), exact papers
// out of them, warnings with lines, refusals with lines, and hostile input that must neither
// throw anything but ImportError nor take more than linear time.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  arxivDigestImporter,
  mergeDuplicates,
  readDate,
  splitAuthors,
} from '../../../shared/importers/arxivDigest'
import { ImportError } from '../../../shared/importers/types'
import type { ParsedPaper, ParseResult } from '../../../shared/importers/types'
import { MAX_WARNINGS } from '../../../shared/importers/warnings'
import { SAMPLE } from '../../helpers/fixtures'

const NOW = new Date('2026-11-30T12:00:00Z')
const FIXTURES = resolve(__dirname, '../../fixtures/formats')
const fixture = (name: string): string => readFileSync(join(FIXTURES, 'arxiv-digest', name), 'utf8')
const parse = (text: string): ParseResult => arxivDigestImporter.parse(text, NOW)

/** What `detect` is given: the text from its first non-blank character, 8 KB of it. */
function headOf(text: string): string {
  const start = text.search(/\S/)
  return start === -1 ? '' : text.slice(start, start + 8192)
}

function byId(result: ParseResult, id: string): ParsedPaper {
  const paper = result.papers.find((p) => p.meta?.arxivId === id)
  expect(paper, `paper ${id}`).toBeDefined()
  return paper!
}

describe('the arXiv digest of Aug 20, 2024 (5 new, 2 cross-lists, 2 replacements)', () => {
  const result = parse(fixture('cs-daily-2024-08-20.txt'))

  it('reads every entry, in order, with its line', () => {
    expect(result.format).toBe('arxiv-digest')
    expect(result.papers.map((p) => [p.meta?.arxivId, p.line, p.title])).toEqual([
      [
        '2408.10221',
        20,
        'Sparse Mixture-of-Experts Routing with Learned Temperature for Multilingual Machine Translation',
      ],
      [
        '2408.10234',
        44,
        'Lost in the Middle, Found at the End: Position Bias in Long-Context Retrieval-Augmented Generation',
      ],
      [
        '2408.10258',
        69,
        'Linear-Time Attention with Provable $\\epsilon$-Approximation Guarantees',
      ],
      [
        '2408.10263',
        92,
        'What Makes a Good Tutor? Annotating Pedagogical Moves in 10,000 Student--LLM Dialogues',
      ],
      [
        '2408.10297',
        119,
        'OpenScholar-Bench: Evaluating Citation Faithfulness of Scientific Assistants',
      ],
      ['2408.09871', 140, 'Curriculum Distillation: When Smaller Teachers Make Better Students'],
      ['2408.10012', 156, 'Code-Switched Speech Recognition for Low-Resource African Languages'],
      [
        '2403.05530',
        173,
        'Gemini 1.5: Unlocking Multimodal Understanding across Millions of Tokens of Context',
      ],
      [
        '2311.09876',
        183,
        'Calibrated Uncertainty for Neural Machine Translation via Conformal Prediction',
      ],
    ])
    expect(result.skipped).toBe(0)
  })

  it('takes the mail’s Date header as every paper’s dump date', () => {
    for (const p of result.papers) {
      expect([p.dumpDate, p.dumpDateText]).toEqual(['2024-08-20', '20 Aug 24'])
    }
  })

  it('splits authors on commas and "and", without affiliations, TeX accents as letters', () => {
    expect(result.papers.map((p) => p.authors)).toEqual([
      ['María González', 'Jonas Müller', 'Wei Zhang', 'Priya Raghavan'],
      ['Hannah Schmidt', 'Tomáš Novák', 'Aisha Bello'],
      ['Daniel Krüger', 'Sofía Castellanos'],
      ['Oluwaseun Adeyemi', "Margaret O'Brien", 'Kenji Watanabe', 'Laura Fernández', 'Thomas Berg'],
      [
        'Chen Li',
        'Aditi Sharma',
        'Robert Walsh Jr.',
        'Fatima Al-Hassan',
        'Mikko Virtanen',
        'Sung-min Park',
        'Isabelle Laurent',
        'Nikolai Petrov',
        'Ana Beatriz Souza',
        'Tomás Herrera',
        'Yuki Tanaka',
      ],
      ['Lena Hoffmann', 'Arjun Mehta'],
      ['Amara Okafor', 'Kwame Mensah', 'Zanele Dlamini'],
      ['Gemini Team'],
      ['Ingrid Svensson', 'Pedro Alves', 'Noura Haddad'],
    ])
  })

  it('keeps the metadata: id, submission year, DOI, Journal-ref as venue, the abstract page', () => {
    expect(byId(result, '2408.10234').meta).toEqual({
      arxivId: '2408.10234',
      year: 2024,
      doi: '10.18653/v1/2024.findings-acl.262',
      venue:
        'Findings of the Association for Computational Linguistics: ACL 2024, pages 4412--4429',
      urls: ['https://arxiv.org/abs/2408.10234'],
    })
    expect(byId(result, '2408.10221').meta).toEqual({
      arxivId: '2408.10221',
      year: 2024,
      urls: ['https://arxiv.org/abs/2408.10221'],
    })
    // A replacement's date is its revision's: no year from it.
    expect(byId(result, '2311.09876').meta).toEqual({
      arxivId: '2311.09876',
      doi: '10.1162/tacl_a_00681',
      venue: 'Transactions of the Association for Computational Linguistics, 12 (2024) 1022--1040',
      urls: ['https://arxiv.org/abs/2311.09876'],
    })
  })

  it('joins wrapped abstracts and keeps the LaTeX as written', () => {
    expect(byId(result, '2408.10258').abstract).toBe(
      'Softmax attention costs $\\mathcal{O}(n^2 d)$ time for a sequence of length $n$. ' +
        'We give a randomized algorithm that approximates every attention row to within ' +
        'a factor $(1 \\pm \\epsilon)$ in $\\mathcal{O}(n \\log n \\cdot d / \\epsilon^2)$ ' +
        'time, provided the query and key norms are bounded by $\\sqrt{\\log n}$. Our ' +
        "analysis borrows the ``spectral sparsification'' view of kernel matrices and " +
        'is, to our knowledge, the first to be \\emph{faithful} in the sense of ' +
        'Schr\\"odinger-bridge couplings used in prior work. Experiments on ' +
        'Long-Range-Arena show a $3.1\\times$ speed-up at $n = 16{,}384$ with less than ' +
        '0.2% loss in accuracy.',
    )
    expect(byId(result, '2408.10221').abstract).toMatch(
      /^Mixture-of-experts \(MoE\) layers let .* available at https:\/\/github\.com\/upf-nlp\/temp-moe\.$/,
    )
  })

  it('keeps the paragraphs of an abstract, which the digest starts on indented lines', () => {
    const paragraphs = byId(result, '2408.10263').abstract.split('\n\n')
    expect(paragraphs).toHaveLength(3)
    expect(paragraphs[0]).toMatch(/^Large language models are .* four deployed tutoring systems\.$/)
    expect(paragraphs[1]).toBe(
      'We find that models over-use telling: 61% of turns give away part of the solution, ' +
        'against 18% in a matched corpus of human tutoring sessions. Moves that elicit student ' +
        'reasoning are associated with higher post-test scores, even after controlling for ' +
        'prior knowledge.',
    )
    expect(paragraphs[2]).toMatch(/^Finally, we show .* under CC-BY\.$/)
  })

  it('imports replacements without abstract, with one warning for all of them', () => {
    expect(byId(result, '2403.05530').abstract).toBe('')
    expect(byId(result, '2311.09876').abstract).toBe('')
    expect(result.warnings).toEqual([
      { line: 173, message: expect.stringMatching(/^2 replacements imported without abstract/) },
    ])
  })

  it('has an abstract for every new submission and cross-list', () => {
    expect(result.papers.slice(0, 7).every((p) => p.abstract.length > 100)).toBe(true)
  })
})

describe('a digest printed from Gmail (page headers and footers, CRLF)', () => {
  const text = fixture('gmail-print-view-crlf.txt')
  const result = parse(text)

  it('is CRLF, and reads five papers with the date of the sender line', () => {
    expect(text).toContain('\r\n')
    expect(result.papers.map((p) => [p.meta?.arxivId, p.line])).toEqual([
      ['2408.11011', 25],
      ['2408.11046', 42],
      ['2408.11102', 64],
      ['2408.10877', 84],
      ['2402.17764', 103],
    ])
    for (const p of result.papers) {
      expect([p.dumpDate, p.dumpDateText]).toEqual(['2024-08-21', 'Wed, Aug 21, 2024'])
    }
    expect(result.skipped).toBe(0)
    expect(result.warnings).toEqual([
      { line: 103, message: expect.stringMatching(/^1 replacement imported without abstract/) },
    ])
  })

  it('reads an abstract across a page break without the page’s header and footer', () => {
    expect(byId(result, '2408.11046').abstract).toBe(
      'Register, the variation of language with its social setting, is central to how ' +
        'speakers are perceived, yet multilingual sentence encoders are usually evaluated on ' +
        'meaning alone. We build a formality probing suite covering 37 languages and show that ' +
        'formality is linearly decodable from the middle layers of every encoder we test, with ' +
        'accuracies between 71% and 94%. Surprisingly, the direction that encodes formality is ' +
        'shared across scripts, which lets a probe trained on English and Japanese transfer to ' +
        'Korean with no target-language data.',
    )
    for (const p of result.papers) {
      expect(JSON.stringify(p)).not.toMatch(/mail\.google\.com|Gmail|\d\/3/)
    }
  })

  it('reads TeX letters in names: {\\i}, \\c{c}', () => {
    expect(byId(result, '2408.11046').authors).toEqual([
      'Sara Lindqvist',
      'Mehmet Yılmaz',
      'François Dubois',
      'Ji-woo Han',
    ])
    expect(byId(result, '2402.17764').authors).toHaveLength(10)
  })

  it('reads the same papers with LF or CR line endings', () => {
    const strip = (r: ParseResult): unknown => r.papers.map(({ line: _line, ...p }) => p)
    expect(strip(parse(text.replace(/\r\n/g, '\n')))).toEqual(strip(result))
    expect(strip(parse(text.replace(/\r\n/g, '\r')))).toEqual(strip(result))
  })
})

describe('two mailings pasted one after the other (BOM, odd spacing, damage, duplicates)', () => {
  const text = fixture('two-mailings-bom.txt')
  const result = parse(text)

  it('starts with a byte-order mark and reads four papers', () => {
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(result.papers.map((p) => [p.meta?.arxivId, p.line])).toEqual([
      ['2408.11590', 19],
      ['2408.11650', 48],
      ['math/0601001', 59],
      ['2408.12001', 87],
    ])
  })

  it('dates each paper by its mail: the preamble when the Date header is numeric, else the header', () => {
    expect(result.papers.map((p) => [p.dumpDate, p.dumpDateText])).toEqual([
      ['2024-08-21', 'Wed 21 Aug 24'],
      ['2024-08-21', 'Wed 21 Aug 24'],
      ['2024-08-21', 'Wed 21 Aug 24'],
      ['2024-08-23', 'Fri, 23 Aug 2024'],
    ])
  })

  it('skips an entry without a title, saying where', () => {
    expect(result.skipped).toBe(1)
    expect(result.warnings).toEqual([
      { line: 37, message: 'the entry for arXiv:2408.11618 has no title; it was skipped' },
      { line: 59, message: expect.stringMatching(/^1 replacement imported without abstract/) },
    ])
  })

  it('merges a paper listed twice, filling what the first copy lacked', () => {
    const tokenizer = byId(result, '2408.11590')
    expect(tokenizer.line).toBe(19)
    expect(tokenizer.abstract).toMatch(/^Subword tokenizers .* named-entity recognition\.$/)
    expect(tokenizer.meta).toEqual({
      arxivId: '2408.11590',
      year: 2024,
      doi: '10.18653/v1/2024.emnlp-main.88',
      venue: 'Proceedings of EMNLP 2024',
      urls: ['https://arxiv.org/abs/2408.11590'],
    })
    expect(tokenizer.authors).toEqual(['Aino Korhonen', 'Emre Çelik', 'Gábor Szabó'])
    // The first copy had no abstract; its cross-listing the next day has one, so no warning.
    expect(byId(result, '2408.11650').abstract).toBe(
      'Papers in machine translation report single-run scores. We argue that every benchmark result should come with the variance over at least three seeds.',
    )
  })

  it('reads an old-style id and an http link as the canonical abstract page', () => {
    expect(byId(result, 'math/0601001')).toMatchObject({
      title: 'On the Number of Lattice Points in Dilated Polytopes',
      authors: ['Jörg Brandt', 'Łukasz Nowicki'],
      meta: {
        arxivId: 'math/0601001',
        venue: 'J. Combin. Theory Ser. A 114 (2007) 1101--1120',
        urls: ['https://arxiv.org/abs/math/0601001'],
      },
    })
  })

  it('collapses tabs and runs of spaces; a blank line also ends a paragraph', () => {
    const paper = byId(result, '2408.12001')
    expect(paper.title).toBe(
      'Measuring Hallucination in Long-Form Biographies with Atomic Fact Verification',
    )
    expect(paper.authors).toEqual(['Zhou Wei', 'Marta Kowalska', 'Yaw Boateng'])
    expect(paper.abstract.split('\n\n')).toEqual([
      'Long-form generations mix correct and incorrect facts, so a single correctness label per answer hides most errors.',
      'We decompose biographies into atomic facts, verify each against Wikipedia and a curated knowledge base, and report a precision score that agrees with expert annotators at Spearman $\\rho = 0.87$.',
    ])
  })
})

describe('entries as they come damaged', () => {
  const entry = (id: string, body: string[]): string[] => ['\\\\', `arXiv:${id}`, ...body]

  it('keeps a new submission without an abstract, with a warning naming its line', () => {
    const text = [
      ...entry('2408.00001', [
        'Date: Mon, 19 Aug 2024 10:00:00 GMT   (10kb)',
        'Title: A Paper Whose Abstract Was Cut',
        'Authors: Ada Lovelace',
        '\\\\ ( https://arxiv.org/abs/2408.00001 ,  10kb)',
      ]),
    ].join('\n')
    const result = parse(text)
    expect(result.papers).toMatchObject([{ title: 'A Paper Whose Abstract Was Cut', abstract: '' }])
    expect(result.warnings).toEqual([
      {
        line: 2,
        message: '“A Paper Whose Abstract Was Cut” has no abstract; imported with the title only',
      },
    ])
  })

  it('reads an entry cut off at the end, and one that lost its end line', () => {
    const text = [
      ...entry('2408.00002', ['Title: First', '\\\\', '  We do a thing.']),
      ...entry('2408.00003', ['Title: Second', '\\\\', '  We do another thing.']),
    ].join('\n')
    const result = parse(text)
    expect(result.papers.map((p) => [p.meta?.arxivId, p.title, p.abstract, p.line])).toEqual([
      ['2408.00002', 'First', 'We do a thing.', 2],
      ['2408.00003', 'Second', 'We do another thing.', 7],
    ])
    expect(result.warnings).toEqual([])
    // Without a mail header or preamble there is no date to give.
    expect(result.papers[0]!.dumpDate).toBeNull()
  })

  it('takes the id from the end line when the arXiv: line is missing', () => {
    const text = [
      '\\\\',
      'Title: No Id Line',
      '\\\\',
      '  Abstract.',
      '\\\\ ( https://arxiv.org/abs/2408.00004v3 ,  1kb)',
    ].join('\n')
    expect(parse(text).papers[0]!.meta).toEqual({
      arxivId: '2408.00004',
      arxivVersion: 3,
      urls: ['https://arxiv.org/abs/2408.00004'],
    })
  })

  it('gives the version when the id line names one', () => {
    const text = entry('2408.00005v2', ['Title: Versioned', '\\\\', '  Text.']).join('\n')
    expect(parse(text).papers[0]!.meta).toMatchObject({ arxivId: '2408.00005', arxivVersion: 2 })
  })
})

describe('refusals', () => {
  it('refuses text that is not a digest, naming the first line', () => {
    expect(() => parse(SAMPLE)).toThrow(ImportError)
    expect(() => parse(SAMPLE)).toThrow(expect.objectContaining({ line: 1 }))
    expect(() => parse('\n\n  hello\nworld')).toThrow(
      expect.objectContaining({
        line: 3,
        message: expect.stringMatching(/not an arXiv e-mail digest/),
      }),
    )
    expect(() => parse('')).toThrow(expect.objectContaining({ line: null }))
  })
})

describe('helpers shared with the listing reader', () => {
  it('reads dates as mail headers, preambles and headings write them', () => {
    const cases: [string, string, string][] = [
      ['Tue, 20 Aug 2024 00:30:18 +0000', '2024-08-20', 'Tue, 20 Aug 2024'],
      ['20 Aug 24 00:30:18 GMT', '2024-08-20', '20 Aug 24'],
      ['Mon 19 Aug 24 18:00:00 GMT', '2024-08-19', 'Mon 19 Aug 24'],
      ['Wed, Aug 21, 2024 at 2:31 AM', '2024-08-21', 'Wed, Aug 21, 2024'],
      ['Tuesday, 20 August 2024', '2024-08-20', 'Tuesday, 20 August 2024'],
      ['Tue Aug 20 00:30:18 2024', '2024-08-20', 'Tue Aug 20 00:30:18 2024'],
      ['Fri, 3 Jan 97 12:00:00 GMT', '1997-01-03', 'Fri, 3 Jan 97'],
    ]
    for (const [text, iso, as] of cases) expect(readDate(text)).toEqual({ iso, text: as })
    for (const text of ['8/20/24, 2:31 AM', '30 Feb 2024', 'Augmented 12 2024', '', 'Aug 20']) {
      expect(readDate(text)).toBeNull()
    }
  })

  it('splits author lists', () => {
    expect(splitAuthors('A. One (1 and 2), B. Two (2), and C. Three ((1) MIT, (2) ETH)')).toEqual([
      'A. One',
      'B. Two',
      'C. Three',
    ])
    expect(splitAuthors('Ada (Lovelace, Bob Smith')).toEqual(['Ada Lovelace', 'Bob Smith'])
    expect(
      splitAuthors("J\\'{e}r\\^ome {\\O}stergaard, \\v{S}imon Sta\\ss e, Sam Smith, III"),
    ).toEqual(['Jérôme Østergaard', 'Šimon Staße', 'Sam Smith III'])
    expect(splitAuthors('Alexander Anderson and Ferdinand Sand')).toEqual([
      'Alexander Anderson',
      'Ferdinand Sand',
    ])
    expect(splitAuthors('  ')).toEqual([])
  })

  it('merges copies by arXiv id, DOI or title, never two different ids', () => {
    const paper = (title: string, meta: ParsedPaper['meta'], abstract = ''): ParsedPaper => ({
      title,
      abstract,
      authors: [],
      dumpDate: null,
      dumpDateText: null,
      line: 1,
      meta,
    })
    const merged = mergeDuplicates([
      paper('A Title', { arxivId: '2401.00001' }),
      paper('A Title', { arxivId: '2401.00002' }, 'Different paper.'),
      paper('a title!', { arxivId: '2401.00001', doi: '10.1/x' }, 'Filled in.'),
      paper('Other', { doi: '10.1/y' }),
      paper('Other, renamed', { doi: '10.1/y', venue: 'J' }),
    ])
    expect(merged.map((p) => [p.title, p.abstract, p.meta])).toEqual([
      ['A Title', 'Filled in.', { arxivId: '2401.00001', doi: '10.1/x' }],
      ['A Title', 'Different paper.', { arxivId: '2401.00002' }],
      ['Other', '', { doi: '10.1/y', venue: 'J' }],
    ])
  })
})

describe('detect', () => {
  it('is sure of every digest fixture', () => {
    for (const name of readdirSync(join(FIXTURES, 'arxiv-digest'))) {
      expect(arxivDigestImporter.detect(headOf(fixture(name))), name).toBeGreaterThanOrEqual(0.9)
    }
  })

  it('does not claim the Daily Papers sample or any other format’s fixture', () => {
    expect(arxivDigestImporter.detect(headOf(SAMPLE))).toBeLessThan(0.2)
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const path = join(dir, f)
        return statSync(path).isDirectory() ? walk(path) : [path]
      })
    const others = walk(resolve(__dirname, '../../fixtures')).filter(
      (p) => !p.includes(`${join('formats', 'arxiv-digest')}`),
    )
    expect(others.length).toBeGreaterThan(0)
    for (const path of others) {
      expect(arxivDigestImporter.detect(headOf(readFileSync(path, 'utf8'))), path).toBeLessThan(0.5)
    }
  })
})

// Hostile input

/** Runs the parser; it either returns a sane result or throws an ImportError. */
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

const digestLine = fc.oneof(
  fc.constantFrom(
    '',
    '\\\\',
    '\\\\ ( https://arxiv.org/abs/2408.01234 ,  45kb)',
    '\\\\ (',
    '\\\\ x',
    'arXiv:2408.01234',
    'arXiv:2408.01234 (*cross-listing*)',
    'arXiv:hep-th/9901001v2',
    'arXiv:',
    'replaced with revised version Mon, 19 Aug 2024 03:14:15 GMT   (567kb)',
    'Date: Mon, 19 Aug 2024 17:59:58 GMT   (1234kb)',
    'Date: 8/20/24',
    'Title: A Title',
    'Title:',
    '  continued',
    'Authors: A. One (1), B. Two and C. Three ((1) MIT)',
    'Authors: ((((',
    'DOI: 10.1000/xyz.',
    'DOI: 10.',
    'Journal-ref: J. 1 (2024)',
    ' received from  Fri 16 Aug 24 18:00:00 GMT  to  Mon 19 Aug 24 18:00:00 GMT',
    '-'.repeat(78),
    '%%--%%--%%--%%--%%',
    '  An indented abstract line.',
    'A flush abstract line with $\\alpha$.',
    'https://mail.google.com/mail/u/0/?ik=1    1/3',
    '8/21/24, 7:02 AM   Gmail - cs daily Subj-class mailing 201 1',
    'no-reply@arxiv.org <no-reply@arxiv.org>   Wed, Aug 21, 2024 at 2:31 AM',
    '\uFEFF',
    '\t',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
)
const digestText = fc
  .tuple(fc.array(digestLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join(eol))

/** A fixture with lines dropped, doubled, swapped and characters changed. */
const mutatedFixture = fc
  .tuple(
    fc.constantFrom(...readdirSync(join(FIXTURES, 'arxiv-digest'))),
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
    fc.assert(fc.property(digestText, parsedOrRefused), { numRuns: 1000 })
  })

  it('parses or refuses mutated fixtures', () => {
    fc.assert(fc.property(mutatedFixture, parsedOrRefused), { numRuns: 500 })
  })

  it('gets through large pathological inputs', () => {
    const mb = 1_000_000
    const inputs = [
      '\\'.repeat(mb),
      '-'.repeat(mb),
      ' '.repeat(mb),
      '('.repeat(mb),
      'a'.repeat(mb),
      '\n'.repeat(mb),
      '\\\\\n'.repeat(100_000),
      'arXiv:2408.01234\n'.repeat(100_000),
      'Title: x\n'.repeat(100_000),
      '\\\\\narXiv:' + '-'.repeat(mb),
      '\\\\\narXiv:2408.01234\nTitle: ' + 'x '.repeat(mb / 2),
      '\\\\\narXiv:2408.01234\nTitle: T\n\\\\\n' + ' '.repeat(mb) + 'x',
      '\\\\\narXiv:2408.01234\nTitle: T\nAuthors: ' + '('.repeat(mb / 2) + ')'.repeat(mb / 2),
      '\\\\\narXiv:2408.01234\nTitle: T\nAuthors: ' + '( '.repeat(mb / 2),
      '\\\\\narXiv:2408.01234\nTitle: T\nAuthors: ' + ' and '.repeat(mb / 5),
      '\\\\\narXiv:2408.01234\nTitle: T\nAuthors: ' + "\\'".repeat(mb / 2),
      '\\\\\narXiv:2408.01234\nTitle: T\nDOI: 10.1234/x' + '.'.repeat(mb) + 'a',
      '\\\\\narXiv:2408.01234\nTitle: T\n\\\\ ( http://x' + '.'.repeat(mb) + 'a',
      'Date: ' + 'Aug 1 '.repeat(mb / 6),
      ' received from ' + ' to '.repeat(mb / 4),
      Array.from(
        { length: 50_000 },
        (_, i) => `\\\\\narXiv:2408.${String(i).padStart(5, '0')}\nTitle: Paper ${i}\n\\\\\n  A.`,
      ).join('\n'),
      Array.from({ length: 50_000 }, (_, i) => `\\\\\narXiv:2408.${i}\nAuthors: x`).join('\n'),
    ]
    for (const text of inputs) parsedOrRefused(text)
  })

  it('caps the warnings of a digest with very many damaged entries', () => {
    const text = Array.from(
      { length: 5000 },
      (_, i) => `\\\\\narXiv:2408.${String(i).padStart(5, '0')}\nAuthors: Nobody`,
    ).join('\n')
    const result = parse(text)
    expect(result.skipped).toBe(5000)
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(result.warnings[MAX_WARNINGS]!.message).toMatch(/^…and 4900 more warnings/)
  })
})
