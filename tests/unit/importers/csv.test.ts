// The CSV/TSV reader: Scopus, Web of Science, Zotero and hand-made tables, columns found by their
// names (or a mapping the user chose), HTML in fields cleaned, broken quoting refused with its
// line, and hostile text.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csvHeaders, csvImporter, splitAuthors } from '../../../shared/importers/csv'
import { ImportError } from '../../../shared/importers/types'
import type { ParsedPaper, ParseResult } from '../../../shared/importers/types'
import { MAX_WARNINGS } from '../../../shared/importers/warnings'
import { SAMPLE } from '../../helpers/fixtures'
import { fixtureMutation, mutated } from '../../helpers/importers'

const NOW = new Date('2026-11-30T12:00:00Z')
const FIXTURES = resolve(__dirname, '../../fixtures')
const DIR = join(FIXTURES, 'formats/csv')
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8')
const read = (text: string, mapping?: Record<string, string>): ParseResult =>
  csvImporter.parse(text, NOW, mapping)

function paper(p: Partial<ParsedPaper> & { title: string; line: number }): ParsedPaper {
  return { abstract: '', authors: [], dumpDate: null, dumpDateText: null, ...p }
}

function parsedOrRefused(f: () => ParseResult, text: string): ParseResult | ImportError {
  try {
    return f()
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError)
    const e = error as ImportError
    expect(e.message.trim()).not.toBe('')
    expect(e.message.length).toBeLessThan(2000)
    if (e.line !== null) {
      expect(e.line).toBeGreaterThanOrEqual(1)
      expect(e.line).toBeLessThanOrEqual(text.split(/\r\n?|\n/).length)
    }
    return e
  }
}

function expectSane(result: ParseResult, text: string): void {
  const lines = text.split(/\r\n?|\n/).length
  expect(result.format).toBe('csv')
  expect(result.papers.length).toBeGreaterThan(0)
  expect(result.warnings.length).toBeLessThanOrEqual(MAX_WARNINGS + 1)
  result.warnings.forEach((w, i) => {
    expect(w.message).not.toBe('')
    if (i === MAX_WARNINGS) expect(w.message).toMatch(/^…and \d+ more/)
    else if (w.line !== null) {
      expect(w.line).toBeGreaterThanOrEqual(1)
      expect(w.line).toBeLessThanOrEqual(lines)
    }
  })
  for (const p of result.papers) {
    expect(p.title).not.toBe('')
    expect(p.title).not.toMatch(/\n/)
    expect(p.line).toBeGreaterThanOrEqual(1)
    expect(p.line).toBeLessThanOrEqual(lines)
  }
}

