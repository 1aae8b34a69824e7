// BibTeX and BibLaTeX (.bib), as Zotero with Better BibTeX, JabRef, Google Scholar and people
// by hand write them.
//
// The reading is in two stages. A scanner here splits the text into entries and fields: it knows
// where every entry and field starts (so warnings name lines), resolves @string macros, and is
// linear whatever the input. Then @retorquere/bibtex-parser, the parser behind Better BibTeX,
// turns the LaTeX in the fields a paper needs into plain Unicode text and splits author lists
// into names. The parser is not given whole files: its own scanner recomputes the line of every
// error from the start of its input and re-scans from every "@" after one (quadratic on hostile
// text), and its LaTeX stage costs microseconds per character, so it sees one field at a time,
// and only fields that hold LaTeX at all.
import { parse as parseLatex } from '@retorquere/bibtex-parser'
import type { Creator } from '@retorquere/bibtex-parser'
import { normaliseText } from '../text'
import {
  arxivIdOf,
  arxivIdOfDoi,
  arxivIdOfUrl,
  compactMeta,
  doiOf,
  mergeCopies,
  oneLine,
  paragraphs,
  splitKeywords,
  urlOf,
  warnNoAbstract,
  WarningsByLine,
} from './csv'
import type { WarningSink } from './csv'
import { yearOf } from './fields'
import { ImportError } from './types'
import type { Importer, PaperMeta, ParsedPaper, ParseResult } from './types'

// Stage 1: entries and fields

const LF = 0x0a
const SPACE = 0x20
const TAB = 0x09
const QUOTE = 0x22
const HASH = 0x23
const PERCENT = 0x25
const LPAREN = 0x28
const RPAREN = 0x29
const COMMA = 0x2c
const EQUALS = 0x3d
const AT = 0x40
const BACKSLASH = 0x5c
const LBRACE = 0x7b
const RBRACE = 0x7d

interface RawField {
  /** The value with macros resolved and the outer braces or quotes removed, LaTeX as written. */
  value: string
  line: number
}

interface RawEntry {
  /** As written ("Article"); compared lower-case. */
  type: string
  key: string
  line: number
  /** By lower-case field name; the first of duplicated fields. */
  fields: Map<string, RawField>
}

/**
 * Where an entry cannot be read; the scanner skips it and goes on at `resumeAt`. Not an Error:
 * a hostile file has hundreds of thousands of these, and an Error records a stack trace.
 */
class EntryProblem {
  constructor(
    readonly message: string,
    readonly at: number,
    readonly resumeAt: number | null = null,
  ) {}
}

/**
 * The macros BibTeX's standard styles define: month names (as plain.bst spells them) and the
 * journal abbreviations. `month = mar` needs no @string.
 */
const PREDEFINED = new Map(
  Object.entries({
    jan: 'January',
    feb: 'February',
    mar: 'March',
    apr: 'April',
    may: 'May',
    jun: 'June',
    jul: 'July',
    aug: 'August',
    sep: 'September',
    oct: 'October',
    nov: 'November',
    dec: 'December',
    acmcs: 'ACM Computing Surveys',
    acta: 'Acta Informatica',
    cacm: 'Communications of the ACM',
    ibmjrd: 'IBM Journal of Research and Development',
    ibmsj: 'IBM Systems Journal',
    ieeese: 'IEEE Transactions on Software Engineering',
    ieeetc: 'IEEE Transactions on Computers',
    ieeetcad: 'IEEE Transactions on Computer-Aided Design of Integrated Circuits',
    ipl: 'Information Processing Letters',
    jacm: 'Journal of the ACM',
    jcss: 'Journal of Computer and System Sciences',
    scp: 'Science of Computer Programming',
    sicomp: 'SIAM Journal on Computing',
    tocs: 'ACM Transactions on Computer Systems',
    tods: 'ACM Transactions on Database Systems',
    tog: 'ACM Transactions on Graphics',
    toms: 'ACM Transactions on Mathematical Software',
    toois: 'ACM Transactions on Office Information Systems',
    toplas: 'ACM Transactions on Programming Languages and Systems',
    tcs: 'Theoretical Computer Science',
  }),
)

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** Characters of entry types, field names and macro names (as the parser's scanner allows). */
function isNameChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i)
  if (isLetter(c) || isDigit(c)) return true
  if (c < 0x80) return "_-:.+'/".includes(text[i]!)
  return /\p{L}/u.test(text[i]!)
}

/** Text quoted in a message: a hostile file's megabyte-long names must not fill the warnings. */
function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** A name (of a field, macro or entry type) as messages quote it. */
function named(name: string): string {
  return `“${shorten(name, 40)}”`
}

/** "@article{key}", the way messages name an entry. */
function labelOf(type: string, key: string): string {
  return `@${shorten(type, 30)}{${shorten(key)}}`
}

function describeChar(text: string, i: number): string {
  if (i >= text.length) return 'the end of the file'
  if (text.charCodeAt(i) === LF) return 'the end of the line'
  return `“${String.fromCodePoint(text.codePointAt(i)!)}”`
}

class Scanner {
  pos = 0
  readonly entries: RawEntry[] = []
  skipped = 0
  /** The first entry that could not be read, for the message when none could. */
  firstProblem: { line: number; message: string } | null = null
  private readonly strings = new Map<string, string>()
  /**
   * Text that @string macros have added so far. Macros defined from macros double at each
   * step ("billion laughs"), so their expansions are capped in total, well above anything a
   * real file needs.
   */
  private expanded = 0
  private readonly maxExpanded: number
  /** Offsets of the line breaks, for line numbers by binary search. */
  private readonly breaks: number[] = []

