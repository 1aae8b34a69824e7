// The normal forms of a paper's metadata, shared by every importer so that the same paper read
// from two formats yields the same values (and is recognised as the same paper).

/** "https://doi.org/10.1000/ABC" or "doi:10.1000/ABC." → "10.1000/abc"; null when it is not a DOI. */
export function normaliseDoi(value: string): string | null {
  const m = /(10\.\d{4,9}\/\S+)/i.exec(value.trim())
  if (!m) return null
  return m[1]!.replace(/[.,;:)\]}>"']+$/, '').toLowerCase()
}

/**
 * "arXiv:2408.01234v2", "https://arxiv.org/abs/2408.01234v2", "hep-th/9901001v1" →
 * { id: "2408.01234", version: 2 }; null when it is not an arXiv identifier.
 */
export function splitArxivId(value: string): { id: string; version: number | null } | null {
  const m =
    /(?:^|[^\w.])(\d{4}\.\d{4,5})(?:v(\d+))?(?![\d])/.exec(value) ??
    /(?:^|[^\w/])([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?(?![\d])/i.exec(value)
  if (!m) return null
  return { id: m[1]!.toLowerCase(), version: m[2] ? Number(m[2]) : null }
}

/** Text wrapped over several lines (a newline plus indentation) as one line. */
export function unwrap(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim()
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
  return url.trim().replace(/[.,;:!?)\]}>"']+$/, '')
}
