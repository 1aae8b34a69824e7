// CSL-JSON as Zotero, Better BibTeX, pandoc and Crossref write it: items to papers with their
// year, DOI, arXiv id and venue, the same paper read from Hugging Face JSON giving the same values.
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cslJsonImporter } from '../../../shared/importers/cslJson'
import { parseDailyPapers } from '../../../shared/importers/dailyPapers'
import { hfJsonImporter } from '../../../shared/importers/hfJson'
import { ImportError } from '../../../shared/importers/types'
import type { ParseResult, ParsedPaper } from '../../../shared/importers/types'
import { MAX_WARNINGS } from '../../../shared/importers/warnings'
import { SAMPLE } from '../../helpers/fixtures'

const NOW = new Date('2026-11-30T12:00:00Z')
const FORMATS_DIR = resolve(__dirname, '../../fixtures/formats')
const fixture = (name: string, dir = 'csl-json'): string =>
  readFileSync(join(FORMATS_DIR, dir, name), 'utf8')
const parse = (text: string): ParseResult => cslJsonImporter.parse(text, NOW)
const item = (fields: object): ParsedPaper => parse(JSON.stringify([fields])).papers[0]!

function head(text: string): string {
  const start = text.search(/\S/)
  return start === -1 ? '' : text.slice(start, start + 8192)
}

const SAMPLE_ABSTRACTS = new Map(
  parseDailyPapers(SAMPLE, NOW).papers.map((p) => [p.title, p.abstract]),
)
function sampleAbstract(title: string): string {
  const abstract = SAMPLE_ABSTRACTS.get(title)
  expect(abstract, title).toBeDefined()
  return abstract!
}

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
    expect(p.title).not.toMatch(/\n/)
    expect(p.dumpDate).toBeNull()
    for (const paragraph of p.abstract ? p.abstract.split('\n\n') : []) {
      expect(paragraph).not.toBe('')
      expect(paragraph).not.toMatch(/\n/)
    }
    for (const author of p.authors) expect(author).toMatch(/^\S([^\n]*\S)?$/)
    expect(p.line).toBeGreaterThanOrEqual(1)
    expect(p.line).toBeLessThanOrEqual(lines)
  }
}