  constructor(
    private readonly text: string,
    private readonly warnings: WarningSink,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.breaks.push(i)
    this.maxExpanded = 10 * text.length + 1_000_000
  }

  lineAt(pos: number): number {
    let lo = 0
    let hi = this.breaks.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.breaks[mid]! < pos) lo = mid + 1
      else hi = mid
    }
    return lo + 1
  }

  read(): void {
    const { text } = this
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos)
      if (c === AT) this.item()
      // Between entries, as in the parser, "%" comments out the rest of the line.
      else if (c === PERCENT) this.pos = this.endOfLine(this.pos)
      else this.pos += 1
    }
  }

  private endOfLine(from: number): number {
    const i = this.text.indexOf('\n', from)
    return i === -1 ? this.text.length : i
  }

  /** Spaces, line breaks and %-comments between the parts of an entry. */
  private skipSpace(): void {
    const { text } = this
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos)
      if (c === SPACE || c === TAB || c === LF) this.pos += 1
      else if (c === PERCENT) this.pos = this.endOfLine(this.pos)
      else return
    }
  }

  private readName(): string {
    const start = this.pos
    while (this.pos < this.text.length && isNameChar(this.text, this.pos)) this.pos += 1
    return this.text.slice(start, this.pos)
  }

  /** Whether the line starting at `i` starts an entry: optional blanks, "@type", "{" or "(". */
  private startsEntry(i: number): boolean {
    const { text } = this
    let j = i
    while (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB) j += 1
    if (text.charCodeAt(j) !== AT) return false
    j += 1
    const name = j
    while (isLetter(text.charCodeAt(j))) j += 1
    if (j === name) return false
    while (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB) j += 1
    return text.charCodeAt(j) === LBRACE || text.charCodeAt(j) === LPAREN
  }

  /** The next line after `from` that starts an entry, or the end of the text. */
  private nextEntryLine(from: number): number {
    const { text } = this
    for (let i = text.indexOf('\n', from); i !== -1; i = text.indexOf('\n', i + 1)) {
      if (this.startsEntry(i + 1)) return i + 1
    }
    return text.length
  }

  private atLineStart(pos: number): boolean {
    let i = pos - 1
    while (i >= 0 && (this.text.charCodeAt(i) === SPACE || this.text.charCodeAt(i) === TAB)) i -= 1
    return i < 0 || this.text.charCodeAt(i) === LF
  }

  private item(): void {
    const { text } = this
    const start = this.pos
    this.pos += 1
    this.skipSpace()
    const type = this.readName()
    if (!type) return
    const lower = type.toLowerCase()
    if (lower === 'comment') {
      this.comment()
      return
    }
    this.skipSpace()
    const open = text.charCodeAt(this.pos)
    if (open !== LBRACE && open !== LPAREN) {
      // An "@" inside text between entries (an e-mail address) is nothing; one that starts a
      // line looks like an entry that lost its brace.
      if (this.atLineStart(start)) {
        this.warnings.add(
          this.lineAt(start),
          () =>
            `${named(`@${type}`)} is not followed by “{”, so it does not start an entry; ignored`,
        )
      }
      return
    }
    const close = open === LBRACE ? RBRACE : RPAREN
    this.pos += 1
    const what = `@${shorten(lower === 'string' ? 'string' : type, 30)}`
    try {
      if (lower === 'preamble') this.skipTo(close, start)
      else if (lower === 'string') this.stringDefinition(close)
      else this.entry(type, close, start)
    } catch (error) {
      if (!(error instanceof EntryProblem)) throw error
      this.skipped += 1
      const line = this.lineAt(start)
      this.firstProblem ??= { line: this.lineAt(error.at), message: error.message }
      this.warnings.add(
        this.lineAt(error.at),
        () => `${error.message}; the ${what} entry at line ${line} was skipped`,
      )
      this.pos = Math.max(start + 1, error.resumeAt ?? this.nextEntryLine(error.at))
    }
  }

  /**
   * @comment: braced (JabRef's metadata) or the rest of the line, as the parser reads it.
   * Entries inside the braces are commented out, as biber and JabRef read them.
   */
  private comment(): void {
    const { text } = this
    while (text.charCodeAt(this.pos) === SPACE || text.charCodeAt(this.pos) === TAB) this.pos += 1
    if (text.charCodeAt(this.pos) !== LBRACE) this.pos = this.endOfLine(this.pos)
    else this.readBraced('the @comment', false)
  }

  /** A @preamble's body: skipped (Lectern keeps no LaTeX definitions). */
  private skipTo(close: number, start: number): void {
    const { text } = this
    let depth = 0
    for (let i = this.pos; i < text.length; i += 1) {
      const c = text.charCodeAt(i)
      if (c === BACKSLASH) i += 1
      else if (c === LBRACE) depth += 1
      else if (c === RBRACE && depth > 0) depth -= 1
      else if (c === close && depth === 0) {
        this.pos = i + 1
        return
      } else if (c === LF && this.startsEntry(i + 1)) {
        throw new EntryProblem('the @preamble is not closed before the next entry', start, i + 1)
      }
    }
    throw new ImportError(
      'the @preamble is not closed before the end of the file',
      this.lineAt(start),
    )
  }

  private stringDefinition(close: number): void {
    this.skipSpace()
    const name = this.readName()
    if (!name) {
      throw new EntryProblem(
        `a @string needs a name, found ${describeChar(this.text, this.pos)}`,
        this.pos,
      )
    }
    this.skipSpace()
    if (this.text.charCodeAt(this.pos) !== EQUALS) {
      throw new EntryProblem(`the @string ${named(name)} has no “=” after its name`, this.pos)
    }
    this.pos += 1
    this.skipSpace()
    const value = this.readValue(`the @string ${named(name)}`)
    this.skipSpace()
    if (this.text.charCodeAt(this.pos) !== close) {
      throw new EntryProblem(
        `expected “${String.fromCharCode(close)}” after the value of the @string ${named(name)}, found ${describeChar(this.text, this.pos)}`,
        this.pos,
      )
    }
    this.pos += 1
    this.strings.set(name.toLowerCase(), value)
  }

  private entry(type: string, close: number, start: number): void {
    const { text } = this
    const line = this.lineAt(start)
    this.skipSpace()
    let key = ''
    let pending: { name: string; at: number } | null = null
    if (text.charCodeAt(this.pos) !== COMMA && text.charCodeAt(this.pos) !== close) {
      const at = this.pos
      while (this.pos < text.length && !' \t\n,{}()=#%"'.includes(text[this.pos]!)) this.pos += 1
      const word = text.slice(at, this.pos)
      this.skipSpace()
      // No key: the entry starts with its first field.
      if (text.charCodeAt(this.pos) === EQUALS) pending = { name: word, at }
      else key = word
    }
    const label = labelOf(type, key)
    const entry: RawEntry = { type, key, line, fields: new Map() }
    for (;;) {
      let name: string
      let at: number
      if (pending) {
        ;({ name, at } = pending)
        pending = null
      } else {
        this.skipSpace()
        const c = text.charCodeAt(this.pos)
        if (this.pos >= text.length) {
          this.warnings.add(
            line,
            () =>
              `${label} is not closed (a “${String.fromCharCode(close)}” is missing at the end of the file); its fields were read`,
          )
          break
        }
        if (c === close) {
          this.pos += 1
          break
        }
        if (c === COMMA) {
          this.pos += 1
          continue
        }
        if (c === AT && this.atLineStart(this.pos)) {
          const next = this.lineAt(this.pos)
          this.warnings.add(
            line,
            () =>
              `${label} is not closed before the next entry (line ${next}): a “${String.fromCharCode(close)}” is missing; its fields were read`,
          )
          break
        }
        at = this.pos
        name = this.readName()
        if (!name) {
          throw new EntryProblem(
            `expected a field name in ${label}, found ${describeChar(text, this.pos)}`,
            this.pos,
          )
        }
        this.skipSpace()
      }
      if (text.charCodeAt(this.pos) !== EQUALS) {
        throw new EntryProblem(
          `the field ${named(name)} in ${label} has no “=” after it (found ${describeChar(text, this.pos)})`,
          this.pos,
        )
      }
      this.pos += 1
      this.skipSpace()
      const value = this.readValue(`the field ${named(name)} in ${label}`)
      const fieldLine = this.lineAt(at)
      const lower = name.toLowerCase()
      const first = entry.fields.get(lower)
      if (first) {
        this.warnings.add(
          fieldLine,
          () =>
            `${named(name)} appears twice in ${label}; the first one (line ${first.line}) is kept`,
        )
      } else entry.fields.set(lower, { value, line: fieldLine })
      this.skipSpace()
      const after = text.charCodeAt(this.pos)
      if (after === COMMA || after === close || this.pos >= text.length || after === AT) continue
      if (isNameChar(text, this.pos)) {
        // "title = {…}\n author = {…}": a forgotten comma, and nothing is ambiguous about it.
        this.warnings.add(
          this.lineAt(this.pos),
          () =>
            `a “,” is missing after the field ${named(name)} in ${label}; read as if it were there`,
        )
        continue
      }
      throw new EntryProblem(
        `expected “,” or “${String.fromCharCode(close)}” after the field ${named(name)} in ${label}, found ${describeChar(text, this.pos)}`,
        this.pos,
      )
    }
    this.entries.push(entry)
  }

  /** A value: {braced}, "quoted", a number or a macro name, joined by "#". */
  private readValue(what: string): string {
    const { text } = this
    let value = ''
    for (;;) {
      const c = text.charCodeAt(this.pos)
      if (c === LBRACE) value += this.readBraced(what, true)
      else if (c === QUOTE) value += this.readQuoted(what)
      else if (this.pos < text.length && isNameChar(text, this.pos)) {
        const at = this.pos
        const name = this.readName()
        value += isDigit(name.charCodeAt(0)) ? name : this.resolve(name, at)
      } else {
        throw new EntryProblem(
          `${what} has no value (found ${describeChar(text, this.pos)})`,
          this.pos,
        )
      }
      this.skipSpace()
      if (text.charCodeAt(this.pos) !== HASH) return value
      this.pos += 1
      this.skipSpace()
    }
  }

  private resolve(name: string, at: number): string {
    const lower = name.toLowerCase()
    const value = this.strings.get(lower) ?? PREDEFINED.get(lower)
    if (value !== undefined) {
      this.expanded += value.length
      if (this.expanded > this.maxExpanded) {
        throw new EntryProblem(
          `the @string macros used by now expand to ${this.expanded} characters, far more than the file holds (a macro built from itself?)`,
          at,
        )
      }
      return value
    }
    this.warnings.add(
      this.lineAt(at),
      () => `${named(name)} is not a @string defined before it; its name is kept as the text`,
    )
    return name
  }

  /**
   * {…} with nested braces; a backslash escapes the next character, as in the parser. A value
   * still open where a line starts a new entry is cut there, when `cut` (the entry is skipped,
   * the rest of the file is read); one still open at the end of the file swallowed everything
   * after it: the file cannot be read.
   */
  private readBraced(what: string, cut: boolean): string {
    const { text } = this
    const open = this.pos
    let depth = 0
    for (let i = open; i < text.length; i += 1) {
      const c = text.charCodeAt(i)
      if (c === BACKSLASH) i += 1
      else if (c === LBRACE) depth += 1
      else if (c === RBRACE) {
        depth -= 1
        if (depth === 0) {
          this.pos = i + 1
          return text.slice(open + 1, i)
        }
      } else if (cut && c === LF && this.startsEntry(i + 1)) {
        const next = this.lineAt(i + 1)
        throw new EntryProblem(
          `${what} is not closed before the next entry (line ${next}): its “{” (line ${this.lineAt(open)}) has no matching “}”`,
          open,
          i + 1,
        )
      }
    }
    throw new ImportError(
      `${what} is not closed: its “{” (line ${this.lineAt(open)}) has no matching “}” before the end of the file`,
      this.lineAt(open),
    )
  }

  /** "…", which may hold balanced braces (and quotes inside them). */
  private readQuoted(what: string): string {
    const { text } = this
    const open = this.pos
    let depth = 0
    for (let i = open + 1; i < text.length; i += 1) {
      const c = text.charCodeAt(i)
      if (c === BACKSLASH) i += 1
      else if (c === LBRACE) depth += 1
      else if (c === RBRACE) {
        if (depth === 0) {
          throw new EntryProblem(`${what} has a “}” without its “{”`, i)
        }
        depth -= 1
      } else if (c === QUOTE && depth === 0) {
        this.pos = i + 1
        return text.slice(open + 1, i)
      } else if (c === LF && this.startsEntry(i + 1)) {
        throw new EntryProblem(
          `${what} is not closed before the next entry (line ${this.lineAt(i + 1)}): its opening “"” (line ${this.lineAt(open)}) has no closing one`,
          open,
          i + 1,
        )
      }
    }
    throw new ImportError(
      `${what} is not closed: its opening “"” (line ${this.lineAt(open)}) has no closing one before the end of the file`,
      this.lineAt(open),
    )
  }
}

