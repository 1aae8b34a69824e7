// Hugging Face JSON: the Daily Papers API's answers and scrapers' arrays, read to the same
// titles and abstracts as the page text, with a line for every record and every fault.
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cslJsonImporter } from '../../../shared/importers/cslJson'
import { parseDailyPapers } from '../../../shared/importers/dailyPapers'
import { cleanAbstract, hfJsonImporter, scanJson } from '../../../shared/importers/hfJson'
import { ImportError } from '../../../shared/importers/types'
import type { ParseResult, ParsedPaper } from '../../../shared/importers/types'
import { MAX_WARNINGS } from '../../../shared/importers/warnings'
import { SAMPLE } from '../../helpers/fixtures'

const NOW = new Date('2026-11-30T12:00:00Z')
const FORMATS_DIR = resolve(__dirname, '../../fixtures/formats')
const fixture = (name: string): string => readFileSync(join(FORMATS_DIR, 'hf-json', name), 'utf8')
const parse = (text: string): ParseResult => hfJsonImporter.parse(text, NOW)

/** What the registry hands `detect`: the text from its first non-blank character, 8 KB of it. */
function head(text: string): string {
  const start = text.search(/\S/)
  return start === -1 ? '' : text.slice(start, start + 8192)
}

/** The reference Daily Papers dump's abstracts by title: the JSON must give the same text. */
const SAMPLE_ABSTRACTS = new Map(
  parseDailyPapers(SAMPLE, NOW).papers.map((p) => [p.title, p.abstract]),
)
function sampleAbstract(title: string): string {
  const abstract = SAMPLE_ABSTRACTS.get(title)
  expect(abstract, title).toBeDefined()
  return abstract!
}

/** Runs `parse`; a throw must be an ImportError with a message and a sensible line. */
function parsedOrRefused(text: string): ParseResult | ImportError {
  try {
    return parse(text)
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError)
    const e = error as ImportError
    expect(e.message.trim()).not.toBe('')
    if (e.line !== null) {
      expect(e.line).toBeGreaterThanOrEqual(1)
      expect(e.line).toBeLessThanOrEqual(text.split(/\r\n?|\n/).length)
    }
    return e
  }
}

