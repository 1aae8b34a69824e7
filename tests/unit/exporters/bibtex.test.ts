// The BibTeX export: the exact entries for awkward papers, citation keys, and reading the file
// back with Lectern's own BibTeX importer.
import { describe, expect, it } from 'vitest'
import { exportPapers } from '../../../shared/exporters'
import { citationKeys } from '../../../shared/exporters/names'
import { detectFormats, parseDump } from '../../../shared/importers'
import { NOW } from '../../helpers/importers'
import {
  AWKWARD,
  EXPORT_CONTEXT,
  citedFields,
  citedFieldsRead,
  makePaper,
} from '../../helpers/papers'
import type { Paper } from '../../../shared/domain'

const bibtex = (papers: Paper[]): string => exportPapers('bibtex', { ...EXPORT_CONTEXT, papers })
const entries = (text: string): string[] => text.split(/\n(?=@)/)

describe('BibTeX export', () => {
  it('writes an @article with every field, TeX escaped, math and UTF-8 as they are', () => {
    expect(entries(bibtex(AWKWARD))[0]).toBe(
      [
        '@article{vaswani2017attention,',
        // The braces of "{BERT}" are text; the word is protected as a whole (twice braced: a
        // group that opens with a command is an accented letter to BibTeX).
        String.raw`  title = {Attention Is All You Need: {{\textbraceleft{}BERT\textbraceright{}}} \& 50\% of {$O(n^2)$} \#1},`,
        '  author = {Ashish Vaswani and Łukasz Kaiser and Ludwig van Beethoven and King, Jr., Martin Luther},',
        '  journal = {Advances in Neural Information Processing Systems},',
        '  year = {2017},',
        '  doi = {10.48550/arxiv.1706.03762},',
        '  eprint = {1706.03762},',
        '  archivePrefix = {arXiv},',
        '  url = {https://arxiv.org/abs/1706.03762},',
        // A keyword holds a comma: semicolons separate them.
        '  keywords = {attention; sequence models, neural},',
        String.raw`  abstract = {The dominant "sequence transduction" models use 100\% recurrence\_or\_convolution.`,
        '',
        String.raw`We propose the Transformer: \textasciitilde{}2× faster, $\mathcal{O}(1)$ per step \& <i>parallel</i>.}`,
        '}',
        '',
      ].join('\n'),
    )
  })

  it('protects only the words whose capitals a style must keep, never the whole title', () => {
    const [, schrodinger, scaling] = entries(bibtex(AWKWARD))
    // Written in sentence case: the capitalised words are names.
    expect(schrodinger).toContain(
      '  title = {Quantisierung als {Eigenwertproblem} — {Schrödinger’s} “wave” equation, revisited},',
    )
    expect(scaling).toContain(
      '  title = {Scaling laws for neural language models with {Transformer} and {GPT-4}},',
    )
    // In title case only what has capitals inside is braced.
    const titleCase = bibtex([makePaper({ title: 'Deep Residual Learning for ImageNet and CNNs' })])
    expect(titleCase).toContain('  title = {Deep Residual Learning for {ImageNet} and {CNNs}}\n')
    expect(titleCase).not.toMatch(/title = \{\{/)
  })

  it('escapes every TeX special outside math, braces that pair as \\{ \\}, ligatures broken', () => {
    const [, schrodinger, , divergences] = entries(bibtex(AWKWARD))
    expect(schrodinger).toContain(String.raw`semicolons; and a \{braced\} aside.}`)
    expect(divergences).toBe(
      [
        '@misc{anondivergences,',
        // "$\alpha$" is math; "$5 to $" is not (a space before the closing "$"). The brace has no
        // partner, so it is a command: "\{" would end the field for BibTeX.
        String.raw`  title = {$\alpha$-Divergences from \$5 to \$10 -{}- ‘tilde’ \textasciitilde{} caret \textasciicircum{} backslash \textbackslash{} \textbraceleft{}unbalanced},`,
        // A url field is read verbatim (hyperref, biblatex): nothing escaped.
        '  url = {https://example.org/a_b?c=1&d=2#frag},',
        String.raw`  abstract = {See https://example.org/a\_b?c=1\&d=2\#frag for 100\% of the code.}`,
        '}',
        '',
      ].join('\n'),
    )
  })

  it('writes an arXiv-only paper as @misc with eprint, and a paper with no year or authors', () => {
    const [, , scaling, divergences] = entries(bibtex(AWKWARD))
    expect(scaling).toBe(
      [
        '@misc{openaiscaling,',
        '  title = {Scaling laws for neural language models with {Transformer} and {GPT-4}},',
        '  author = {OpenAI},',
        '  eprint = {2001.08361},',
        '  archivePrefix = {arXiv},',
        '  url = {https://arxiv.org/abs/2001.08361v1}',
        '}',
        '',
      ].join('\n'),
    )
    expect(divergences).not.toMatch(/author|year|eprint/)
  })

  it('never writes the reading note', () => {
    const text = bibtex(AWKWARD)
    expect(text).not.toMatch(/\bnote\s*=|annote/i)
    expect(text).not.toContain('Self-attention')
  })

  it('braces names with "and" or a comma, and keeps a name starting with "@" off a line start', () => {
    const text = bibtex([
      makePaper({
        authors: ['Research and Development Team', 'Smith, J.', 'Jean de la Fontaine'],
        abstract: 'First.\n\n@article{x, is not an entry}',
      }),
    ])
    expect(text).toContain(
      '  author = {{Research and Development Team} and {Smith, J.} and Jean de la Fontaine},',
    )
    expect(text).toContain(String.raw`{@}article\{x, is not an entry\}}`)
    const read = parseDump(text, NOW, 'bibtex').papers
    expect(read).toHaveLength(1)
    expect(read[0]!.authors).toEqual([
      'Research and Development Team',
      'Smith, J.',
      'Jean de la Fontaine',
    ])
    expect(read[0]!.abstract).toBe('First.\n\n@article{x, is not an entry}')
  })
})

describe('citation keys', () => {
  it('are family name, year and first title word, in lower-case ASCII', () => {
    expect(citationKeys(AWKWARD)).toEqual([
      'vaswani2017attention',
      'schrodinger1926quantisierung',
      'openaiscaling',
      'anondivergences',
    ])
    const keys = citationKeys([
      makePaper({ authors: ['Łukasz Żółw'], year: 2020, title: 'The Œuvre of ß' }),
      makePaper({ authors: ['Ludwig van Beethoven'], title: 'On a Symphony' }),
      makePaper({ authors: ['张伟'], title: '深度学习' }),
    ])
    expect(keys).toEqual(['zolw2020oeuvre', 'beethovensymphony', 'anon'])
  })

  it('get a, b, c… on clashes, the paper added first keeping the plain key whatever the order', () => {
    const a = makePaper({ id: 1, authors: ['Ada Lovelace'], year: 1843, title: 'Notes A' })
    const b = makePaper({ id: 2, authors: ['Ada Lovelace'], year: 1843, title: 'Notes B' })
    const c = makePaper({ id: 3, authors: ['Ada Lovelace'], year: 1843, title: 'Notes C' })
    expect(citationKeys([a, b, c])).toEqual([
      'lovelace1843notes',
      'lovelace1843notesa',
      'lovelace1843notesb',
    ])
    expect(citationKeys([c, a, b])).toEqual([
      'lovelace1843notesb',
      'lovelace1843notes',
      'lovelace1843notesa',
    ])
    // A suffixed key never takes another paper's plain key.
    const d = makePaper({ id: 4, authors: ['Ada Lovelace'], year: 1843, title: 'Notesa' })
    const keys = citationKeys([a, b, d])
    expect(new Set(keys).size).toBe(3)
    expect(keys).toEqual(['lovelace1843notes', 'lovelace1843notesb', 'lovelace1843notesa'])
  })

  it('are unique across many clashing papers', () => {
    const papers = Array.from({ length: 60 }, (_, i) =>
      makePaper({ id: i + 1, authors: ['Ada Lovelace'], title: 'Notes' }),
    )
    const keys = citationKeys(papers)
    expect(new Set(keys).size).toBe(60)
    expect(keys.slice(0, 3)).toEqual(['lovelacenotes', 'lovelacenotesa', 'lovelacenotesb'])
    expect(keys[27]).toBe('lovelacenotesaa')
  })
})

describe('BibTeX export read back by the BibTeX importer', () => {
  it('gives the same title, abstract, authors, year, DOI, arXiv id, venue and keywords', () => {
    const result = parseDump(bibtex(AWKWARD), NOW, 'bibtex')
    expect(result.skipped).toBe(0)
    expect(result.papers.map(citedFieldsRead)).toEqual(AWKWARD.map(citedFields))
    expect(result.papers.map((p) => p.meta?.keywords ?? [])).toEqual(AWKWARD.map((p) => p.keywords))
    // One link: BibTeX's url field holds one.
    expect(result.papers.map((p) => p.meta?.urls ?? [])).toEqual(
      AWKWARD.map((p) => p.urls.slice(0, 1)),
    )
    // The only warnings are about papers that have no abstract.
    expect(result.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('@misc{openaiscaling} (“Scaling laws'),
    ])
  })

  it('is recognised as BibTeX', () => {
    expect(detectFormats(bibtex(AWKWARD))[0]!.format).toBe('bibtex')
  })
})
