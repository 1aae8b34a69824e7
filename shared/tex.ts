// Abstracts as arXiv and the pages that copy it write them: plain text with LaTeX in it — math
// between dollars, accents (`Schr\"odinger`), symbols (`360{\deg}`), ``quotes'', dashes, and
// links. `texSegments` splits such text into what a reader should see, never changing what is
// stored: every segment keeps its `source`, and the sources put together give back the text.
//
// Text that is not TeX must read as it was written, so each rule asks for TeX it can recognise:
// "$5 and $10" stays dollars, "snake_case" and "--verbose" stay as they are, and a command it
// does not know (`\cite{x}`) is shown as written.

import { splitLinks } from './links'

export type TexSegment =
  /** Text to show as `text`; `italic`/`bold` from `\emph{…}`, `\textbf{…}`, `{\em …}`. */
  | { kind: 'text'; source: string; text: string; italic: boolean; bold: boolean }
  /** Math for a math renderer: `tex` is what is between the delimiters. */
  | { kind: 'math'; source: string; tex: string; display: boolean }
  /** A link: `text` to show, `url` (http or https) to open. */
  | { kind: 'link'; source: string; text: string; url: string }

/** Longer is not math anyone wrote in an abstract; the bound keeps the search linear. */
const MAX_MATH_CHARS = 2000
/** How far a `quote' may run. */
const MAX_QUOTE_CHARS = 300

interface Span {
  start: number
  end: number
  segment: TexSegment
}

export function texSegments(text: string): TexSegment[] {
  const spans = linkAndMathSpans(text)
  const closes = matchBraces(text, spans)
  const out = new SegmentBuilder()
  const reader = new TextReader(text, closes, out)
  let at = 0
  for (const span of spans) {
    if (span.start > at) reader.read(at, span.start)
    out.push(span.segment)
    at = span.end
  }
  if (at < text.length) reader.read(at, text.length)
  return out.done
}

// ---------------------------------------------------------------------------------------------
// Links and math

const TEX_LINK = /\\url\{([^{}\s]+)\}|\\href\{([^{}\s]+)\}\{([^{}]*)\}/g

function linkAndMathSpans(text: string): Span[] {
  const spans: Span[] = []
  const gaps: [number, number][] = []
  let at = 0
  for (const match of text.matchAll(TEX_LINK)) {
    const target = match[1] ?? match[2] ?? ''
    const url = /^https?:\/\//i.test(target)
      ? target
      : /^www\./i.test(target)
        ? `https://${target}`
        : null
    if (url === null) continue
    if (match.index > at) gaps.push([at, match.index])
    const label = match[3] === undefined ? target : plainText(match[3])
    spans.push({
      start: match.index,
      end: match.index + match[0].length,
      segment: { kind: 'link', source: match[0], text: label || target, url },
    })
    at = match.index + match[0].length
  }
  if (at < text.length) gaps.push([at, text.length])

  for (const [start, end] of gaps) {
    let offset = start
    for (const segment of splitLinks(text.slice(start, end), { identifiers: true })) {
      const length = segment.text.length
      if (segment.kind === 'link') {
        spans.push({
          start: offset,
          end: offset + length,
          segment: { kind: 'link', source: segment.text, text: segment.text, url: segment.url },
        })
      } else {
        findMath(text, offset, offset + length, spans)
      }
      offset += length
    }
  }
  return spans.sort((a, b) => a.start - b.start)
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c)
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const isAsciiLetter = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c)

/**
 * Math in text[from, to): `$…$` and `$$…$$` as pandoc takes them (as the exporters' `mathPieces`
 * does: no space inside the dollars, no digit right after the closing one, one paragraph, braces
 * that pair up), and `\(…\)`, `\[…\]`. An escaped `\$` is a dollar sign.
 */
