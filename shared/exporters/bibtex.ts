// BibTeX (.bib), as BibTeX, biber and every reference manager read it.
//
// Text is written as UTF-8 (BibTeX 0.99 passes it through, biber and biblatex read it), with
// only TeX's special characters escaped. Math ($\alpha$) stays math, as arXiv writes it and as
// Lectern's importer keeps it. Titles are not wrapped in double braces — that would stop a style
// from setting them in sentence case — but the words whose capitals a style must not lower
// ("BERT", "GPT-4", "LaTeX"; in a title written in sentence case, every capitalised word) are
// braced one by one.
//
// "<" and ">" are written as they are: with T1 fonts (and biber, and Lectern's importer) they are
// themselves, and "\textless{}i\textgreater{}" would read back as markup, not text.
//
// The user's reading note is not written: a .bib file is what goes to co-authors, into a
// paper's sources and onto arXiv, and a private note has no place there (BibTeX's `note` is
// printed in the reference list; `annote` is printed by annotated styles and kept by reference
// managers that share libraries). The Markdown and Lectern JSON exports carry notes.
import type { Paper } from '../domain'
import { citationKeys, splitName } from './names'
import { bracesBalance, mathPieces } from './text'
import type { Piece } from './text'

const ESCAPED: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
}

/**
 * Characters TeX joins with the next one when they are the same ("--" is a dash, "''" a closing
 * quote, ",," a low quote, "``" an opening quote); "!`" and "?`" are "¡" and "¿".
 */
const LIGATURE_PAIRS = new Set(['--', "''", ',,', '``', '!`', '?`'])

/**
 * Plain text (no math) for a braced BibTeX field. Braces are escaped as "\{" and "\}" when they
 * pair up in the whole field (BibTeX counts escaped braces too, so unpaired ones would end the
 * field), else written as commands.
 */
function escapeText(text: string, pairedBraces: boolean): string {
  let out = ''
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!
    if (c === '{' || c === '}') {
      out += pairedBraces ? `\\${c}` : c === '{' ? '\\textbraceleft{}' : '\\textbraceright{}'
    } else if (c === '@' && text[i - 1] === '\n') {
      // "@article{" at the start of a line would start an entry for a reader that resyncs there.
      out += '{@}'
    } else {
      out += ESCAPED[c] ?? c
    }
    const next = text[i + 1] ?? ''
    // "{}" ends "\&" before a line break, which the importer (as TeX does after a command
    // word) would take into the command, losing a paragraph break.
    const escaped = /[&%$#_]/.test(c) || (pairedBraces && /[{}]/.test(c))
    if (LIGATURE_PAIRS.has(c + next) || (escaped && next === '\n')) out += '{}'
  }
  return out
}

/** Whether the braces of the field's text (outside math) pair up. */
function plainBracesPair(pieces: Piece[]): boolean {
  const plain = pieces
    .filter((p) => !p.math)
    .map((p) => p.text)
    .join('')
  return bracesBalance(plain, false)
}

/** A field's text: math as written, the rest escaped. */
function texOf(text: string): string {
  const pieces = mathPieces(text)
  const paired = plainBracesPair(pieces)
  let out = ''
  for (const piece of pieces) {
    out += piece.math ? piece.text : escapeText(piece.text, paired)
  }
  return out
}

const HAS_UPPER = /\p{Lu}/u
const STARTS_UPPER = /^\P{L}*\p{Lu}/u
const STARTS_LOWER = /^\P{L}*\p{Ll}/u

/** "Learning transferable visual models": most longer words after the first start in lower case. */
function isSentenceCase(words: string[]): boolean {
  let upper = 0
  let lower = 0
  for (const word of words.slice(1)) {
    if (word.replace(/\P{L}/gu, '').length < 4) continue
    if (STARTS_UPPER.test(word)) upper += 1
    else if (STARTS_LOWER.test(word)) lower += 1
  }
  return lower > upper
}

/** Whether a style must be kept from lowering the capitals of a title word. */
function needsProtection(word: Piece[], first: boolean, sentenceCase: boolean): boolean {
  // Math is not spared by BibTeX's case changes: "$\Delta$" would become "$\delta$".
  if (word.some((p) => p.math && HAS_UPPER.test(p.text))) return true
  const plain = word
    .filter((p) => !p.math)
    .map((p) => p.text)
    .join('')
  const letters = plain.replace(/\P{L}/gu, '')
  // Capitals after the first letter: "BERT", "GPT-4", "LaTeX", "McDonald", "iPhone".
  if (HAS_UPPER.test([...letters].slice(1).join(''))) return true
  // In a title written in sentence case, a capital is a name: "Bayesian", "Transformer".
  return sentenceCase && !first && HAS_UPPER.test(letters)
}

