// RIS as reference managers and databases export it: Zotero, Scopus, EndNote, Mendeley,
// ScienceDirect, and a file edited by hand. Exact papers, warnings with their lines, refusals,
// and input built to hurt (fuzzed, mutated, huge).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { risImporter } from '../../../shared/importers/ris'
import { MAX_WARNINGS } from '../../../shared/importers/warnings'
import { SAMPLE } from '../../helpers/fixtures'
import { FIXTURES, headOf, importerUnderTest, refusal } from '../../helpers/importers'

const { dir: DIR, own, fixture, parse, parsedOrRefused } = importerUnderTest(risImporter)

const record = (...fields: string[]): string => ['TY  - JOUR', ...fields, 'ER  - '].join('\n')

describe('RIS: exports as reference managers write them', () => {
  it('reads a Zotero export: journal article, arXiv preprint, conference paper', () => {
    const result = parse(fixture('zotero.ris'))
    expect(result).toMatchObject({ format: 'ris', warnings: [], skipped: 0 })
    expect(result.papers).toEqual([
      {
        title: 'Highly accurate protein structure prediction with AlphaFold',
        abstract:
          'Proteins are essential to life, and understanding their structure can facilitate a mechanistic understanding of their function. Here we provide the first computational method that can regularly predict protein structures with atomic accuracy even in cases in which no similar structure is known.',
        authors: ['John Jumper', 'Richard Evans', 'Alexander Pritzel', 'Demis Hassabis'],
        dumpDate: null,
        dumpDateText: null,
        line: 1,
        meta: {
          year: 2021,
          doi: '10.1038/s41586-021-03819-2',
          venue: 'Nature',
          keywords: ['Machine learning', 'Protein structure predictions', 'Structural biology'],
          urls: ['https://www.nature.com/articles/s41586-021-03819-2'],
        },
      },
      {
        title: 'Attention Is All You Need',
        // Wrapped lines joined; the blank line kept as a paragraph break.
        abstract:
          'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration. We propose a new simple network architecture, the Transformer, based solely on attention mechanisms, dispensing with recurrence and convolutions entirely.\n\nExperiments on two machine translation tasks show these models to be superior in quality while being more parallelizable: 28.4 BLEU on WMT 2014 English-to-German.',
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
        line: 27,
        meta: {
          year: 2017,
          arxivId: '1706.03762',
          doi: '10.48550/arxiv.1706.03762',
          keywords: [
            'Computer Science - Computation and Language',
            'Computer Science - Machine Learning',
          ],
          // The file:// attachment is on someone's disk, not a link.
          urls: ['http://arxiv.org/abs/1706.03762'],
        },
      },
      {
        title: 'Denoising Diffusion Probabilistic Models',
        abstract:
          'We present high quality image synthesis results using diffusion probabilistic models, trained on a weighted variational bound designed according to a novel connection with denoising score matching with Langevin dynamics. We obtain an Inception score of 9.46 and a state-of-the-art FID score of 3.17 on CIFAR10 ($32\\times 32$). Our implementation is available at https://github.com/hojonathanho/diffusion.',
        // The A2 editors are not authors.
        authors: ['Jonathan Ho', 'Ajay Jain', 'Pieter Abbeel'],
        dumpDate: null,
        dumpDateText: null,
        line: 57,
        meta: {
          year: 2020,
          venue: 'Advances in Neural Information Processing Systems',
          urls: [
            'https://proceedings.neurips.cc/paper/2020/hash/4c5bcfec8584af0d967f1ab10179ca4b-Abstract.html',
          ],
        },
      },
    ])
  })

  it('reads a Scopus export (CRLF): initials, HTML sub-tags and entities cleaned', () => {
    const text = fixture('scopus.ris')
    expect(text).toContain('\r\n')
    const result = parse(text)
    expect(result).toMatchObject({ warnings: [], skipped: 0 })
    expect(result.papers.map((p) => p.line)).toEqual([1, 27, 55])
    const [attention, cof, spp] = result.papers
    expect(attention).toEqual({
      title: 'Attention is all you need',
      abstract:
        'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration. We propose a new simple network architecture, the Transformer, based solely on attention mechanisms. © 2017 Neural information processing systems foundation. All rights reserved.',
      authors: [
        'A. Vaswani',
        'N. Shazeer',
        'N. Parmar',
        'J. Uszkoreit',
        'L. Jones',
        'A.N. Gomez',
        'Ł. Kaiser',
        'I. Polosukhin',
      ],
      dumpDate: null,
      dumpDateText: null,
      line: 1,
      meta: {
        year: 2017,
        venue: 'Advances in Neural Information Processing Systems',
        urls: [
          'https://www.scopus.com/inward/record.uri?eid=2-s2.0-85044537929&partnerID=40&md5=2b3d6d1e4c1f6c1a4b5e2d9c8f7a6b5c',
        ],
      },
    })
    expect(cof!.title).toBe(
      'Covalent organic frameworks comprising cobalt porphyrins for catalytic CO2 reduction in water',
    )
    expect(cof!.abstract).toMatch(/^Conversion of carbon dioxide \(CO2\) to carbon monoxide/)
    expect(cof!.authors).toEqual([
      'S. Lin',
      'C.S. Diercks',
      'Y.-B. Zhang',
      'N. Kornienko',
      'O.M. Yaghi',
    ])
    expect(cof!.meta).toMatchObject({
      year: 2015,
      doi: '10.1126/science.aac8343',
      venue: 'Science',
      keywords: ['Carbon dioxide', 'Catalysis', 'Cobalt', 'Porphyrins'],
    })
    expect(spp!.abstract).toBe(
      'Existing deep convolutional neural networks (CNNs) require a fixed-size (e.g., 224×224) input image. We equip the networks with another pooling strategy, "spatial pyramid pooling", to eliminate the above requirement. © 1979-2012 IEEE.',
    )
    expect(spp!.meta).toMatchObject({
      doi: '10.1109/tpami.2015.2389824',
      venue: 'IEEE Transactions on Pattern Analysis and Machine Intelligence',
    })
  })

  it('reads an EndNote export (BOM, CRLF): T1, N2, Y1, keywords on continuation lines', () => {
    const text = fixture('endnote.ris')
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text).toContain('\r\n')
    const result = parse(text)
    expect(result.papers).toEqual([
      {
        title: 'U-Net: Convolutional Networks for Biomedical Image Segmentation',
        abstract:
          'There is large consent that successful training of deep networks requires many thousand annotated training samples. In this paper, we present a network and training strategy that relies on the strong use of data augmentation. The full implementation (based on Caffe) and the trained networks are available at http://lmb.informatik.uni-freiburg.de/people/ronneber/u-net.',
        authors: ['Olaf Ronneberger', 'Philipp Fischer', 'Thomas Brox'],
        dumpDate: null,
        dumpDateText: null,
        line: 1,
        meta: {
          year: 2015,
          // No DO field: the DOI is read from the doi.org link.
          doi: '10.1007/978-3-319-24574-4_28',
          venue: 'Medical Image Computing and Computer-Assisted Intervention – MICCAI 2015',
          keywords: ['Convolutional Layer', 'Data Augmentation', 'Ground Truth Segmentation'],
          // Not the internal-pdf:// attachment.
          urls: ['https://doi.org/10.1007/978-3-319-24574-4_28'],
        },
      },
      {
        title: 'Long Short-Term Memory',
        abstract:
          'Learning to store information over extended time intervals by recurrent backpropagation takes a very long time, mostly because of insufficient, decaying error backflow. We introduce a novel, efficient, gradient-based method called long short-term memory (LSTM).',
        authors: ['Sepp Hochreiter', 'Jürgen Schmidhuber'],
        dumpDate: null,
        dumpDateText: null,
        line: 24,
        meta: {
          year: 1997,
          doi: '10.1162/neco.1997.9.8.1735',
          venue: 'Neural Computation',
          keywords: ['recurrent neural networks', 'vanishing gradient'],
          urls: ['https://doi.org/10.1162/neco.1997.9.8.1735'],
        },
      },
      {
        title:
          'Sketch of the Analytical Engine Invented by Charles Babbage, Esq., with Notes by the Translator',
        abstract: '',
        authors: ['Augusta Ada Lovelace', 'Luigi Federico Menabrea'],
        dumpDate: null,
        dumpDateText: null,
        line: 43,
        meta: { year: 1843, venue: 'Scientific Memoirs' },
      },
    ])
    expect(result.warnings).toEqual([
      {
        line: 43,
        message: expect.stringMatching(/^“Sketch of the Analytical .*” has no abstract/),
      },
    ])
  })

  it('reads a Mendeley export (fields in alphabetical order, arXiv links)', () => {
    const result = parse(fixture('mendeley.ris'))
    expect(result.warnings).toEqual([])
    expect(result.papers.map((p) => [p.title, p.line, p.authors, p.meta])).toEqual([
      [
        'Deep residual learning for image recognition',
        1,
        ['Kaiming He', 'Xiangyu Zhang', 'Shaoqing Ren', 'Jian Sun'],
        {
          year: 2016,
          arxivId: '1512.03385',
          arxivVersion: 1,
          doi: '10.1109/cvpr.2016.90',
          venue:
            'Proceedings of the IEEE Computer Society Conference on Computer Vision and Pattern Recognition',
          urls: ['https://arxiv.org/abs/1512.03385v1'],
        },
      ],
      [
        'Adam: A Method for Stochastic Optimization',
        17,
        ['Diederik P. Kingma', 'Jimmy Ba'],
        {
          year: 2014,
          arxivId: '1412.6980',
          arxivVersion: 9,
          venue: 'arXiv preprint arXiv:1412.6980',
          urls: ['http://arxiv.org/pdf/1412.6980v9.pdf'],
        },
      ],
    ])
    expect(result.papers[0]!.abstract).toContain('152 layers - 8$\\times$ deeper than VGG nets')
  })

  it('reads a ScienceDirect export: the publisher header, "ER  -" without its space, DOI links', () => {
    const result = parse(fixture('sciencedirect.ris'))
    expect(result).toMatchObject({ warnings: [], skipped: 0 })
    expect(
      result.papers.map((p) => [p.line, p.title, p.authors, p.meta?.doi, p.meta?.venue]),
    ).toEqual([
      [
        5,
        'Deep learning in neural networks: An overview',
        ['Jürgen Schmidhuber'],
        '10.1016/j.neunet.2014.09.003',
        'Neural Networks',
      ],
      [
        26,
        'Physics-informed neural networks: A deep learning framework for solving forward and inverse problems involving nonlinear partial differential equations',
        ['M. Raissi', 'P. Perdikaris', 'G.E. Karniadakis'],
        '10.1016/j.jcp.2018.10.045',
        'Journal of Computational Physics',
      ],
    ])
    expect(result.papers[1]!.abstract).toContain('the Schrödinger, Allen–Cahn and Navier–Stokes')
    expect(result.papers[0]!.meta?.keywords).toHaveLength(5)
  })

  it('reads the same papers with LF, CRLF, CR, a BOM, and trailing spaces', () => {
    const text = fixture('zotero.ris')
    const expected = parse(text)
    const lines = text.split('\n')
    for (const variant of [
      lines.join('\r\n'),
      lines.join('\r'),
      '\uFEFF' + lines.join('\r\n'),
      lines.map((l) => (l === '' ? l : `${l}   `)).join('\n'),
    ]) {
      expect(parse(variant)).toEqual(expected)
    }
  })
})