function expectSane(result: ParseResult, text: string): void {
  const lines = text.split(/\r\n?|\n/).length
  expect(result.papers.length).toBeGreaterThan(0)
  expect(result.warnings.length).toBeLessThanOrEqual(MAX_WARNINGS + 1)
  for (const w of result.warnings.slice(0, MAX_WARNINGS)) {
    expect(w.line).toBeGreaterThanOrEqual(1)
    expect(w.line).toBeLessThanOrEqual(lines)
  }
  for (const p of result.papers) {
    expect(p.title).not.toBe('')
    expect(p.title).toBe(p.title.trim())
    expect(p.title).not.toMatch(/\n/)
    // Paragraphs, each one line, apart by exactly one blank line.
    if (p.abstract) {
      for (const paragraph of p.abstract.split('\n\n')) {
        expect(paragraph).not.toBe('')
        expect(paragraph).not.toMatch(/\n/)
      }
    }
    for (const author of p.authors) expect(author).toMatch(/^\S([^\n]*\S)?$/)
    if (p.dumpDate !== null) expect(p.dumpDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    if (p.meta?.doi) expect(p.meta.doi).toBe(p.meta.doi.toLowerCase())
    expect(p.line).toBeGreaterThanOrEqual(1)
    expect(p.line).toBeLessThanOrEqual(lines)
  }
}

const THYME: ParsedPaper = {
  title: 'Thyme: Think Beyond Images',
  abstract: '',
  authors: ['Yi-Fan Zhang', 'Xingyu Lu', 'Shukang Yin', 'Chaoyou Fu'],
  dumpDate: '2025-08-19',
  dumpDateText: '2025-08-19',
  line: 2,
  meta: {
    year: 2025,
    arxivId: '2508.11630',
    keywords: [
      'MLLMs',
      'executable code',
      'image manipulations',
      'SFT',
      'RL',
      'GRPO-ATS',
      'Adaptive Temperature Sampling',
    ],
    urls: [
      'https://arxiv.org/abs/2508.11630',
      'https://github.com/yfzhang114/Thyme',
      'https://thyme-vl.github.io/',
    ],
  },
}
THYME.abstract = sampleAbstract(THYME.title)

const DAILY_TITLES = [
  'Thyme: Think Beyond Images',
  'ADEM-VL: Adaptive and Embedded Fusion for Efficient Vision-Language Tuning',
  'BEV-CV: Birds-Eye-View Transform for Cross-View Geo-Localisation',
  'Scattering Vision Transformer: Spectral Mixing Matters',
  'Impact of Computation in Integral Reinforcement Learning for Continuous-Time Control',
]

describe('the /api/daily_papers listing', () => {
  const text = fixture('daily-papers-2025-08-19.json')

  it('reads every entry: the same titles and abstracts as the page text, wraps joined', () => {
    const result = parse(text)
    expect(result.format).toBe('hf-json')
    expect(result.papers.map((p) => p.title)).toEqual(DAILY_TITLES)
    for (const paper of result.papers) expect(paper.abstract).toBe(sampleAbstract(paper.title))
    expect(result.warnings).toEqual([])
    expect(result.skipped).toBe(0)
    // The API wraps titles as arXiv does: a newline and two spaces.
    expect(text).toContain(
      '"ADEM-VL: Adaptive and Embedded Fusion for Efficient\\n  Vision-Language',
    )
    expect(text).toMatch(/"summary": "[^"]*\\n/)
  })

  it('gives each entry its line, authors, listing date and metadata', () => {
    const result = parse(text)
    expect(result.papers[0]).toEqual(THYME)
    expect(result.papers.map((p) => p.line)).toEqual([2, 86, 176, 242, 310])
    expect(result.papers.map((p) => p.dumpDate)).toEqual(Array(5).fill('2025-08-19'))
    const [, adem, bev, svt, intrl] = result.papers
    // Listed on Aug 19, 2025 (submittedOnDailyAt), published on arXiv in 2024 (publishedAt).
    expect(adem).toMatchObject({
      authors: ['Zhiwei Hao', 'Jianyuan Guo', 'Li Shen', 'Yong Luo', 'Han Hu', 'Yonggang Wen'],
      dumpDate: '2025-08-19',
      meta: {
        year: 2024,
        arxivId: '2410.17779',
        urls: ['https://arxiv.org/abs/2410.17779', 'https://github.com/Hao840/ADEM-VL'],
      },
    })
    expect(
      adem!.abstract.endsWith('The code is available at https://github.com/Hao840/ADEM-VL.'),
    ).toBe(true)
    expect(bev!.meta).toEqual({
      year: 2023,
      arxivId: '2312.15363',
      urls: ['https://arxiv.org/abs/2312.15363'],
    })
    expect(bev!.abstract).toContain('360{\\deg} field of view')
    expect(svt!.meta!.urls).toEqual([
      'https://arxiv.org/abs/2311.01310',
      'https://badripatro.github.io/svt/',
    ])
    expect(intrl!.abstract).toContain("with a Mat\\'ern kernel to be O(N^{-2})")
    expect(intrl!.meta!.keywords).toContain("Mat\\'ern kernel")
  })

  it('takes the listing day from submittedOnDailyAt, then the entry’s publishedAt, in UTC', () => {
    const entry = (paper: object, publishedAt?: string): string =>
      JSON.stringify([
        { paper: { id: '2408.01234', title: 'T', summary: 'S.', ...paper }, publishedAt },
      ])
    const day = (text: string): [string | null, number | undefined] => {
      const [p] = parse(text).papers
      return [p!.dumpDate, p!.meta?.year]
    }
    expect(
      day(
        entry({
          publishedAt: '2024-08-16T17:59:49.000Z',
          submittedOnDailyAt: '2024-08-19T23:59:00Z',
        }),
      ),
    ).toEqual(['2024-08-19', 2024])
    expect(
      day(entry({ publishedAt: '2023-12-31T22:00:00.000Z' }, '2024-01-02T01:00:00.000Z')),
    ).toEqual(['2024-01-02', 2023])
    expect(day(entry({ publishedAt: '2023-12-31T22:00:00.000Z' }))).toEqual(['2023-12-31', 2023])
    expect(day(entry({}))).toEqual([null, undefined])
    expect(day(entry({ submittedOnDailyAt: '2024-02-30T00:00:00Z' }))).toEqual([null, undefined])
  })

  it('reads the one-line answer saved with a byte-order mark: every paper on line 1', () => {
    const minified = fixture('daily-papers-minified-bom.json')
    expect(minified.startsWith('\uFEFF[{"paper":')).toBe(true)
    const result = parse(minified)
    const expected = parse(text).papers.slice(0, 3)
    expect(result.papers).toEqual(expected.map((p) => ({ ...p, line: 1 })))
  })

  it('reads the same papers, on the same lines, with CRLF or CR line endings and a BOM', () => {
    const expected = parse(text)
    expect(parse('\uFEFF' + text.replace(/\n/g, '\r\n'))).toEqual(expected)
    expect(parse(text.replace(/\n/g, '\r'))).toEqual(expected)
    expect(parse('\n\n' + text).papers.map((p) => p.line)).toEqual([4, 88, 178, 244, 312])
  })

  it('reads two answers appended to one file (CRLF): each paper keeps its own day', () => {
    const result = parse(fixture('two-days-crlf.json'))
    expect(result.papers.map((p) => [p.title.slice(0, 20), p.dumpDate, p.line])).toEqual([
      ['Scattering Vision Tr', '2025-08-19', 2],
      ['Impact of Computatio', '2025-08-19', 70],
      ['Inverse-LLaVA: Elimi', '2025-08-20', 140],
      ['Thyme: Think Beyond ', '2025-08-19', 202],
    ])
    expect(result.papers[2]!.abstract).toBe(
      'Traditional multimodal learning approaches require expensive alignment pre-training to bridge vision and language modalities, typically projecting visual features into discrete text token spaces. We challenge both fundamental assumptions underlying this paradigm by proposing Inverse-LLaVA, a novel approach that eliminates alignment pre-training entirely while inverting the conventional mapping direction. Code is at https://inverse-llava.github.io.',
    )
    expect(result.papers[3]).toEqual({ ...THYME, line: 202 })
  })
})

