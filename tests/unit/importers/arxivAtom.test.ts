// The arXiv API's Atom answers: today's and 2007's shapes, an error answer, an empty one, pages
// saved one after another, a file edited by hand, entity bombs, malformed XML, and input built
// to hurt (fuzzed, mutated, huge).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arxivAtomImporter, paragraphsOf } from '../../../shared/importers/arxivAtom'
import { MAX_WARNINGS } from '../../../shared/importers/warnings'
import { SAMPLE } from '../../helpers/fixtures'
import { FIXTURES, headOf, importerUnderTest, refusal } from '../../helpers/importers'

const { dir: DIR, own, fixture, parse, parsedOrRefused } = importerUnderTest(arxivAtomImporter)

const ATOM = 'xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"'
const feed = (...entries: string[]): string =>
  [`<?xml version="1.0" encoding="UTF-8"?>`, `<feed ${ATOM}>`, ...entries, '</feed>'].join('\n')
const entry = (id: string, title: string, summary = 'An abstract.'): string =>
  `<entry><id>http://arxiv.org/abs/${id}</id><title>${title}</title><summary>${summary}</summary></entry>`

describe('arXiv Atom: answers of the API', () => {
  it('reads an answer in today’s shape: ids, versions, authors, DOI, journal, links, categories', () => {
    const result = parse(fixture('search-2024.xml'))
    expect(result).toMatchObject({ format: 'arxiv-atom', warnings: [], skipped: 0 })
    expect(result.papers).toEqual([
      {
        // Hard wraps joined; LaTeX kept as written.
        title:
          'Sparse Mixture-of-Experts Transformers with $\\mathcal{O}(\\log n)$ Routing for Long-Context Language Modeling',
        abstract:
          "We present a routing scheme for sparse mixture-of-experts (MoE) transformers whose cost grows as $\\mathcal{O}(\\log n)$ in the number of experts $n$. Unlike top-$k$ gating, the router descends a learned binary tree and never scores every expert. On ``needle-in-a-haystack'' retrieval up to 128k tokens it matches a dense baseline with 1.8$\\times$ the throughput. Code and checkpoints are available at https://github.com/example-lab/logmoe.",
        authors: ['Mei Tanaka', 'Jonas Schröder', 'Ana María López-García'],
        // A search answer has no listing date: the paper's year is in meta.
        dumpDate: null,
        dumpDateText: null,
        line: 10,
        meta: {
          year: 2024,
          arxivId: '2408.10234',
          arxivVersion: 2,
          keywords: ['cs.CL', 'cs.LG'],
          // The abstract page, the PDF, and the project page from the comment.
          urls: [
            'https://arxiv.org/abs/2408.10234v2',
            'https://arxiv.org/pdf/2408.10234v2',
            'https://example-lab.github.io/logmoe/',
          ],
        },
      },
      {
        title:
          'Exact Solutions of the Nonlinear Schr\\"odinger Equation on Metric Graphs with $\\delta\'$-Couplings',
        // Two paragraphs; XML's &lt; and &amp; decoded.
        abstract:
          'We construct stationary solutions of the cubic nonlinear Schr\\"odinger equation on star graphs whose vertex conditions are of $\\delta\'$ type, for coupling strengths $0 < \\alpha < 1$ and for the limit $\\alpha \\to \\infty$.\n\nThe solutions are given in closed form in terms of Jacobi elliptic functions, and we prove that the ground state is orbitally stable if and only if the number of edges is odd (R&D of the numerics: https://zenodo.org/records/1234567).',
        authors: ['Riccardo Adami', 'Dmitry E. Pelinovsky'],
        dumpDate: null,
        dumpDateText: null,
        line: 41,
        meta: {
          year: 2024,
          arxivId: '2408.10567',
          arxivVersion: 1,
          doi: '10.1103/physrevlett.133.081601',
          venue: 'Phys. Rev. Lett. 133, 081601 (2024)',
          keywords: ['math-ph', 'math.AP', 'math.MP'],
          urls: ['https://arxiv.org/abs/2408.10567v1', 'https://arxiv.org/pdf/2408.10567v1'],
        },
      },
      {
        title:
          "Mat\\'ern Gaussian Processes on Graphs: Scalable Inference via Sparse Precision Matrices",
        abstract:
          "Gaussian processes with Mat\\'ern kernels are a default prior for functions on Euclidean domains, but their graph analogues require dense covariance matrices. We show that for smoothness $\\nu + 1/2 \\in \\mathbb{N}$ the precision matrix is sparse, which gives inference in $\\mathcal{O}(|E|)$ time on graphs with $|E|$ edges. Experiments on traffic networks with 360{\\deg} camera coverage confirm the speed-up.",
        authors: ['Viacheslav Borovitskiy', 'Iskander Azangulov', 'Alexander Terenin'],
        dumpDate: null,
        dumpDateText: null,
        line: 73,
        meta: {
          year: 2024,
          arxivId: '2408.10912',
          arxivVersion: 1,
          keywords: ['stat.ML', 'cs.LG'],
          urls: ['https://arxiv.org/abs/2408.10912v1', 'https://arxiv.org/pdf/2408.10912v1'],
        },
      },
    ])
  })

  it('reads an answer in the 2007 shape, old-style ids included', () => {
    const result = parse(fixture('query-2007-style.xml'))
    expect(result).toMatchObject({ warnings: [], skipped: 0 })
    expect(result.papers.map((p) => [p.line, p.title, p.authors, p.meta])).toEqual([
      [
        10,
        'Holographic Renormalization Group Flows and the $c$-Theorem in $AdS_5 \\times S^5$',
        ['D. Z. Freedman', 'S. S. Gubser'],
        {
          year: 1999,
          arxivId: 'hep-th/9901001',
          arxivVersion: 3,
          venue: 'Adv.Theor.Math.Phys. 3 (1999) 363-417',
          keywords: ['hep-th'],
          urls: ['http://arxiv.org/abs/hep-th/9901001v3', 'http://arxiv.org/pdf/hep-th/9901001v3'],
        },
      ],
      [
        34,
        'Heegaard Floer homology and alternating knots',
        ['Peter Ozsváth', 'Zoltán Szabó'],
        {
          year: 2003,
          arxivId: 'math/0309136',
          arxivVersion: 1,
          doi: '10.2140/gt.2003.7.225',
          venue: 'Geom. Topol. 7 (2003) 225-254',
          keywords: ['math.GT', 'math.SG'],
          urls: ['http://arxiv.org/abs/math/0309136v1', 'http://arxiv.org/pdf/math/0309136v1'],
        },
      ],
      [
        60,
        'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
        ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan'],
        {
          year: 2007,
          arxivId: '0704.0001',
          arxivVersion: 2,
          doi: '10.1103/physrevd.76.013009',
          venue: 'Phys.Rev.D76:013009,2007',
          keywords: ['hep-ph'],
          urls: ['http://arxiv.org/abs/0704.0001v2', 'http://arxiv.org/pdf/0704.0001v2'],
        },
      ],
    ])
    expect(result.papers[1]!.abstract).toBe(
      'In an earlier paper, we introduced a knot invariant for a null-homologous knot $K$ in an oriented three-manifold $Y$. In this paper we compute it for alternating knots in $S^3$, where it is determined by the Alexander polynomial and the signature.',
    )
  })

  it('reads the same papers, on the same lines, with CRLF, CR, a BOM, or blank lines first', () => {
    const text = fixture('search-2024.xml')
    const expected = parse(text)
    const lines = text.split('\n')
    for (const variant of [lines.join('\r\n'), lines.join('\r'), '\uFEFF' + lines.join('\r\n')]) {
      expect(parse(variant)).toEqual(expected)
    }
    const later = parse('\n\n  \n' + text)
    expect(later.papers.map((p) => p.line)).toEqual(expected.papers.map((p) => p.line + 3))
  })

  it('reads pages saved one after another, each with its declaration, as one', () => {
    const result = parse(fixture('two-pages.xml'))
    expect(result.papers.map((p) => [p.line, p.title, p.meta?.arxivId, p.meta?.venue])).toEqual([
      [6, 'Notes on the Analytical Engine, Annotated', '2401.00101', undefined],
      // Filled from its copy on the second page.
      [
        14,
        'Bernoulli Numbers by Machine',
        '2401.00102',
        'Sketch of the Analytical Engine, Note G (1843)',
      ],
      [35, 'On the Poetry of Science', '2401.00103', undefined],
    ])
    expect(result.warnings).toEqual([
      { line: 27, message: expect.stringMatching(/second copy of the paper at line 14; merged/) },
    ])
  })
})

