// Marking the words a search looks for in text the user reads (a title, an abstract): the same
// words the index matches — case and accents ignored, the last word of a prefix as a prefix.
import { highlightTerms, parseSearch } from '../../../shared/search'

export interface Marked {
  text: string
  hit: boolean
}

/** The terms of a search, ready for `markWords` (none for an empty one). */
export function termsOf(search: string | undefined): ReturnType<typeof highlightTerms> {
  return search ? highlightTerms(parseSearch(search)) : []
}

/** Folds a word as the index does: accents off, lower-case. */
function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
}

/** `text` in parts, the words that match a term marked. */
export function markWords(text: string, terms: ReturnType<typeof highlightTerms>): Marked[] {
  if (terms.length === 0 || !text) return [{ text, hit: false }]
  const parts: Marked[] = []
  let last = 0
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    const word = fold(m[0])
    const hit = terms.some((t) => (t.prefix ? word.startsWith(t.word) : word === t.word))
    if (!hit) continue
    if (m.index > last) parts.push({ text: text.slice(last, m.index), hit: false })
    parts.push({ text: m[0], hit: true })
    last = m.index + m[0].length
  }
  if (last < text.length) parts.push({ text: text.slice(last), hit: false })
  return parts
}
