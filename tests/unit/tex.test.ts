import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { texSegments } from '../../shared/tex'
import type { TexSegment } from '../../shared/tex'
import { splitLinks } from '../../shared/links'
import { SAMPLE } from '../helpers/fixtures'

/**
 * What a reader sees, in one line: math as ⟨tex⟩ (⟪tex⟫ for display), links as [text](url),
 * italic as _x_, bold as *x*.
 */
function shown(segments: TexSegment[]): string {
  return segments
    .map((s) => {
      if (s.kind === 'math') return s.display ? `⟪${s.tex}⟫` : `⟨${s.tex}⟩`
      if (s.kind === 'link') return `[${s.text}](${s.url})`
      let text = s.text
      if (s.bold) text = `*${text}*`
      if (s.italic) text = `_${text}_`
      return text
    })
    .join('')
}

/** `texSegments(text)` as the reader sees it, after checking that nothing of `text` was lost. */
function read(text: string): string {
  const segments = texSegments(text)
  expect(segments.map((s) => s.source).join('')).toBe(text)
  return shown(segments)
}

describe('TeX in abstract text', () => {
  it('turns accents into the letters they stand for', () => {
    expect(read('the time-dependent Schr\\"odinger equation')).toBe(
      'the time-dependent Schrödinger equation',
    )
    expect(read("Bayesian quadrature with a Mat\\'ern kernel")).toBe(
      'Bayesian quadrature with a Matérn kernel',
    )
    expect(read("the proof by Ap\\'ery for the irrationality")).toBe(
      'the proof by Apéry for the irrationality',
    )
    expect(read('G{\\"o}del, G\\"{o}del, Erd\\H{o}s, Pr\\\'{e}cis')).toBe(
      'Gödel, Gödel, Erdős, Précis',
    )
    expect(read("Fran\\c{c}ois, Fran\\c cois, \\v{C}ech, Dvo\\v{r}\\'ak")).toBe(
      'François, François, Čech, Dvořák',
    )
    expect(read('Ba\\~{n}os, na\\"{\\i}ve, Mart\\\'{\\i}nez, \\`a la')).toBe(
      'Baños, naïve, Martínez, à la',
    )
    expect(read('Gro\\ss e Stra{\\ss}e, Bj\\o rn, \\AE sir, Wroc{\\l}aw')).toBe(
      'Große Straße, Bjørn, Æsir, Wrocław',
    )
  })

  it('turns symbols into characters, keeping the space after them', () => {
    expect(read('rely on having a 360{\\deg} field of view')).toBe(
      'rely on having a 360° field of view',
    )
    expect(read('Top-1 rates of 70{\\deg} crops, 90\\deg angles')).toBe(
      'Top-1 rates of 70° crops, 90° angles',
    )
    expect(read('improves by 12.5\\% \\& more, 3.5 \\AA{} resolution, \\LaTeX{} source')).toBe(
      'improves by 12.5% & more, 3.5 Å resolution, LaTeX source',
    )
    expect(read('costs \\$5, item \\#3, file\\_name, \\{x\\}, and so on\\ldots')).toBe(
      'costs $5, item #3, file_name, {x}, and so on…',
    )
    expect(read('an \\alpha -divergence, error \\sim 5\\%, \\Omega(n)')).toBe(
      'an α -divergence, error ∼ 5%, Ω(n)',
    )
  })

  it('turns TeX quotes into typographic ones and leaves other quotes alone', () => {
    expect(read("OpenAI's introduction of the ``thinking with images'' concept")).toBe(
      "OpenAI's introduction of the “thinking with images” concept",
    )
    expect(read("a `soft' prompt, don't, it's the models' view")).toBe(
      "a ‘soft’ prompt, don't, it's the models' view",
    )
    expect(read('call `torch.compile` and "straight" quotes')).toBe(
      'call `torch.compile` and "straight" quotes',
    )
    // '' closes a ``quote; without one it is a double prime.
    expect(read("where f''(x) > 0, ``convex'' and g''")).toBe("where f''(x) > 0, “convex” and g''")
  })

  it('makes dashes of TeX dashes, not of flags, arrows or rules', () => {
    expect(read('a new domain -- for example, question answering')).toBe(
      'a new domain – for example, question answering',
    )
    expect(read('human--AI and AI--AI Flows, pages 10--20, the Avengers---a recipe')).toBe(
      'human–AI and AI–AI Flows, pages 10–20, the Avengers—a recipe',
    )
    expect(read('run with --verbose, x --> y, <-- back, a ---- rule, a-b')).toBe(
      'run with --verbose, x --> y, <-- back, a ---- rule, a-b',
    )
  })

  it('ties with ~ only where TeX does', () => {
    expect(read('shown in Fig.~3 and Table~2')).toBe('shown in Fig.\u00A03 and Table\u00A02')
    expect(read('a speed-up of ~100x, files in ~/data')).toBe(
      'a speed-up of ~100x, files in ~/data',
    )
  })

  it('sets emphasis from \\emph, \\textbf and {\\em …}', () => {
    expect(read('we \\emph{do not} need labels')).toBe('we _do not_ need labels')
    expect(read('\\textbf{Bold \\emph{both}} and {\\em em} and {\\bf bf}')).toBe(
      '*Bold *_*both*_ and _em_ and *bf*',
    )
    expect(read('\\textit{Schr\\"odinger}')).toBe('_Schrödinger_')
    // Not closed: shown as written.
    expect(read('an \\emph{unclosed group')).toBe('an \\emph{unclosed group')
  })

  it('writes script numbers that lost their math as super- and subscripts', () => {
    expect(read('from O(L^6) to O(L^3), where L is')).toBe('from O(L⁶) to O(L³), where L is')
    // No superscript b in Unicode: all of it stays as written.
    expect(read('to be O(N^{-2}) and O(N^{-1-b})')).toBe('to be O(N⁻²) and O(N^{-1-b})')
    expect(read('x_{ij}, 10^-3, snake_case, a^b, e^{i\\pi}')).toBe(
      'xᵢⱼ, 10⁻³, snake_case, a^b, e^{iπ}',
    )
  })

  it('shows commands it does not know as written', () => {
    expect(read('as in \\cite{smith2020} and Section~\\ref{sec:x}')).toBe(
      'as in \\cite{smith2020} and Section\u00A0\\ref{sec:x}',
    )
    expect(read('a backslash \\ alone, and one at the end \\')).toBe(
      'a backslash  alone, and one at the end \\',
    )
    expect(read('sets {a, b} and {x}')).toBe('sets {a, b} and {x}')
  })
})