describe('exports as they come', () => {
  it('reads a Scopus export: full author names, author keywords, "[No abstract available]"', () => {
    const result = read(fixture('scopus.csv'))
    expect(result.papers).toEqual([
      paper({
        title: 'Attention is all you need',
        abstract:
          'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration. We propose a new simple network architecture, the Transformer, based solely on attention mechanisms. © 2017 Neural information processing systems foundation. All rights reserved.',
        authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar', 'Jakob Uszkoreit'],
        line: 2,
        meta: {
          year: 2017,
          venue: 'Advances in Neural Information Processing Systems',
          urls: [
            'https://www.scopus.com/inward/record.uri?eid=2-s2.0-85043240000&partnerID=40&md5=6b3b5ad8a2b1d1c07d5bf59f0f51d2a3',
          ],
        },
      }),
      paper({
        title: 'Highly accurate protein structure prediction with AlphaFold',
        abstract:
          'Proteins are essential to life, and understanding their structure can facilitate a mechanistic understanding of their function. Here we provide the first computational method that can regularly predict protein structures with atomic accuracy even in cases in which no similar structure is known. © 2021, The Author(s).',
        authors: ['John Jumper', 'Richard Evans', 'Alexander Pritzel', 'Demis Hassabis'],
        line: 3,
        meta: {
          year: 2021,
          doi: '10.1038/s41586-021-03819-2',
          venue: 'Nature',
          keywords: ['protein structure', 'deep learning', 'CASP14'],
          urls: [
            'https://www.scopus.com/inward/record.uri?eid=2-s2.0-85110998461&doi=10.1038%2fs41586-021-03819-2&partnerID=40&md5=8c0b1b5f0d0f2b0e6b8c3f8b1b1b1b1b',
          ],
        },
      }),
      paper({
        title: 'An introduction to kernel-based learning algorithms',
        authors: ['Klaus-Robert Müller', 'Bernhard Schölkopf'],
        line: 4,
        meta: {
          year: 2001,
          doi: '10.1109/72.914517',
          venue: 'IEEE Transactions on Neural Networks',
          keywords: ['Kernel methods', 'Support vector machines', 'Boosting'],
          urls: [
            'https://www.scopus.com/inward/record.uri?eid=2-s2.0-0035272287&doi=10.1109%2f72.914517&partnerID=40&md5=0f0e0d0c0b0a09080706050403020100',
          ],
        },
      }),
      paper({
        title: 'Adam: A method for stochastic optimization',
        abstract:
          'We introduce Adam, an algorithm for first-order gradient-based optimization of stochastic objective functions, based on adaptive estimates of lower-order moments.',
        authors: ['Diederik P. Kingma', 'Jimmy Lei Ba'],
        line: 5,
        meta: {
          year: 2015,
          venue:
            '3rd International Conference on Learning Representations, ICLR 2015 - Conference Track Proceedings',
          urls: [
            'https://www.scopus.com/inward/record.uri?eid=2-s2.0-85083951076&partnerID=40&md5=aaaabbbbccccddddeeeeffff00001111',
          ],
        },
      }),
    ])
    expect(result.warnings).toEqual([
      {
        line: 4,
        message:
          '“An introduction to kernel-based learning algorithms” has no abstract; imported with the title only',
      },
    ])
    expect(result.skipped).toBe(0)
  })

  it('reads a Web of Science tab-delimited export by its two-letter field tags', () => {
    const result = read(fixture('wos-savedrecs.txt'))
    expect(result.papers).toEqual([
      paper({
        title: 'Deep Residual Learning for Image Recognition',
        abstract:
          'Deeper neural networks are more difficult to train. We present a residual learning framework to ease the training of networks that are substantially deeper than those used previously.',
        authors: ['Kaiming He', 'Xiangyu Zhang', 'Shaoqing Ren', 'Jian Sun'],
        line: 2,
        meta: {
          year: 2016,
          doi: '10.1109/cvpr.2016.90',
          venue: '2016 IEEE CONFERENCE ON COMPUTER VISION AND PATTERN RECOGNITION (CVPR)',
          keywords: ['residual networks', 'image recognition', 'deep learning'],
        },
      }),
      paper({
        title: 'Deep learning',
        abstract:
          'Deep learning allows computational models that are composed of multiple processing layers to learn representations of data with multiple levels of abstraction.',
        authors: ['Yann LeCun', 'Yoshua Bengio', 'Geoffrey Hinton'],
        line: 3,
        meta: { year: 2015, doi: '10.1038/nature14539', venue: 'NATURE' },
      }),
      paper({
        title: 'Long short-term memory',
        abstract:
          'Learning to store information over extended time intervals by recurrent backpropagation takes a very long time, mostly because of insufficient, decaying error backflow.',
        authors: ['S Hochreiter', 'J Schmidhuber'],
        line: 4,
        meta: { year: 1997, doi: '10.1162/neco.1997.9.8.1735', venue: 'NEURAL COMPUTATION' },
      }),
    ])
    expect(result.warnings).toEqual([])
  })

  it('reads a Zotero export: arXiv id from the arXiv DOI, tags, paragraphs of the abstract', () => {
    const result = read(fixture('zotero.csv'))
    expect(result.papers).toEqual([
      paper({
        title: 'LLaMA: Open and Efficient Foundation Language Models',
        abstract:
          'We introduce LLaMA, a collection of foundation language models ranging from 7B to 65B parameters. We train our models on trillions of tokens.',
        authors: ['Hugo Touvron', 'Thibaut Lavril', 'Gautier Izacard'],
        line: 2,
        meta: {
          year: 2023,
          arxivId: '2302.13971',
          doi: '10.48550/arxiv.2302.13971',
          keywords: ['language models', 'open models'],
          urls: ['http://arxiv.org/abs/2302.13971'],
        },
      }),
      paper({
        title: 'An Undulatory Theory of the Mechanics of Atoms and Molecules',
        abstract:
          "The paper gives an account of the author's work on a new form of quantum theory.\n\nThe wave equation is proposed for the hydrogen atom.",
        authors: ['E. Schrödinger'],
        line: 4,
        meta: {
          year: 1926,
          doi: '10.1103/physrev.28.1049',
          venue: 'Physical Review',
          keywords: ['quantum mechanics'],
          urls: ['https://link.aps.org/doi/10.1103/PhysRev.28.1049'],
        },
      }),
      paper({
        title: 'Denoising Diffusion Probabilistic Models',
        authors: ['Jonathan Ho', 'Ajay Jain', 'Pieter Abbeel'],
        line: 7,
        meta: {
          year: 2020,
          venue: 'Advances in Neural Information Processing Systems',
          urls: [
            'https://proceedings.neurips.cc/paper/2020/hash/4c5bcfec8584af0d967f1ab10179ca4b-Abstract.html',
          ],
        },
      }),
    ])
    expect(result.warnings).toEqual([
      {
        line: 7,
        message:
          '“Denoising Diffusion Probabilistic Models” has no abstract; imported with the title only',
      },
    ])
  })

  it('reads a hand-made CSV: quoted line breaks, doubled quotes, a row without a title, copies', () => {
    const result = read(fixture('minimal.csv'))
    expect(result.papers).toEqual([
      paper({
        title: 'Attention Is All You Need',
        abstract: 'We propose the Transformer, based solely on attention mechanisms.',
        authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar'],
        line: 2,
        meta: { year: 2017, arxivId: '1706.03762', doi: '10.48550/arxiv.1706.03762' },
      }),
      paper({
        title: 'Thyme: Think Beyond Images',
        abstract:
          'Following the "thinking with images" concept, we introduce Thyme. Code: https://github.com/yfzhang114/Thyme.',
        authors: ['Ada Lovelace', 'Charles Babbage'],
        line: 3,
        meta: { year: 2025 },
      }),
      paper({
        title: 'A Paper Without an Abstract',
        authors: ['Grace Hopper'],
        line: 6,
        meta: { year: 1952 },
      }),
    ])
    expect(result.warnings).toEqual([
      { line: 5, message: 'a row with no title was skipped' },
      {
        line: 6,
        message: '“A Paper Without an Abstract” has no abstract; imported with the title only',
      },
      {
        line: 7,
        message:
          'the row at line 7 is the same paper as the one at line 2 (arXiv 1706.03762); read as one',
      },
    ])
    expect(result.skipped).toBe(1)
  })

  it('reads a semicolon-separated Excel export with a byte-order mark and CRLF', () => {
    const result = read(fixture('excel-semicolon.csv'))
    expect(result.papers).toEqual([
      paper({
        title: 'Ein Beitrag über Graphen',
        abstract: 'Wir untersuchen Graphen, Bäume und Wälder.',
        authors: ['Jörg Müller', 'Anna Schmidt'],
        line: 2,
        meta: { year: 2021, venue: 'Zeitschrift für Informatik' },
      }),
      paper({
        title: 'Zahlen; Mengen und Funktionen',
        abstract: 'Ein Abstract mit "Anführungszeichen" und einem Semikolon; mitten drin.',
        authors: ['Max Weber'],
        line: 3,
        meta: { year: 2019, venue: 'Mathematische Annalen' },
      }),
    ])
  })

  it('cleans HTML entities and tags out of fields', () => {
    const result = read(fixture('html-in-fields.csv'))
    expect(result.papers).toEqual([
      paper({
        title: 'Synthesis of H2O2 & O3 at <100 K',
        abstract:
          'We report the synthesis of H2O2.\n\nA second paragraph with emphasis, an entity é and a line break.',
        authors: ['Marie Curie', 'Irène Joliot-Curie'],
        line: 2,
        meta: {
          year: 1934,
          doi: '10.1063/1.1749835',
          venue: 'Journal of Chemical Physics & Physics Letters',
        },
      }),
      paper({
        title: 'The "Best" Paper: A&B',
        abstract: 'Short & sweet.',
        authors: ['John Smith'],
        line: 3,
        meta: { year: 2020, doi: '10.1038/xyz123', venue: 'Nature' },
      }),
    ])
  })

  it('reads the same rows with LF, CRLF, CR, a byte-order mark and blank lines before', () => {
    const lf = fixture('minimal.csv')
    const expected = read(lf)
    expect(read(lf.replace(/\n/g, '\r\n'))).toEqual(expected)
    expect(read(lf.replace(/\n/g, '\r'))).toEqual(expected)
    expect(read(`\uFEFF${lf}`)).toEqual(expected)
    const later = read(`\n\n${lf}`)
    expect(later.papers.map((p) => p.line)).toEqual(expected.papers.map((p) => p.line + 2))
  })
})

