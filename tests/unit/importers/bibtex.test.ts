// The BibTeX reader: real exports (Zotero with Better BibTeX, JabRef, Google Scholar, BibLaTeX),
// macros and cross-references, broken files, and hostile text. Every paper is checked field by
// field; every problem must name its line.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse as parseWithLibrary } from '@retorquere/bibtex-parser'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bibtexImporter } from '../../../shared/importers/bibtex'
import { ImportError } from '../../../shared/importers/types'
import type { ParsedPaper, ParseResult } from '../../../shared/importers/types'
import { MAX_WARNINGS } from '../../../shared/importers/warnings'
import { SAMPLE } from '../../helpers/fixtures'
import { fixtureMutation, mutated } from '../../helpers/importers'

const NOW = new Date('2026-11-30T12:00:00Z')
const FIXTURES = resolve(__dirname, '../../fixtures')
const DIR = join(FIXTURES, 'formats/bibtex')
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8')
const read = (text: string): ParseResult => bibtexImporter.parse(text, NOW)

/** A paper as the reader gives it, with the fields every BibTeX paper shares filled in. */
function paper(p: Partial<ParsedPaper> & { title: string; line: number }): ParsedPaper {
  return { abstract: '', authors: [], dumpDate: null, dumpDateText: null, ...p }
}