describe('math in abstracts', () => {
  it('finds inline and display math in all four delimiters', () => {
    expect(read('a $\\alpha$-divergence with $x_i^2$ terms')).toBe(
      'a ⟨\\alpha⟩-divergence with ⟨x_i^2⟩ terms',
    )
    expect(read('we minimise $$\\sum_{i=1}^{n} \\ell(x_i)$$ over')).toBe(
      'we minimise ⟪\\sum_{i=1}^{n} \\ell(x_i)⟫ over',
    )
    expect(read('inline \\(a + b\\) and display \\[\\int_0^1 f\\] math')).toBe(
      'inline ⟨a + b⟩ and display ⟪\\int_0^1 f⟫ math',
    )
    expect(read('nested $\\frac{a}{b^{2}}$ and $\\mathcal{O}(n \\log n)$')).toBe(
      'nested ⟨\\frac{a}{b^{2}}⟩ and ⟨\\mathcal{O}(n \\log n)⟩',
    )
    expect(read('reaching $50\\%$ accuracy, $\\$5$')).toBe('reaching ⟨50\\%⟩ accuracy, ⟨\\$5⟩')
  })

  it('leaves dollar amounts as dollars', () => {
    for (const text of [
      'a $5 million grant',
      'costs $3 and $4 per run',
      'from $5 to $10',
      'US$5 and US$6',
      'between $5/$10',
      'priced at $5, or $10.',
      'an unbalanced $x here',
      'a lone $ sign',
      'escaped \\$x\\$ dollars',
      'a $ 5 $ spaced pair',
    ]) {
      expect(texSegments(text).filter((s) => s.kind === 'math')).toEqual([])
    }
  })

  it('keeps math to one paragraph and to pairs of braces', () => {
    expect(read('$x\n$ and $a{b$ and $c}d$')).toBe('$x\n$ and $a{b$ and $c}d$')
    expect(read('\\(a\n\nb\\) and \\(\\) and \\( \\( x \\)')).toBe(
      '\\(a\n\nb\\) and \\(\\) and \\( ⟨ x ⟩',
    )
  })

  it('does not let a URL next to math swallow it, or math swallow a URL', () => {
    expect(read('Code: https://github.com/a/b. With $O(n)$ cost')).toBe(
      'Code: [https://github.com/a/b](https://github.com/a/b). With ⟨O(n)⟩ cost',
    )
    expect(read('$\\beta$ (https://x.org/a), $\\gamma$')).toBe(
      '⟨\\beta⟩ ([https://x.org/a](https://x.org/a)), ⟨\\gamma⟩',
    )
    expect(read('pay $5 at https://shop.example/$x and $6')).toBe(
      'pay $5 at [https://shop.example/$x](https://shop.example/$x) and $6',
    )
  })
})