// Stage 2: LaTeX to text

/**
 * Stand-ins for characters the LaTeX stage would change: it reads "<" and ">" as the OT1
 * glyphs "¡" and "¿", and writes its own markup (<i>, <a href>…) with them; after an error it
 * restarts at every "@". The stand-ins are private-use characters; any already in the text
 * become U+FFFD first.
 */
const LT = '\uE000'
const GT = '\uE001'
const AT_SIGN = '\uE002'
/** Marks the end of a LaTeX command the stage does not know, so that "\foo{x}" keeps a space. */
const COMMAND_END = '\uE004'
/** Math kept aside: MATH_START, the index in private-use digits (U+E010…), MATH_END. */
const MATH_START = '\uE005'
const MATH_END = '\uE006'
const DOLLAR = 0x24

/** Fields this long are not given to the LaTeX stage (seconds per field); they are kept as written. */
const MAX_LATEX_CHARS = 20_000
const MAX_NAMES_CHARS = 100_000

const LATEX_OPTIONS = {
  // Titles are kept as the source capitalised them: no sentence case, no case-protection markup.
  english: false,
  sentenceCase: false as const,
  applyCrossRef: false,
  unsupported: (_node: unknown, tex: string): string => `${tex}${COMMAND_END}`,
}

/** Private-use characters (the stand-ins) and control characters (the stage's markup) out. */
function sanitise(raw: string): string {
  return raw
    .replace(/[\uE000-\uE019]/g, '\uFFFD')
    .replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' ? c : ' '))
}