/** The title's words (split at white space outside math), each a list of pieces. */
function titleWords(title: string): Piece[][] {
  const words: Piece[][] = [[]]
  for (const piece of mathPieces(title)) {
    if (piece.math) {
      words[words.length - 1]!.push(piece)
      continue
    }
    piece.text.split(/(\s+)/).forEach((part, k) => {
      if (k % 2 === 1) words.push([])
      else if (part !== '') words[words.length - 1]!.push({ math: false, text: part })
    })
  }
  return words.filter((w) => w.length > 0)
}

/**
 * Text in a group that BibTeX's case changes leave alone. A group that opens with a command
 * ("{\textbraceleft{}BERT}") is to BibTeX one accented letter, whose text it lowers: that one
 * is braced twice.
 */
function braced(tex: string): string {
  return tex.startsWith('\\') ? `{{${tex}}}` : `{${tex}}`
}

function titleTex(title: string): string {
  const words = titleWords(title)
  const sentenceCase = isSentenceCase(words.map((w) => w.map((p) => p.text).join('')))
  const protect = words.map((word, i) => needsProtection(word, i === 0, sentenceCase))
  // "\{" inside a braced word would pair with that word's braces as BibTeX counts them.
  const paired =
    plainBracesPair(words.flat()) &&
    !words.some((word, i) => protect[i] && word.some((p) => !p.math && /[{}]/.test(p.text)))
  return words
    .map((word, i) => {
      const tex = word.map((p) => (p.math ? p.text : escapeText(p.text, paired))).join('')
      return protect[i] ? braced(tex) : tex
    })
    .join(' ')
}

/**
 * One name for `author = {A and B}`. "Given von Family" is BibTeX's own form, read back in the
 * same order; with a suffix it is "von Family, Jr., Given". A name holding a comma or the word
 * "and" is braced whole (one name, as written).
 */
function nameTex(name: string): string {
  // Word by word: BibTeX splits a name at spaces outside braces, so "\{" and "\}" may pair only
  // inside a word (else they are written as commands).
  const tex = (text: string): string => text.split(' ').map(texOf).join(' ')
  if (/,/.test(name) || /(?:^|\s)and(?:\s|$)/i.test(name)) return braced(tex(name))
  const { given, particle, family, suffix } = splitName(name)
  if (!suffix) return tex(name)
  const last = [particle, family].filter((p) => p).join(' ')
  return `${tex(last)}, ${tex(suffix)}, ${tex(given)}`
}

/**
 * A DOI or URL: BibTeX fields that styles print verbatim, so nothing is escaped — only the
 * characters a braced field cannot hold as they are are percent-encoded.
 */
function verbatim(value: string): string {
  return value.replace(
    /[{}\\\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  )
}

function entry(paper: Paper, key: string): string {
  const fields: [string, string][] = [['title', titleTex(paper.title)]]
  if (paper.authors.length > 0) {
    fields.push(['author', paper.authors.map(nameTex).join(' and ')])
  }
  if (paper.venue) fields.push(['journal', texOf(paper.venue)])
  if (paper.year !== null) fields.push(['year', String(paper.year)])
  if (paper.doi) fields.push(['doi', verbatim(paper.doi)])
  if (paper.arxivId) {
    // The paper, not one version of it: arXiv's own BibTeX gives the id without a version.
    fields.push(['eprint', verbatim(paper.arxivId)], ['archivePrefix', 'arXiv'])
  }
  const url = paper.urls[0]
  if (url) fields.push(['url', verbatim(url)])
  if (paper.keywords.length > 0) {
    // biblatex splits keywords at commas; the importer at semicolons when there are any, so a
    // keyword with a comma needs them (and a lone one a ";" after it).
    const comma = paper.keywords.some((k) => k.includes(','))
    const list = paper.keywords.map(texOf).join(comma ? '; ' : ', ')
    fields.push(['keywords', comma && paper.keywords.length === 1 ? `${list};` : list])
  }
  if (paper.abstract) fields.push(['abstract', texOf(paper.abstract)])
  const type = paper.venue ? 'article' : 'misc'
  const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n')
  return `@${type}{${key},\n${body}\n}\n`
}

export function exportBibtex(papers: readonly Paper[]): string {
  const keys = citationKeys(papers)
  return papers.map((paper, i) => entry(paper, keys[i]!)).join('\n')
}