describe('columns', () => {
  it('names the headers it saw and those it reads when no column is a title', () => {
    expect(() => read('Name,Summary,Year\nA,B,2020\n')).toThrow(
      expect.objectContaining({
        line: 1,
        message:
          'no title column found in the header row (it has “Name”, “Summary”, “Year”); a column named “Title”, “Article Title”, “Document Title”, “Paper Title” or “TI” is read as the title',
      }),
    )
    // A header of half a million names is not listed name by name.
    expect(() => read(',a'.repeat(500_000))).toThrow(/“a”, “a”\) and 499980 more\)|and 499980 more/)
    expect(() => read(','.repeat(1_000_000))).toThrow(/the table holds no values at all/)
    expect(() => read(`${'x,'.repeat(50)}y\n`)).toThrow(/“x”, .* and 31 more\)/)
  })

  it('reads columns the user mapped, and ignores those mapped to "ignore"', () => {
    const text = 'Name,Summary,Writers,DOI\nA Paper,An abstract.,"Lovelace, Ada",10.1/x\n'
    const result = read(text, {
      name: 'title',
      Summary: 'abstract',
      WRITERS: 'authors',
      DOI: 'ignore',
    })
    expect(result.papers).toEqual([
      paper({ title: 'A Paper', abstract: 'An abstract.', authors: ['Ada Lovelace'], line: 2 }),
    ])
    expect(() => read(text, { Name: 'heading' })).toThrow(
      /the column “Name” is mapped to “heading”, which is not one of title, abstract/,
    )
  })

  it('lists the header names as written', () => {
    expect(csvHeaders(fixture('minimal.csv'))).toEqual([
      'title',
      'authors',
      'year',
      'doi',
      'abstract',
    ])
    expect(csvHeaders(fixture('excel-semicolon.csv'))).toEqual([
      'Title',
      'Authors',
      'Year',
      'Journal',
      'Abstract',
    ])
    expect(csvHeaders(fixture('wos-savedrecs.txt')).slice(0, 3)).toEqual(['PT', 'AU', 'BA'])
    expect(csvHeaders(fixture('wos-savedrecs.txt'))).not.toContain('')
    expect(csvHeaders(fixture('scopus.csv'))[0]).toBe('Authors')
    expect(csvHeaders('')).toEqual([])
    expect(csvHeaders('\n\n"A, B";C\n')).toEqual(['A, B', 'C'])
  })

  it('takes the delimiter from the header row', () => {
    const semicolons = 'Title;Year\nA, B and C;2020\n'
    expect(read(semicolons).papers.map((p) => [p.title, p.meta?.year])).toEqual([
      ['A, B and C', 2020],
    ])
    const tabs = 'Title\tAbstract\n"Quoted\tTab"\tText, with; both\n'
    expect(read(tabs).papers.map((p) => [p.title, p.abstract])).toEqual([
      ['Quoted\tTab'.replace('\t', ' '), 'Text, with; both'],
    ])
  })

  it('warns about rows with more values than the header has names', () => {
    const result = read('Title,Year\nA Title, With a Comma,2020\nFine,2021\n')
    expect(result.warnings).toContainEqual({
      line: 2,
      message:
        'this row has 3 values but the header names 2 columns; the extra ones were ignored (is a value holding the delimiter not quoted?)',
    })
  })

  it('splits author lists the ways exports write them', () => {
    expect(splitAuthors('Vaswani A.; Shazeer N.; van der Berg J.')).toEqual([
      'A. Vaswani',
      'N. Shazeer',
      'J. van der Berg',
    ])
    expect(splitAuthors('Vaswani, A., Shazeer, N., Parmar, N.')).toEqual([
      'A. Vaswani',
      'N. Shazeer',
      'N. Parmar',
    ])
    expect(splitAuthors('Ada Lovelace, Charles Babbage and Alan Turing')).toEqual([
      'Ada Lovelace',
      'Charles Babbage',
      'Alan Turing',
    ])
    expect(splitAuthors('Lovelace, Ada and Babbage, Charles')).toEqual([
      'Ada Lovelace',
      'Charles Babbage',
    ])
    expect(splitAuthors('Lovelace, Ada')).toEqual(['Ada Lovelace'])
    expect(splitAuthors('Vaswani, Ashish (57193452700); Shazeer, Noam (57193452800)')).toEqual([
      'Ashish Vaswani',
      'Noam Shazeer',
    ])
    expect(splitAuthors('A. Smith, B. Jones, et al.')).toEqual(['A. Smith', 'B. Jones'])
    expect(splitAuthors('  ')).toEqual([])
  })
})

