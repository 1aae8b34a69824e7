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
 * Every string in a value (an imported paper: its fields, authors, the note and tags it
 * carries) without the characters above. A dump with raw NULs is refused as binary; these come
 * in escaped, as `\u0000` in JSON. (Imports now remove every control character, see
 * `withoutControls`; this narrower rule is what migration 10 repaired older libraries with.)
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

/**
 * Control characters that no imported text and no note keeps: C0 but tab and line feed, DEL,
 * and C1 (the characters above among them). A terminal acts on them — ESC starts sequences that
 * retitle the window, clear the screen or write the clipboard, and U+009B is an 8-bit "ESC [" —
 * and no reader of a paper sees them. Tab and line feed are how abstracts and notes are laid
 * out. Right-to-left marks and overrides stay: right-to-left text needs them (the command line
 * shows them escaped, see electron/cli/print.ts).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROLS = /[\0-\x08\x0b-\x1f\x7f-\x9f]/g
/** The same, to test with. */
// eslint-disable-next-line no-control-regex -- as above
const HAS_CONTROL = /[\0-\x08\x0b-\x1f\x7f-\x9f]/

/**
 * Text without the control characters above. A carriage return is a line break in text from
 * Windows or an old Mac, so it becomes a line feed rather than vanish.
 */
export function withoutControls(text: string): string {
  return HAS_CONTROL.test(text) ? text.replace(/\r\n?/g, '\n').replace(CONTROLS, '') : text
}

/**
 * `withoutControls` for every string in a value (a paper as a dump gives it), however deep. A
 * value with none is given back as it is, the same object: nearly every paper has none, and an
 * import of 100k papers need not copy them all to find out.
 */
export function withoutControlsIn<T>(value: T): T {
  if (typeof value === 'string') return withoutControls(value) as T
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null
    value.forEach((item: unknown, i) => {
      const clean = withoutControlsIn(item)
      if (clean !== item) (copy ??= [...value])[i] = clean
    })
    return (copy ?? value) as T
  }
  if (value && typeof value === 'object') {
    let copy: Record<string, unknown> | null = null
    for (const [key, item] of Object.entries(value)) {
      const clean = withoutControlsIn(item)
      if (clean !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = clean
    }
    return (copy ?? value) as T
  }
  return value
}

/**
 * A note as the library keeps it: storable text without control characters but tab and line
 * feed, as for imported text (a note may come from anywhere, pasted from a PDF or a terminal
 * say). They go first, so that no byte-order mark they hid is left leading.
 */
export function storableNote(text: string): string {
  return storableText(withoutControls(text))
}