function findMath(text: string, from: number, to: number, spans: Span[]): void {
  let i = from
  while (i < to) {
    const c = text[i]
    if (c === '\\') {
      const next = text[i + 1]
      if (next === '(' || next === '[') {
        const end = bracketedMath(text, i, to, next === '(' ? ')' : ']')
        if (end !== null) {
          const source = text.slice(i, end)
          spans.push({
            start: i,
            end,
            segment: { kind: 'math', source, tex: source.slice(2, -2), display: next === '[' },
          })
          i = end
          continue
        }
      }
      i += 2
      continue
    }
    if (c === '$') {
      const end = dollarMath(text, i, to)
      if (end !== null) {
        const source = text.slice(i, end)
        const open = text[i + 1] === '$' ? 2 : 1
        spans.push({
          start: i,
          end,
          segment: { kind: 'math', source, tex: source.slice(open, -open), display: open === 2 },
        })
        i = end
        continue
      }
    }
    i += 1
  }
}

/** The end of the math `$…$` or `$$…$$` opening at `i`, or null if it is a dollar sign. */
function dollarMath(text: string, i: number, to: number): number | null {
  const open = text[i + 1] === '$' ? 2 : 1
  let j = i + open
  const limit = Math.min(to, j + MAX_MATH_CHARS)
  while (j < limit && text[j] !== '$') j += text[j] === '\\' ? 2 : 1
  if (j >= limit) return null
  const end = j + open
  if (end > to || (open === 2 && text[j + 1] !== '$')) return null
  const content = text.slice(i + open, j)
  if (
    content === '' ||
    isSpace(content[0]) ||
    isSpace(content[content.length - 1]) ||
    isDigit(text[end]) ||
    content.includes('\n') ||
    !bracesPair(content) ||
    looksLikeProse(content)
  )
    return null
  return end
}

/**
 * "US$5 and US$" has the shape of math; what it holds does not: words, and nothing that only
 * math has.
 */
function looksLikeProse(content: string): boolean {
  return (
    /\s/.test(content) &&
    !/[\\^_{}=<>+*/|]/.test(content) &&
    /(?:^|\s)[A-Za-z]{3,}(?=\s|[,.;:]?$)/.test(content)
  )
}

/** The end of `\(…\)` or `\[…\]` opening at `i`, or null. Another opener first means no. */
function bracketedMath(text: string, i: number, to: number, close: ')' | ']'): number | null {
  const limit = Math.min(to, i + 2 + MAX_MATH_CHARS)
  for (let j = i + 2; j + 1 < limit; j += 1) {
    if (text[j] === '\n' && text[j + 1] === '\n') return null
    if (text[j] !== '\\') continue
    const next = text[j + 1]
    if (next === close) {
      const content = text.slice(i + 2, j)
      return content.trim() !== '' && bracesPair(content) ? j + 2 : null
    }
    if (next === '(' || next === '[') return null
    j += 1
  }
  return null
}

function bracesPair(text: string): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]
    if (c === '\\') i += 1
    else if (c === '{') depth += 1
    else if (c === '}' && --depth < 0) return false
  }
  return depth === 0
}

/** For each `{` outside links and math that is closed, where its `}` is. */
function matchBraces(text: string, spans: Span[]): Map<number, number> {
  const closes = new Map<number, number>()
  const open: number[] = []
  let next = 0
  for (let i = 0; i < text.length; i += 1) {
    const span = spans[next]
    if (span && i === span.start) {
      i = span.end - 1
      next += 1
      continue
    }
    const c = text[i]
    if (c === '\\') {
      if (spans[next]?.start !== i + 1) i += 1
    } else if (c === '{') open.push(i)
    else if (c === '}') {
      const from = open.pop()
      if (from !== undefined) closes.set(from, i)
    }
  }
  return closes
}

// ---------------------------------------------------------------------------------------------
// Text

/** Accents written as `\'e`, `\"{o}`, `\c{c}`, `\v c`: the combining mark each adds. */
const SYMBOL_ACCENTS: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
}
const WORD_ACCENTS: Record<string, string> = {
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
  r: '\u030A',
  d: '\u0323',
  b: '\u0331',
}

/** Commands that stand for a letter: TeX drops the spaces after them (`Gro\ss e`). */
const LETTERS: Record<string, string> = {
  ss: 'ß',
  SS: 'SS',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  o: 'ø',
  O: 'Ø',
  aa: 'å',
  l: 'ł',
  L: 'Ł',
  i: 'ı',
  j: 'ȷ',
  dh: 'ð',
  DH: 'Ð',
  th: 'þ',
  TH: 'Þ',
  ng: 'ŋ',
  NG: 'Ŋ',
}