describe('problems, with their lines', () => {
  it('refuses a quote that is never closed, naming the row where it opens', () => {
    expect(() => read(fixture('malformed-unterminated.csv'))).toThrow(
      expect.objectContaining({
        line: 4,
        message: expect.stringMatching(
          /^a quoted field in the row that starts here is never closed/,
        ),
      }),
    )
    expect(() => read('Title,Year\n"A" and more,2020\n')).toThrow(
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(/text after its closing/),
      }),
    )
  })

  it('refuses an empty table', () => {
    expect(() => read('')).toThrow(/the file is empty/)
    expect(() => read(' \n\n ')).toThrow(/the file is empty/)
    expect(() => read('Title,Abstract\n')).toThrow(/has a header row but no rows/)
    expect(() => read('Title,Abstract\n,x\n,y\n')).toThrow(/none of the 2 rows has a title/)
  })
})

describe('recognising CSV/TSV', () => {
  const headOf = (text: string): string => {
    const start = text.search(/\S/)
    return start === -1 ? '' : text.slice(start, start + 8192)
  }

  it('is sure of every CSV fixture', () => {
    for (const name of readdirSync(DIR)) {
      expect(csvImporter.detect(headOf(fixture(name))), name).toBeGreaterThanOrEqual(0.9)
    }
  })

  it('does not claim the Daily Papers sample or the other formats’ fixtures', () => {
    expect(csvImporter.detect(headOf(SAMPLE))).toBe(0)
    const others: string[] = []
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (path === DIR) continue
        if (statSync(path).isDirectory()) walk(path)
        else others.push(path)
      }
    }
    walk(FIXTURES)
    for (const path of others) {
      expect(csvImporter.detect(headOf(readFileSync(path, 'utf8'))), path).toBeLessThan(0.5)
    }
  })

  it('is less sure of a title column alone, or rows that do not fit the header', () => {
    expect(csvImporter.detect('Title\nA Paper\nAnother')).toBe(0.4)
    expect(csvImporter.detect('Title\n\nAn abstract, as page text has it.\n')).toBe(0)
    expect(csvImporter.detect('Title,Abstract\nA,B,C\n')).toBe(0.6)
    expect(csvImporter.detect('Name,Year,Venue\nA,1,X\nB,2,Y\n')).toBe(0.25)
    expect(csvImporter.detect('Aug 19\n\nA Title, With a Comma\n\nAn abstract.')).toBe(0)
  })
})