describe('RIS: a file edited by hand', () => {
  const result = parse(fixture('messy.ris'))

  it('keeps six papers, merging copies and keeping same-titled different papers apart', () => {
    expect(result.papers.map((p) => [p.line, p.title])).toEqual([
      [4, 'Scaling Laws for Neural Language Models'],
      [19, 'Language Models are Few-Shot Learners'],
      [25, 'Training Compute-Optimal Large Language Models'],
      [44, 'Deep Learning'],
      [54, 'Deep Learning'],
      [73, 'On the Opportunities and Risks of Foundation Models'],
    ])
    expect(result.skipped).toBe(4)
  })

  it('joins wrapped fields, splits "Family, Given" and semicolon lists, cleans HTML', () => {
    const [kaplan] = result.papers
    expect(kaplan).toEqual({
      title: 'Scaling Laws for Neural Language Models',
      abstract:
        'We study empirical scaling laws for language model performance on the cross-entropy loss. The loss scales as a power-law with model size, dataset size, and the amount of compute used for training, with some trends spanning more than seven orders of magnitude (<10% of the compute & D, see https://openai.com/research/scaling-laws).',
      authors: ['Jared Kaplan', 'Sam McCandlish', 'Tom Henighan', 'John Smith Jr.'],
      dumpDate: null,
      dumpDateText: null,
      line: 4,
      meta: {
        year: 2020,
        arxivId: '2001.08361',
        doi: '10.48550/arxiv.2001.08361',
        // From the second copy (line 37), whose DOI differs only in case and prefix.
        keywords: ['scaling laws', 'language models'],
      },
    })
  })

  it('fills the first copy from a later one with the same DOI', () => {
    const nature = result.papers[3]!
    expect(nature.authors).toEqual(['Yann LeCun', 'Yoshua Bengio', 'Geoffrey Hinton'])
    expect(nature.abstract).toMatch(/^Deep learning allows computational models/)
    expect(nature.meta).toEqual({ year: 2015, doi: '10.1038/nature14539', venue: 'Nature' })
    expect(result.papers[4]!.meta?.doi).toBe('10.7551/mitpress/11171.001.0001')
  })

  it('warns, line by line, about what it skipped, merged or could not close', () => {
    expect(result.warnings.map((w) => [w.line, w.message])).toEqual([
      [1, expect.stringMatching(/^text outside any RIS record .*“Exported from my reading list/)],
      [19, expect.stringMatching(/record at line 19 has no “ER {2}- ” line.*\(line 25\)/)],
      [25, expect.stringMatching(/“Training Compute-Optimal .*” has no abstract/)],
      [31, expect.stringMatching(/^text outside any RIS record .*“-----”/)],
      [32, 'the record at line 32 has no title (TI or T1); skipped'],
      [37, expect.stringMatching(/second copy of the paper at line 4; merged/)],
      [54, expect.stringMatching(/“Deep Learning” has no abstract/)],
      [65, expect.stringMatching(/second copy of the paper at line 44; merged/)],
      [73, expect.stringMatching(/record at line 73 has no “ER {2}- ” line.*\(line 78\)/)],
      [78, expect.stringMatching(/^the last record \(line 78\) has no closing “ER {2}- ” line/)],
      [78, 'the record at line 78 has no title (TI or T1); skipped'],
    ])
  })
})