describe('the /api/papers answers', () => {
  it('reads one paper object (/api/papers/<id>)', () => {
    const result = parse(fixture('paper-2410.17779.json'))
    expect(result.papers).toHaveLength(1)
    expect(result.papers[0]).toMatchObject({
      title: DAILY_TITLES[1],
      abstract: sampleAbstract(DAILY_TITLES[1]!),
      line: 1,
      dumpDate: '2025-08-19',
      meta: { year: 2024, arxivId: '2410.17779' },
    })
  })

  it('reads a list of paper objects (/api/papers/search)', () => {
    const result = parse(fixture('papers-search.json'))
    expect(result.papers.map((p) => [p.title, p.line, p.meta?.arxivId])).toEqual([
      [DAILY_TITLES[2], 2, '2312.15363'],
      [DAILY_TITLES[3], 41, '2311.01310'],
      [DAILY_TITLES[4], 82, '2402.17375'],
    ])
    for (const paper of result.papers) expect(paper.abstract).toBe(sampleAbstract(paper.title))
  })
})

describe('scrapers’ arrays', () => {
  const result = parse(fixture('scraper-papers.json'))

  it('reads abstracts under abstract, summary or details.abstract and authors in any shape', () => {
    expect(result.papers.map((p) => [p.title, p.authors, p.line])).toEqual([
      ['Thyme: Think Beyond Images', THYME.authors, 2],
      [
        'Exploring and Evaluating Personalized Models for Code Generation',
        [
          'Andrei Zlotchevski',
          'Dawn Drain',
          'Alexey Svyatkovskiy',
          'Colin Clement',
          'Neel Sundaresan',
          'Michele Tufano',
        ],
        17,
      ],
      [
        'Reducing Sequence Length by Predicting Edit Operations with Large Language Models',
        ['Masahiro Kaneko', 'Naoaki Okazaki'],
        24,
      ],
      ['Fast and Accurate Model Scaling', ['Piotr Dollár', 'Mannat Singh', 'Ross Girshick'], 42],
      [
        "Chain-of-Thought Hub: A Continuous Effort to Measure Large Language Models' Reasoning Performance",
        ['Yao Fu', 'Litu Ou', 'Mingyu Chen', 'Yuhao Wan', 'Hao Peng', 'Tushar Khot'],
        58,
      ],
      [
        'Learning Features with Parameter-Free Layers',
        ['Dongyoon Han', 'YoungJoon Yoo', 'Beomyoung Kim', 'Byeongho Heo'],
        84,
      ],
      ['Learning Features with Parameter-Free Layers', ['Dongyoon Han'], 96],
    ])
    for (const paper of result.papers.slice(0, 6)) {
      expect(paper.abstract, paper.title).toBe(sampleAbstract(paper.title))
    }
  })

  it('reads ids, DOIs, links and dates as their normal forms', () => {
    const [thyme, personal, edits, scaling, hub] = result.papers
    expect(thyme).toMatchObject({
      dumpDate: '2025-08-19',
      dumpDateText: '2025-08-19',
      meta: {
        year: 2025,
        arxivId: '2508.11630',
        urls: ['https://arxiv.org/abs/2508.11630', 'https://huggingface.co/papers/2508.11630'],
      },
    })
    expect(personal).toMatchObject({
      dumpDate: '2025-08-19',
      dumpDateText: 'Aug 19, 2025',
      meta: { arxivId: '2208.13928', arxivVersion: 2 },
    })
    expect(edits!.meta).toEqual({
      arxivId: '2305.11862',
      arxivVersion: 1,
      doi: '10.18653/v1/2023.findings-emnlp.619',
      urls: ['https://arxiv.org/abs/2305.11862'],
    })
    expect(scaling!.meta).toEqual({
      arxivId: '2103.06877',
      arxivVersion: 1,
      urls: ['https://arxiv.org/abs/2103.06877'],
    })
    expect(hub!.meta!.keywords).toEqual(['reasoning', 'benchmark', 'chain-of-thought'])
  })

  it('skips records without a title and fills a paper from its second copy, saying where', () => {
    expect(result.skipped).toBe(2)
    expect(result.warnings).toEqual([
      {
        line: 42,
        message: expect.stringMatching(/^“Fast and Accurate Model Scaling” has no abstract/),
      },
      { line: 52, message: 'record 5 has no title; skipped' },
      { line: 57, message: 'record 6 is null, not a paper; skipped' },
      {
        line: 77,
        message: expect.stringMatching(
          /^“Fast and Accurate Model Scaling” is listed again here \(first at line 42\)/,
        ),
      },
    ])
    // Same title, different DOIs: two papers.
    expect(result.papers.slice(5).map((p) => p.meta?.doi)).toEqual([
      '10.5555/iclr.2022.0297',
      '10.5555/ws.2021.0031',
    ])
  })

  it('reads JSON Lines, blank lines between them', () => {
    const lines = parse(fixture('daily-papers.jsonl'))
    expect(lines.papers.map((p) => [p.title, p.line, p.meta?.arxivId, p.dumpDate])).toEqual([
      ['Turing Machine Evaluation for Large Language Model', 1, '2504.20771', '2025-08-19'],
      ['Kolmogorov-Arnold Transformer', 2, '2409.10594', '2025-08-19'],
      ['Compressing Pre-trained Models of Code into 3 MB', 4, '2208.07120', '2025-08-19'],
    ])
    for (const paper of lines.papers) expect(paper.abstract).toBe(sampleAbstract(paper.title))
  })

  it('reads a wrapping object’s list, dated by the wrapper', () => {
    const wrapped = parse(fixture('scrape-with-date.json'))
    expect(wrapped.papers.map((p) => [p.title, p.line, p.dumpDate, p.authors.length])).toEqual([
      ['HAWQV3: Dyadic Neural Network Quantization', 6, '2025-08-19', 4],
      ['Analyzing black-hole ringdowns II: data conditioning', 17, '2025-08-19', 2],
    ])
    for (const paper of wrapped.papers) expect(paper.abstract).toBe(sampleAbstract(paper.title))
  })

  it('joins hard wraps, keeps paragraph breaks, cleans markup and entities', () => {
    const text = JSON.stringify([
      {
        title: '  Schr\\"odinger Bridges\n  at <i>Scale</i> &amp; Speed  ',
        abstract:
          '<p>We solve $\\alpha$-problems\r\nat scale.\n \n  A second\n  paragraph&nbsp;here.</p>\n\n\n',
        authors: 'Ada Lovelace & Charles Babbage',
        keywords: 'diffusion; optimal transport, diffusion',
        url: 'https://example.org/paper).',
      },
    ])
    expect(parse(text).papers[0]).toEqual({
      title: 'Schr\\"odinger Bridges at Scale & Speed',
      abstract: 'We solve $\\alpha$-problems at scale.\n\nA second paragraph here.',
      authors: ['Ada Lovelace', 'Charles Babbage'],
      dumpDate: null,
      dumpDateText: null,
      line: 1,
      meta: { keywords: ['diffusion', 'optimal transport'], urls: ['https://example.org/paper'] },
    })
  })
})

