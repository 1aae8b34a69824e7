// JSON.parse for a request body held in a Buffer, without first making a string of the whole body.
// A large import is one long string inside a small object. Decoding the body to text and parsing
// that holds three copies of the dump at once — the bytes, the JSON text, the parsed string —
// because the bytes are freed only at the next garbage collection (190 MB of body took 710 MB).
// Here each long string is unescaped where it lies in the buffer (an escape is never shorter than
// what it stands for) and decoded from there, and only the rest, which is small, goes through
// JSON.parse: the bytes and the parsed string, nothing more.
import { randomBytes } from 'node:crypto'

/** Strings at least this long (bytes) are decoded from the buffer; shorter ones cost nothing. */
export const LONG_STRING_BYTES = 64 * 1024

const QUOTE = 0x22
const BACKSLASH = 0x5c
const SIMPLE_ESCAPES: Record<number, number> = {
  0x22: 0x22, // \"
  0x5c: 0x5c, // \\
  0x2f: 0x2f, // \/
  0x62: 0x08, // \b
  0x66: 0x0c, // \f
  0x6e: 0x0a, // \n
  0x72: 0x0d, // \r
  0x74: 0x09, // \t
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}

/**
 * The contents ([start, end), between the quotes) of the long strings that are values, not keys;
 * null when a string is not closed (JSON.parse will say so). In JSON a quote outside a string
 * opens one, and UTF-8 never uses the bytes of `"` or `\` inside a character, so bytes will do.
 */
function longStrings(body: Buffer): [number, number][] | null {
  const found: [number, number][] = []
  let at = 0
  for (;;) {
    const open = body.indexOf(QUOTE, at)
    if (open < 0) return found
    let close = open
    for (;;) {
      close = body.indexOf(QUOTE, close + 1)
      if (close < 0) return null
      let slashes = 0
      while (body[close - 1 - slashes] === BACKSLASH) slashes += 1
      if (slashes % 2 === 0) break
    }
    if (close - open - 1 >= LONG_STRING_BYTES) {
      let next = close + 1
      while (isSpace(body[next])) next += 1
      if (body[next] !== 0x3a) found.push([open + 1, close])
    }
    at = close + 1
  }
}

function hex4(body: Buffer, at: number): number {
  if (at + 4 > body.length) return -1
  const text = body.toString('latin1', at, at + 4)
  return /^[0-9a-fA-F]{4}$/.test(text) ? parseInt(text, 16) : -1
}

/**
 * Whether the string in [start, end) can be unescaped into UTF-8 where it lies: no raw control
 * character (JSON forbids them), only valid escapes, no unpaired surrogate (which UTF-8 cannot
 * hold). Otherwise JSON.parse judges it.
 */
function plain(body: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (body[i]! < 0x20) return false
  let at = start
  for (;;) {
    const found = body.subarray(at, end).indexOf(BACKSLASH)
    if (found < 0) return true
    const e = at + found
    const kind = body[e + 1]!
    if (kind !== 0x75) {
      if (SIMPLE_ESCAPES[kind] === undefined || e + 1 >= end) return false
      at = e + 2
      continue
    }
    const unit = hex4(body, e + 2)
    if (unit < 0 || e + 6 > end) return false
    if (unit >= 0xdc00 && unit <= 0xdfff) return false
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = body[e + 6] === BACKSLASH && body[e + 7] === 0x75 ? hex4(body, e + 8) : -1
      if (low < 0xdc00 || low > 0xdfff || e + 12 > end) return false
      at = e + 12
    } else at = e + 6
  }
}

/** Unescapes the plain string in [start, end) where it lies; returns where it now ends. */
function unescapeInPlace(body: Buffer, start: number, end: number): number {
  let read = start
  let write = start
  for (;;) {
    const found = body.subarray(read, end).indexOf(BACKSLASH)
    const run = found < 0 ? end : read + found
    write += body.copy(body, write, read, run)
    if (found < 0) return write
    const kind = body[run + 1]!
    if (kind !== 0x75) {
      body[write++] = SIMPLE_ESCAPES[kind]!
      read = run + 2
      continue
    }
    let point = hex4(body, run + 2)
    read = run + 6
    if (point >= 0xd800 && point <= 0xdbff) {
      point = 0x10000 + ((point - 0xd800) << 10) + (hex4(body, run + 8) - 0xdc00)
      read = run + 12
    }
    write += body.write(String.fromCodePoint(point), write, 'utf8')
  }
}

/** JSON.parse(body.toString('utf8')), with the same result and the same refusals. */
export function parseJsonBody(body: Buffer): unknown {
  const longs = longStrings(body)
  if (longs === null || longs.length === 0) return JSON.parse(body.toString('utf8'))
  // Each long string is replaced in the rest by a stand-in no client can guess.
  const nonce = `\u0000${randomBytes(12).toString('base64url')}:`
  const texts = new Map<string, string>()
  let rest = ''
  let at = 0
  for (const [start, end] of longs) {
    const stand = `${nonce}${texts.size}`
    texts.set(
      stand,
      plain(body, start, end)
        ? body.toString('utf8', start, unescapeInPlace(body, start, end))
        : (JSON.parse(body.toString('utf8', start - 1, end + 1)) as string),
    )
    rest += `${body.toString('utf8', at, start)}${JSON.stringify(stand).slice(1, -1)}`
    at = end
  }
  rest += body.toString('utf8', at)
  const value: unknown = JSON.parse(rest)
  if (typeof value === 'string') return texts.get(value) ?? value
  // Puts the strings back, without recursion (a body may nest deeply). defineProperty, because a
  // key may be "__proto__", which JSON.parse makes an own property and `=` would not.
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node !== 'object' || node === null) continue
    for (const [key, child] of Object.entries(node)) {
      if (typeof child === 'string') {
        const text = texts.get(child)
        if (text !== undefined) {
          Object.defineProperty(node, key, {
            value: text,
            writable: true,
            enumerable: true,
            configurable: true,
          })
        }
      } else stack.push(child)
    }
  }
  return value
}