/** Commands that stand for a symbol or a word: the space after them is kept for the reader. */
const SYMBOLS: Record<string, string> = {
  deg: '°',
  // Ångström, as a unit: "3.5 \AA resolution".
  AA: 'Å',
  textdegree: '°',
  ldots: '…',
  dots: '…',
  textellipsis: '…',
  textendash: '–',
  textemdash: '—',
  textquoteleft: '‘',
  textquoteright: '’',
  textquotedblleft: '“',
  textquotedblright: '”',
  guillemotleft: '«',
  guillemotright: '»',
  copyright: '©',
  textcopyright: '©',
  textregistered: '®',
  texttrademark: '™',
  S: '§',
  P: '¶',
  pounds: '£',
  textsterling: '£',
  euro: '€',
  texteuro: '€',
  textbackslash: '\\',
  textasciitilde: '~',
  textasciicircum: '^',
  textbar: '|',
  textless: '<',
  textgreater: '>',
  textbullet: '•',
  dag: '†',
  ddag: '‡',
  textdagger: '†',
  textdaggerdbl: '‡',
  textmu: 'µ',
  textperthousand: '‰',
  textpm: '±',
  texttimes: '×',
  checkmark: '✓',
  LaTeX: 'LaTeX',
  LaTeXe: 'LaTeX 2ε',
  TeX: 'TeX',
  BibTeX: 'BibTeX',
}

/**
 * Math that lost its dollars on the way (pages that copy arXiv drop them: "O(N^{-2})", "\alpha
 * -divergence"): a Greek letter or a common relation reads better as the character.
 */
const MATH_SYMBOLS: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ϵ',
  varepsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  vartheta: 'ϑ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  pi: 'π',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  upsilon: 'υ',
  phi: 'ϕ',
  varphi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Xi: 'Ξ',
  Pi: 'Π',
  Sigma: 'Σ',
  Upsilon: 'Υ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
  times: '×',
  cdot: '·',
  pm: '±',
  sim: '∼',
  approx: '≈',
  le: '≤',
  leq: '≤',
  ge: '≥',
  geq: '≥',
  neq: '≠',
  ll: '≪',
  gg: '≫',
  infty: '∞',
  to: '→',
  rightarrow: '→',
  leftarrow: '←',
  Rightarrow: '⇒',
}

/** `\%` and the like: the character itself. */
const ESCAPED: Record<string, string> = {
  '%': '%',
  '&': '&',
  $: '$',
  '#': '#',
  _: '_',
  '{': '{',
  '}': '}',
  ' ': ' ',
  ',': '\u2009',
  ';': ' ',
  ':': ' ',
  '!': '',
  '/': '',
  '@': '',
  '-': '\u00AD',
  '\\': ' ',
  '\n': ' ',
}

type Style = { italic: boolean; bold: boolean }

/** Commands with one argument, and how they set it. */
const STYLE_COMMANDS: Record<string, (s: Style) => Style> = {
  emph: (s) => ({ ...s, italic: !s.italic }),
  textit: (s) => ({ ...s, italic: true }),
  textsl: (s) => ({ ...s, italic: true }),
  textbf: (s) => ({ ...s, bold: true }),
  textup: (s) => ({ ...s, italic: false }),
  textmd: (s) => ({ ...s, bold: false }),
  textnormal: () => ({ italic: false, bold: false }),
  textrm: (s) => s,
  textsf: (s) => s,
  texttt: (s) => s,
  textsc: (s) => s,
  mbox: (s) => s,
  text: (s) => s,
}

/** Declarations inside a group, `{\em …}`, `{\bf …}`. */
const STYLE_DECLARATIONS: Record<string, (s: Style) => Style> = {
  em: (s) => ({ ...s, italic: !s.italic }),
  it: (s) => ({ ...s, italic: true }),
  itshape: (s) => ({ ...s, italic: true }),
  sl: (s) => ({ ...s, italic: true }),
  slshape: (s) => ({ ...s, italic: true }),
  bf: (s) => ({ ...s, bold: true }),
  bfseries: (s) => ({ ...s, bold: true }),
  upshape: (s) => ({ ...s, italic: false }),
  mdseries: (s) => ({ ...s, bold: false }),
  normalfont: () => ({ italic: false, bold: false }),
  rm: (s) => s,
  sf: (s) => s,
  tt: (s) => s,
  sc: (s) => s,
}