describe('one paper per paper', () => {
  const titles = (records: object[]): [string, string | undefined, string][] =>
    parse(JSON.stringify(records)).papers.map((p) => [
      p.title,
      p.meta?.arxivId ?? p.meta?.doi,
      p.abstract,
    ])

  it('merges copies with the same arXiv id, DOI or title, filling what the first lacked', () => {
    expect(
      titles([
        { title: 'A', arxiv_id: '2408.01234v1' },
        { title: 'A (v2 title)', arxiv_id: 'arXiv:2408.01234v2', abstract: 'From v2.' },
        { title: 'B', doi: '10.1000/B' },
        { title: 'B again', doi: 'https://doi.org/10.1000/b', abstract: 'From the DOI copy.' },
        { title: 'The Same Title' },
        { title: 'the same title!', abstract: 'Filled.' },
      ]),
    ).toEqual([
      ['A', '2408.01234', 'From v2.'],
      ['B', '10.1000/b', 'From the DOI copy.'],
      ['The Same Title', undefined, 'Filled.'],
    ])
  })

  it('merges copies of one title only where no id differs', () => {
    const result = parse(
      JSON.stringify([
        { title: 'Attention', arxiv_id: '1706.03762', abstract: 'a' },
        // Another arXiv id: another paper.
        { title: 'Attention', arxiv_id: '2401.00001', abstract: 'b' },
        // Only a DOI: the first paper of the title that has none.
        { title: 'Attention', doi: '10.1000/x' },
        // Another DOI: not the first paper any more, the next that has none.
        { title: 'Attention', doi: '10.1000/y' },
        // No id at all: the first paper of the title.
        { title: 'Attention', abstract: 'e' },
        // Both ids, each new: a paper of its own.
        { title: 'Attention', arxiv_id: '2401.00002', doi: '10.1000/z' },
      ]),
    )
    expect(result.papers.map((p) => [p.abstract, p.meta?.arxivId, p.meta?.doi, p.line])).toEqual([
      ['a', '1706.03762', '10.1000/x', 1],
      ['b', '2401.00001', '10.1000/y', 1],
      ['', '2401.00002', '10.1000/z', 1],
    ])
    expect(result.warnings.filter((w) => /listed again/.test(w.message))).toHaveLength(3)
  })
})