describe('RIS: fields', () => {
  it('reads the year from PY, Y1 or DA in any of their shapes', () => {
    const years = [
      'PY  - 2020///',
      'Y1  - 2019/03/15/',
      'DA  - 2018/11//',
      'PY  - 2017',
      'Y1  - 1999',
    ]
    const text = years.map((y, i) => record(`TI  - Paper ${i}`, 'AB  - An abstract.', y)).join('\n')
    expect(parse(text).papers.map((p) => p.meta?.year)).toEqual([2020, 2019, 2018, 2017, 1999])
    // PY before DA, whatever their order in the record; Y2 (when it was saved) is not the year.
    const both = record(
      'TI  - T',
      'AB  - A.',
      'DA  - 2021/01/02/',
      'Y2  - 2024/08/19/',
      'PY  - 2020',
    )
    expect(parse(both).papers[0]!.meta?.year).toBe(2020)
    expect(parse(record('TI  - T', 'AB  - A.', 'Y2  - 2024/08/19/')).papers[0]!.meta).toEqual({})
  })

  it('turns names around, keeps suffixes and one-word names, and takes A2 only alone', () => {
    const text = record(
      'TI  - T',
      'AB  - A.',
      'AU  - Curie, Marie',
      'A1  - de la Cruz, Juan',
      'AU  - King, Martin Luther, Jr.',
      'AU  - OpenAI',
      'AU  - Nakamura,',
      'AU  -   Wu ,   Yonghui  ',
      'A2  - Editor, Some',
    )
    expect(parse(text).papers[0]!.authors).toEqual([
      'Marie Curie',
      'Juan de la Cruz',
      'Martin Luther King Jr.',
      'OpenAI',
      'Nakamura',
      'Yonghui Wu',
    ])
    const editorsOnly = ['TY  - BOOK', 'TI  - Proceedings', 'A2  - Navab, Nassir', 'ER  - '].join(
      '\n',
    )
    expect(parse(editorsOnly).papers[0]!.authors).toEqual(['Nassir Navab'])
  })

  it('reads the title from TI, T1 or CT, and BT only for a book', () => {
    const titles = parse(
      [
        record('T1  - From T1', 'AB  - A.'),
        record('CT  - From CT', 'AB  - A.'),
        record('TI  - From TI', 'T1  - Not this', 'AB  - A.'),
        ['TY  - BOOK', 'BT  - A Book', 'AB  - A.', 'ER  - '].join('\n'),
        ['TY  - CHAP', 'BT  - The Book a Chapter Is In', 'AB  - A.', 'ER  - '].join('\n'),
      ].join('\n'),
    )
    expect(titles.papers.map((p) => p.title)).toEqual(['From T1', 'From CT', 'From TI', 'A Book'])
    expect(titles.warnings).toEqual([
      { line: 18, message: 'the record at line 18 has no title (TI or T1); skipped' },
    ])
  })

  it('takes the abstract from AB, else N2; the venue from the full name before abbreviations', () => {
    const text = record(
      'TI  - T',
      'N2  - From N2.',
      'JA  - J. Abbr.',
      'T2  - Full Journal',
      'JO  - ',
    )
    expect(parse(text).papers[0]).toMatchObject({
      abstract: 'From N2.',
      meta: { venue: 'Full Journal' },
    })
    const both = record('TI  - T', 'N2  - From N2.', 'AB  - From AB.')
    expect(parse(both).papers[0]!.abstract).toBe('From AB.')
  })

  it('finds arXiv ids in links, arXiv DOIs and notes, old-style ids included', () => {
    const ids = parse(
      [
        record('TI  - A', 'AB  - A.', 'UR  - https://arxiv.org/abs/hep-th/9901001v2'),
        record('TI  - B', 'AB  - A.', 'L1  - https://arxiv.org/pdf/2408.01234v3.pdf'),
        record('TI  - C', 'AB  - A.', 'DO  - 10.48550/arXiv.2301.00001'),
        record('TI  - D', 'AB  - A.', 'N1  - arXiv:math/0309136v1 [math.GT]'),
        record('TI  - E', 'AB  - A.', 'N1  - Cited 2408 times; 1234.5678 is not an id'),
      ].join('\n'),
    )
    expect(ids.papers.map((p) => [p.meta?.arxivId, p.meta?.arxivVersion])).toEqual([
      ['hep-th/9901001', 2],
      ['2408.01234', 3],
      ['2301.00001', undefined],
      ['math/0309136', 1],
      [undefined, undefined],
    ])
  })

  it('reads several links in one field, without trailing punctuation, once each', () => {
    const text = record(
      'TI  - T',
      'AB  - A.',
      'UR  - https://example.org/a; https://example.org/b.',
      'L2  - https://example.org/a',
      'L1  - internal-pdf://123/paper.pdf',
      'UR  - <https://example.org/c>',
    )
    expect(parse(text).papers[0]!.meta?.urls).toEqual([
      'https://example.org/a',
      'https://example.org/b',
      'https://example.org/c',
    ])
  })

  it('reads keywords repeated, on continuation lines, or separated by semicolons, once each', () => {
    const text = record(
      'TI  - T',
      'AB  - A.',
      'KW  - Graphs; Kernels',
      'Sparsity',
      'KW  - graphs',
      'KW  - ',
    )
    expect(parse(text).papers[0]!.meta?.keywords).toEqual(['Graphs', 'Kernels', 'Sparsity'])
  })

  it('keeps LaTeX as written and cleans HTML in fields', () => {
    const text = record(
      'TI  - Mat\\\'ern Kernels on $\\mathbb{R}^d$ for Schr\\"odinger &amp; <i>Friends</i>',
      "AB  - We use ``quotes'' and 360{\\deg} views.<br/>See &#233;t&#xE9; &lt;here&gt;.",
    )
    expect(parse(text).papers[0]).toMatchObject({
      title: 'Mat\\\'ern Kernels on $\\mathbb{R}^d$ for Schr\\"odinger & Friends',
      abstract: "We use ``quotes'' and 360{\\deg} views. See été <here>.",
    })
  })

  it('reads a tag only with two spaces before its hyphen; other lines continue the field', () => {
    const text = record('TI  - A Title', 'AB  - Trade between the', 'US - China and', 'EU  -lands.')
    expect(parse(text).papers[0]!.abstract).toBe('Trade between the US - China and EU -lands.')
  })
})