/**
 * Math ($…$, $$…$$) replaced by numbered stand-ins, its text kept in `math` as written. Math
 * stays LaTeX, as arXiv and every other source give it: "$\alpha$-Divergences" from a .bib file
 * is then the same title as from arXiv, and can be rendered as math later. Text outside math
 * becomes Unicode ("Schr{\"o}dinger" → "Schrödinger"), which is what the other sources have.
 */
function hideMath(text: string, math: string[]): string {
  let out = ''
  let last = 0
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (c === BACKSLASH) {
      i += 1
      continue
    }
    if (c !== DOLLAR) continue
    const display = text.charCodeAt(i + 1) === DOLLAR
    let j = i + (display ? 2 : 1)
    while (j < text.length && text.charCodeAt(j) !== DOLLAR) {
      j += text.charCodeAt(j) === BACKSLASH ? 2 : 1
    }
    // Unclosed: the rest is left to the stage, which says so.
    if (j >= text.length) break
    const end = display && text.charCodeAt(j + 1) === DOLLAR ? j + 2 : j + 1
    out += text.slice(last, i) + MATH_START
    for (const digit of String(math.length)) out += String.fromCharCode(0xe010 + Number(digit))
    out += MATH_END
    math.push(text.slice(i, end))
    last = end
    i = end - 1
  }
  return out + text.slice(last)
}

