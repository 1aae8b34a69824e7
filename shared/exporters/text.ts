// What several exporters do to text: keep the LaTeX math that titles and abstracts carry (as
// arXiv writes them, and as Lectern's importers keep them), and keep text that looks like HTML
// from being read as HTML by the importers that clean HTML out of fields.

export interface Piece {
  /** `$…$` or `$$…$$`, as written. */
  math: boolean
  text: string
}

/** Longer is not math anyone wrote inline; the bound keeps the search linear on "$ $ $ …". */
const MAX_MATH_CHARS = 2000

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c)
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

/** Whether braces in `text` pair up, counted both as BibTeX counts them and as TeX does. */
export function bracesBalance(text: string, skipEscaped: boolean): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]
    if (skipEscaped && c === '\\') i += 1
    else if (c === '{') depth += 1
    else if (c === '}' && --depth < 0) return false
  }
  return depth === 0
}

/**
 * The text in pieces: math, and the text around it. Math is what pandoc takes for it — a "$"
 * with no space after it, up to the next "$" (a backslash escapes the character after it) with
 * no space before it and no digit after it — so "$\alpha$-Divergences" is math and "from $5 to
 * $10" is not. Pairs are taken as the BibTeX importer pairs them, and math whose braces do not
 * pair up (a BibTeX field could not hold it), that holds a TeX comment ("%") or that runs over
 * 2000 characters is text.
 */
export function mathPieces(text: string): Piece[] {
  const pieces: Piece[] = []
  let last = 0
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] !== '$') continue
    const open = text[i + 1] === '$' ? 2 : 1
    let j = i + open
    const limit = Math.min(text.length, j + MAX_MATH_CHARS)
    while (j < limit && text[j] !== '$') j += text[j] === '\\' ? 2 : 1
    if (j >= limit) continue
    const end = j + open
    const content = text.slice(i + open, j)
    const math =
      content !== '' &&
      (open === 1 || text[j + 1] === '$') &&
      !isSpace(content[0]) &&
      !isSpace(content[content.length - 1]) &&
      !isDigit(text[end]) &&
      !/\n/.test(content) &&
      !/(?:^|[^\\])%/.test(content) &&
      bracesBalance(content, false) &&
      bracesBalance(content, true)
    if (!math) continue
    if (i > last) pieces.push({ math: false, text: text.slice(last, i) })
    pieces.push({ math: true, text: text.slice(i, end) })
    last = end
    i = end - 1
  }
  if (last < text.length) pieces.push({ math: false, text: text.slice(last) })
  return pieces
}

/**
 * `value`, or — when `read` (the importer's own cleaning of a field) would change it, because it
 * holds "<i>" or "&amp;" as text — the same with "&" and "<" written as entities, which `read`
 * turns back into the text. Only then: other programs show an entity as it is written.
 */
export function guardHtml(value: string, read: (text: string) => string): string {
  return read(value) === value ? value : escapeHtml(value)
}

/** "&" and "<" as entities, which every HTML-cleaning importer turns back into the text. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}