describe('a Zotero export', () => {
  const result = parse(fixture('zotero-export.json'))

  it('reads every item: title, abstract, authors given name first, line', () => {
    expect(result.format).toBe('csl-json')
    expect(result.papers.map((p) => [p.title, p.authors, p.line])).toEqual([
      ['Thyme: Think Beyond Images', ['Yi-Fan Zhang', 'Xingyu Lu', 'Shukang Yin', 'Chaoyou Fu'], 2],
      ['Visualizing Data using t-SNE', ['Laurens van der Maaten', 'Geoffrey Hinton'], 52],
      [
        'HAWQ-V3: Dyadic Neural Network Quantization',
        [
          'Zhewei Yao',
          'Zhen Dong',
          'Zhangcheng Zheng',
          'Amir Gholami',
          'Michael W. Mahoney',
          'Kurt Keutzer',
        ],
        83,
      ],
      ['Long Short-Term Memory', ['Sepp Hochreiter', 'Jürgen Schmidhuber'], 134],
      ['GPT-4 Technical Report', ['OpenAI'], 165],
    ])
    expect(result.papers[0]!.abstract).toBe(sampleAbstract('Thyme: Think Beyond Images'))
    expect(result.papers[2]!.abstract).toBe(
      sampleAbstract('HAWQV3: Dyadic Neural Network Quantization'),
    )
    expect(result.papers[1]!.abstract).toMatch(/^We present a new technique called “t-SNE”/)
    expect(result.papers.every((p) => p.dumpDate === null && p.dumpDateText === null)).toBe(true)
  })

  it('reads year, arXiv id, DOI, venue, keywords and link as their normal forms', () => {
    expect(result.papers.map((p) => p.meta)).toEqual([
      {
        year: 2025,
        arxivId: '2508.11630',
        doi: '10.48550/arxiv.2508.11630',
        keywords: [
          'Computer Science - Computer Vision and Pattern Recognition',
          'Computer Science - Artificial Intelligence',
        ],
        urls: ['http://arxiv.org/abs/2508.11630'],
      },
      {
        year: 2008,
        venue: 'Journal of Machine Learning Research',
        urls: ['http://jmlr.org/papers/v9/vandermaaten08a.html'],
      },
      {
        year: 2021,
        venue: 'Proceedings of the 38th International Conference on Machine Learning',
        urls: ['https://proceedings.mlr.press/v139/yao21a.html'],
      },
      {
        year: 1997,
        doi: '10.1162/neco.1997.9.8.1735',
        venue: 'Neural Computation',
        urls: ['https://doi.org/10.1162/neco.1997.9.8.1735'],
      },
      {
        year: 2024,
        arxivId: '2303.08774',
        doi: '10.48550/arxiv.2303.08774',
        keywords: [
          'Computer Science - Computation and Language',
          'Computer Science - Artificial Intelligence',
        ],
        urls: ['http://arxiv.org/abs/2303.08774'],
      },
    ])
  })

  it('keeps an item without an abstract, with a warning naming its line', () => {
    expect(result.papers[3]!.abstract).toBe('')
    expect(result.warnings).toEqual([
      {
        line: 134,
        message: '“Long Short-Term Memory” has no abstract; imported with the title only',
      },
    ])
    expect(result.skipped).toBe(0)
  })

  it('gives the paper the same values as Hugging Face JSON does', () => {
    const [fromHf] = hfJsonImporter.parse(
      fixture('daily-papers-2025-08-19.json', 'hf-json'),
      NOW,
    ).papers
    const [fromCsl] = result.papers
    for (const key of ['title', 'abstract', 'authors'] as const)
      expect(fromCsl![key]).toEqual(fromHf![key])
    expect(fromCsl!.meta!.arxivId).toBe(fromHf!.meta!.arxivId)
    expect(fromCsl!.meta!.year).toBe(fromHf!.meta!.year)
  })
})