function showMath(text: string, math: string[]): string {
  if (math.length === 0) return text
  return text.replace(/\uE005([\uE010-\uE019]+)\uE006/g, (_, digits: string) => {
    const index = Number([...digits].map((d) => d.charCodeAt(0) - 0xe010).join(''))
    return math[index] ?? ''
  })
}

/**
 * The text of a word that needs no more than this: braces dropped, \& \% \_ \# \$ \{ \} and
 * "\ " unescaped. Null when it holds any other command, a tie (~) or a ligature ("--", "``"…):
 * then the stage reads it. "&", "#", "_" and "^" the stage leaves as they are. "%" it reads as
 * a comment that drops the rest of the line, which is never what a field in a .bib file means,
 * so it is kept as a percent sign here (and escaped for the stage); "<" and ">" it reads as the
 * OT1 glyphs "¡" and "¿", which no .bib file means either, so they too stay themselves.
 */
function plainText(text: string): string | null {
  let out = ''
  let from = 0
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!
    if (c === '\\') {
      const next = text[i + 1]
      if (next === undefined || !'&%_#${} '.includes(next)) return null
      out += text.slice(from, i) + next
      i += 1
      from = i + 1
    } else if (c === '{' || c === '}') {
      out += text.slice(from, i)
      from = i + 1
    } else if (c === '$' || c === '~' || c === '`') return null
    else if ((c === '-' || c === "'" || c === ',') && text[i + 1] === c) return null
  }
  return out + text.slice(from)
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n'
const isAsciiLetter = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c)

/**
 * A field's words and the white space between them, at brace depth 0. A command at the end
 * of a word takes the next word with it ("\v c" is one word, "č"), as the stage reads it.
 */
function words(text: string): { word: boolean; text: string }[] {
  const out: { word: boolean; text: string }[] = []
  let depth = 0
  let start = 0
  let commandEnd = -1
  let i = 0
  const push = (word: boolean, end: number): void => {
    if (end > start) out.push({ word, text: text.slice(start, end) })
    start = end
  }
  while (i < text.length) {
    const c = text[i]!
    if (c === '\\') {
      let j = i + 1
      if (isAsciiLetter(text[j])) while (isAsciiLetter(text[j])) j += 1
      else j = Math.min(j + 1, text.length)
      // "\ " is a space that ends nothing.
      commandEnd = isBlank(text[i + 1]) ? -1 : j
      i = j
      continue
    }
    if (c === '{') depth += 1
    else if (c === '}') depth = Math.max(0, depth - 1)
    else if (depth === 0 && isBlank(c) && commandEnd !== i) {
      push(true, i)
      let j = i
      while (isBlank(text[j])) j += 1
      push(false, j)
      i = j
      continue
    } else if (depth === 0 && isBlank(c)) {
      // The white space after a command belongs to it: skip it inside the word.
      while (isBlank(text[i])) i += 1
      commandEnd = -1
      continue
    }
    i += 1
  }
  push(true, text.length)
  return out
}

/** Between the words given to the stage in one call; it passes through as it is. */
const WORD_BREAK = '\uE007'

/** Words for the stage: stand-ins for "<", ">" and "@", and "%" escaped (see plainText). */
function staged(word: string): string {
  let out = ''
  for (let i = 0; i < word.length; i += 1) {
    const c = word[i]!
    if (c === '\\') {
      out += word.slice(i, i + 2)
      i += 1
    } else if (c === '<') out += LT
    else if (c === '>') out += GT
    else if (c === '@') out += AT_SIGN
    else if (c === '%') out += '\\%'
    else out += c
  }
  return out
}

function unstaged(text: string): string {
  return (
    text
      // The stage writes accents as combining characters ("o" and U+0308); every other
      // source has them composed ("ö"), and the same title must read the same.
      .normalize('NFC')
      // Markup the stage wrote (every "<" in the text itself is a stand-in by now).
      .replace(/<[^<>]*>/g, '')
      .replace(/\uE004(?=[\p{L}\p{N}])/gu, ' ')
      .replace(/\uE004/g, '')
      .replace(/\u00A0/g, ' ')
      .replace(/\uE000/g, '<')
      .replace(/\uE001/g, '>')
      .replace(/\uE002/g, '@')
  )
}