describe('links in abstracts, as a reader sees them', () => {
  it('links bare www. hosts, arXiv identifiers and DOIs', () => {
    expect(read('Project page: www.example.org/thyme. See arXiv:2401.01234.')).toBe(
      'Project page: [www.example.org/thyme](https://www.example.org/thyme). See [arXiv:2401.01234](https://arxiv.org/abs/2401.01234).',
    )
    expect(read('extends arXiv:2401.01234v2 and arXiv:hep-th/9901001, math.GT/0309136')).toBe(
      'extends [arXiv:2401.01234v2](https://arxiv.org/abs/2401.01234v2) and [arXiv:hep-th/9901001](https://arxiv.org/abs/hep-th/9901001), math.GT/0309136',
    )
    expect(read('published (doi:10.1145/3292500.3330701), DOI: 10.1000/a#b.')).toBe(
      'published ([doi:10.1145/3292500.3330701](https://doi.org/10.1145/3292500.3330701)), [DOI: 10.1000/a#b](https://doi.org/10.1000/a%23b).',
    )
  })

  it('does not link what only looks like one', () => {
    expect(read('see foo.www.example.org, arXiv:24010.1234, doi:11.1/x, mywww.x.org')).toBe(
      'see foo.www.example.org, arXiv:24010.1234, doi:11.1/x, mywww.x.org',
    )
  })

  it('reads \\url and \\href, and only web links', () => {
    expect(read('Code: \\url{https://github.com/x/y}.')).toBe(
      'Code: [https://github.com/x/y](https://github.com/x/y).',
    )
    expect(read("at \\href{https://x.org}{Caf\\'e} and \\href{javascript:alert(1)}{here}")).toBe(
      'at [Café](https://x.org) and \\href{javascript:alert(1)}{here}',
    )
  })

  it('keeps splitLinks as the importers use it: URLs only', () => {
    expect(splitLinks('www.x.org arXiv:2401.01234 doi:10.1/x')).toEqual([
      { kind: 'text', text: 'www.x.org arXiv:2401.01234 doi:10.1/x' },
    ])
  })
})

describe('the sample dump', () => {
  const abstracts = SAMPLE.split('\n\n')
    .slice(7)
    .filter((_, i) => i % 2 === 0)

  it('reads every abstract without losing a character', () => {
    for (const abstract of abstracts) read(abstract)
    const all = abstracts.map(read).join('\n')
    expect(all).toContain('360° field of view')
    expect(all).toContain('“thinking with images”')
    expect(all).toContain('Matérn kernel')
    expect(all).toContain('O(N⁻²)')
    expect(all).not.toMatch(/\\deg|\\'/)
  })
})

describe('hostile input', () => {
  it('stays fast on long runs of what starts a construct', () => {
    for (const unit of [
      '$ ',
      '$a',
      '\\(',
      '\\[ ',
      '{\\',
      '{',
      '}',
      '`x',
      "''",
      '--',
      '~',
      '^{',
      "\\'",
    ]) {
      const text = unit.repeat(200_000)
      const segments = texSegments(text)
      expect(segments.map((s) => s.source).join('')).toBe(text)
    }
    const realistic = `${SAMPLE} $x_i$ \\emph{a} ${'{\\"o} $\\alpha$ '.repeat(20_000)}`
    expect(texSegments(realistic).length).toBeGreaterThan(20_000)
  })

  it('never throws and never loses a character', () => {
    const tex = fc.constantFrom(
      '$',
      '$$',
      '\\',
      '{',
      '}',
      '(',
      ')',
      '[',
      ']',
      '`',
      "'",
      '-',
      '~',
      '^',
      '_',
      ' ',
      '\n',
      'a',
      'é',
      '5',
      '%',
      '\\(',
      '\\)',
      '\\[',
      '\\]',
      '\\emph{',
      '{\\em ',
      '\\"',
      "\\'",
      '\\c',
      '\\deg',
      '\\ss',
      '\\url{',
      '\\href{',
      'https://x.org/',
      'www.x.org',
      'arXiv:2401.01234',
      'doi:10.1000/',
      '\uD800',
    )
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(tex, { maxLength: 60 }).map((parts) => parts.join('')),
          fc.string({ unit: 'binary', maxLength: 80 }),
        ),
        (text) => {
          const segments = texSegments(text)
          expect(segments.map((s) => s.source).join('')).toBe(text)
          for (const s of segments) {
            if (s.kind === 'link') expect(s.url).toMatch(/^https?:\/\//)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })
})