describe('RIS: copies of one paper', () => {
  const paper = (title: string, ...fields: string[]): string => record(`TI  - ${title}`, ...fields)

  it('merges by arXiv id, then DOI, then title; keeps same-titled papers with different ids apart', () => {
    const text = [
      paper('Same Title', 'DO  - 10.1000/one', 'AB  - First.'),
      paper('Same Title', 'DO  - 10.1000/two', 'AB  - Second.'),
      paper('SAME title!', 'AU  - Doe, Jane'),
      paper('Other', 'UR  - https://arxiv.org/abs/2401.00001'),
      paper('Other, Renamed', 'N1  - arXiv:2401.00001v2', 'AB  - Filled.', 'PY  - 2024'),
      paper('Other', 'UR  - https://arxiv.org/abs/2401.00002', 'AB  - Different id.'),
    ].join('\n\n')
    const result = parse(text)
    expect(result.papers.map((p) => [p.title, p.abstract, p.authors, p.meta])).toEqual([
      ['Same Title', 'First.', ['Jane Doe'], { doi: '10.1000/one' }],
      ['Same Title', 'Second.', [], { doi: '10.1000/two' }],
      [
        'Other',
        'Filled.',
        [],
        {
          arxivId: '2401.00001',
          urls: ['https://arxiv.org/abs/2401.00001'],
          year: 2024,
          arxivVersion: 2,
        },
      ],
      [
        'Other',
        'Different id.',
        [],
        { arxivId: '2401.00002', urls: ['https://arxiv.org/abs/2401.00002'] },
      ],
    ])
    expect(result.warnings.map((w) => w.line)).toEqual([13, 23])
    expect(result.warnings[0]!.message).toMatch(/second copy of the paper at line 1/)
  })

  it('stays fast with thousands of records sharing a title', () => {
    const text = Array.from({ length: 20_000 }, (_, i) =>
      paper('Deep Learning', `DO  - 10.1000/${i}`, 'AB  - A.'),
    ).join('\n')
    expect(parse(text).papers).toHaveLength(20_000)
  })
})