const SUPERSCRIPTS: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '+': '⁺',
  '-': '⁻',
  '=': '⁼',
  '(': '⁽',
  ')': '⁾',
  n: 'ⁿ',
  i: 'ⁱ',
  T: 'ᵀ',
}
const SUBSCRIPTS: Record<string, string> = {
  '0': '₀',
  '1': '₁',
  '2': '₂',
  '3': '₃',
  '4': '₄',
  '5': '₅',
  '6': '₆',
  '7': '₇',
  '8': '₈',
  '9': '₉',
  '+': '₊',
  '-': '₋',
  '=': '₌',
  '(': '₍',
  ')': '₎',
  a: 'ₐ',
  e: 'ₑ',
  h: 'ₕ',
  i: 'ᵢ',
  j: 'ⱼ',
  k: 'ₖ',
  l: 'ₗ',
  m: 'ₘ',
  n: 'ₙ',
  o: 'ₒ',
  p: 'ₚ',
  r: 'ᵣ',
  s: 'ₛ',
  t: 'ₜ',
  u: 'ᵤ',
  v: 'ᵥ',
  x: 'ₓ',
}

/** Characters where something may start; all others are copied as they are. */
const SPECIAL = new Set("\\{}`'-~^_")

/** Collects pieces of text into segments: one per run of the same style. */
class SegmentBuilder {
  readonly segments: TexSegment[] = []
  private source = ''
  private text = ''
  private style: Style = { italic: false, bold: false }

  add(source: string, text: string, style: Style): void {
    if (this.source !== '' && text !== '' && !sameStyle(style, this.style) && this.text !== '') {
      this.flush()
    }
    if (this.source === '' || this.text === '') this.style = style
    this.source += source
    this.text += text
  }

  push(segment: TexSegment): void {
    this.flush()
    this.segments.push(segment)
  }

  flush(): void {
    if (this.source === '') return
    this.segments.push({ kind: 'text', source: this.source, text: this.text, ...this.style })
    this.source = ''
    this.text = ''
  }

  get done(): TexSegment[] {
    this.flush()
    return this.segments
  }
}

const sameStyle = (a: Style, b: Style): boolean => a.italic === b.italic && a.bold === b.bold

/** Reads the text between links and math, keeping the groups and styles open across them. */
class TextReader {
  private readonly styles: Style[] = [{ italic: false, bold: false }]
  /** Closing braces that end a group whose braces are not shown, and its style. */
  private readonly closers = new Set<number>()
  /** Where a `quote' opened with a backtick closes. */
  private readonly quoteCloses = new Set<number>()
  /** Whether a ``quote is open: only then is '' its closing quote and not a double prime. */
  private doubleQuoteOpen = false

  constructor(
    private readonly text: string,
    private readonly closes: Map<number, number>,
    private readonly out: SegmentBuilder,
  ) {}

  private get style(): Style {
    return this.styles[this.styles.length - 1]!
  }

  read(from: number, to: number): void {
    const text = this.text
    let run = from
    let i = from
    while (i < to) {
      if (!SPECIAL.has(text[i]!)) {
        i += 1
        continue
      }
      const piece = this.special(i, to)
      if (piece === null) {
        i += 1
        continue
      }
      if (i > run) this.out.add(text.slice(run, i), text.slice(run, i), this.style)
      this.out.add(text.slice(i, piece.end), piece.text, piece.style ?? this.style)
      piece.after?.()
      run = i = piece.end
    }
    if (run < to) this.out.add(text.slice(run, to), text.slice(run, to), this.style)
    this.out.flush()
  }