describe('Better BibTeX, pandoc and Crossref', () => {
  it('reads a Better BibTeX export saved with a BOM and CRLF, a paper listed twice', () => {
    const text = fixture('better-bibtex-crlf-bom.json')
    expect(text.startsWith('\uFEFF[\r\n')).toBe(true)
    const result = parse(text)
    const [attention, ringdown] = result.papers
    expect(result.papers).toHaveLength(2)
    expect(attention).toEqual({
      title: 'Attention Is All You Need',
      abstract:
        'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks that include an encoder and a decoder. The best performing models also connect the encoder and decoder through an attention mechanism. We propose a new simple network architecture, the Transformer, based solely on attention mechanisms, dispensing with recurrence and convolutions entirely.',
      authors: [
        'Ashish Vaswani',
        'Noam Shazeer',
        'Niki Parmar',
        'Jakob Uszkoreit',
        'Llion Jones',
        'Aidan N. Gomez',
        'Łukasz Kaiser',
        'Illia Polosukhin',
      ],
      dumpDate: null,
      dumpDateText: null,
      line: 2,
      meta: {
        year: 2017,
        // From the note ("arXiv: 1706.03762"); the version, DOI and keywords from the second copy.
        arxivId: '1706.03762',
        arxivVersion: 7,
        doi: '10.48550/arxiv.1706.03762',
        venue: 'Advances in Neural Information Processing Systems',
        keywords: [
          'Computer Science - Computation and Language',
          'Computer Science - Machine Learning',
        ],
        urls: [
          'https://proceedings.neurips.cc/paper/2017/hash/3f5ee243547dee91fbd053c1c4a845aa-Abstract.html',
        ],
      },
    })
    // The abstract in two paragraphs, each one hard-wrapped.
    const title = 'Analyzing black-hole ringdowns II: data conditioning'
    expect(ringdown).toMatchObject({
      title,
      line: 55,
      meta: { year: 2025, venue: 'Physical Review D' },
    })
    const paragraphs = ringdown!.abstract.split('\n\n')
    expect(paragraphs).toHaveLength(2)
    expect(paragraphs.join(' ')).toBe(sampleAbstract(title))
    expect(result.skipped).toBe(1)
    expect(result.warnings).toEqual([
      { line: 82, message: 'record 3 has no title; skipped' },
      {
        line: 100,
        message: expect.stringMatching(
          /^“Attention Is All You Need” is listed again here \(first at line 2\)/,
        ),
      },
    ])
  })

  it('reads the same papers from the export with LF line endings and no BOM', () => {
    const text = fixture('better-bibtex-crlf-bom.json')
    expect(parse(text.slice(1).replace(/\r\n/g, '\n'))).toEqual(parse(text))
  })

  it('reads pandoc’s references: CSL rich text, particles, suffixes, literal dates', () => {
    const result = parse(fixture('pandoc-references.json'))
    expect(result.papers.map((p) => [p.title, p.authors, p.meta])).toEqual([
      [
        'BERT: Pre-training of deep bidirectional transformers for language understanding',
        ['Jacob Devlin', 'Ming-Wei Chang', 'Kenton Lee', 'Kristina Toutanova'],
        {
          year: 2019,
          doi: '10.18653/v1/n19-1423',
          venue:
            'Proceedings of the 2019 Conference of the North American Chapter of the Association for Computational Linguistics: Human Language Technologies',
        },
      ],
      ['Python 3 reference manual', ['Guido van Rossum', 'Fred L. Drake Jr.'], { year: 2009 }],
      [
        'Fast and accurate model scaling',
        ['Piotr Dollár', 'Mannat Singh', 'Ross Girshick'],
        {
          year: 2021,
          arxivId: '2103.06877',
          venue:
            'Proceedings of the IEEE/CVF conference on computer vision and pattern recognition (CVPR)',
        },
      ],
      ['A mathematician’s apology', ['G. H. Hardy'], {}],
    ])
    expect(result.papers[0]!.abstract).toBe(
      'We introduce a new language representation model called BERT, which stands for Bidirectional Encoder Representations from Transformers.\n\nUnlike recent language representation models, BERT is designed to pre-train deep bidirectional representations from unlabeled text.',
    )
    expect(result.papers[2]!.abstract).toBe(sampleAbstract('Fast and Accurate Model Scaling'))
    expect(result.papers[3]!.abstract).toBe(
      'An essay on the aesthetics of mathematics & the place of the mathematician.',
    )
    expect(result.warnings).toEqual([
      {
        line: 39,
        message: '“Python 3 reference manual” has no abstract; imported with the title only',
      },
    ])
  })

  it('reads one Crossref item: a single object, its JATS abstract as paragraphs', () => {
    const result = parse(fixture('crossref-item.json'))
    expect(result.papers).toHaveLength(1)
    const [paper] = result.papers
    expect(paper).toMatchObject({
      title: 'Turing machine evaluation for large language model',
      authors: ['Haitao Wu', 'Zongbo Han', 'Changqing Zhang'],
      line: 1,
      meta: {
        year: 2025,
        doi: '10.5555/j.neunet.2025.107512',
        venue: 'Neural Networks',
        urls: ['https://doi.org/10.5555/j.neunet.2025.107512'],
      },
    })
    const paragraphs = paper!.abstract.split('\n\n')
    expect(paragraphs).toHaveLength(2)
    expect(paragraphs.join(' ')).toBe(
      sampleAbstract('Turing Machine Evaluation for Large Language Model'),
    )
  })
})