describe('RIS: refusals', () => {
  it('refuses an empty file, and text with no TY line, naming the first line', () => {
    expect(refusal(() => parse(''))).toMatchObject({ message: 'the file is empty', line: null })
    expect(refusal(() => parse('\uFEFF\n  \r\n'))).toMatchObject({ message: 'the file is empty' })
    expect(refusal(() => parse(SAMPLE))).toMatchObject({
      message: expect.stringMatching(/^this is not RIS/),
      line: 1,
    })
    expect(refusal(() => parse('\n\nTI  - A Title\nAB  - No TY line.\nER  - '))).toMatchObject({
      line: 3,
    })
  })

  it('refuses a file whose records all lack a title, naming the first', () => {
    const text = '\n' + record('AB  - One.') + '\n' + record('AB  - Two.')
    expect(refusal(() => parse(text))).toMatchObject({
      message: 'no papers: none of the 2 RIS records has a title (TI or T1)',
      line: 2,
    })
  })

  it('keeps a hundred warnings and counts the rest', () => {
    const text = Array.from({ length: 1000 }, (_, i) => record(`TI  - Paper ${i}`)).join('\n')
    const result = parse(text)
    expect(result.papers).toHaveLength(1000)
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(result.warnings[MAX_WARNINGS]!.message).toMatch(/^…and 900 more warnings/)
  })
})

