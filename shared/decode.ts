// The bytes of a dump (a file, a pipe, a dropped file) to its text. Dumps are saved by browsers,
// editors and shells on every platform, so besides UTF-8 with or without a byte-order mark this
// reads UTF-16 — what Windows Notepad ("Unicode") and PowerShell's `>` write — with a mark or
// without one.
//
// Bytes that are not valid in their encoding are refused, not replaced with U+FFFD. An import is
// for keeps: a later import never retitles a paper, so "Schr�dinger" would stay wrong, and it
// would not even match the corrected title when the fixed file is imported again (a duplicate).
// The usual cause is a file saved in a legacy 8-bit encoding, which one "Save as UTF-8" fixes,
// so the message names the first bad byte and its line, and the import changes nothing.
//
// The one exception is a file with NUL bytes that do not fall in a UTF-16 pattern: that is
// binary, not mis-encoded text, so it is decoded leniently and left to parseDump's NUL check,
// which refuses it as "not a text file" (a more useful diagnosis than "not UTF-8").
import { ImportError } from './importers/types'

/** How much of the start of a file the UTF-16 guess looks at. */
const SNIFF_BYTES = 4096

type Utf16 = 'utf-16le' | 'utf-16be'

export function decodeDump(bytes: Uint8Array): string {
  const [b0, b1, b2] = [bytes[0], bytes[1], bytes[2]]
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return decodeUtf8(bytes, 3)
  if (b0 === 0xff && b1 === 0xfe) return decodeUtf16(bytes, 2, 'utf-16le')
  if (b0 === 0xfe && b1 === 0xff) return decodeUtf16(bytes, 2, 'utf-16be')
  const guess = guessUtf16(bytes)
  return guess ? decodeUtf16(bytes, 0, guess) : decodeUtf8(bytes, 0)
}

/**
 * UTF-16 without a byte-order mark, recognised by its NULs. Latin text in UTF-16 has a NUL in
 * the high byte of nearly every character (letters, spaces, line breaks) and in the low byte only
 * of the rare U+xx00 (such as 一, U+4E00); binary data has NULs at both, and UTF-8 text has none.
 * UTF-16 text in a script with no Latin at all has no NULs to go by; it reads as invalid UTF-8
 * and is refused with a message that suggests a byte-order mark.
 */
function guessUtf16(bytes: Uint8Array): Utf16 | null {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return null
  const end = Math.min(bytes.length, SNIFF_BYTES)
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < end; i += 2) {
    if (bytes[i] === 0) evenNul += 1
    if (bytes[i + 1] === 0) oddNul += 1
  }
  const units = end / 2
  const encoding: Utf16 | null =
    oddNul * 4 >= units && evenNul * 16 <= oddNul
      ? 'utf-16le'
      : evenNul * 4 >= units && oddNul * 16 <= evenNul
        ? 'utf-16be'
        : null
  if (!encoding) return null
  // Binary data can fall in the pattern too (an array of small 16-bit numbers); text has next to
  // no control characters, so many of them mean binary, which the NUL check then refuses.
  let controls = 0
  for (let i = 0; i < end; i += 2) {
    const unit = codeUnit(bytes, i, encoding)
    if (unit < 0x20 && (unit < 0x09 || unit > 0x0d)) controls += 1
  }
  return controls * 64 <= units ? encoding : null
}

function codeUnit(bytes: Uint8Array, at: number, encoding: Utf16): number {
  const first = bytes[at] ?? 0
  const second = bytes[at + 1] ?? 0
  return encoding === 'utf-16le' ? first | (second << 8) : (first << 8) | second
}

function decodeUtf8(bytes: Uint8Array, start: number): string {
  const body = bytes.subarray(start)
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body)
  } catch {
    if (body.includes(0)) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(body)
    const at = invalidUtf8At(body)
    const hex = (body[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')
    throw new ImportError(
      `this is not UTF-8 text: byte ${start + at} (0x${hex}) is not valid there; save the file as UTF-8 (or as UTF-16 with a byte-order mark) and import it again`,
      lineAt(at, (i) => body[i] ?? 0),
    )
  }
}

/** Where the first ill-formed sequence starts, per the Unicode Standard's table 3-7. */
export function invalidUtf8At(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) {
      i += 1
      continue
    }
    let need: number
    let low = 0x80
    let high = 0xbf
    if (b >= 0xc2 && b <= 0xdf) need = 1
    else if (b === 0xe0) [need, low] = [2, 0xa0]
    else if (b === 0xed) [need, high] = [2, 0x9f]
    else if (b >= 0xe1 && b <= 0xef) need = 2
    else if (b === 0xf0) [need, low] = [3, 0x90]
    else if (b === 0xf4) [need, high] = [3, 0x8f]
    else if (b >= 0xf1 && b <= 0xf3) need = 3
    else return i
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k]
      if (c === undefined || c < low || c > high) return i
      low = 0x80
      high = 0xbf
    }
    i += need + 1
  }
  return bytes.length
}

function decodeUtf16(bytes: Uint8Array, start: number, encoding: Utf16): string {
  const name = encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'
  const body = bytes.subarray(start)
  const units = Math.floor(body.length / 2)
  const unitAt = (i: number): number => codeUnit(body, i * 2, encoding)
  if (body.length % 2 !== 0) {
    throw new ImportError(
      `this ${name} text ends in the middle of a character (it has an odd number of bytes); the file may be cut short or not be ${name}`,
      lineAt(units, unitAt),
    )
  }
  const bad = loneSurrogateAt(units, unitAt)
  if (bad !== -1) {
    throw new ImportError(
      `this is not valid ${name} text: bytes ${start + bad * 2}–${start + bad * 2 + 1} are half of a character with no other half; save the file as UTF-8 and import it again`,
      lineAt(bad, unitAt),
    )
  }
  // Only a UTF-16LE decoder is available everywhere (Node without full ICU lacks UTF-16BE).
  let little = body
  if (encoding === 'utf-16be') {
    little = new Uint8Array(body.length)
    for (let i = 0; i < body.length; i += 2) {
      little[i] = body[i + 1]!
      little[i + 1] = body[i]!
    }
  }
  return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(little)
}

function loneSurrogateAt(units: number, unitAt: (i: number) => number): number {
  for (let i = 0; i < units; i += 1) {
    const u = unitAt(i)
    if (u < 0xd800 || u > 0xdfff) continue
    if (u >= 0xdc00) return i
    const next = i + 1 < units ? unitAt(i + 1) : -1
    if (next < 0xdc00 || next > 0xdfff) return i
    i += 1
  }
  return -1
}

/**
 * The 1-based line of the unit at `end`, counting line breaks the way the importer does (CRLF,
 * CR and LF are each one break), so the number matches the line the user's editor shows.
 */
function lineAt(end: number, unitAt: (i: number) => number): number {
  let line = 1
  for (let i = 0; i < end; i += 1) {
    const u = unitAt(i)
    if (u === 0x0a) line += 1
    else if (u === 0x0d && (i + 1 >= end || unitAt(i + 1) !== 0x0a)) line += 1
  }
  return line
}