describe('arXiv Atom: announcement feeds (rss.arxiv.org/atom)', () => {
  it('reads the listing’s date, the authors in dc:creator, and the abstract after its routing line', () => {
    const result = parse(fixture('announcements-cs-cl.xml'))
    expect(result).toMatchObject({ warnings: [], skipped: 0 })
    expect(result.papers).toEqual([
      {
        title: 'Selective Prompt Anchoring for Code Generation',
        abstract:
          "Recent advances in large language models (LLMs) have transformed software development by automatically generating code from natural language. We observe that as generated code grows, the model's attention to the user prompt dilutes, and propose Selective Prompt Anchoring (SPA), which amplifies the prompt's influence during decoding. Code: https://github.com/magic-YuanTian/Selective-Prompt-Anchoring.",
        authors: ['Yuan Tian', 'Tianyi Zhang'],
        dumpDate: '2024-08-20',
        dumpDateText: '2024-08-20T00:00:00-04:00',
        line: 8,
        meta: {
          year: 2024,
          arxivId: '2408.09121',
          arxivVersion: 1,
          keywords: ['cs.CL', 'cs.SE'],
          urls: ['https://arxiv.org/abs/2408.09121'],
        },
      },
      {
        title:
          'Large Language Models Might Not Care What You Are Saying: Prompt Format Beats Descriptions',
        abstract:
          "With the help of in-context learning (ICL), large language models (LLMs) have achieved impressive performance across various tasks. We find that the format of the prompt matters more than the ``descriptions'' it contains, across $k \\in \\{1, 4, 16\\}$ demonstrations.",
        authors: ['Chenming Tang', 'Zhixiang Wang', 'Yunfang Wu'],
        dumpDate: '2024-08-20',
        dumpDateText: '2024-08-20T00:00:00-04:00',
        line: 22,
        meta: {
          year: 2024,
          arxivId: '2408.08780',
          arxivVersion: 2,
          keywords: ['cs.CL'],
          urls: ['https://arxiv.org/abs/2408.08780'],
        },
      },
    ])
  })

  it('takes the feed’s date when an entry has none, and leaves a search answer undated', () => {
    const text = feed(
      '<updated>2024-08-21T04:00:00Z</updated>',
      '<entry><id>oai:arXiv.org:2408.00001v1</id><title>T</title>',
      '<summary>arXiv:2408.00001v1 Announce Type: cross\nAbstract: Body.</summary></entry>',
      entry('2408.00002v1', 'U'),
    )
    expect(parse(text).papers.map((p) => [p.abstract, p.dumpDate, p.dumpDateText])).toEqual([
      ['Body.', '2024-08-21', '2024-08-21T04:00:00Z'],
      ['An abstract.', null, null],
    ])
  })
})

