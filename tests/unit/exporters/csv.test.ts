// The CSV export: RFC 4180 text, the formula guard, and reading the file back with Lectern's
// own CSV importer.
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import type { Paper } from '../../../shared/domain'
import { exportPapers } from '../../../shared/exporters'
import { detectFormats, parseDump } from '../../../shared/importers'
import { NOW } from '../../helpers/importers'
import {
  AWKWARD,
  EXPORT_CONTEXT,
  citedFields,
  citedFieldsRead,
  makePaper,
} from '../../helpers/papers'

const csv = (papers: Paper[]): string => exportPapers('csv', { ...EXPORT_CONTEXT, papers })
const rows = (text: string): string[][] => Papa.parse<string[]>(text, { skipEmptyLines: true }).data

describe('CSV export', () => {
  it('writes the header row and one row a paper, CRLF between rows, quoting only what needs it', () => {
    const text = csv(AWKWARD)
    expect(text.split('\r\n')[0]).toBe(
      'title,authors,year,doi,arxiv,venue,keywords,url,abstract,status,note,added',
    )
    expect(text.endsWith('\r\n')).toBe(true)
    // The Schrödinger row, whole: the title and abstract hold commas and quotes, so are quoted.
    expect(text).toContain(
      '\r\n"Quantisierung als Eigenwertproblem — Schrödinger’s “wave” equation, revisited",' +
        'Erwin Schrödinger,1926,10.1002/andp.19263840404,,Annalen der Physik,,,' +
        '"In this paper I wish to consider, first, the simple case of the hydrogen atom, and show that the customary quantum conditions can be replaced by another postulate.\n\n' +
        'Second paragraph: commas, ""quotes"", semicolons; and a {braced} aside.",to-read,,2026-11-01T09:00:01.000Z\r\n',
    )
  })

  it('has the cells people expect: authors joined by "; ", one link, status, note, added', () => {
    const [header, transformer, , scaling, divergences] = rows(csv(AWKWARD))
    expect(Object.fromEntries(header!.map((h, i) => [h, transformer![i]]))).toEqual({
      title: 'Attention Is All You Need: {BERT} & 50% of $O(n^2)$ #1',
      authors: 'Ashish Vaswani; Łukasz Kaiser; Ludwig van Beethoven; Martin Luther King Jr.',
      year: '2017',
      doi: '10.48550/arxiv.1706.03762',
      arxiv: '1706.03762',
      venue: 'Advances in Neural Information Processing Systems',
      keywords: 'attention; sequence models, neural',
      url: 'https://arxiv.org/abs/1706.03762',
      // "<i>" is text: written as entities, which the importer reads back as the text.
      abstract:
        'The dominant "sequence transduction" models use 100% recurrence_or_convolution.\n\n' +
        'We propose the Transformer: ~2× faster, $\\mathcal{O}(1)$ per step &amp; &lt;i>parallel&lt;/i>.',
      status: 'read',
      note: AWKWARD[0]!.note,
      added: '2026-11-01T09:00:00.000Z',
    })
    // A note that starts with a Markdown list starts with "-": a spreadsheet would run it.
    expect(scaling![10]).toBe(`'${AWKWARD[2]!.note}`)
    expect(divergences!.slice(0, 4)).toEqual([AWKWARD[3]!.title, '', '', ''])
  })

  it('puts an apostrophe before cells a spreadsheet would run as a formula', () => {
    const paper = makePaper({
      title: '=HYPERLINK("https://evil.example","click")',
      authors: ['@mention'],
      venue: '+1 journal',
      abstract: '-2 is negative',
      note: '\tindented',
    })
    const [, row] = rows(csv([paper]))
    expect(row!.slice(0, 2)).toEqual(['\'=HYPERLINK("https://evil.example","click")', "'@mention"])
    expect(row![5]).toBe("'+1 journal")
    expect(row![8]).toBe("'-2 is negative")
    expect(row![10]).toBe("'\tindented")
    // The guard changes the value: the importer reads the apostrophe as part of the title.
    expect(parseDump(csv([paper]), NOW, 'csv').papers[0]!.title).toBe(
      '\'=HYPERLINK("https://evil.example","click")',
    )
  })

  it('writes names the importer would turn around family name first, and keeps a lone name whole', () => {
    const authors = ['John Smith III', 'Ada LOVELACE', 'Grace Hopper']
    expect(rows(csv([makePaper({ authors })]))[1]![1]).toBe(
      'III, John Smith; LOVELACE, Ada; Grace Hopper',
    )
    expect(parseDump(csv([makePaper({ authors })]), NOW, 'csv').papers[0]!.authors).toEqual(authors)
    const lone = ['Research and Development Team']
    expect(rows(csv([makePaper({ authors: lone })]))[1]![1]).toBe('Research and Development Team;')
    expect(parseDump(csv([makePaper({ authors: lone })]), NOW, 'csv').papers[0]!.authors).toEqual(
      lone,
    )
  })
})

describe('CSV export read back by the CSV importer', () => {
  it('gives the same title, abstract, authors, year, DOI, arXiv id, venue and keywords', () => {
    const result = parseDump(csv(AWKWARD), NOW, 'csv')
    expect(result.skipped).toBe(0)
    expect(result.papers.map(citedFieldsRead)).toEqual(AWKWARD.map(citedFields))
    expect(result.papers.map((p) => p.meta?.keywords ?? [])).toEqual(AWKWARD.map((p) => p.keywords))
    // One link: the importer reads a cell as a link only when it holds one.
    expect(result.papers.map((p) => p.meta?.urls ?? [])).toEqual(
      AWKWARD.map((p) => p.urls.slice(0, 1)),
    )
  })

  it('is recognised as CSV', () => {
    expect(detectFormats(csv(AWKWARD))[0]!.format).toBe('csv')
  })
})