// Hostile input

const tokens = fc.constantFrom(
  'Title',
  'Abstract',
  'Authors',
  'DOI',
  'TI',
  ',',
  ';',
  '\t',
  '"',
  '""',
  '\n',
  '\r\n',
  '\r',
  ' ',
  'x',
  'A Title',
  '&amp;',
  '&egrave;',
  '<br />',
  '<SUB>',
  '</p>',
  '10.1000/x',
  'arXiv:2408.01234v2',
  'https://arxiv.org/abs/2408.01234',
  '\uFEFF',
  '\u0000',
)
const csvSoup = fc.array(tokens, { maxLength: 60 }).map((t) => t.join(''))
const fixtureNames = readdirSync(DIR).filter((n) => !n.startsWith('malformed'))

describe('hostile input', () => {
  it('reads or refuses any text, never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          csvSoup,
          csvSoup.map((t) => `Title,Abstract\n${t}`),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
        ),
        (text) => {
          const result = parsedOrRefused(() => read(text), text)
          if (!(result instanceof ImportError)) expectSane(result, text)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('reads or refuses mutated fixtures', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtureNames),
        fc.array(fixtureMutation(tokens), { minLength: 1, maxLength: 6 }),
        (name, mutations) => {
          const text = mutated(fixture(name), mutations)
          const result = parsedOrRefused(() => read(text), text)
          if (!(result instanceof ImportError)) expectSane(result, text)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('gets through a megabyte of one character', () => {
    for (const c of ['"', ',', ';', '\t', '\n', ' ', 'x', '<', '&']) {
      const text = c.repeat(1_000_000)
      const result = parsedOrRefused(() => read(text), text)
      expect(result).toBeInstanceOf(ImportError)
      expect(csvImporter.detect(text.slice(0, 8192))).toBeLessThan(0.5)
    }
  })

  it('gets through 100,000 rows, a huge field and a huge header', () => {
    const rows = `Title,Year\n${Array.from({ length: 100_000 }, (_, i) => `Paper ${i},2020`).join('\n')}`
    const many = read(rows)
    expect(many.papers).toHaveLength(100_000)
    expect(many.papers[99_999]).toMatchObject({ title: 'Paper 99999', line: 100_001 })
    expect(many.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(many.warnings[MAX_WARNINGS]!.message).toMatch(/^…and 99900 more warnings/)

    const huge = read(`Title,Abstract\nT,"${'word '.repeat(200_000)}"\n`)
    expect(huge.papers[0]!.abstract).toHaveLength(200_000 * 5 - 1)
    const spaces = read(`Title,Abstract\nT,a${' '.repeat(1_000_000)}b\n`)
    expect(spaces.papers[0]!.abstract).toBe('a b')
    const punctuation = read(
      `Title,DOI,URL\nT,10.1000/${'.'.repeat(500_000)}x,https://x.org/${')'.repeat(500_000)}\n`,
    )
    expect(punctuation.papers[0]!.meta).toBeUndefined()
    const header = `Title,${'Other,'.repeat(200_000)}Last\nA,${','.repeat(200_000)}B\n`
    expect(read(header).papers.map((p) => p.title)).toEqual(['A'])
  })
})
