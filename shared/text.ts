// Text as people paste it: byte-order marks, Windows or old Mac line endings, trailing spaces.

export interface Line {
  /** 1-based line number in the original text. */
  number: number
  text: string
}

export function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
}

export function splitLines(text: string): Line[] {
  return (
    normaliseText(text)
      .split('\n')
      // trimEnd, not /\s+$/: the regex retries the run of spaces from each of its positions, which
      // is quadratic on a long run of spaces inside a line.
      .map((raw, i) => ({ number: i + 1, text: raw.trimEnd() }))
  )
}

export interface Block {
  /** Line number of the block's first line. */
  line: number
  lines: string[]
}

/** Runs of non-blank lines. */
export function splitBlocks(lines: Line[]): Block[] {
  const blocks: Block[] = []
  let current: Block | null = null
  for (const line of lines) {
    if (line.text.trim() === '') {
      current = null
      continue
    }
    if (!current) {
      current = { line: line.number, lines: [] }
      blocks.push(current)
    }
    current.lines.push(line.text.trim())
  }
  return blocks
}

/** Joins a wrapped paragraph back into one line. */
export function joinWrapped(lines: string[]): string {
  return lines.join(' ')
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Text as SQLite will give it back: half an emoji (a lone surrogate) cannot be stored as UTF-8,
 * and a leading byte-order mark is dropped when read. Normalising before saving means what the
 * user is told was saved is exactly what is stored.
 */
export function storableText(text: string): string {
  return text.replace(/^\uFEFF+/, '').replace(LONE_SURROGATE, '\uFFFD')
}

/**
 * Characters no stored text keeps: NUL, at which the search index stops reading (every word
 * after one would be unfindable), and the two the search marks its hits with in snippets.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNSTORABLE = /[\0\u0002\u0003]/g
/** The same, to test with (a global pattern's test() moves on from its last match). */
// eslint-disable-next-line no-control-regex -- as above
const HAS_UNSTORABLE = /[\0\u0002\u0003]/

/**
 * A note as the library keeps it: storable text without the characters above (nothing shows
 * them; a note may come from anywhere, pasted from a PDF say).
 */
export function storableNote(text: string): string {
  return storableText(text).replace(UNSTORABLE, '')
}

/**
 * Every string in a value (an imported paper: its fields, authors, the note and tags it
 * carries) without the characters above. A dump with raw NULs is refused as binary; these come
 * in escaped, as `\u0000` in JSON.
 */
export function withoutUnstorable<T>(value: T): T {
  if (typeof value === 'string') {
    return (HAS_UNSTORABLE.test(value) ? value.replace(UNSTORABLE, '') : value) as T
  }
  if (Array.isArray(value)) return value.map(withoutUnstorable) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutUnstorable(v)])) as T
  }
  return value
}
