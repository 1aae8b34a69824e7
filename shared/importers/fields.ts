// The normal forms of a paper's metadata, shared by every importer so that the same paper read
// from two formats yields the same values (and is recognised as the same paper).

const TRAILING = new Set([...'.,;:!?)]}>"\''])

/**
 * Without the punctuation that ends the sentence around it. A loop, not /[.,]+$/: that regex
 * retries a long run of punctuation from each of its positions (quadratic).
 */
function trimTrailing(text: string): string {
  let end = text.length
  while (end > 0 && TRAILING.has(text[end - 1]!)) end -= 1
  return text.slice(0, end)
}

/** "https://doi.org/10.1000/ABC" or "doi:10.1000/ABC." → "10.1000/abc"; null when it is not a DOI. */
export function normaliseDoi(value: string): string | null {
  const m = /(10\.\d{4,9}\/\S+)/i.exec(value.trim())
  if (!m) return null
  const doi = trimTrailing(m[1]!).toLowerCase()
  return /^10\.\d{4,9}\/./.test(doi) ? doi : null
}

/**
 * "arXiv:2408.01234v2", "https://arxiv.org/abs/2408.01234v2", "10.48550/arXiv.2408.01234",
 * "hep-th/9901001v1", "math.GT/0309136" → { id: "2408.01234", version: 2 } or
 * { id: "math/0309136", version: null } (an old-style id without its subject class, which is
 * an alias: arXiv's canonical form); null when it is not an arXiv identifier.
 */
export function splitArxivId(value: string): { id: string; version: number | null } | null {
  const modern = /(?:^|[^\w.]|arxiv[.:])(\d{4}\.\d{4,5})(?:v(\d+))?(?!\d)/i.exec(value)
  if (modern) return { id: modern[1]!, version: modern[2] ? Number(modern[2]) : null }
  // Old-style archive names are short; the bound keeps a long run of letters or dashes linear.
  const old = /(?:^|[^\w-])([a-z][a-z-]{0,15})(?:\.[a-z]{2})?\/(\d{7})(?:v(\d+))?(?!\d)/i.exec(
    value,
  )
  if (!old) return null
  return { id: `${old[1]!.toLowerCase()}/${old[2]}`, version: old[3] ? Number(old[3]) : null }
}

/** Text wrapped over several lines (a newline plus indentation) as one line, spaces collapsed. */
export function unwrap(text: string): string {
  // Line by line, not /\s*\n\s*/: that regex retries a long run of spaces from each position.
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ')
    .replace(/[ \t]{2,}/g, ' ')
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
}

/** HTML inside a field (`&lt;`, `&#233;`, `<SUB>2</SUB>`, `<br />`) as plain text. */
export function stripHtml(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1))
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff
          ? String.fromCodePoint(code)
          : whole
      }
      return ENTITIES[name.toLowerCase()] ?? whole
    })
}

/** A four-digit year in a date or year field, within reason; null otherwise. */
export function yearOf(value: string | number | undefined | null): number | null {
  const m = /(?:^|\D)(1[89]\d\d|20\d\d|21\d\d)(?:\D|$)/.exec(String(value ?? ''))
  return m ? Number(m[1]) : null
}

/** A URL as a source writes it, without the punctuation that ends the sentence around it. */
export function cleanUrl(url: string): string {
  return trimTrailing(url.trim())
}