describe('RIS: detect', () => {
  it('is sure of every export that starts with TY, and less sure when text comes first', () => {
    for (const name of own) {
      const score = risImporter.detect(headOf(fixture(name)))
      if (name === 'messy.ris') expect(score, name).toBe(0.6)
      else expect(score, name).toBeGreaterThanOrEqual(0.9)
    }
  })

  /** Every file under tests/fixtures that is not RIS: other formats' fixtures. */
  function foreignFixtures(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) return path === DIR ? [] : foreignFixtures(path)
      return [path]
    })
  }

  it('does not claim the Daily Papers sample or other formats’ fixtures', () => {
    expect(risImporter.detect(headOf(SAMPLE))).toBe(0)
    for (const path of foreignFixtures(FIXTURES)) {
      expect(risImporter.detect(headOf(readFileSync(path, 'utf8'))), path).toBeLessThan(0.5)
    }
    for (const text of ['', 'TY - JOUR', '@article{x,\n  title = {TY  - JOUR}}', 'a,b\n1,2']) {
      expect(risImporter.detect(text)).toBeLessThan(0.5)
    }
  })
})

describe('RIS: hostile input', () => {
  const risLine = fc.oneof(
    fc.constantFrom(
      '',
      'TY  - JOUR',
      'TY  -',
      'ER  - ',
      'ER  -',
      'TI  - A Title',
      'T1  - ',
      'AB  - An abstract. It has two sentences.',
      'N2  - x',
      'AU  - Family, Given',
      'AU  - ,',
      'AU  - ;;;',
      'DO  - 10.1000/x.',
      'DO  - https://doi.org/10.48550/arXiv.2408.01234',
      'UR  - https://arxiv.org/abs/hep-th/9901001v1).',
      'UR  - https://x.org/' + ')'.repeat(50),
      'KW  - a; b;;',
      'PY  - 2020///',
      'N1  - arXiv:',
      'Provider: Elsevier',
      '\uFEFFTY  - BOOK',
      'BT  - A Book',
      '&#x110000; &#0; <i>',
      'continued text',
      '-----',
    ),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc
      .tuple(fc.stringMatching(/^[A-Z][A-Z0-9]$/), fc.string({ maxLength: 20 }))
      .map(([tag, value]) => `${tag}  - ${value}`),
  )
  const risText = fc
    .tuple(fc.array(risLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n', '\r'))
    .map(([lines, eol]) => lines.join(eol))

  it('reads or refuses arbitrary text, and RIS-like lines, and nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(risText, fc.string({ unit: 'binary' }), fc.string()), (text) => {
        parsedOrRefused(text)
      }),
      { numRuns: 1000 },
    )
  })

  it('reads or refuses every fixture cut, spliced and sprinkled with garbage', () => {
    const texts = own.map(fixture)
    const mutated = fc
      .tuple(
        fc.constantFrom(...texts),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.nat({ max: 200 }),
            fc.oneof(fc.constantFrom('', '\n', '\r', 'TY  - JOUR\n', 'ER  - \n', '  - '), risLine),
          ),
          { minLength: 1, maxLength: 8 },
        ),
      )
      .map(([text, edits]) =>
        edits.reduce((t, [at, length, insert]) => {
          const start = at % (t.length + 1)
          return t.slice(0, start) + insert + t.slice(start + length)
        }, text),
      )
    fc.assert(
      fc.property(mutated, (text) => {
        parsedOrRefused(text)
      }),
      { numRuns: 1000 },
    )
  })

  // Each its own test, so that each has the whole timeout: a quadratic one blows through it.
  const M = 1 << 20
  const pathological: [string, () => string][] = [
    ...[' ', '-', 'A', '\n', '\r', '.', ';', ',', '<', '&', '\uFEFF'].map(
      (c): [string, () => string] => [`1 MB of ${JSON.stringify(c)}`, () => c.repeat(M)],
    ),
    ['100k continuation lines', () => 'TY  - JOUR\n' + 'x\n'.repeat(100_000)],
    ['100k tags outside records', () => 'TI  - x\n'.repeat(100_000)],
    ['100k records never ended', () => 'TY  - JOUR\n'.repeat(100_000)],
    ['100k ends never begun', () => 'ER  - \n'.repeat(100_000)],
    ['a megabyte of spaces in a title', () => record('TI  - a' + ' '.repeat(M) + 'b', 'AB  - x')],
    [
      'a megabyte of blanks in an abstract',
      () => record('TI  - T', 'AB  - a' + ' \t'.repeat(M / 2) + 'b'),
    ],
    ['a megabyte DOI of dots', () => record('TI  - T', 'DO  - 10.1234/' + '.'.repeat(M) + 'x')],
    [
      'a megabyte link of brackets',
      () => record('TI  - T', 'UR  - https://x.org/' + ')'.repeat(M) + 'x'),
    ],
    [
      'a megabyte link of punctuation',
      () => record('TI  - T', 'UR  - https://x.org/' + '.,;'.repeat(M / 3) + 'x'),
    ],
    ['a megabyte arXiv note', () => record('TI  - T', 'N1  - arXiv:' + 'a-'.repeat(M / 2))],
    ['a megabyte of commas in a name', () => record('TI  - T', 'AU  - ' + ','.repeat(M))],
    ['a megabyte of semicolons in a name', () => record('TI  - T', 'AU  - ' + ';'.repeat(M))],
    ['500k keywords', () => record('TI  - T', 'KW  - ' + 'k;'.repeat(M / 2))],
    ['a megabyte year', () => record('TI  - T', 'PY  - ' + '1'.repeat(M))],
    ['350k tag openings in a title', () => record('TI  - ' + '<a '.repeat(M / 3))],
    ['500k entity openings in a title', () => record('TI  - ' + '&#'.repeat(M / 2))],
    [
      '100k links in a record',
      () =>
        record('TI  - T', ...Array.from({ length: 100_000 }, (_, i) => `UR  - https://x.org/${i}`)),
    ],
    [
      '100k authors',
      () => record('TI  - T', ...Array.from({ length: 100_000 }, () => 'AU  - Doe, J.')),
    ],
    [
      '50k records',
      () =>
        Array.from({ length: 50_000 }, (_, i) => record(`TI  - Paper ${i}`, 'AB  - A.')).join('\n'),
    ],
  ]

  it.each(pathological)('gets through %s', (_name, build) => {
    parsedOrRefused(build())
  })
})
