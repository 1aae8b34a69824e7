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
 * A note as the library keeps it: storable text without NUL characters, which nothing shows and
 * at which the search index stops reading (a dump with NULs is refused as binary instead; a note
 * may come from anywhere, pasted from a PDF say).
 */
export function storableNote(text: string): string {
  return storableText(text).replace(/\0/g, '')
}