describe('fields', () => {
  it.each([
    [{ URL: 'http://arxiv.org/abs/2408.01234v2' }, '2408.01234', 2],
    [{ URL: 'https://arxiv.org/pdf/2408.01234v3.pdf' }, '2408.01234', 3],
    [{ URL: 'https://export.arxiv.org/abs/hep-th/9901001v1' }, 'hep-th/9901001', 1],
    [{ number: 'arXiv:2408.01234' }, '2408.01234', undefined],
    [{ number: '2408.01234v4' }, '2408.01234', 4],
    [{ note: 'arXiv: 2408.01234 [cs.CL]' }, '2408.01234', undefined],
    [{ note: 'Accepted at ICML. arXiv:math.AG/0309136v2' }, 'math/0309136', 2],
    [{ DOI: '10.48550/arXiv.2408.01234' }, '2408.01234', undefined],
    [{ archive_location: 'arXiv:2408.01234' }, '2408.01234', undefined],
    [{ number: '3' }, undefined, undefined],
    [{ number: '2021.12345.6' }, undefined, undefined],
    [{ URL: 'https://doi.org/10.1145/1234.56789' }, undefined, undefined],
    [{ DOI: '10.1145/1234.56789' }, undefined, undefined],
    [{ note: 'Report 1234.56789, not on arXiv' }, undefined, undefined],
  ])('%j → arXiv %s v%s', (fields, id, version) => {
    const meta = item({ title: 'T', ...fields }).meta!
    expect(meta.arxivId).toBe(id)
    expect(meta.arxivVersion).toBe(version)
  })

  it.each([
    [{ 'date-parts': [[2020, 3, 15]] }, 2020],
    [{ 'date-parts': [['2020', '3']] }, 2020],
    [{ 'date-parts': [[]], raw: '2019-07-01' }, 2019],
    [{ raw: 'Spring 2018' }, 2018],
    [{ literal: 'in press' }, undefined],
    ['2017-06-12', 2017],
    [{ 'date-parts': [['n.d.']] }, undefined],
    [{ 'date-parts': 'not a list' }, undefined],
    [null, undefined],
  ])('issued %j → %s', (issued, year) => {
    expect(item({ title: 'T', issued }).meta!.year).toBe(year)
  })

  it('reads names in every CSL form, and titles given as lists', () => {
    const paper = item({
      title: ['Deep Residual Learning', 'ignored'],
      'container-title': ['CVPR'],
      author: [
        { family: 'He', given: 'Kaiming' },
        { family: 'Beethoven', given: 'Ludwig', 'dropping-particle': 'van' },
        { family: 'Gogh', given: 'Vincent', 'non-dropping-particle': 'van' },
        { family: 'King', given: 'Martin Luther', suffix: 'Jr.' },
        { literal: 'The ATLAS Collaboration' },
        { family: 'Plato' },
        { given: 'Madonna' },
        { family: '  ', given: '' },
        'Curie, Marie',
        { name: 'Turing, Alan' },
      ],
      keyword: 'deep learning; residual networks, deep learning',
    })
    expect(paper.title).toBe('Deep Residual Learning')
    expect(paper.authors).toEqual([
      'Kaiming He',
      'Ludwig van Beethoven',
      'Vincent van Gogh',
      'Martin Luther King Jr.',
      'The ATLAS Collaboration',
      'Plato',
      'Madonna',
      'Marie Curie',
      'Alan Turing',
    ])
    expect(paper.meta).toEqual({ venue: 'CVPR', keywords: ['deep learning', 'residual networks'] })
  })

  it('reads a single item, and items listed under "items"', () => {
    const one = { type: 'article-journal', title: 'Alone', abstract: 'Here.' }
    expect(parse(JSON.stringify(one, null, 2)).papers.map((p) => [p.title, p.line])).toEqual([
      ['Alone', 1],
    ])
    const wrapped = JSON.stringify({ items: [one, { ...one, title: 'Second' }] }, null, 2)
    expect(parse(wrapped).papers.map((p) => [p.title, p.line])).toEqual([
      ['Alone', 3],
      ['Second', 8],
    ])
  })

  it('refuses broken JSON with its line, and JSON without items', () => {
    const broken = fixture('zotero-export.json').replace(
      '"title": "Long Short-Term Memory",',
      '"title": "Long Short-Term Memory"',
    )
    expect(() => parse(broken)).toThrow(
      expect.objectContaining({
        line: 143,
        message: expect.stringMatching(
          /^not valid JSON at column 3: unexpected ‘"’ where ‘,’ or ‘\}’/,
        ),
      }),
    )
    expect(() => parse('[]')).toThrow(/empty list/)
    expect(() => parse('[{"type": "book"}]')).toThrow(/object in this JSON has no title|none of/)
  })
})