describe('refusing what is not JSON, saying where', () => {
  const refused = (text: string): ImportError => {
    try {
      parse(text)
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError)
      return error as ImportError
    }
    throw new Error(`parsed: ${text}`)
  }

  it.each([
    ['[\n  {"title": "A",}\n]', 2, /column 17: a comma just before ‘}’/],
    ['[\n  {"title": "A"},\n]', 3, /column 1: a comma just before ‘]’/],
    [
      '[{"title": "A"} {"title": "B"}]',
      1,
      /column 17: unexpected ‘\{’ where ‘,’ or ‘]’ was expected/,
    ],
    ["{'title': 'A'}", 1, /column 2: unexpected ‘'’ where a member name in double quotes/],
    ['[{"title": NaN}]', 1, /column 12: .*its only words are true, false and null/],
    ['[{"title": "A\nB"}]', 1, /column 14: a text value runs onto the next line/],
    ['[{"title": "Attention Is', 1, /column 12: a text value starting here is never closed/],
    ['[{"title": "A\\x"}]', 1, /column 14: invalid escape \\x/],
    ['[{"n": 01}]', 1, /column 9: unexpected ‘1’/],
    ['[{"n": 1.}]', 1, /column 8: invalid number/],
    [
      '{"title": "A"}\n{"title": "B"\n{"title": "C"}',
      3,
      /column 1: unexpected ‘\{’ where ‘,’ or ‘\}’/,
    ],
    ['[\r\n{\r\n"title" "A"}]', 3, /column 9: unexpected ‘"’ where ‘:’ was expected/],
    ['[\r{\r"title": x}]', 3, /column 10: unexpected ‘x’/],
    ['\uFEFF[}', 1, /column 2: unexpected ‘\}’/],
    ['{"title": "A"} x', 1, /column 16: unexpected ‘x’ after the end of the JSON/],
    ['"A" "B"', 1, /column 5: unexpected ‘"’ after the end of the JSON/],
    ['[\u00a0{}]', 1, /column 2: unexpected space character U\+00A0/],
    [
      '[{"title": "A"}]\u0001',
      1,
      /column 17: unexpected control character U\+0001 after the end of the JSON/,
    ],
  ])('%j → line %i', (text, line, message) => {
    const error = refused(text)
    expect(error.line).toBe(line)
    expect(error.message).toMatch(/^not valid JSON at /)
    expect(error.message).toMatch(message)
  })

  it('names where an unclosed list opens when the text ends inside it', () => {
    const text = fixture('daily-papers-2025-08-19.json')
    const cut = text.slice(0, text.indexOf('"Scattering Vision'))
    const error = refused(cut)
    expect(error.line).toBe(cut.split('\n').length)
    expect(error.message).toMatch(
      /the text ends before an object ‘\{’ is closed \(it opens at line 243, column 14\)/,
    )
    const error2 = refused(text.slice(0, text.lastIndexOf('}') + 1))
    expect(error2.message).toMatch(
      /the text ends before a list ‘\[’ is closed \(it opens at line 1, column 1\)/,
    )
  })

  it('refuses JSON that holds no papers, with a reason', () => {
    expect(refused('[]')).toMatchObject({ line: 1, message: expect.stringMatching(/empty list/) })
    expect(refused('  \n\t')).toMatchObject({ message: 'the file is empty' })
    expect(refused('\n[1, 2]')).toMatchObject({
      line: 2,
      message: expect.stringMatching(/holds a number/),
    })
    expect(refused('"Attention Is All You Need"').message).toMatch(/holds a text value/)
    expect(refused('{"name": "lectern", "version": "0.1.0"}').message).toMatch(
      /object in this JSON has no title/,
    )
    expect(refused('[{"foo": 1},\n{"bar": 2}]').message).toMatch(
      /none of the 2 records in this JSON has a title/,
    )
    expect(refused('[[{"title": "Nested too deep"}]]').message).toMatch(/holds a list/)
  })

  it('keeps the first 100 warnings and counts the rest', () => {
    const records = Array.from({ length: 250 }, (_, i) =>
      i === 249 ? { title: 'Last' } : { abstract: `${i}` },
    )
    const result = parse(JSON.stringify(records, null, 1))
    expect(result.papers).toHaveLength(1)
    expect(result.skipped).toBe(249)
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(result.warnings[0]).toEqual({ line: 2, message: 'record 1 has no title; skipped' })
    expect(result.warnings[MAX_WARNINGS]).toEqual({
      line: null,
      message: '…and 150 more warnings (only the first 100 are listed)',
    })
  })
})

describe('recognising Hugging Face JSON', () => {
  it('is sure of the API’s answers and fairly sure of scrapers’ arrays', () => {
    for (const name of [
      'daily-papers-2025-08-19.json',
      'daily-papers-minified-bom.json',
      'two-days-crlf.json',
      'paper-2410.17779.json',
      'papers-search.json',
    ]) {
      expect(hfJsonImporter.detect(head(fixture(name))), name).toBeGreaterThanOrEqual(0.9)
    }
    for (const name of ['scraper-papers.json', 'daily-papers.jsonl', 'scrape-with-date.json']) {
      expect(hfJsonImporter.detect(head(fixture(name))), name).toBeGreaterThanOrEqual(0.5)
    }
  })

  it('wins over CSL-JSON on its own files, and loses on CSL-JSON', () => {
    for (const name of readdirSync(join(FORMATS_DIR, 'hf-json'))) {
      const h = head(fixture(name))
      expect(hfJsonImporter.detect(h), name).toBeGreaterThan(cslJsonImporter.detect(h))
    }
    for (const name of readdirSync(join(FORMATS_DIR, 'csl-json'))) {
      const h = head(readFileSync(join(FORMATS_DIR, 'csl-json', name), 'utf8'))
      expect(hfJsonImporter.detect(h), name).toBeLessThanOrEqual(0.1)
    }
  })

  it('does not claim the Daily Papers text or other formats’ files', () => {
    expect(hfJsonImporter.detect(head(SAMPLE))).toBe(0)
    for (const dir of readdirSync(FORMATS_DIR)) {
      if (dir === 'hf-json' || dir === 'csl-json') continue
      for (const name of readdirSync(join(FORMATS_DIR, dir))) {
        // Another format's fixtures may keep expected results as JSON beside them.
        if (/\.(json|jsonl|ndjson)$/.test(name)) continue
        const h = head(readFileSync(join(FORMATS_DIR, dir, name), 'utf8'))
        expect(hfJsonImporter.detect(h), `${dir}/${name}`).toBeLessThan(0.2)
      }
    }
    for (const text of [
      '[1] arXiv:2408.01234 [pdf, other]\nTitle: A Paper',
      '[Re] A Reproducibility Study\n\nWe reproduce.',
      '@article{x, title={A}}',
      'TY  - JOUR',
      'title,abstract\n"A","B"',
      '<?xml version="1.0"?><feed>',
    ]) {
      expect(hfJsonImporter.detect(text), text).toBe(0)
    }
  })
})

// Hostile input

/** JSON made of the pieces its parser meets, put together wrongly as often as rightly. */
const jsonPiece = fc.oneof(
  fc.constantFrom(
    '[',
    ']',
    '{',
    '}',
    ',',
    ':',
    '"',
    '\\',
    '"title"',
    '"summary"',
    '"abstract"',
    '"paper"',
    '"authors"',
    '"papers"',
    '"publishedAt"',
    '"submittedOnDailyAt"',
    '"2024-08-19T00:00:00Z"',
    '"2408.01234v2"',
    '"10.1000/x"',
    '"https://arxiv.org/abs/2408.01234"',
    '"A Title\\n  Wrapped"',
    '"&amp;<b>x</b>"',
    '{"name": "Ada Lovelace"}',
    'null',
    'true',
    '-0.5e+3',
    '01',
    '\\u12',
    '\n',
    '\r\n',
    '\r',
    ' ',
    '\uFEFF',
    '\u0000',
  ),
  fc.string({ unit: 'binary', maxLength: 8 }),
)
const jsonish = fc.array(jsonPiece, { maxLength: 60 }).map((parts) => parts.join(''))

/** Values of every type under the names the reader looks at, so each of its branches is met. */
const fieldValue = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'Attention Is All You Need',
    'A Title\n  Wrapped',
    '<i>Markup</i> &amp; &#233;',
    'Ada Lovelace, Charles Babbage and Alan Turing',
    'Lovelace, Ada; Babbage, Charles',
    '2408.01234v2',
    'arXiv:hep-th/9901001v1',
    'https://arxiv.org/abs/2408.01234v3',
    'https://arxiv.org/pdf/2408.01234.pdf',
    '10.1000/ABC.',
    'https://doi.org/10.48550/arXiv.2408.01234',
    '2024-08-19T23:59:59.000Z',
    '2024-02-30',
    'Aug 19',
    'Aug 19, 2024',
    '1999',
    'x,y;z',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(
    fc.oneof(fc.string({ maxLength: 10 }), fc.record({ name: fc.string({ maxLength: 10 }) })),
    {
      maxLength: 3,
    },
  ),
  fc.record({
    'date-parts': fc.array(fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }), {
      maxLength: 2,
    }),
  }),
)
const FIELD_NAMES = [
  'title',
  'summary',
  'abstract',
  'authors',
  'author',
  'id',
  'arxiv_id',
  'arxivId',
  'doi',
  'url',
  'link',
  'githubRepo',
  'date',
  'published',
  'publishedAt',
  'submittedOnDailyAt',
  'keywords',
  'ai_keywords',
  'venue',
  '__proto__',
  'constructor',
] as const
const flatRecord = fc.dictionary(fc.constantFrom(...FIELD_NAMES), fieldValue, { maxKeys: 8 })
const anyRecord = fc.oneof(
  flatRecord,
  fc.record({ paper: flatRecord, publishedAt: fieldValue, title: fieldValue }),
  fc.record({ title: fieldValue, details: fc.record({ abstract: fieldValue }) }),
  fieldValue,
)
const recordsText = fc
  .tuple(
    fc.array(anyRecord, { maxLength: 8 }),
    fc.constantFrom('array', 'wrapped', 'lines'),
    fc.nat(2),
  )
  .map(([records, shape, indent]) => {
    if (shape === 'wrapped')
      return JSON.stringify({ date: '2024-08-19', papers: records }, null, indent)
    if (shape === 'lines') return records.map((r) => JSON.stringify(r)).join('\n')
    return JSON.stringify(records, null, indent)
  })