describe('arXiv Atom: a file edited by hand (BOM, CRLF, tabs)', () => {
  const text = fixture('messy-crlf.xml')
  const result = parse(text)

  it('is stored with its BOM and CRLF', () => {
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text).toContain('\r\n')
  })

  it('collapses odd spacing, decodes character references, keeps CDATA as written', () => {
    expect(result.papers.map((p) => [p.line, p.title])).toEqual([
      [8, 'Vision Transformers Need Registers, Revisited'],
      [32, 'A Survey on Large Language Models'],
      [47, 'Tokenizers & <Byte> Fallback: What BPE Forgets'],
      // Same title, different arXiv id: a different paper.
      [54, 'A Survey on Large Language Models'],
    ])
    const [registers, , tokenizers] = result.papers
    expect(registers).toEqual({
      title: 'Vision Transformers Need Registers, Revisited',
      abstract:
        'Register tokens remove the high-norm artefacts of ViT attention maps. We revisit them for DINOv2 and CLIP backbones (α = 0.1, naïve baselines included) and release code at https://github.com/example/registers).',
      authors: ['Timothée Darcet', 'Maxime Oquab'],
      dumpDate: null,
      dumpDateText: null,
      line: 8,
      meta: {
        year: 2024,
        arxivId: '2408.11001',
        arxivVersion: 1,
        keywords: ['cs.CV'],
        urls: [
          'http://arxiv.org/abs/2408.11001v1',
          'http://arxiv.org/pdf/2408.11001v1',
          'https://github.com/example/registers',
        ],
        // From v2 of the same paper further down.
        doi: '10.48550/arxiv.2408.11001',
        venue: 'ICLR 2025',
      },
    })
    expect(tokenizers!.abstract).toBe(
      'We count what byte-level BPE forgets: 3 < 4 & "&amp;" stays as written here.',
    )
  })

  it('warns about the entry without a title, the one without a summary and the copy', () => {
    expect(result.skipped).toBe(1)
    expect(result.warnings).toEqual([
      { line: 26, message: 'the entry http://arxiv.org/abs/2408.11002v1 has no title; skipped' },
      {
        line: 32,
        message: '“A Survey on Large Language Models” has no summary; imported with the title only',
      },
      {
        line: 39,
        message:
          '“Vision Transformers Need Registers, Revisited” is a second copy of the paper at line 8; merged into it',
      },
    ])
  })
})

