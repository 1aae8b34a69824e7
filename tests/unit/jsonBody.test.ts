// The browser host parses a large body from its bytes (electron/http/jsonBody.ts); whatever the
// body, the result and the refusals must be JSON.parse's own.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LONG_STRING_BYTES, parseJsonBody } from '../../electron/http/jsonBody'

type Outcome = { value: unknown } | { refused: string }

function outcome(parse: () => unknown): Outcome {
  try {
    return { value: parse() }
  } catch (error) {
    return { refused: (error as Error).name }
  }
}

/** JSON.parse's answer and parseJsonBody's for the same bytes (the latter may change them). */
function both(bytes: Buffer): [Outcome, Outcome] {
  const expected = outcome(() => JSON.parse(bytes.toString('utf8')))
  return [outcome(() => parseJsonBody(Buffer.from(bytes))), expected]
}

/** One character of a JSON string literal, written in any way JSON allows, and some it does not. */
const piece = fc.oneof(
  fc.constantFrom('a', ' ', 'é', '€', '😀', '数', '\\n', '\\"', '\\\\', '\\/', '\\t', '\\b', '\\f'),
  // Any UTF-16 unit as an escape: lone surrogates too, and pairs split over two escapes.
  fc.integer({ min: 0, max: 0xffff }).map((u) => `\\u${u.toString(16).padStart(4, '0')}`),
  fc.constantFrom('\\ud83d\\ude00', '\\uD83D\\uDE00', '\\ud83d', '\\ude00x'),
)
const badPiece = fc.constantFrom('\n', '\\x', '\\u12', '\\', '\u0001', '"')

/** A JSON string literal (quotes included) at least LONG_STRING_BYTES long. */
const longLiteral = (pieces: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.array(pieces, { minLength: 1, maxLength: 40 }).map((parts) => {
    const unit = parts.join('')
    return `"${unit.repeat(Math.ceil((LONG_STRING_BYTES + 1) / Buffer.byteLength(unit)))}"`
  })

/** Places a literal in a body: alone, as values in objects and arrays, or as a key. */
const bodyWith = (literal: string, where: number, other: unknown): string =>
  [
    literal,
    `{"source":"a.txt","text":${literal}}`,
    `{"dumps":[{"source":"a","text":${literal}},{"source":"b","text":${literal}}],"x":${JSON.stringify(other)}}`,
    `{"__proto__": ${literal}, "a" : [ 1, ${literal} ] }`,
    `{${literal}:1}`,
    `[${literal},${JSON.stringify(other)}]`,
  ][where]!

describe('parseJsonBody', () => {
  it('parses any body as JSON.parse does, long strings written in every way JSON allows', () => {
    fc.assert(
      fc.property(
        longLiteral(piece),
        fc.integer({ min: 0, max: 5 }),
        fc.jsonValue(),
        (literal, where, other) => {
          const [got, expected] = both(Buffer.from(bodyWith(literal, where, other)))
          expect(got).toEqual(expected)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('refuses what JSON.parse refuses: bad escapes, raw control characters, broken structure', () => {
    fc.assert(
      fc.property(
        longLiteral(fc.oneof(piece, badPiece)),
        fc.integer({ min: 0, max: 5 }),
        fc.jsonValue(),
        fc.integer({ min: 0 }),
        fc.constantFrom('', '"', '\\', '}', ',', '\u0002'),
        (literal, where, other, at, insert) => {
          const text = bodyWith(literal, where, other)
          const cut = at % (text.length + 1)
          const [got, expected] = both(Buffer.from(text.slice(0, cut) + insert + text.slice(cut)))
          expect(got).toEqual(expected)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('reads bytes that are not UTF-8 inside a long string as JSON.parse of the decoded text does', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.constantFrom('', '\\n', '\\u00e9', '\\ud83d\\ude00'),
        (bytes, escape) => {
          // Any bytes but a quote, a backslash or a control character, among escapes.
          const unit = Buffer.concat([
            Buffer.from(bytes.map((b) => (b === 0x22 || b === 0x5c || b < 0x20 ? 0x61 : b))),
            Buffer.from(escape),
          ])
          const repeats = Math.ceil((LONG_STRING_BYTES + 1) / unit.length)
          const body = Buffer.concat([
            Buffer.from('{"text":"'),
            ...Array.from({ length: repeats }, () => unit),
            Buffer.from('"}'),
          ])
          const [got, expected] = both(body)
          expect(got).toEqual(expected)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('keeps a long string under "__proto__" an own property, as JSON.parse does', () => {
    const text = 'x'.repeat(LONG_STRING_BYTES)
    const value = parseJsonBody(Buffer.from(`{"__proto__":"${text}"}`)) as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toBe(text)
  })
})