/** A fixture with a few characters changed, inserted or cut. */
function mutated(text: string): fc.Arbitrary<string> {
  return fc
    .array(
      fc.tuple(
        fc.nat(text.length),
        fc.nat(8),
        fc.constantFrom('', ',', '"', '}', ']', '\n', 'x', '\\'),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) => {
      let t = text
      for (const [at, cut, insert] of edits) t = t.slice(0, at) + insert + t.slice(at + cut)
      return t
    })
}

describe('hostile input', () => {
  it('scans exactly what JSON.parse accepts, one value or several', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.json(), fc.string({ unit: 'binary' })), (text) => {
        let parsed = true
        try {
          JSON.parse(text)
        } catch {
          parsed = false
        }
        const scan = scanJson(text)
        if (parsed) {
          expect(scan).toMatchObject({ ok: true, roots: [expect.anything()] })
        } else if (scan.ok) {
          // Accepted by the scan but not by JSON.parse: only empty text or values one after another.
          expect(scan.roots.length).not.toBe(1)
          for (const root of scan.roots) JSON.parse(text.slice(root.start, root.end))
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('parses any text or refuses it with an ImportError, and nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ unit: 'binary' }), fc.json()), (text) => {
        const outcome = parsedOrRefused(text)
        if (!(outcome instanceof ImportError)) expectSane(outcome, text)
      }),
      { numRuns: 2000 },
    )
  })

  it('reads records of any shape and type, or refuses them with an ImportError', () => {
    fc.assert(
      fc.property(recordsText, (text) => {
        const outcome = parsedOrRefused(text)
        if (!(outcome instanceof ImportError)) expectSane(outcome, text)
      }),
      { numRuns: 3000 },
    )
  })

  it('parses mutated fixtures or refuses them with an ImportError', () => {
    const names = readdirSync(join(FORMATS_DIR, 'hf-json'))
    for (const name of names) {
      fc.assert(
        fc.property(mutated(fixture(name)), (text) => {
          const outcome = parsedOrRefused(text)
          if (!(outcome instanceof ImportError)) expectSane(outcome, text)
        }),
        { numRuns: 150 },
      )
    }
  })

  it('gets through megabytes of one character, deep nesting and long runs', () => {
    const mb = 1_000_000
    for (const c of ['[', '{', ' ', '"', 'a', '\n', '\\', '0', ',', ']']) {
      parsedOrRefused(c.repeat(mb))
    }
    expect(() => parse('{"a":'.repeat(100_000))).toThrow(ImportError)
    expect(() => parse('['.repeat(mb) + ']'.repeat(mb))).toThrow(/holds a list/)
    expect(() => parse('[{"title": "' + 'a'.repeat(10 * mb))).toThrow(/never closed/)
    expect(() => parse('[' + '{},'.repeat(mb / 3) + '{}]')).toThrow(/none of the/)
  })

  it('reads 100k short records and 100k JSON lines', () => {
    const records = Array.from(
      { length: 100_000 },
      (_, i) => `{"title":"Paper ${i}","summary":"S."}`,
    )
    const array = parse(`[\n${records.join(',\n')}\n]`)
    expect(array.papers).toHaveLength(100_000)
    expect(array.papers[99_999]!.line).toBe(100_001)
    const lines = parse(records.join('\n'))
    expect(lines.papers).toHaveLength(100_000)
    const copies = parse(Array(100_000).fill('{"title":"Same"}').join('\r\n'))
    expect(copies.papers).toHaveLength(1)
    expect(copies.warnings).toHaveLength(MAX_WARNINGS + 1)
    const sameTitle = Array.from({ length: 50_000 }, (_, i) => `{"title":"T","doi":"10.1000/${i}"}`)
    expect(parse(`[${sameTitle.join(',')}]`).papers).toHaveLength(50_000)
  })

  it('reads a huge field of spaces, dots, hyphens or commas in linear time', () => {
    const n = 2_000_000
    const huge = (fields: object): ParsedPaper =>
      parse(JSON.stringify([{ title: 'T', ...fields }])).papers[0]!
    expect(huge({ title: 'A' + ' '.repeat(n) + 'B' }).title).toBe('A B')
    expect(huge({ title: 'A' + ' \n'.repeat(n / 2) + 'B' }).title).toBe('A B')
    expect(huge({ summary: 'a\n'.repeat(n / 2) }).abstract).toHaveLength(n - 1)
    expect(huge({ summary: ' '.repeat(n) + 'x' + '\n \n'.repeat(n / 3) }).abstract).toBe('x')
    expect(huge({ arxiv_id: '-'.repeat(n) }).meta).toEqual({})
    expect(huge({ id: 'a-'.repeat(n / 2) + '/1234567' }).meta).toEqual({})
    expect(huge({ doi: '10.1234/' + '.'.repeat(n) + 'x' }).meta!.doi).toHaveLength(n + 9)
    expect(huge({ url: 'https://x.org/' + '.'.repeat(n) + 'x' }).meta!.urls).toHaveLength(1)
    expect(huge({ link: 'https://arxiv.org/abs/' + '-'.repeat(n) }).meta!.urls).toHaveLength(1)
    expect(huge({ authors: ','.repeat(n) + 'Ada' }).authors).toEqual(['Ada'])
    expect(huge({ authors: 'and '.repeat(n / 4) }).authors).toEqual([])
    expect(huge({ keywords: ';'.repeat(n) }).meta).toEqual({})
    expect(huge({ summary: '<a '.repeat(n / 3) }).abstract).toHaveLength(3 * Math.floor(n / 3) - 1)
    expect(
      huge({ summary: '</p'.repeat(n / 3) + '&#'.repeat(n / 2) }).abstract.length,
    ).toBeGreaterThan(0)
    expect(huge({ date: '2'.repeat(n) }).dumpDate).toBeNull()
    expect(cleanAbstract('<jats:title>'.repeat(n / 12) + '<jats:p ' + ' '.repeat(n))).not.toBe('')
  })
})