describe('arXiv Atom: refusals', () => {
  it('refuses the API’s error answer with its message, not as a paper called "Error"', () => {
    expect(refusal(() => parse(fixture('error.xml')))).toMatchObject({
      message:
        'arXiv’s API answered with an error, not papers: “incorrect id format for 2408.1023”',
      line: 10,
    })
  })

  it('refuses an answer with no papers', () => {
    expect(refusal(() => parse(fixture('empty.xml')))).toMatchObject({
      message: 'no papers: arXiv found nothing for this query (totalResults is 0)',
    })
    expect(refusal(() => parse(feed()))).toMatchObject({
      message: 'no papers: the feed has no <entry> elements',
    })
    expect(refusal(() => parse(feed('<entry><title/></entry>', '<entry/>')))).toMatchObject({
      message: 'no papers: none of the 2 entries has a title',
      line: 3,
    })
  })

  it('refuses malformed XML, naming the line', () => {
    const mismatched = feed(
      entry('2408.00001v1', 'Fine'),
      '<entry>\n<title>Broken</titel>\n</entry>',
    )
    expect(refusal(() => parse(mismatched))).toMatchObject({
      message: expect.stringMatching(/^this is not well-formed XML: .*title/),
      line: 5,
    })
    expect(refusal(() => parse(mismatched.replace(/\n/g, '\r\n')))).toMatchObject({ line: 5 })
    expect(refusal(() => parse(mismatched.replace(/\n/g, '\r')))).toMatchObject({ line: 5 })
    const unclosed = feed(entry('2408.00001v1', 'Fine')).replace('</feed>', '')
    expect(refusal(() => parse(unclosed))).toMatchObject({
      message: expect.stringMatching(/^this is not well-formed XML: Unclosed tag 'feed'/),
    })
    // In the second of two pages saved one after another.
    const second = `${feed()}\n<?xml version="1.0"?>\n<feed>\n<title>a &amp b</title></feed>`
    expect(refusal(() => parse(second))).toMatchObject({ line: 6 })
  })

  it('says when a file was cut short, or has no elements at all', () => {
    const whole = fixture('search-2024.xml')
    const cut = whole.slice(0, whole.indexOf('Jonas Schröder'))
    expect(refusal(() => parse(cut))).toMatchObject({
      message: 'this XML ends before its elements are closed; was the file cut short?',
      line: cut.split('\n').length,
    })
    expect(refusal(() => parse('<?xml version="1.0"?>\n<!-- nothing -->\n'))).toMatchObject({
      message: 'this XML has no elements: an arXiv API answer has a <feed>',
      line: 1,
    })
  })

  it('refuses text that is not XML, or XML that is not a feed', () => {
    expect(refusal(() => parse(''))).toMatchObject({ message: 'the file is empty' })
    expect(refusal(() => parse('\n\n' + SAMPLE))).toMatchObject({
      message: expect.stringMatching(/^this is not XML/),
      line: 3,
    })
    expect(refusal(() => parse('TY  - JOUR\nTI  - x\nER  - '))).toMatchObject({ line: 1 })
    expect(refusal(() => parse('<?xml version="1.0"?>\n<rss><channel/></rss>'))).toMatchObject({
      message: 'this XML is not an Atom feed (it has no <feed> element)',
    })
  })

  it('quotes no more than a line of what the parser complained about', () => {
    const error = refusal(() => parse('<' + '<'.repeat(100_000)))
    expect(error.message.length).toBeLessThan(200)
  })
})

