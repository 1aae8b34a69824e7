// People's names in the parts citation formats want, and the citation keys that BibTeX and
// CSL-JSON share (so a .bib and a CSL-JSON file of one library cite each paper by one key).
import type { Paper } from '../domain'

export interface NameParts {
  /** Everything before the family name ("Ada", "Martin Luther"); '' for a one-word name. */
  given: string
  /** Lower-case words before the family name ("van der"), which sorting ignores. */
  particle: string
  family: string
  /** "Jr.", "Sr.", "III". */
  suffix: string
}

const SUFFIX = /^(?:[JS]r\.?|II|III|IV)$/i
const STARTS_LOWER = /^\p{Ll}/u

/**
 * "Ludwig van Beethoven" → given "Ludwig", particle "van", family "Beethoven": the last word is
 * the family name, with the lower-case words straight before it, as BibTeX reads "First von
 * Last". The parts, joined by spaces in the order given, particle, family, suffix, are the name
 * again (Lectern's names are single-spaced), so every format that carries parts round-trips.
 */
export function splitName(name: string): NameParts {
  const words = name.split(' ').filter((w) => w !== '')
  let suffix = ''
  if (words.length > 2 && SUFFIX.test(words[words.length - 1]!)) suffix = words.pop()!
  const family = words.pop() ?? ''
  let start = words.length
  // The first word is never a particle: "danah boyd" is given "danah", family "boyd".
  while (start > 1 && STARTS_LOWER.test(words[start - 1]!)) start -= 1
  return {
    given: words.slice(0, start).join(' '),
    particle: words.slice(start).join(' '),
    family,
    suffix,
  }
}

/** Letters that do not decompose into an ASCII letter and an accent. */
const FOLDED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
}

/** Lower-case ASCII letters and digits only: "Schrödinger" → "schrodinger", "Łukasz" → "lukasz". */
export function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæœøłđðþı]/g, (c) => FOLDED[c] ?? '')
    .replace(/[^a-z0-9]+/g, '')
}

/** Words a key skips to reach the first word that says what the paper is about. */
const STOP_WORDS = new Set(
  'a an the on of in for to and at by with from via towards toward is are do does what how why when'.split(
    ' ',
  ),
)

/** "vaswani2017attention": family name, year, first title word that is not a stop word. */
export function baseKey(paper: Pick<Paper, 'authors' | 'year' | 'title'>): string {
  const first = paper.authors[0]
  const who = (first && asciiFold(splitName(first).family)) || 'anon'
  // Math says little as a word ("$\alpha$" would give "alpha"); it is left out.
  const words = paper.title.replace(/\$[^$]*\$/g, ' ').split(/[^\p{L}\p{N}]+/u)
  const what = words.map(asciiFold).find((w) => w !== '' && !STOP_WORDS.has(w)) ?? ''
  return `${who}${paper.year ?? ''}${what}`
}

/** 0 → "a", 25 → "z", 26 → "aa": the suffixes of keys that clash. */
function suffixOf(n: number): string {
  let out = ''
  let k = n
  do {
    out = String.fromCharCode(0x61 + (k % 26)) + out
    k = Math.floor(k / 26) - 1
  } while (k >= 0)
  return out
}

/**
 * A citation key for each paper, in the order given: unique within the export, and stable —
 * when keys clash, the paper that entered the library first (the lowest id) keeps the plain key
 * and the later ones get "a", "b"…, so the order of the export (a sort by title, a filter) never
 * changes a key, and adding a paper never changes the key of one already there.
 */
export function citationKeys(papers: readonly Paper[]): string[] {
  const bases = papers.map(baseKey)
  const taken = new Set(bases)
  const keys: string[] = new Array<string>(papers.length)
  const order = papers.map((p, i) => ({ id: p.id, i })).sort((a, b) => a.id - b.id || a.i - b.i)
  const claimed = new Set<string>()
  const next = new Map<string, number>()
  for (const { i } of order) {
    const base = bases[i]!
    if (!claimed.has(base)) {
      claimed.add(base)
      keys[i] = base
      continue
    }
    // A suffixed key may itself be another paper's plain key ("smith2020dat" + "a"): skip those.
    let n = next.get(base) ?? 0
    let key = `${base}${suffixOf(n)}`
    while (taken.has(key) || claimed.has(key)) key = `${base}${suffixOf(++n)}`
    next.set(base, n + 1)
    claimed.add(key)
    keys[i] = key
  }
  return keys
}