describe('recognising CSL-JSON', () => {
  it('is sure of every CSL-JSON fixture, and of a single item', () => {
    for (const name of readdirSync(join(FORMATS_DIR, 'csl-json'))) {
      const h = head(fixture(name))
      expect(cslJsonImporter.detect(h), name).toBeGreaterThanOrEqual(0.9)
      expect(cslJsonImporter.detect(h), name).toBeGreaterThan(hfJsonImporter.detect(h))
    }
    const single =
      '{"id": "x", "type": "article-journal", "title": "T", "issued": {"date-parts": [[2020]]}}'
    expect(cslJsonImporter.detect(single)).toBeGreaterThanOrEqual(0.9)
  })

  it('leaves Hugging Face answers and scrapers’ arrays to hf-json', () => {
    for (const name of readdirSync(join(FORMATS_DIR, 'hf-json'))) {
      const h = head(fixture(name, 'hf-json'))
      expect(cslJsonImporter.detect(h), name).toBeLessThanOrEqual(0.1)
    }
    const scraped =
      '[{"title": "T", "abstract": "A.", "authors": ["Ada Lovelace"], "url": "https://x.org"}]'
    expect(cslJsonImporter.detect(scraped)).toBeLessThan(hfJsonImporter.detect(scraped))
  })

  it('does not claim the Daily Papers text or other formats’ files', () => {
    expect(cslJsonImporter.detect(head(SAMPLE))).toBe(0)
    for (const dir of readdirSync(FORMATS_DIR)) {
      if (dir === 'hf-json' || dir === 'csl-json') continue
      for (const name of readdirSync(join(FORMATS_DIR, dir))) {
        if (/\.(json|jsonl|ndjson)$/.test(name)) continue
        const h = head(fixture(name, dir))
        expect(cslJsonImporter.detect(h), `${dir}/${name}`).toBeLessThan(0.2)
      }
    }
    for (const text of ['[1] arXiv:2408.01234', '@misc{x, title={A}}', 'TY  - JOUR', '<feed>']) {
      expect(cslJsonImporter.detect(text), text).toBe(0)
    }
  })
})

// Hostile input

const fieldValue = fc.oneof(
  fc.constantFrom(
    '',
    'Attention Is All You Need',
    '<span class="nocase">BERT</span>: &amp;',
    'arXiv:2408.01234v2 [cs]',
    'http://arxiv.org/abs/hep-th/9901001v1',
    '10.48550/arXiv.2408.01234',
    'a, b; c',
    '<jats:title>Abstract</jats:title><jats:p>One.</jats:p>\n<jats:p>Two.</jats:p>',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
)
const person = fc.oneof(
  fc.dictionary(
    fc.constantFrom(
      'family',
      'given',
      'literal',
      'name',
      'suffix',
      'non-dropping-particle',
      'dropping-particle',
    ),
    fieldValue,
    { maxKeys: 4 },
  ),
  fieldValue,
)
const cslItem = fc.oneof(
  fc.record(
    {
      id: fieldValue,
      type: fc.constantFrom('article', 'article-journal', 'paper-conference', 'book', 'nonsense'),
      title: fieldValue,
      abstract: fieldValue,
      author: fc.oneof(fc.array(person, { maxLength: 4 }), fieldValue),
      issued: fc.oneof(
        fc.record({
          'date-parts': fc.array(fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }), {
            maxLength: 2,
          }),
        }),
        fc.record({ raw: fieldValue }),
        fieldValue,
      ),
      'container-title': fieldValue,
      DOI: fieldValue,
      URL: fieldValue,
      keyword: fieldValue,
      note: fieldValue,
      number: fieldValue,
    },
    { requiredKeys: [] },
  ),
  fieldValue,
)
const itemsText = fc
  .tuple(fc.array(cslItem, { maxLength: 8 }), fc.boolean(), fc.nat(2))
  .map(([items, single, indent]) => JSON.stringify(single ? (items[0] ?? {}) : items, null, indent))