describe('arXiv Atom: entities', () => {
  it('refuses a billion laughs at once, without expanding anything', () => {
    expect(refusal(() => parse(fixture('billion-laughs.xml')))).toMatchObject({
      message: expect.stringMatching(/declares its own entities/),
      line: 3,
    })
  })

  it('refuses external entities too', () => {
    const text = `<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n${feed(entry('2408.00001v1', '&xxe;')).split('\n').slice(1).join('\n')}`
    expect(refusal(() => parse(text))).toMatchObject({ line: 3 })
  })

  it('never expands an entity it was not told about, and reads a plain DOCTYPE', () => {
    const text = `<?xml version="1.0"?>\n<!DOCTYPE feed>\n${feed(entry('2408.00001v1', 'A &lol9; B &nbsp;')).split('\n').slice(1).join('\n')}`
    expect(parse(text).papers[0]!.title).toBe('A &lol9; B &nbsp;')
  })

  it('decodes XML’s own entities and character references once, in text and attributes', () => {
    const text = feed(
      '<entry><id>http://arxiv.org/abs/2408.00001v1</id>',
      '<title>&lt;b&gt; &amp;amp; &#x1F600; &#233; &#0; &#xD800; &quot;q&quot; &apos;a&apos;</title>',
      '<summary>x</summary>',
      '<link rel="alternate" href="https://arxiv.org/abs/2408.00001v1?a=1&amp;b=2"/></entry>',
    )
    const [paper] = parse(text).papers
    expect(paper!.title).toBe('<b> &amp; 😀 é &#0; &#xD800; "q" \'a\'')
    expect(paper!.meta?.urls).toEqual(['https://arxiv.org/abs/2408.00001v1?a=1&b=2'])
  })
})

describe('arXiv Atom: entries', () => {
  it('reads an atom: prefix on Atom’s own elements', () => {
    const text = [
      '<atom:feed xmlns:atom="http://www.w3.org/2005/Atom">',
      '<atom:entry><atom:id>http://arxiv.org/abs/2408.00001v1</atom:id>',
      '<atom:title>Prefixed</atom:title><atom:summary>S.</atom:summary>',
      '<atom:author><atom:name>Ada Lovelace</atom:name></atom:author></atom:entry>',
      '</atom:feed>',
    ].join('\n')
    expect(parse(text).papers).toMatchObject([
      { title: 'Prefixed', abstract: 'S.', authors: ['Ada Lovelace'], line: 2 },
    ])
  })

  it('keeps blank-line paragraphs and joins hard wraps in summaries', () => {
    expect(paragraphsOf('  One\n  two.\n\n\n  Three\nfour.  \n')).toBe('One two.\n\nThree four.')
  })

  it('takes the DOI from a doi link when arxiv:doi is missing, and ignores non-web links', () => {
    const text = feed(
      '<entry><id>http://arxiv.org/abs/2408.00001v1</id><title>T</title><summary>S.</summary>',
      '<link title="doi" href="http://dx.doi.org/10.1000/ABC.def" rel="related"/>',
      '<link rel="alternate" href="ftp://example.org/x"/>',
      '<arxiv:comment>See github.com/x and https://x.org/a, https://x.org/b.</arxiv:comment></entry>',
    )
    expect(parse(text).papers[0]!.meta).toMatchObject({
      doi: '10.1000/abc.def',
      urls: ['https://x.org/a', 'https://x.org/b'],
    })
  })

  it('merges copies by arXiv id, whatever their version, keeping the first', () => {
    const text = feed(
      entry('2408.00001v1', 'First Title', ''),
      entry('2408.00002v1', 'Other'),
      entry('2408.00001v3', 'Renamed in v3', 'From v3.'),
    )
    const result = parse(text)
    expect(result.papers.map((p) => [p.title, p.abstract, p.meta?.arxivVersion])).toEqual([
      ['First Title', 'From v3.', 1],
      ['Other', 'An abstract.', 1],
    ])
    expect(result.warnings.map((w) => w.line)).toEqual([5])
  })

  it('keeps a hundred warnings and counts the rest', () => {
    const entries = Array.from({ length: 1000 }, (_, i) =>
      entry(`2408.${10000 + i}v1`, `P${i}`, ''),
    )
    const result = parse(feed(...entries))
    expect(result.papers).toHaveLength(1000)
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(result.warnings[MAX_WARNINGS]!.message).toMatch(/^…and 900 more warnings/)
    expect(result.papers[999]!.line).toBe(1002)
  })
})