/** Runs `f`; if it throws, the error must be an ImportError with something to say. */
function parsedOrRefused(f: () => ParseResult, text: string): ParseResult | ImportError {
  try {
    return f()
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

/** Papers have titles and lines in the text; warnings are capped and name lines in the text. */
function expectSane(result: ParseResult, text: string): void {
  const lines = text.split(/\r\n?|\n/).length
  expect(result.format).toBe('bibtex')
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

describe('BibTeX exports as they come', () => {
  it('reads a Zotero Better BibTeX export', () => {
    const result = read(fixture('zotero-better-bibtex.bib'))
    expect(result.papers).toEqual([
      paper({
        title: 'Attention Is All You Need',
        abstract:
          'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration. The best performing models also connect the encoder and decoder through an attention mechanism. We propose a new simple network architecture, the Transformer, based solely on attention mechanisms, dispensing with recurrence and convolutions entirely.',
        authors: [
          'Ashish Vaswani',
          'Noam Shazeer',
          'Niki Parmar',
          'Jakob Uszkoreit',
          'Llion Jones',
          'Aidan N. Gomez',
          'Lukasz Kaiser',
          'Illia Polosukhin',
        ],
        line: 2,
        meta: {
          year: 2017,
          arxivId: '1706.03762',
          arxivVersion: 7,
          doi: '10.48550/arxiv.1706.03762',
          keywords: [
            'Computer Science - Computation and Language',
            'Computer Science - Machine Learning',
          ],
        },
      }),
      paper({
        title: 'An Undulatory Theory of the Mechanics of Atoms and Molecules',
        abstract:
          "The paper gives an account of the author's work on a new form of quantum theory. §1. The Hamiltonian analogy between mechanics and optics. §2. The analogy is to be extended to include the wave theory of light: the wave equation $\\nabla^2\\psi + \\frac{8\\pi^2 m}{h^2}(E - V)\\psi = 0$ is proposed for the hydrogen atom.",
        authors: ['Erwin Schrödinger'],
        line: 19,
        meta: {
          year: 1926,
          doi: '10.1103/physrev.28.1049',
          venue: 'Physical Review',
          urls: ['https://link.aps.org/doi/10.1103/PhysRev.28.1049'],
        },
      }),
      paper({
        title: 'Denoising Diffusion Probabilistic Models',
        abstract:
          'We present high quality image synthesis results using diffusion probabilistic models, a class of latent variable models inspired by considerations from nonequilibrium thermodynamics. Our best results are obtained by training on a weighted variational bound designed according to a novel connection between diffusion probabilistic models and denoising score matching with Langevin dynamics. On the unconditional CIFAR10 dataset, we obtain an Inception score of 9.46 and a state-of-the-art FID score of 3.17.\n\nOur implementation is available at https://github.com/hojonathanho/diffusion.',
        authors: ['Jonathan Ho', 'Ajay Jain', 'Pieter Abbeel'],
        line: 35,
        meta: {
          year: 2020,
          venue: 'Advances in Neural Information Processing Systems',
          keywords: ['diffusion models', 'generative models', 'score matching'],
          urls: [
            'https://proceedings.neurips.cc/paper/2020/hash/4c5bcfec8584af0d967f1ab10179ca4b-Abstract.html',
          ],
        },
      }),
      paper({
        title: 'GPT-4 Technical Report',
        abstract:
          'We report the development of GPT-4, a large-scale, multimodal model which can accept image and text inputs and produce text outputs. GPT-4 achieves human-level performance on various professional and academic benchmarks, scoring in the top 10% of test takers on a simulated bar exam & more.',
        authors: ['OpenAI', 'Josh Achiam', 'Steven Adler'],
        line: 50,
        meta: { year: 2023, arxivId: '2303.08774' },
      }),
      paper({
        title: 'Sketch of The Analytical Engine Invented by Charles Babbage, Esq.',
        authors: ['Luigi Federico Menabrea', 'Ada Augusta Lovelace'],
        line: 62,
        meta: { year: 1843, venue: 'Scientific Memoirs', keywords: ['history of computing'] },
      }),
    ])
    expect(result.warnings).toEqual([
      {
        line: 62,
        message:
          '@article{lovelaceSketchAnalyticalEngine1843} (“Sketch of The Analytical Engine Invented by Charles Babbage…”) has no abstract; imported with the title only',
      },
    ])
    expect(result.skipped).toBe(0)
  })

  it('reads a JabRef library: Windows paths in file fields, metadata comments, groups', () => {
    const result = read(fixture('jabref.bib'))
    expect(result.papers.map((p) => [p.line, p.title, p.authors, p.meta])).toEqual([
      [
        3,
        'Adam: A Method for Stochastic Optimization',
        ['Diederik P. Kingma', 'Jimmy Ba'],
        {
          year: 2014,
          arxivId: '1412.6980',
          venue: 'CoRR',
          keywords: ['optimization', 'stochastic gradient descent'],
        },
      ],
      [
        17,
        'Deep Residual Learning for Image Recognition',
        ['Kaiming He', 'Xiangyu Zhang', 'Shaoqing Ren', 'Jian Sun'],
        {
          year: 2016,
          doi: '10.1109/cvpr.2016.90',
          venue: '2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
        },
      ],
      [
        30,
        'Efficient Estimation of Word Representations in Vector Space',
        ['Tomáš Mikolov', 'Kai Chen', 'Greg Corrado', 'Jeffrey Dean'],
        { year: 2013, arxivId: '1301.3781', venue: 'arXiv e-prints' },
      ],
    ])
    expect(result.papers[0]!.abstract).toMatch(/^We introduce Adam, .* data and\/or parameters\.$/)
    expect(result.warnings).toEqual([
      { line: 17, message: expect.stringContaining('@InProceedings{He2016}') },
    ])
    expect(result.skipped).toBe(0)
  })

  it('reads a Google Scholar export: titles as written, "others" dropped, arXiv from the journal', () => {
    const result = read(fixture('google-scholar.bib'))
    expect(result.papers).toEqual([
      paper({
        title: 'Attention is all you need',
        authors: [
          'Ashish Vaswani',
          'Noam Shazeer',
          'Niki Parmar',
          'Jakob Uszkoreit',
          'Llion Jones',
          'Aidan N Gomez',
          'Łukasz Kaiser',
          'Illia Polosukhin',
        ],
        line: 1,
        meta: { year: 2017, venue: 'Advances in neural information processing systems' },
      }),
      paper({
        title: 'Learning transferable visual models from natural language supervision',
        authors: [
          'Alec Radford',
          'Jong Wook Kim',
          'Chris Hallacy',
          'Aditya Ramesh',
          'Gabriel Goh',
          'Sandhini Agarwal',
          'Girish Sastry',
          'Amanda Askell',
          'Pamela Mishkin',
          'Jack Clark',
        ],
        line: 8,
        meta: { year: 2021, arxivId: '2103.00020', venue: 'arXiv preprint arXiv:2103.00020' },
      }),
      paper({
        title: 'Bert: Pre-training of deep bidirectional transformers for language understanding',
        authors: ['Jacob Devlin', 'Ming-Wei Chang', 'Kenton Lee', 'Kristina Toutanova'],
        line: 14,
        meta: {
          year: 2019,
          venue:
            'Proceedings of the 2019 conference of the North American chapter of the association for computational linguistics: human language technologies, volume 1 (long and short papers)',
        },
      }),
      paper({
        title: 'Deep learning',
        authors: ['Ian Goodfellow', 'Yoshua Bengio', 'Aaron Courville', 'Yoshua Bengio'],
        line: 21,
        meta: { year: 2016 },
      }),
    ])
    // Google Scholar gives no abstracts: each paper says so, at its line.
    expect(
      result.warnings.map((w) => [
        w.line,
        w.message.endsWith('has no abstract; imported with the title only'),
      ]),
    ).toEqual([
      [1, true],
      [8, true],
      [14, true],
      [21, true],
    ])
  })

  it('reads BibLaTeX: date, journaltitle, eprinttype, name parts, math kept as LaTeX', () => {
    const result = read(fixture('biblatex.bib'))
    expect(result.papers.map((p) => [p.line, p.title, p.authors, p.meta])).toEqual([
      [
        1,
        'LLaMA: Open and Efficient Foundation Language Models',
        ['Hugo Touvron', 'Thibaut Lavril', 'Gautier Izacard', 'Xavier Martinet'],
        { year: 2023, arxivId: '2302.13971', keywords: ['language models', 'open models'] },
      ],
      [
        13,
        'Highly Accurate Protein Structure Prediction with AlphaFold',
        ['John Jumper', 'Richard Evans', 'Alexander Pritzel', 'Demis Hassabis'],
        { year: 2021, doi: '10.1038/s41586-021-03819-2', venue: 'Nature' },
      ],
      [
        25,
        'Hierarchical Text-Conditional Image Generation with CLIP Latents',
        ['Aditya Ramesh', 'Prafulla Dhariwal', 'Alex Nichol', 'Casey Chu', 'Mark Chen'],
        {
          year: 2022,
          arxivId: '2204.06125',
          arxivVersion: 1,
          venue: 'arXiv',
          urls: ['https://arxiv.org/abs/2204.06125v1'],
        },
      ],
      [
        37,
        'Über die Schwierigkeit des Lernens: $\\mathcal{O}(n \\log n)$ Schranken für Online-Verfahren',
        ['Anna-Maria van der Lee'],
        { year: 2019 },
      ],
    ])
    expect(result.papers[3]!.abstract).toBe(
      'Wir untersuchen untere Schranken. Die Ergebnisse gelten für alle $k \\geq 2$.',
    )
  })

  it('resolves @string macros, concatenation and month names; follows crossref', () => {
    const result = read(fixture('macros.bib'))
    expect(result.papers.map((p) => [p.line, p.title, p.authors, p.meta])).toEqual([
      [
        11,
        'Dropout: A Simple Way to Prevent Neural Networks from Overfitting',
        [
          'Nitish Srivastava',
          'Geoffrey Hinton',
          'Alex Krizhevsky',
          'Ilya Sutskever',
          'Ruslan Salakhutdinov',
        ],
        { year: 2014, venue: 'Journal of Machine Learning Research' },
      ],
      [
        24,
        'Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift',
        ['Sergey Ioffe', 'Christian Szegedy'],
        {
          year: 2015,
          venue: 'Proceedings of the International Conference on Machine Learning (ICML)',
        },
      ],
      // The volume it cross-references gives it its venue and year …
      [
        33,
        'Auto-Encoding Variational Bayes',
        ['Diederik P. Kingma', 'Max Welling'],
        {
          year: 2014,
          venue: '2nd International Conference on Learning Representations, ICLR 2014',
        },
      ],
      [
        40,
        'Generative Adversarial Nets',
        ['Ian Goodfellow', 'Jean Pouget-Abadie', 'Mehdi Mirza'],
        { year: 2014, venue: 'Advances in Neural Information Processing Systems' },
      ],
      // … and is no paper itself.
    ])
    expect(result.warnings).toEqual([])
    expect(result.skipped).toBe(0)
  })

  it('reads the same papers with a byte-order mark and Windows line endings', () => {
    const crlf = fixture('crlf-bom.bib')
    expect(crlf.startsWith('\uFEFF@article')).toBe(true)
    expect(crlf).toContain('\r\n')
    const plain = read(fixture('google-scholar.bib'))
    expect(read(crlf)).toEqual(plain)
    // Old Mac line endings, and everything on one line, too.
    expect(read(fixture('google-scholar.bib').replace(/\n/g, '\r'))).toEqual(plain)
    const oneLine = read(fixture('google-scholar.bib').replace(/\n/g, ' '))
    expect(oneLine.papers.map((p) => p.title)).toEqual(plain.papers.map((p) => p.title))
    expect(new Set(oneLine.papers.map((p) => p.line))).toEqual(new Set([1]))
  })

  it('reads odd spacing, parentheses, quotes, % comments and entries without a key', () => {
    const text = [
      '% A comment line @article{commented, title = {Not a paper}}',
      '@ARTICLE (paren2020 ,',
      '\ttitle\t=\t"A Title in {Quotes} With a {\\"u}mlaut",',
      '  % a comment between fields',
      '  author =',
      '     "Lovelace, Ada"   #   " and Babbage, Charles" ,',
      '  year = 2020 )',
      '',
      '@misc{, title = {An Entry Without a Key}, abstract = {It still counts.}}',
      '@misc{title = {Only a Field}}',
    ].join('\n')
    const result = read(text)
    expect(result.papers.map((p) => [p.line, p.title, p.authors, p.meta?.year])).toEqual([
      [2, 'A Title in Quotes With a ümlaut', ['Ada Lovelace', 'Charles Babbage'], 2020],
      [9, 'An Entry Without a Key', [], undefined],
      [10, 'Only a Field', [], undefined],
    ])
  })
})

describe('LaTeX in fields', () => {
  const titleOf = (title: string): string =>
    read(`@misc{k, title = {${title}}, abstract = {A.}}`).papers[0]!.title

  it('turns text-mode LaTeX into Unicode and keeps the capitals as written', () => {
    expect(titleOf('{Schr{\\"o}dinger} Bridges')).toBe('Schrödinger Bridges')
    expect(titleOf('Schr\\"odinger and Mat\\\'ern')).toBe('Schrödinger and Matérn')
    expect(titleOf('R\\&D, 50\\% and \\#1 and a\\_b')).toBe('R&D, 50% and #1 and a_b')
    expect(titleOf('A {\\textbackslash} Path')).toBe('A \\ Path')
    expect(titleOf('{BERT} and {GPT}-2 for {NLP}: a {Study}')).toBe(
      'BERT and GPT-2 for NLP: a Study',
    )
    expect(titleOf("Pages 1--2, ``Quoted'' and Tom\\'{a}\\v{s}")).toBe(
      'Pages 1–2, “Quoted” and Tomáš',
    )
    expect(titleOf('\\emph{Emphasis}, \\textbf{Bold} and \\textsc{Small Caps}')).toBe(
      'Emphasis, Bold and Small Caps',
    )
    expect(titleOf("Caf\\'e \\ss{} \\o{} \\AA{} \\c{c} \\v c")).toBe('Café ß ø Å ç č')
  })

  it('keeps math, "<", ">", "@" and unknown commands as written', () => {
    expect(titleOf('$\\alpha$-Divergences and $$x^2$$ Bounds')).toBe(
      '$\\alpha$-Divergences and $$x^2$$ Bounds',
    )
    expect(titleOf('Is P<NP? A > B, see @user')).toBe('Is P<NP? A > B, see @user')
    expect(titleOf('\\ours{}: Fast \\method{X} Things')).toBe('\\ours: Fast \\method X Things')
    // A "%" in a .bib field is a percent sign, not the start of a LaTeX comment.
    expect(titleOf('A 50% Cut \\emph{and} More')).toBe('A 50% Cut and More')
  })

  it('keeps paragraphs of an abstract apart and joins wrapped lines', () => {
    const text =
      '@misc{k, title = {T}, abstract = {First line\n  wrapped here. Has $x$.\n\n  Second \\emph{paragraph}\n\n\n  Third.}}'
    expect(read(text).papers[0]!.abstract).toBe(
      'First line wrapped here. Has $x$.\n\nSecond paragraph\n\nThird.',
    )
  })

  it('warns and keeps the text when the LaTeX cannot be read', () => {
    const result = read('@misc{k,\n title = {Unclosed $math and \\emph{x}},\n abstract = {Fine.}}')
    expect(result.papers[0]!.title).toBe('Unclosed $math and x')
    expect(result.warnings).toEqual([
      {
        line: 2,
        message:
          'some LaTeX in “title” of @misc{k} could not be read (a “$” is not closed); that part is kept as written',
      },
    ])
  })

  it('gives the text the parser gives, for words it reads itself and words it leaves to it', () => {
    // Words without LaTeX skip the parser; this checks that the result is the same.
    const word = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9]{1,8}$/),
      fc.constantFrom(
        '{GAN}s',
        '{\\"o}',
        'Schr\\"odinger',
        "\\'e",
        '\\v{s}',
        '\\v c',
        '\\ss',
        '\\ss{}',
        '\\emph{x y}',
        '\\textit{Word}',
        '{\\em z}',
        '\\&',
        '\\_',
        '\\#',
        '\\$',
        '--',
        '---',
        "``q''",
        "don't",
        'A.~B.',
        '\\\\',
        '{}',
        '{{x}}',
        '(a)',
        '[b]',
        '&',
        '#',
        'a_b',
        'x^y',
        '!',
        '?',
        ':',
        ';',
        ',',
        '.',
        '-',
        '"',
        '\\{',
        '\\}',
      ),
    )
    const space = fc.constantFrom(' ', '  ', '\n', '\t', ' \n ')
    const field = fc
      .array(fc.tuple(word, space), { minLength: 1, maxLength: 12 })
      .map((parts) => parts.flat().join('').trim())
    const library = (value: string): string =>
      (
        parseWithLibrary(`@misc{x,title={${value}}}`, { english: false, sentenceCase: false })
          .entries[0]!.fields.title ?? ''
      )
        .normalize('NFC')
        .replace(/<[^<>]*>/g, '')
        .replace(/\u00A0/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    fc.assert(
      fc.property(field, (value) => {
        const expected = library(value)
        // A title of nothing but a line break is no title; the reader says so.
        if (expected === '') return
        expect(read(`@misc{k, title = {${value}}}`).papers[0]!.title).toBe(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('splits names as the parser does, for fields it reads itself', () => {
    const part = fc.constantFrom(
      'Ada',
      'Lovelace',
      'A.',
      'J.-P.',
      'van',
      'der',
      'de la',
      'von',
      "O'Neil",
      'Jr.',
      'III',
      '{Google DeepMind}',
      '{van Gogh}',
      '{Barnes and Noble}',
      'others',
      'AND',
      'Zoë',
    )
    const name = fc.oneof(
      fc.array(part, { minLength: 1, maxLength: 4 }).map((p) => p.join(' ')),
      fc
        .tuple(fc.array(part, { minLength: 1, maxLength: 2 }), fc.array(part, { maxLength: 2 }))
        .map(([family, given]) => `${family.join(' ')}, ${given.join(' ')}`),
      fc.tuple(part, part, part).map(([family, jr, given]) => `${family}, ${jr}, ${given}`),
    )
    const field = fc
      .tuple(
        fc.array(name, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(' and ', '\nand\n', ' AND '),
      )
      .map(([names, and]) => names.join(and))
    const library = (value: string): string[] => {
      const result = parseWithLibrary(`@misc{x,author={${value}}}`, {
        english: false,
        sentenceCase: false,
      })
      return (result.entries[0]?.fields.author ?? [])
        .map((c) =>
          (c.name ?? [c.firstName, c.prefix, c.lastName, c.suffix].filter((p) => p).join(' '))
            .normalize('NFC')
            .replace(/\s+/g, ' ')
            .trim(),
        )
        .filter((n) => n !== '' && n.toLowerCase() !== 'others')
    }
    fc.assert(
      fc.property(field, (value) => {
        const ours = read(`@misc{k, title = {T}, author = {${value}}}`)
        expect(ours.papers[0]!.authors).toEqual(library(value))
      }),
      { numRuns: 300 },
    )
  })
})

describe('problems, with their lines', () => {
  it('skips broken entries with a warning naming the line, and reads the rest', () => {
    const result = read(fixture('malformed-recoverable.bib'))
    expect(result.papers.map((p) => [p.line, p.title, p.authors, p.meta])).toEqual([
      [1, 'A Perfectly Fine Entry', ['Ada Lovelace'], { year: 2020 }],
      [
        14,
        'Fields Without a Comma Between Them',
        ['Alan Turing'],
        { year: 2022, venue: 'neurips' },
      ],
      [33, 'The Last Entry, Which Is Not Closed', [], undefined],
    ])
    expect(result.warnings).toEqual([
      {
        line: 9,
        message:
          'the field “title” in @article{unbalanced2021} is not closed before the next entry (line 14): its “{” (line 9) has no matching “}”; the @article entry at line 8 was skipped',
      },
      {
        line: 16,
        message:
          'a “,” is missing after the field “title” in @article{nocomma2022}; read as if it were there',
      },
      {
        line: 17,
        message:
          'a “,” is missing after the field “author” in @article{nocomma2022}; read as if it were there',
      },
      {
        line: 18,
        message: '“neurips” is not a @string defined before it; its name is kept as the text',
      },
      {
        line: 23,
        message:
          'the field “title” in @article{noequals2023} has no “=” after it (found “{”); the @article entry at line 22 was skipped',
      },
      { line: 27, message: '@misc{notitle2024} has no title; skipped' },
      {
        line: 33,
        message:
          '@article{last2025} is not closed (a “}” is missing at the end of the file); its fields were read',
      },
    ])
    expect(result.skipped).toBe(3)
  })

  it('refuses a file whose braces never close, naming the line where they open', () => {
    const text = fixture('malformed-unclosed.bib')
    expect(() => read(text)).toThrow(ImportError)
    expect(() => read(text)).toThrow(
      expect.objectContaining({
        line: 12,
        message:
          'the field “abstract” in @article{second2021} is not closed: its “{” (line 12) has no matching “}” before the end of the file',
      }),
    )
    expect(() => read('@misc{k,\n title = "Open quote\n and no end\n')).toThrow(
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(/opening “"” \(line 2\)/),
      }),
    )
    expect(() => read('@comment{ never closed\n@misc{k, title={T}}')).toThrow(
      expect.objectContaining({
        line: 1,
        message: expect.stringMatching(/@comment is not closed/),
      }),
    )
  })

  it('warns about duplicated fields and keeps the first', () => {
    const result = read('@misc{k,\n  title = {First},\n  Title = {Second},\n  abstract = {A.}\n}')
    expect(result.papers[0]!.title).toBe('First')
    expect(result.warnings).toEqual([
      { line: 3, message: '“Title” appears twice in @misc{k}; the first one (line 2) is kept' },
    ])
  })

  it('skips entries without a title, naming the key and the line', () => {
    const result = read(
      '@misc{a, title = {Kept}, abstract = {A.}}\n\n@book{b,\n  author = {X, Y}\n}',
    )
    expect(result.papers.map((p) => p.title)).toEqual(['Kept'])
    expect(result.skipped).toBe(1)
    expect(result.warnings).toEqual([{ line: 3, message: '@book{b} has no title; skipped' }])
  })

  it('refuses text with no entries, or no entry with a title', () => {
    expect(() => read('Just some text.\nNothing here.')).toThrow(/no BibTeX entries found/)
    expect(() => read('@comment{only a comment}\n@string{x = "y"}')).toThrow(ImportError)
    expect(() => read('@misc{a, author = {X}}\n@misc{b, year = 2020}')).toThrow(
      expect.objectContaining({ line: 1, message: 'none of the 2 BibTeX entries has a title' }),
    )
    expect(() => read('@misc{a, title {X}}')).toThrow(
      expect.objectContaining({
        line: 1,
        message: expect.stringMatching(/^no BibTeX entry could be read: /),
      }),
    )
  })

  it('warns about an "@" that starts a line but no entry', () => {
    const result = read(
      '@misc without a brace\n@misc{k, title = {T}, abstract = {A.}}\nmail me@example.org',
    )
    expect(result.papers).toHaveLength(1)
    expect(result.warnings).toEqual([
      {
        line: 1,
        message: '“@misc” is not followed by “{”, so it does not start an entry; ignored',
      },
    ])
  })

  it('treats entries inside @comment{…} as commented out', () => {
    const result = read(
      '@comment{\n@misc{hidden, title = {Hidden}}\n}\n@misc{shown, title = {Shown}, abstract = {A.}}',
    )
    expect(result.papers.map((p) => p.title)).toEqual(['Shown'])
  })
})

describe('copies of one paper', () => {
  it('reads copies as one paper, filling in what the first lacks', () => {
    const result = read(fixture('duplicates.bib'))
    expect(result.papers.map((p) => [p.line, p.title, p.meta])).toEqual([
      [
        1,
        'High-Resolution Image Synthesis with Latent Diffusion Models',
        {
          year: 2021,
          arxivId: '2112.10752',
          venue:
            'Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)',
        },
      ],
      // Same title, different DOIs: two papers.
      [
        21,
        'A Survey of Graph Neural Networks',
        {
          year: 2020,
          doi: '10.1145/1111111',
          venue: 'ACM Computing Surveys',
          keywords: ['graphs'],
        },
      ],
      [
        29,
        'A Survey of Graph Neural Networks',
        {
          year: 2020,
          doi: '10.1109/tnnls.2020.2978386',
          venue: 'IEEE Transactions on Neural Networks and Learning Systems',
        },
      ],
    ])
    expect(result.papers[0]!.authors).toEqual([
      'Robin Rombach',
      'Andreas Blattmann',
      'Dominik Lorenz',
      'Patrick Esser',
      'Björn Ommer',
    ])
    expect(result.papers[0]!.abstract).toMatch(/^By decomposing the image formation process/)
    expect(result.warnings).toEqual([
      {
        line: 10,
        message:
          '@inproceedings{rombach2022cvpr} is the same paper as the one at line 1 (arXiv 2112.10752); read as one',
      },
      { line: 21, message: expect.stringContaining('has no abstract') },
      { line: 29, message: expect.stringContaining('has no abstract') },
      {
        line: 37,
        message:
          '@misc{notes-copy} is the same paper as the one at line 21 (same title); read as one',
      },
    ])
  })
})

describe('recognising BibTeX', () => {
  const headOf = (text: string): string => {
    const start = text.search(/\S/)
    return start === -1 ? '' : text.slice(start, start + 8192)
  }

  it('is sure of every BibTeX fixture', () => {
    for (const name of readdirSync(DIR)) {
      expect(bibtexImporter.detect(headOf(fixture(name))), name).toBeGreaterThanOrEqual(0.9)
    }
  })

  it('does not claim the Daily Papers sample or the other formats’ fixtures', () => {
    expect(bibtexImporter.detect(headOf(SAMPLE))).toBe(0)
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
      expect(bibtexImporter.detect(headOf(readFileSync(path, 'utf8'))), path).toBeLessThan(0.5)
    }
  })

  it('is less sure when text comes before the first entry', () => {
    expect(bibtexImporter.detect('This file was created with JabRef 2.10.\n\n@article{k,')).toBe(
      0.8,
    )
    expect(bibtexImporter.detect('Contact me @twitter {or not}')).toBe(0)
    expect(bibtexImporter.detect('TY  - JOUR\nTI  - A title\nER  -')).toBe(0)
  })
})

// Hostile input

const fixtureNames = readdirSync(DIR).filter((n) => !n.startsWith('malformed-unclosed'))
const tokens = fc.constantFrom(
  '@article{',
  '@misc(',
  '@string{',
  '@comment{',
  '@preamble{',
  '@',
  '{',
  '}',
  '(',
  ')',
  '"',
  ',',
  '=',
  '#',
  ' and ',
  'title',
  'author',
  'abstract',
  'eprint',
  'doi',
  'x',
  'jan',
  '\n',
  '\r\n',
  '\r',
  '%',
  '\\',
  '$',
  '~',
  '\\"o',
  '{\\"o}',
  '\\emph{',
  '\\v ',
  '\\ss',
  '--',
  '``',
  "''",
  '\\url{',
  '\uFEFF',
  '\uE000',
  '\u0000',
  ' ',
  '10.1000/x',
  '2408.01234',
)
const bibSoup = fc.array(tokens, { maxLength: 60 }).map((t) => t.join(''))

describe('hostile input', () => {
  it('reads or refuses any text, never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          bibSoup,
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
        ),
        (text) => {
          const result = parsedOrRefused(() => read(text), text)
          if (!(result instanceof ImportError)) expectSane(result, text)
        },
      ),
      { numRuns: 400 },
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

  it('gets through a megabyte of one character, of entry starts and of broken entries', () => {
    for (const c of ['@', '{', '}', '"', '%', '\\', '\n', ' ', '$']) {
      const text = c.repeat(1_000_000)
      expect(parsedOrRefused(() => read(text), text)).toBeInstanceOf(ImportError)
    }
    const opens = '@misc{k, title = {' + '{'.repeat(1_000_000)
    expect(() => read(opens)).toThrow(expect.objectContaining({ line: 1 }))
    const starts = '\n@a{'.repeat(250_000)
    expect(() => read(starts)).toThrow(/no BibTeX entry could be read/)
    const broken = '@misc{k, title {x}}\n'.repeat(50_000) + '@misc{last, title = {Last}}'
    const result = read(broken)
    expect(result.papers.map((p) => p.title)).toEqual(['Last'])
    expect(result.skipped).toBe(50_000)
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(result.warnings[MAX_WARNINGS]!.message).toMatch(/^…and 49901 more warnings/)
  })

  it('gets through 100,000 entries of one line each', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `@misc{k${i}, title={T ${i}}}`).join(
      '\n',
    )
    const result = read(text)
    expect(result.papers).toHaveLength(100_000)
    expect(result.papers[99_999]).toMatchObject({ title: 'T 99999', line: 100_000 })
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
  })

  it('gets through huge fields, deep braces and macros that double', () => {
    const plain = read(`@misc{k, title = {T}, abstract = {${'word '.repeat(200_000)}}}`)
    expect(plain.papers[0]!.abstract).toHaveLength(200_000 * 5 - 1)
    const latex = read(`@misc{k,\n title = {T}, abstract = {${'\\"o '.repeat(100_000)}}}`)
    expect(latex.papers[0]!.abstract).toMatch(/^\\"o \\"o/)
    expect(latex.warnings[0]).toMatchObject({
      line: 2,
      message: expect.stringMatching(/too much LaTeX/),
    })
    const authors = read(`@misc{k, title = {T}, author = {${'Ada Lovelace and '.repeat(50_000)}X}}`)
    expect(authors.papers[0]!.authors).toHaveLength(50_001)
    const deep = read(`@misc{k, title = {${'{'.repeat(3000)}\\o${'}'.repeat(3000)} Deep}}`)
    expect(deep.papers[0]!.title).toMatch(/Deep$/)
    const doubling = Array.from({ length: 40 }, (_, i) => `@string{s${i + 1} = s${i} # s${i}}`)
    const laughs = [
      '@string{s0 = "xx"}',
      ...doubling,
      '@misc{k, title = s40}',
      '@misc{j, title={J}}',
    ]
    const result = read(laughs.join('\n'))
    expect(result.papers.map((p) => p.title.length < 100)).toEqual([true, true])
    expect(result.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/expand to \d+ characters, far more than the file holds/),
    )
    const undefinedMacros = read(`@misc{k, title = {T}, note = ${'m # '.repeat(200_000)}m}`)
    expect(undefinedMacros.warnings).toHaveLength(MAX_WARNINGS + 1)
  })

  it('reads a generated library of 10,000 entries', () => {
    const entry = (i: number): string => {
      const rich = i % 5 === 0
      return [
        `@article{author${i}Title${i},`,
        `  title = {${rich ? 'A {Study} of {\\"O}ptimal Transport for $\\alpha$-Divergences' : 'A {Study} of Optimal Transport for Divergences'}, Part ${i}},`,
        `  author = {${rich ? 'M{\\"u}ller, J{\\"o}rg and ' : ''}Lovelace, Ada and Babbage, Charles and van der Berg, Jan},`,
        `  journal = {Journal of Machine Learning Research},`,
        `  year = {${2000 + (i % 25)}},`,
        `  month = ${['jan', 'feb', 'mar'][i % 3]},`,
        `  pages = {1--42},`,
        `  doi = {10.1000/jmlr.${i}},`,
        `  abstract = {We study optimal transport at scale ${i}. We show that ${rich ? '$O(n^2)$ is \\emph{tight}, and that the entropic regularisation helps (see \\url{https://github.com/x/y})' : 'the bound is tight, and that entropic regularisation helps'}; experiments on 12 data sets confirm it.},`,
        `  keywords = {optimal transport, divergences},`,
        `  file = {/home/ada/Zotero/storage/ABCD${i}/paper.pdf},`,
        `}`,
        ``,
      ].join('\n')
    }
    const text = Array.from({ length: 10_000 }, (_, i) => entry(i)).join('\n')
    const result = read(text)
    expect(result.papers).toHaveLength(10_000)
    expect(result.warnings).toEqual([])
    expect(result.papers[0]).toEqual(
      paper({
        title: 'A Study of Öptimal Transport for $\\alpha$-Divergences, Part 0',
        abstract:
          'We study optimal transport at scale 0. We show that $O(n^2)$ is tight, and that the entropic regularisation helps (see https://github.com/x/y); experiments on 12 data sets confirm it.',
        authors: ['Jörg Müller', 'Ada Lovelace', 'Charles Babbage', 'Jan van der Berg'],
        line: 1,
        meta: {
          year: 2000,
          doi: '10.1000/jmlr.0',
          venue: 'Journal of Machine Learning Research',
          keywords: ['optimal transport', 'divergences'],
        },
      }),
    )
    expect(result.papers[9_999]).toMatchObject({
      title: 'A Study of Optimal Transport for Divergences, Part 9999',
      line: 9_999 * 13 + 1,
      meta: { year: 2024, doi: '10.1000/jmlr.9999' },
    })
  })
})