  /** What the special character at `i` starts: its end, what it shows; null for itself. */
  private special(
    i: number,
    to: number,
  ): { end: number; text: string; style?: Style; after?: () => void } | null {
    const text = this.text
    const c = text[i]
    const next = i + 1 < to ? text[i + 1] : undefined
    switch (c) {
      case '\\':
        return this.command(i, to)
      case '{': {
        const close = this.closes.get(i)
        // A group that starts with a command, `{\deg}`, `{\"o}`, `{\em …}`: TeX's braces, not
        // the text's.
        if (close === undefined || next !== '\\') return null
        this.closers.add(close)
        this.styles.push(this.style)
        return { end: i + 1, text: '' }
      }
      case '}': {
        if (!this.closers.delete(i)) return null
        const style = this.style
        return { end: i + 1, text: '', style, after: () => this.styles.pop() }
      }
      case '`': {
        if (next === '`') {
          this.doubleQuoteOpen = true
          return { end: i + 2, text: '“' }
        }
        const close = this.quoteClose(i, to)
        if (close === null) return null
        this.quoteCloses.add(close)
        return { end: i + 1, text: '‘' }
      }
      case "'":
        if (this.quoteCloses.delete(i)) return { end: i + 1, text: '’' }
        if (next !== "'" || !this.doubleQuoteOpen) return null
        this.doubleQuoteOpen = false
        return { end: i + 2, text: '”' }
      case '-':
        return this.dash(i, to)
      case '~': {
        // `Fig.~3`, `et al.~[4]`: a tie. `~100 ms` and `~/bin` are not TeX.
        const before = text[i - 1]
        if (i === 0 || isSpace(before) || before === '~' || next === undefined) return null
        if (isSpace(next) || next === '~' || next === '/') return null
        return { end: i + 1, text: '\u00A0' }
      }
      case '^':
      case '_':
        return this.script(i, to, c === '^' ? SUPERSCRIPTS : SUBSCRIPTS)
      default:
        return null
    }
  }

  private command(
    i: number,
    to: number,
  ): { end: number; text: string; style?: Style; after?: () => void } | null {
    const text = this.text
    const next = i + 1 < to ? text[i + 1] : undefined
    if (next === undefined) return null
    const symbolAccent = SYMBOL_ACCENTS[next]
    if (symbolAccent !== undefined) {
      if (text[i + 2] === '{' && text[i + 3] === '}' && i + 4 <= to) {
        return { end: i + 4, text: next === '"' ? '¨' : next }
      }
      const arg = this.accentArgument(i + 2, to)
      return arg && { end: arg.end, text: accented(arg.base, symbolAccent) }
    }
    if (!isAsciiLetter(next)) {
      const escaped = ESCAPED[next]
      return escaped === undefined ? null : { end: i + 2, text: escaped }
    }
    let end = i + 1
    while (end < to && isAsciiLetter(text[end])) end += 1
    const name = text.slice(i + 1, end)

    const wordAccent = WORD_ACCENTS[name]
    if (wordAccent !== undefined) {
      let at = end
      while (at < to && text[at] === ' ') at += 1
      const arg = this.accentArgument(at, to)
      if (arg && (at > end || text[at] === '{')) {
        return { end: arg.end, text: accented(arg.base, wordAccent) }
      }
    }
    const letter = LETTERS[name]
    if (letter !== undefined) {
      if (text[end] === '{' && text[end + 1] === '}' && end + 2 <= to) end += 2
      else while (end < to && (text[end] === ' ' || text[end] === '\t')) end += 1
      return { end, text: letter }
    }
    const symbol = SYMBOLS[name] ?? MATH_SYMBOLS[name]
    if (symbol !== undefined) {
      if (text[end] === '{' && text[end + 1] === '}' && end + 2 <= to) end += 2
      return { end, text: symbol }
    }
    const styleCommand = STYLE_COMMANDS[name]
    if (styleCommand !== undefined && text[end] === '{' && end < to) {
      const close = this.closes.get(end)
      if (close === undefined) return null
      this.closers.add(close)
      const style = styleCommand(this.style)
      return { end: end + 1, text: '', style, after: () => this.styles.push(style) }
    }
    const declaration = STYLE_DECLARATIONS[name]
    if (declaration !== undefined && this.styles.length > 1 && !isAsciiLetter(text[end])) {
      while (end < to && text[end] === ' ') end += 1
      const style = declaration(this.style)
      this.styles[this.styles.length - 1] = style
      return { end, text: '', style }
    }
    return null
  }