describe('arXiv Atom: detect', () => {
  it('is sure of every arXiv answer', () => {
    for (const name of own) {
      expect(arxivAtomImporter.detect(headOf(fixture(name))), name).toBeGreaterThanOrEqual(0.9)
    }
  })

  /** Every file under tests/fixtures that is not arXiv Atom: other formats' fixtures. */
  function foreignFixtures(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) return path === DIR ? [] : foreignFixtures(path)
      return [path]
    })
  }

  it('does not claim the Daily Papers sample, other formats’ fixtures, or other XML', () => {
    expect(arxivAtomImporter.detect(headOf(SAMPLE))).toBe(0)
    for (const path of foreignFixtures(FIXTURES)) {
      expect(arxivAtomImporter.detect(headOf(readFileSync(path, 'utf8'))), path).toBeLessThan(0.5)
    }
    const others = [
      '',
      '<!DOCTYPE html><html><body><a href="https://arxiv.org/abs/2408.00001">x</a></body></html>',
      '<?xml version="1.0"?><rss><channel><title>arXiv cs.CL</title></channel></rss>',
      '{"feed": "<feed xmlns=\\"http://www.w3.org/2005/Atom\\">"}',
      '<feedback>arxiv.org/abs/</feedback>',
    ]
    for (const text of others) expect(arxivAtomImporter.detect(text), text).toBeLessThan(0.5)
    expect(arxivAtomImporter.detect('<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(0.6)
  })
})

