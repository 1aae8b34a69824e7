// The RIS export: exact records for awkward papers, CRLF throughout, and reading the file back
// with Lectern's own RIS importer.
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

const ris = (papers: Paper[]): string => exportPapers('ris', { ...EXPORT_CONTEXT, papers })
const lines = (...l: string[]): string => l.map((line) => `${line}\r\n`).join('')
/** The records of an export, each with its own line ends. */
const records = (text: string): string[] => text.split(/\r\n(?=TY {2}- )/)

describe('RIS export', () => {
  it('writes one record a paper, CRLF line ends, a blank line between records', () => {
    const text = ris(AWKWARD)
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    expect(records(text)).toHaveLength(4)
    expect(text.split('\r\n\r\nTY  - ')).toHaveLength(4)
    expect(text.startsWith('TY  - JOUR\r\n')).toBe(true)
    expect(text.endsWith('ER  - \r\n')).toBe(true)
  })

  it('writes every field of a journal paper: TI, AU each, PY, T2, AB paragraphs, KW, DO, UR, AN', () => {
    expect(ris([AWKWARD[0]!])).toBe(
      lines(
        'TY  - JOUR',
        'TI  - Attention Is All You Need: {BERT} & 50% of $O(n^2)$ #1',
        'AU  - Vaswani, Ashish',
        'AU  - Kaiser, Łukasz',
        'AU  - van Beethoven, Ludwig',
        'AU  - King, Martin Luther, Jr.',
        'PY  - 2017',
        'T2  - Advances in Neural Information Processing Systems',
        'AB  - The dominant "sequence transduction" models use 100% recurrence_or_convolution.',
        '',
        // "<i>" is text, not markup: the importer reads "&lt;" back as "<".
        'We propose the Transformer: ~2× faster, $\\mathcal{O}(1)$ per step &amp; &lt;i>parallel&lt;/i>.',
        'KW  - attention',
        'KW  - sequence models, neural',
        'DO  - 10.48550/arxiv.1706.03762',
        'UR  - https://arxiv.org/abs/1706.03762',
        'UR  - https://github.com/tensorflow/tensor2tensor',
        'AN  - arXiv:1706.03762',
        'ER  - ',
      ),
    )
  })

  it('writes a DOI-only paper, an arXiv-only one (GEN) and one with no authors or year', () => {
    const [, schrodinger, scaling, divergences] = records(ris(AWKWARD))
    expect(schrodinger).toContain(
      'TI  - Quantisierung als Eigenwertproblem — Schrödinger’s “wave” equation, revisited\r\n',
    )
    expect(schrodinger).toContain('DO  - 10.1002/andp.19263840404\r\n')
    expect(schrodinger).not.toContain('AN  - ')
    expect(scaling).toBe(
      lines(
        'TY  - GEN',
        'TI  - Scaling laws for neural language models with Transformer and GPT-4',
        'AU  - OpenAI',
        'UR  - https://arxiv.org/abs/2001.08361v1',
        'UR  - https://arxiv.org/pdf/2001.08361v1',
        'AN  - arXiv:2001.08361',
        'ER  - ',
      ),
    )
    expect(divergences).toBe(
      lines(
        'TY  - GEN',
        'TI  - $\\alpha$-Divergences from $5 to $10 -- ‘tilde’ ~ caret ^ backslash \\ {unbalanced',
        'AB  - See https://example.org/a_b?c=1&d=2#frag for 100% of the code.',
        'UR  - https://example.org/a_b?c=1&d=2#frag',
        'ER  - ',
      ),
    )
  })

  it('never writes the reading note', () => {
    const text = ris(AWKWARD)
    expect(text).not.toMatch(/^N1 {2}-/m)
    expect(text).not.toContain('Self-attention')
  })

  it('keeps an abstract line that looks like a tag from ending the record', () => {
    const paper = makePaper({ abstract: 'First.\n\nER  - is how a record ends.', keywords: ['k'] })
    expect(ris([paper])).toContain('AB  - First.\r\n\r\n ER  - is how a record ends.\r\n')
    const [read] = parseDump(ris([paper]), NOW, 'ris').papers
    // Read as text (the importer makes runs of spaces one, as it does in any field).
    expect(read!.abstract).toBe('First.\n\nER - is how a record ends.')
    expect(read!.meta?.keywords).toEqual(['k'])
  })
})

describe('RIS export read back by the RIS importer', () => {
  it('gives the same title, abstract, authors, year, DOI, arXiv id, venue, keywords and links', () => {
    const result = parseDump(ris(AWKWARD), NOW, 'ris')
    expect(result.skipped).toBe(0)
    expect(result.papers.map(citedFieldsRead)).toEqual(AWKWARD.map(citedFields))
    expect(result.papers.map((p) => p.meta?.keywords ?? [])).toEqual(AWKWARD.map((p) => p.keywords))
    expect(result.papers.map((p) => p.meta?.urls ?? [])).toEqual(AWKWARD.map((p) => p.urls))
  })

  it('is recognised as RIS', () => {
    expect(detectFormats(ris(AWKWARD))[0]!.format).toBe('ris')
  })
})