  /** The letter an accent is put on: `e`, `{e}`, `\i`, `{\i}`. */
  private accentArgument(at: number, to: number): { base: string; end: number } | null {
    const text = this.text
    const dotless = (j: number): boolean =>
      text[j] === '\\' &&
      (text[j + 1] === 'i' || text[j + 1] === 'j') &&
      !isAsciiLetter(text[j + 2])
    if (at >= to) return null
    if (text[at] === '{') {
      if (dotless(at + 1) && text[at + 3] === '}' && at + 4 <= to) {
        return { base: text[at + 2]!, end: at + 4 }
      }
      const base = codePointAt(text, at + 1)
      if (base && /\p{L}/u.test(base) && text[at + 1 + base.length] === '}') {
        const end = at + 2 + base.length
        return end <= to ? { base, end } : null
      }
      return null
    }
    if (dotless(at) && at + 2 <= to) return { base: text[at + 1]!, end: at + 2 }
    const base = codePointAt(text, at)
    if (base && /\p{L}/u.test(base) && at + base.length <= to) {
      return { base, end: at + base.length }
    }
    return null
  }

  /** A `quote' closes at an apostrophe not inside a word, before any other backtick. */
  private quoteClose(i: number, to: number): number | null {
    const text = this.text
    if (i + 1 >= to || isSpace(text[i + 1])) return null
    const limit = Math.min(to, i + MAX_QUOTE_CHARS)
    for (let j = i + 1; j < limit; j += 1) {
      const c = text[j]
      if (c === '`' || (c === '\n' && text[j + 1] === '\n')) return null
      if (c !== "'" || text[j + 1] === "'") continue
      if (!isSpace(text[j - 1]) && !/[\p{L}\p{N}]/u.test(text[j + 1] ?? '')) return j
    }
    return null
  }

  /**
   * `--` is an en dash and `---` an em dash, as TeX has them; `--verbose`, `-->`, `<--` and
   * longer runs are left alone.
   */
  private dash(i: number, to: number): { end: number; text: string } | null {
    const text = this.text
    if (text[i - 1] === '-') return null
    let end = i
    while (end < to && text[end] === '-') end += 1
    const length = end - i
    if (length !== 2 && length !== 3) return null
    const before = text[i - 1]
    const after = text[end]
    if (before === '<' || before === '!' || after === '>' || after === '-') return null
    if ((before === undefined || isSpace(before)) && isAsciiLetter(after)) return null
    return { end, text: length === 2 ? '–' : '—' }
  }

  /** `L^6`, `N^{-2}`, `x_{ij}`: when every character has a Unicode super- or subscript. */
  private script(
    i: number,
    to: number,
    table: Record<string, string>,
  ): { end: number; text: string } | null {
    const text = this.text
    const before = text[i - 1]
    if (before === undefined || !/[\p{L}\p{N})\]}]/u.test(before)) return null
    let body: string
    let end: number
    if (text[i + 1] === '{') {
      const close = this.closes.get(i + 1)
      if (close === undefined || close >= to || close - i > 20) return null
      body = text.slice(i + 2, close)
      end = close + 1
    } else if (table === SUPERSCRIPTS) {
      end = i + 1
      if (text[end] === '-') end += 1
      while (end < to && end - i < 8 && isDigit(text[end])) end += 1
      if (!isDigit(text[end - 1]) || isDigit(text[end])) return null
      body = text.slice(i + 1, end)
    } else return null
    if (body === '') return null
    let shown = ''
    for (const ch of body) {
      const mapped = table[ch]
      if (mapped === undefined) return null
      shown += mapped
    }
    return { end, text: shown }
  }
}

function codePointAt(text: string, at: number): string | null {
  const code = text.codePointAt(at)
  return code === undefined ? null : String.fromCodePoint(code)
}

function accented(base: string, mark: string): string {
  return (base + mark).normalize('NFC')
}

/** Text with its TeX turned into the characters it stands for, styles dropped. */
export function plainText(text: string): string {
  const out = new SegmentBuilder()
  new TextReader(text, matchBraces(text, []), out).read(0, text.length)
  return out.done.map((s) => (s.kind === 'math' ? s.source : s.text)).join('')
}