function mutated(text: string): fc.Arbitrary<string> {
  return fc
    .array(
      fc.tuple(fc.nat(text.length), fc.nat(8), fc.constantFrom('', ',', '"', '}', ']', '\n', 'x')),
      {
        minLength: 1,
        maxLength: 4,
      },
    )
    .map((edits) => {
      let t = text
      for (const [at, cut, insert] of edits) t = t.slice(0, at) + insert + t.slice(at + cut)
      return t
    })
}

describe('hostile input', () => {
  it('reads items of any shape and type, or refuses them with an ImportError', () => {
    fc.assert(
      fc.property(itemsText, (text) => {
        const outcome = parsedOrRefused(text)
        if (!(outcome instanceof ImportError)) expectSane(outcome, text)
      }),
      { numRuns: 3000 },
    )
  })

  it('parses any text or refuses it with an ImportError, and nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json()), (text) => {
        const outcome = parsedOrRefused(text)
        if (!(outcome instanceof ImportError)) expectSane(outcome, text)
      }),
      { numRuns: 1000 },
    )
  })

  it('parses mutated fixtures or refuses them with an ImportError', () => {
    for (const name of readdirSync(join(FORMATS_DIR, 'csl-json'))) {
      fc.assert(
        fc.property(mutated(fixture(name)), (text) => {
          const outcome = parsedOrRefused(text)
          if (!(outcome instanceof ImportError)) expectSane(outcome, text)
        }),
        { numRuns: 150 },
      )
    }
  })

  it('reads huge fields and long lists in linear time', () => {
    const n = 1_000_000
    const authors = Array.from({ length: 100_000 }, (_, i) => ({ family: `F${i}`, given: 'G' }))
    expect(item({ title: 'T', author: authors }).authors).toHaveLength(100_000)
    expect(item({ title: 'T', note: 'arxiv'.repeat(n) }).meta).toEqual({})
    expect(item({ title: 'T', note: 'arXiv:' + '-'.repeat(n) }).meta).toEqual({})
    expect(item({ title: 'T', number: 'arxiv' + 'a-'.repeat(n) }).meta).toEqual({})
    expect(
      item({ title: 'T', URL: 'http://arxiv.org/abs/' + 'a-'.repeat(n) }).meta!.urls,
    ).toHaveLength(1)
    expect(
      item({ title: 'T', DOI: '10.48550/arxiv.' + '-'.repeat(n) }).meta!.arxivId,
    ).toBeUndefined()
    expect(item({ title: 'T', keyword: ', '.repeat(n) }).meta).toEqual({})
    expect(item({ title: Array(n).fill('x') }).title).toBe('x')
    expect(item({ title: 'T', issued: { 'date-parts': Array(n).fill([2020]) } }).meta!.year).toBe(
      2020,
    )
    expect(item({ title: 'T', issued: { raw: '2'.repeat(n) } }).meta).toEqual({})
    expect(
      item({ title: 'T', abstract: '<jats:p>'.repeat(n / 8) + ' \n'.repeat(n) }).abstract,
    ).toBe('')
    expect(
      item({ title: 'T', author: [{ literal: ' '.repeat(n) + 'X' + '\n'.repeat(n) }] }).authors,
    ).toEqual(['X'])
    const deep = '{"raw":'.repeat(100_000) + '"2020"' + '}'.repeat(100_000)
    expect(parse(`[{"title": "T", "issued": ${deep}}]`).papers[0]!.meta).toEqual({})
    const items = Array.from({ length: 100_000 }, (_, i) => ({ type: 'book', title: `Book ${i}` }))
    expect(parse(JSON.stringify(items)).papers).toHaveLength(100_000)
  })
})