/** What is left of LaTeX when the stage cannot read it: braces and escapes removed, math kept. */
function roughText(raw: string): string {
  const math: string[] = []
  const text = hideMath(sanitise(raw), math)
    .replace(/\\([&%_#${}])/g, '$1')
    .replace(/[{}]/g, '')
    .replace(/~/g, ' ')
  return showMath(text, math)
}

/** The stage's reason, without its position in the one-field text it was given. */
function reasonOf(error: string | undefined): string {
  const first = (error ?? 'the LaTeX parser gave no reason').split('\n')[0]!
  if (/call stack/i.test(first)) return 'its braces are nested too deeply'
  if (/unclosed math/i.test(first)) return 'a “$” is not closed'
  return first.replace(/ at line \d+, column \d+.*$/, '')
}

/** A name the way people read it: "Given von Family Jr". */
function displayName(c: Creator): string {
  return c.name ?? [c.firstName, c.prefix, c.lastName, c.suffix].filter((p) => p).join(' ')
}

/** Author fields that hold no LaTeX: split here, as the stage would (a test checks both agree). */
const NAMES_NEED_STAGE = /[\\$~^_#&%`<>=]|--|''|,,|\n[ \t]*\n/

type NameToken = { kind: 'space' | 'comma' | 'word'; text: string }

/** Words, commas and white space at brace depth 0 (braced groups stay inside their word). */
function nameTokens(text: string): NameToken[] {
  const tokens: NameToken[] = []
  let depth = 0
  let word = ''
  const flush = (): void => {
    if (word) tokens.push({ kind: 'word', text: word })
    word = ''
  }
  for (const c of text) {
    if (depth === 0 && (c === ' ' || c === '\t' || c === '\n')) {
      flush()
      if (tokens[tokens.length - 1]?.kind !== 'space') tokens.push({ kind: 'space', text: ' ' })
    } else if (depth === 0 && c === ',') {
      flush()
      tokens.push({ kind: 'comma', text: ',' })
    } else {
      if (c === '{') depth += 1
      else if (c === '}') depth -= 1
      word += c
    }
  }
  flush()
  return tokens
}

/** Tokens as text: braces dropped, white space (inside braces too) as one space. */
function tokenText(tokens: NameToken[]): string {
  return tokens
    .map((t) => (t.kind === 'space' ? ' ' : t.text.replace(/[{}]/g, '')))
    .join('')
    .replace(/\s+/g, ' ')
}

/** One name, by the stage's rules: "Family, Given", "Family, Jr, Given" or "Given von Family". */
function plainCreator(tokens: NameToken[]): Creator | null {
  const trimmed = (c: Creator): Creator => {
    const out: Creator = {}
    for (const [k, v] of Object.entries(c) as [keyof Creator, string | undefined][]) {
      const t = v?.trim()
      if (t) (out as Record<string, string>)[k] = t
    }
    return out
  }
  if (tokens.some((t) => t.kind === 'comma')) {
    const parts: NameToken[][] = [[]]
    for (const t of tokens) {
      if (t.kind === 'comma') parts.push([])
      else parts[parts.length - 1]!.push(t)
    }
    const names = parts.map((p) => tokenText(p).trim())
    if (names.length === 3 && names[2] === '') names.pop()
    // More parts than a name has: the stage drops some and says so.
    if (names.length > 3) return null
    const [family, suffix, firstName] =
      names.length === 2 ? [names[0]!, undefined, names[1]] : [names[0]!, names[1], names[2]]
    // A lower-case start is a "von" part: "van der Berg, Jan".
    const m = /^([a-z'. ]+) (.+)/.exec(family)
    const [prefix, lastName] = m ? [m[1], m[2]] : [undefined, family]
    return trimmed({ lastName, firstName, prefix, suffix })
  }
  const parts: string[] = []
  let current: NameToken[] = []
  for (const t of [...tokens, { kind: 'space', text: ' ' } as NameToken]) {
    if (t.kind !== 'space') current.push(t)
    else {
      parts.push(tokenText(current))
      current = []
    }
  }
  const names = parts.filter((n) => n)
  if (names.length === 1) return trimmed({ lastName: names[0] })
  const prefix = names.findIndex((n) => /^[a-z]/.test(n))
  const postfix = prefix <= 0 ? -1 : names.findIndex((n, i) => i > prefix && !/^[a-z]/.test(n))
  if (postfix === -1) {
    const lastName = names.pop()
    return trimmed({ lastName, firstName: names.join(' ') })
  }
  return trimmed({
    firstName: names.slice(0, prefix).join(' '),
    prefix: names.slice(prefix, postfix).join(' '),
    lastName: names.slice(postfix).join(' '),
  })
}

/** The names of an author field without LaTeX, split on "and"; null when the stage must read it. */
function plainNames(text: string): string[] | null {
  if (NAMES_NEED_STAGE.test(text)) return null
  const tokens = nameTokens(text)
  // As the stage splits: an "and" with white space on both sides (or at either end).
  const types = tokens
    .map((t) => (t.kind === 'space' ? ' ' : t.kind === 'word' && /^and$/i.test(t.text) ? '&' : '.'))
    .join('')
  const names: string[] = []
  let at = 0
  let failed = false
  types.split(/(^& | & | &$)/).forEach((match, i) => {
    const content = tokens.slice(at, at + match.length)
    at += match.length
    if (i % 2 !== 0) return
    const creator = plainCreator(content)
    if (!creator) failed = true
    else if (Object.keys(creator).length) names.push(displayName(creator))
  })
  return failed ? null : names
}

class LatexReader {
  constructor(private readonly warnings: WarningSink) {}

  /**
   * A field's text; `keepParagraphs` keeps blank-line breaks (abstracts), else one line. Only
   * the words that hold LaTeX go to the stage, all of a field's in one call: most of a title or
   * an abstract is plain words, and the stage costs microseconds a character.
   */
  text(raw: string, line: number, what: string, keepParagraphs = false): string {
    const shape = keepParagraphs ? paragraphs : oneLine
    const math: string[] = []
    const parts = words(hideMath(sanitise(raw), math))
    const latex: string[] = []
    const plain = parts.map((part) => {
      if (!part.word) return part.text
      const text = plainText(part.text)
      if (text === null) latex.push(part.text)
      return text
    })
    if (latex.length) {
      const converted = this.convertWords(latex, line, what)
      if (!converted) return shape(roughText(raw))
      let next = 0
      for (let i = 0; i < plain.length; i += 1) {
        if (plain[i] === null) plain[i] = converted[next++]!
      }
    }
    return shape(showMath(plain.join(''), math))
  }

  /**
   * The text of each LaTeX word, from one call of the stage. When that call fails, each word is
   * tried alone, and those the stage cannot read are kept as written, with a warning.
   */
  private convertWords(latex: string[], line: number, what: string): string[] | null {
    const length = latex.reduce((n, w) => n + w.length, 0)
    if (length > MAX_LATEX_CHARS) {
      this.warnings.add(
        line,
        () => `${what} holds too much LaTeX to convert (${length} characters); kept as written`,
      )
      return null
    }
    const all = this.convert('title', latex.map(staged).join(` ${WORD_BREAK} `))
    const out = typeof all.value === 'string' ? all.value.split(WORD_BREAK) : []
    if (out.length === latex.length) return out.map((w) => unstaged(w).trim())
    let reason: string | undefined
    const words = latex.map((word) => {
      const one = this.convert('title', staged(word))
      if (typeof one.value === 'string' && !one.value.includes(WORD_BREAK)) {
        return unstaged(one.value).trim()
      }
      reason ??= one.error ?? all.error
      return roughText(word)
    })
    this.warnings.add(
      line,
      () =>
        `some LaTeX in ${what} could not be read (${reasonOf(reason)}); that part is kept as written`,
    )
    return words
  }

  /** The names in an author field, each "Given von Family Jr". */
  names(raw: string, line: number, what: string): string[] {
    const clean = sanitise(raw)
    const plain = plainNames(clean)
    if (plain) return plain.map(oneLine).filter((n) => n !== '' && n.toLowerCase() !== 'others')
    if (clean.length > MAX_NAMES_CHARS) {
      this.warnings.add(
        line,
        () => `${what} is too long to read names from (${raw.length} characters); kept as written`,
      )
      return roughNames(raw)
    }
    const math: string[] = []
    const converted = this.convert('author', staged(hideMath(clean, math)))
    if (!Array.isArray(converted.value)) {
      this.warnings.add(
        line,
        () =>
          `the names in ${what} could not be read (${reasonOf(converted.error)}); kept as written`,
      )
      return roughNames(raw)
    }
    for (const problem of converted.problems) {
      this.warnings.add(line, () => `${what}: ${problem.replace(/^@\S*: /, '')}`)
    }
    return converted.value
      .map((c: Creator) => oneLine(showMath(unstaged(displayName(c)), math)))
      .filter((n) => n !== '' && n.toLowerCase() !== 'others')
  }

  private convert(
    field: 'title' | 'author',
    latex: string,
  ): { value?: string | Creator[]; error?: string; problems: string[] } {
    try {
      const library = parseLatex(`@misc{x,${field}={${latex}}}`, LATEX_OPTIONS)
      const problems = library.errors.map((e) => e.error)
      // After an error the parser may still list the entry, without the field.
      const value = library.entries[0]?.fields[field]
      return value === undefined ? { error: problems[0], problems } : { value, problems }
    } catch (error) {
      // The stage reports what it cannot read; anything it throws instead is the same to us.
      return { error: error instanceof Error ? error.message : String(error), problems: [] }
    }
  }
}

/** Names split the simple way: "Family, Given and Given Family". */
function roughNames(raw: string): string[] {
  return roughText(raw)
    .split(/\s+and\s+/i)
    .map((name) => {
      const [family, ...given] = name.split(',')
      return oneLine(given.length ? `${given.join(' ')} ${family}` : name)
    })
    .filter((n) => n !== '' && n.toLowerCase() !== 'others')
}

// Entries to papers

/** Types that hold other entries (a crossref target of these is a volume, not a paper). */
const CONTAINERS = new Set([
  'proceedings',
  'mvproceedings',
  'book',
  'mvbook',
  'collection',
  'mvcollection',
  'reference',
  'mvreference',
  'periodical',
])

const VENUE_FIELDS = ['journal', 'journaltitle', 'booktitle']

/** What a crossref'd volume gives the entries that point at it, when they lack it. */
function inherit(entry: RawEntry, parent: RawEntry): void {
  for (const name of ['year', 'date', ...VENUE_FIELDS]) {
    const value = parent.fields.get(name)
    if (value && !entry.fields.has(name)) entry.fields.set(name, value)
  }
  const title = parent.fields.get('title')
  if (title && !VENUE_FIELDS.some((f) => entry.fields.has(f))) {
    entry.fields.set('booktitle', title)
  }
}

/** Escapes a DOI or URL field may carry ("10.1000/a\_b"), and braces, removed. */
function verbatim(raw: string): string {
  return raw.replace(/\\([_%&#$~])/g, '$1').replace(/[{}]/g, '')
}

function arxivOf(entry: RawEntry, meta: PaperMeta, venue: string): void {
  const field = (name: string): string => entry.fields.get(name)?.value.trim() ?? ''
  const eprint = verbatim(field('eprint'))
  const prefix = (field('archiveprefix') || field('eprinttype')).toLowerCase()
  let found = null
  if (eprint && (prefix === 'arxiv' || (prefix === '' && eprint.length <= 40))) {
    found = arxivIdOf(eprint)
  }
  found ??= meta.doi ? arxivIdOfDoi(meta.doi) : null
  found ??= meta.urls?.map(arxivIdOfUrl).find((a) => a !== null) ?? null
  // Google Scholar: journal = {arXiv preprint arXiv:2408.01234}.
  for (const text of [venue, field('howpublished'), field('note')]) {
    if (found) break
    if (/arxiv/i.test(text)) found = arxivIdOf(text)
  }
  if (found) {
    meta.arxivId = found.id
    if (found.version) meta.arxivVersion = found.version
  }
}

function toPaper(entry: RawEntry, latex: LatexReader): ParsedPaper | null {
  const label = labelOf(entry.type, entry.key)
  const field = (name: string): RawField | undefined => entry.fields.get(name)
  const textOf = (name: string, keepParagraphs = false): string => {
    const f = field(name)
    return f ? latex.text(f.value, f.line, `“${name}” of ${label}`, keepParagraphs) : ''
  }
  const title = textOf('title')
  if (!title) return null
  const meta: PaperMeta = {}
  const year =
    yearOf(field('year')?.value.slice(0, 100)) ?? yearOf(field('date')?.value.slice(0, 100))
  if (year) meta.year = year
  const doi = field('doi') ? doiOf(verbatim(field('doi')!.value)) : null
  const url = field('url') ? urlOf(verbatim(field('url')!.value)) : null
  if (url) meta.urls = [url]
  if (doi) meta.doi = doi
  else if (url && /^https?:\/\/(?:dx\.)?doi\.org\//i.test(url)) {
    const fromUrl = doiOf(url)
    if (fromUrl) meta.doi = fromUrl
  }
  const venueField = VENUE_FIELDS.find((f) => field(f))
  const venue = venueField ? textOf(venueField) : ''
  if (venue) meta.venue = venue
  arxivOf(entry, meta, venue)
  const keywords = field('keywords')
  if (keywords) {
    const list = splitKeywords(latex.text(keywords.value, keywords.line, `“keywords” of ${label}`))
    if (list.length) meta.keywords = list
  }
  const author = field('author')
  const paper: ParsedPaper = {
    title,
    abstract: textOf('abstract', true),
    authors: author ? latex.names(author.value, author.line, `“author” of ${label}`) : [],
    dumpDate: null,
    dumpDateText: null,
    line: entry.line,
  }
  const compact = compactMeta(meta)
  if (compact) paper.meta = compact
  return paper
}

export function parseBibtex(input: string): ParseResult {
  const text = normaliseText(input)
  const warnings = new WarningsByLine()
  const scanner = new Scanner(text, warnings)
  scanner.read()
  const { entries } = scanner
  if (entries.length === 0) {
    const problem = scanner.firstProblem
    throw problem
      ? new ImportError(`no BibTeX entry could be read: ${problem.message}`, problem.line)
      : new ImportError(
          'no BibTeX entries found: an entry starts with @article{, @inproceedings{, @misc{ …',
        )
  }

  const byKey = new Map<string, RawEntry>()
  for (const entry of entries) {
    if (entry.key && !byKey.has(entry.key.toLowerCase())) byKey.set(entry.key.toLowerCase(), entry)
  }
  const volumes = new Set<RawEntry>()
  for (const entry of entries) {
    const target = entry.fields.get('crossref')?.value.trim().toLowerCase()
    const parent = target ? byKey.get(target) : undefined
    if (!parent || parent === entry) continue
    inherit(entry, parent)
    if (CONTAINERS.has(parent.type.toLowerCase())) volumes.add(parent)
  }

  const latex = new LatexReader(warnings)
  const papers: ParsedPaper[] = []
  let skipped = scanner.skipped
  for (const entry of entries) {
    // A volume the papers cross-reference gave them its title and year; it is not a paper.
    if (volumes.has(entry)) continue
    const paper = toPaper(entry, latex)
    const label = labelOf(entry.type, entry.key)
    if (!paper) {
      skipped += 1
      warnings.add(entry.line, () => `${label} has no title; skipped`)
      continue
    }
    papers.push(paper)
  }
  if (papers.length === 0) {
    throw new ImportError(
      `none of the ${entries.length} BibTeX entries has a title`,
      entries[0]!.line,
    )
  }
  const labels = new Map(entries.map((e) => [e.line, labelOf(e.type, e.key)]))
  const label = (p: ParsedPaper): string => labels.get(p.line) ?? `the entry at line ${p.line}`
  const merged = mergeCopies(papers, warnings, label)
  warnNoAbstract(merged, warnings, (p) => `${label(p)} (“${shorten(p.title)}”)`)
  return { format: 'bibtex', papers: merged, warnings: warnings.list(), skipped }
}

/** Entry types, for recognising a file: a line starting "@article{" is BibTeX beyond doubt. */
const KNOWN_TYPES = new Set([
  'article',
  'book',
  'booklet',
  'inbook',
  'incollection',
  'inproceedings',
  'conference',
  'manual',
  'mastersthesis',
  'phdthesis',
  'misc',
  'proceedings',
  'techreport',
  'unpublished',
  'online',
  'report',
  'thesis',
  'software',
  'dataset',
  'collection',
  'periodical',
  'patent',
  'electronic',
  'www',
  'string',
  'comment',
  'preamble',
])

const ENTRY_LINE = /^@[ \t]*([A-Za-z]+)[ \t]*[{(]/

export function detectBibtex(head: string): number {
  let first = true
  for (const raw of normaliseText(head).split('\n')) {
    const line = raw.trimStart()
    if (line === '' || line.startsWith('%')) continue
    const m = ENTRY_LINE.exec(line)
    const known = m ? KNOWN_TYPES.has(m[1]!.toLowerCase()) : false
    if (first && m) return known ? 0.95 : 0.9
    // Text before the first entry (an old JabRef header, a note): still BibTeX if an entry
    // of a known type follows.
    if (known) return 0.8
    first = false
  }
  return 0
}

export const bibtexImporter: Importer = {
  format: 'bibtex',
  label: 'BibTeX',
  detect: detectBibtex,
  parse: (text) => parseBibtex(text),
}