describe('arXiv Atom: hostile input', () => {
  const xmlPiece = fc.oneof(
    fc.constantFrom(
      '<?xml version="1.0"?>',
      `<feed ${ATOM}>`,
      '</feed>',
      '<entry>',
      '</entry>',
      '<entry/>',
      '<id>http://arxiv.org/abs/2408.00001v1</id>',
      '<id>http://arxiv.org/api/errors#x</id>',
      '<id>http://arxiv.org/abs/hep-th/9901001</id>',
      '<title>A Title</title>',
      '<title/>',
      '<summary>Text &amp; more</summary>',
      '<author><name>A B</name></author>',
      '<arxiv:doi>10.1000/x</arxiv:doi>',
      '<link rel="alternate" href="http://arxiv.org/abs/x"/>',
      '<category term="cs.CL"/>',
      '<opensearch:totalResults>0</opensearch:totalResults>',
      '<![CDATA[ <entry> ]]>',
      '<!-- <entry> -->',
      '<!DOCTYPE feed>',
      '<!ENTITY x "y">',
      '&#x110000;',
      '&lol;',
      '<__proto__/>',
      '<constructor>x</constructor>',
      '\n',
      '\r\n',
      '\uFEFF',
    ),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.string({ unit: 'binary', maxLength: 10 }),
  )
  const xmlText = fc.array(xmlPiece, { maxLength: 40 }).map((pieces) => pieces.join(''))

  it('reads or refuses arbitrary text and XML-like soup, and nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(xmlText, fc.string({ unit: 'binary' }), fc.string()), (text) => {
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
            fc.oneof(fc.constantFrom('', '<', '>', '&', '"', '\n', '\r', '</entry>'), xmlPiece),
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
  const wrap = (inner: string): string => feed(entry('2408.00001v1', 'T', 'S') + inner)
  const pathological: [string, () => string][] = [
    ...['<', '>', '&', ' ', '\n', '\r', 'a', '"', '\uFEFF'].map((c): [string, () => string] => [
      `1 MB of ${JSON.stringify(c)}`,
      () => c.repeat(M),
    ]),
    ['100k comment lines', () => feed(...Array.from({ length: 100_000 }, () => '<!-- -->'))],
    ['100k unclosed entries', () => '<feed>\n' + '<entry>\n'.repeat(100_000)],
    [
      '20k entries',
      () =>
        feed(...Array.from({ length: 20_000 }, (_, i) => entry(`2408.${10000 + i}v1`, `P${i}`))),
    ],
    [
      '20k entries with one title',
      () => feed(...Array.from({ length: 20_000 }, (_, i) => entry(`2408.${10000 + i}v1`, 'Same'))),
    ],
    ['50k nested elements', () => wrap('<a>'.repeat(50_000) + '</a>'.repeat(50_000))],
    [
      'a megabyte of spaces inside a title and a summary',
      () => feed(entry('2408.00001v1', 'a' + ' '.repeat(M) + 'b', 'a' + ' \t'.repeat(M / 2) + 'b')),
    ],
    ['a megabyte summary', () => feed(entry('2408.00001v1', 'T', 'x'.repeat(M)))],
    ['200k entity references', () => feed(entry('2408.00001v1', 'T', '&amp;'.repeat(M / 5)))],
    ['170k character references', () => feed(entry('2408.00001v1', 'T', '&#x41;'.repeat(M / 6)))],
    [
      'a megabyte CDATA section',
      () => feed(entry('2408.00001v1', 'T', `<![CDATA[${']'.repeat(M)}]]>`)),
    ],
    ['a megabyte id', () => feed(entry('a-'.repeat(M / 2), 'T'))],
    [
      'a megabyte DOI',
      () => feed(entry('2408.00001v1', 'T') + `<arxiv:doi>10.1234/${'.'.repeat(M)}x</arxiv:doi>`),
    ],
    [
      'a megabyte link',
      () =>
        wrap(
          `<entry><title>T</title><link rel="alternate" href="https://x.org/${')'.repeat(M)}x"/></entry>`,
        ),
    ],
    [
      '65k links in a comment',
      () =>
        wrap(
          `<entry><title>T</title><arxiv:comment>${'https://x.org/a '.repeat(M / 16)}</arxiv:comment></entry>`,
        ),
    ],
    [
      '50k authors',
      () =>
        wrap(`<entry><title>T</title>${'<author><name>A</name></author>'.repeat(50_000)}</entry>`),
    ],
    [
      '50k different categories and links',
      () => {
        const many = Array.from(
          { length: 50_000 },
          (_, i) => `<category term="c${i}"/><link rel="alternate" href="https://x.org/${i}"/>`,
        )
        return wrap(`<entry><title>T</title>${many.join('')}</entry>`)
      },
    ],
    [
      '50k attributes',
      () => wrap(`<x ${Array.from({ length: 50_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`),
    ],
    ['50k XML declarations', () => '<?xml version="1.0"?>'.repeat(M / 21)],
    ['170k unclosed declarations', () => '<?xml '.repeat(M / 6)],
    ['20k pages', () => feed() + '<?xml version="1.0"?>\n<feed/>'.repeat(20_000)],
    ['an unclosed DOCTYPE of comments', () => '<!DOCTYPE feed [' + '<!--'.repeat(M / 4)],
    ['a megabyte of "<" in a title', () => feed(`<title>${'<'.repeat(M)}</title>`)],
    [
      'a megabyte of spaces in a routing line',
      () => feed(entry('2408.00001v1', 'T', `arXiv:x Announce Type:${' '.repeat(M)}x`)),
    ],
  ]

  it.each(pathological)('gets through %s', (_name, build) => {
    parsedOrRefused(build())
  })
})
