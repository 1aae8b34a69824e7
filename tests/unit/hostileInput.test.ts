// Hostile input: whatever bytes or text arrive — from a file, a pipe, a drop, or the HTTP API —
// the importer either imports what it can (with line-numbered warnings) or refuses the whole
// file with a message naming it, and the library is left as it was. Nothing else is ever thrown,
// and nothing takes more than linear time: the big cases here finish well within the timeout.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LibraryError } from '../../electron/core/errors'
import type { Library } from '../../electron/core/store/library'
import { MAX_IMPORT_CHARS, MAX_NOTE_CHARS } from '../../shared/api'
import { decodeDump, invalidUtf8At } from '../../shared/decode'
import { FORMATS, ImportError, parseDump } from '../../shared/importers'
import type { FormatId } from '../../shared/importers'
import { exportLecternJson } from '../../shared/exporters/lecternJson'
import { makePaper } from '../helpers/papers'
import type { ParseResult } from '../../shared/importers'
import { MAX_WARNINGS } from '../../shared/importers/warnings'
import { splitLinks } from '../../shared/links'
import { parseDumpDate } from '../../shared/dates'
import { lectern, lecternWithStdin } from '../helpers/cli'
import { SAMPLE, SAMPLE_PATH, tempDir } from '../helpers/fixtures'
import { api, send } from '../helpers/http'
import { openTempLibrary } from '../helpers/library'
import { startTestServer } from '../helpers/testServer'

const NOW = new Date('2026-11-30T12:00:00Z')
const ABSTRACT = 'We propose a method for reading dumps. It works well on every benchmark we tried.'

// Encodings

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'))
const utf16le = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf16le'))
function utf16be(text: string): Uint8Array {
  const bytes = utf16le(text)
  for (let i = 0; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!]
  return bytes
}
const withBytes = (prefix: number[], bytes: Uint8Array): Uint8Array =>
  new Uint8Array([...prefix, ...bytes])
const BOM8 = [0xef, 0xbb, 0xbf]
const BOM_LE = [0xff, 0xfe]
const BOM_BE = [0xfe, 0xff]

// Invariants

/** Runs `f`; if it throws, the error must be an ImportError with something to say. */
function parsedOrRefused(f: () => ParseResult): ParseResult | ImportError {
  try {
    return f()
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError)
    const e = error as ImportError
    expect(e.message.trim()).not.toBe('')
    if (e.line !== null) expect(e.line).toBeGreaterThanOrEqual(1)
    return e
  }
}

/** Warnings are few, and every one but the "…and N more" summary names a line of the text. */
function expectSaneResult(result: ParseResult, text: string): void {
  const lines = text.split(/\r\n?|\n/).length
  expect(result.papers.length).toBeGreaterThan(0)
  expect(result.warnings.length).toBeLessThanOrEqual(MAX_WARNINGS + 1)
  result.warnings.forEach((w, i) => {
    expect(w.message).not.toBe('')
    if (i === MAX_WARNINGS) {
      expect(w).toMatchObject({ line: null, message: expect.stringMatching(/^…and \d+ more/) })
    } else {
      expect(w.line).toBeGreaterThanOrEqual(1)
      expect(w.line).toBeLessThanOrEqual(lines)
    }
  })
  for (const p of result.papers) {
    expect(p.title).not.toBe('')
    expect(p.line).toBeGreaterThanOrEqual(1)
    expect(p.line).toBeLessThanOrEqual(lines)
  }
}

// Generators

/** Lines a dump is made of, hostile ones included, so the parser's every branch is reached. */
const dumpLine = fc.oneof(
  fc.constantFrom(
    '',
    '',
    '',
    'Daily Papers',
    'Subscribe',
    'Aug 19',
    'Tue, Aug 19, 2025',
    '2025-02-29',
    'Feb 30',
    '42',
    '3 comments',
    'Submitted by someone',
    '#1 paper of the day',
    'A Title: With a Colon',
    ABSTRACT,
    'https://github.com/x/y).',
    '@article{x,',
    '[',
    '{',
    'TY  - JOUR',
    '<?xml version="1.0"?>',
    '\uFEFF',
    '\r',
    ' \u00A0\t ',
    '.'.repeat(400),
    ' '.repeat(400) + 'x',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
)
const dumpText = fc
  .tuple(fc.array(dumpLine, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join(eol))
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
const anyText = fc.oneof(
  dumpText,
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', maxLength: 1 }), loneSurrogate) }),
)
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  anyText.map(utf8),
  anyText.map(utf16le),
  anyText.map(utf16be),
  fc
    .tuple(anyText.map(utf8), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([bytes, at, value]) => {
      if (bytes.length > 0) bytes[at % bytes.length] = value
      return bytes
    }),
)

/** Valid UTF-8 with sequences at the edges of its rules (lead byte, then continuations) among it. */
const utf8EdgeSequence = fc
  .tuple(
    fc.constantFrom(
      ...[0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef],
      ...[0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff],
    ),
    fc.array(fc.constantFrom(0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0), {
      maxLength: 3,
    }),
  )
  .map(([lead, rest]) => [lead, ...rest])
const utf8EdgeBytes = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 4 }).map((t) => [...utf8(t)]),
      utf8EdgeSequence,
    ),
    { maxLength: 6 },
  )
  .map((parts) => new Uint8Array(parts.flat()))

/** Latin text with some other characters, as a UTF-16 dump without a byte-order mark has. */
const latinishText = fc
  .array(
    fc.tuple(
      fc.string({ unit: 'grapheme-ascii', minLength: 40, maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 1 }).filter((c) => c === '' || c >= ' '),
      fc.constantFrom('\n', '\r\n', ' '),
    ),
    { minLength: 1, maxLength: 20 },
  )
  .map((parts) => parts.flat().join(''))
  .filter((t) => !t.startsWith('\uFEFF') && !t.startsWith('\uFFFE'))

describe('decoding the bytes of a dump', () => {
  const expected = parseDump(SAMPLE, NOW).papers

  it('reads the reference dump identically as UTF-8 and UTF-16LE/BE, with or without a BOM', () => {
    expect(expected).toHaveLength(95)
    const variants: [string, Uint8Array][] = [
      ['UTF-8', utf8(SAMPLE)],
      ['UTF-8 with BOM', withBytes(BOM8, utf8(SAMPLE))],
      ['UTF-16LE with BOM', withBytes(BOM_LE, utf16le(SAMPLE))],
      ['UTF-16BE with BOM', withBytes(BOM_BE, utf16be(SAMPLE))],
      ['UTF-16LE without BOM', utf16le(SAMPLE)],
      ['UTF-16BE without BOM', utf16be(SAMPLE)],
    ]
    for (const [name, bytes] of variants) {
      expect(parseDump(decodeDump(bytes), NOW).papers, name).toEqual(expected)
    }
  })

  it('keeps accents, CJK and emoji in UTF-16 with no BOM (一 is U+4E00, a NUL low byte)', () => {
    const text = `Aug 19\n\nSchrödinger’s 一 Transformer 🚀\n\n${ABSTRACT} Ünïcödé 一二三.\n`
    for (const bytes of [utf16le(text), utf16be(text)]) expect(decodeDump(bytes)).toBe(text)
  })

  it('round-trips any text written as UTF-8 or UTF-16 with a BOM', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        // Without a BOM, a leading U+FEFF is one, and NULs in UTF-8 can look like UTF-16.
        if (!text.startsWith('\uFEFF') && !text.includes('\u0000')) {
          expect(decodeDump(utf8(text))).toBe(text)
        }
        expect(decodeDump(withBytes(BOM8, utf8(text)))).toBe(text)
        expect(decodeDump(withBytes(BOM_LE, utf16le(text)))).toBe(text)
        expect(decodeDump(withBytes(BOM_BE, utf16be(text)))).toBe(text)
      }),
    )
  })

  it('recognises UTF-16 with no BOM when the text is mostly Latin', () => {
    fc.assert(
      fc.property(latinishText, (text) => {
        expect(decodeDump(utf16le(text))).toBe(text)
        expect(decodeDump(utf16be(text))).toBe(text)
      }),
    )
  })

  it('refuses invalid UTF-8, naming the byte and its line, instead of guessing', () => {
    // "Café" saved as Latin-1: the é is the single byte 0xE9.
    const latin1 = new Uint8Array(Buffer.from('Aug 19\r\n\r\nCaf\u00e9 Society\n\nx', 'latin1'))
    const error = parsedOrRefused(() => parseDump(decodeDump(latin1), NOW))
    expect(error).toBeInstanceOf(ImportError)
    expect(error).toMatchObject({
      line: 3,
      message: expect.stringMatching(/not UTF-8 text: byte 13 \(0xE9\).*save the file as UTF-8/),
    })
    // Cut short, overlong, an encoded surrogate, past U+10FFFF, never a lead byte.
    const bad = [
      [0xe2, 0x82],
      [0xc0, 0xaf],
      [0xe0, 0x9f, 0xbf],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0x80],
    ]
    for (const bytes of bad) {
      const hex = bytes[0]!.toString(16).toUpperCase()
      expect(() => decodeDump(new Uint8Array([0x6f, 0x6b, ...bytes, 0x6f, 0x6b]))).toThrow(
        `not UTF-8 text: byte 2 (0x${hex})`,
      )
    }
  })

  it('finds the first invalid UTF-8 byte exactly where a strict decoder fails', () => {
    fc.assert(
      fc.property(fc.oneof(utf8EdgeBytes, anyBytes), (bytes) => {
        let valid = true
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes)
        } catch {
          valid = false
        }
        const at = invalidUtf8At(bytes)
        expect(at === bytes.length).toBe(valid)
        if (!valid) {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, at))
          expect(() =>
            new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at)),
          ).toThrow()
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses broken UTF-16: a lone surrogate, an odd number of bytes', () => {
    const lone = withBytes(BOM_LE, utf16le('Aug 19\n\nT\uD800itle\n'))
    expect(() => decodeDump(lone)).toThrow(
      expect.objectContaining({ line: 3, message: expect.stringMatching(/UTF-16LE.*bytes 20–21/) }),
    )
    const odd = withBytes(BOM_BE, withBytes([...utf16be('Aug 19\n')], new Uint8Array([0x41])))
    expect(() => decodeDump(odd)).toThrow(/UTF-16BE text ends in the middle of a character/)
  })

  it('leaves binary files (NULs not in a UTF-16 pattern) to the NUL check', () => {
    const binaries = [
      new Uint8Array([0x6f, 0x6b, 0x0a, 0x00, 0x01]),
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]),
      new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]),
      // 16-bit numbers: NULs all at odd offsets, like UTF-16LE, but control characters.
      new Uint8Array(Array.from({ length: 512 }, (_, i) => (i % 2 ? 0 : (i % 7) + 1))),
      new Uint8Array(4096).fill(0),
      new Uint8Array([...utf8('Aug 19\n\nTitle\n\n'), 0xe9, 0x00, 0xff]),
    ]
    for (const bytes of binaries) {
      expect(() => parseDump(decodeDump(bytes), NOW)).toThrow(/not a text file.*NUL bytes/)
    }
  })

  it('decodes any bytes to text or refuses them with an ImportError, and nothing else', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const outcome = parsedOrRefused(() => parseDump(decodeDump(bytes), NOW))
        if (!(outcome instanceof ImportError)) expectSaneResult(outcome, decodeDump(bytes))
      }),
      { numRuns: 500 },
    )
  })
})

describe('parsing hostile text in linear time', () => {
  it('parses any text or refuses it with an ImportError, with few, line-numbered warnings', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const outcome = parsedOrRefused(() => parseDump(text, NOW))
        if (!(outcome instanceof ImportError)) expectSaneResult(outcome, text)
      }),
      { numRuns: 500 },
    )
  })

  it('refuses a file of nothing but page furniture: no papers', () => {
    const header = SAMPLE.split('\n').slice(0, 11).join('\n')
    expect(header).toMatch(/^new\n\n.*\nAug 19$/s)
    const text = `${header}\n\n42\n\n3 comments\n\nSubmitted by someone\n\nPrevious\n\nNext\n`
    expect(() => parseDump(text, NOW)).toThrow(/^no papers found/)
  })

  it('keeps the first 100 warnings and counts the rest', () => {
    const text = Array.from({ length: 250 }, (_, i) => `Lonely Title ${i}`).join('\n\n')
    const result = parseDump(text, NOW)
    expect(result.papers).toHaveLength(250)
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(result.warnings[0]).toMatchObject({ line: 1 })
    expect(result.warnings[99]).toMatchObject({ line: 199 })
    expect(result.warnings[100]).toEqual({
      line: null,
      message: '…and 150 more warnings (only the first 100 are listed)',
    })
  })

  it('reads a million title-only lines with a bounded list of warnings', () => {
    const result = parseDump('T\n\n'.repeat(1_000_000), NOW)
    expect(result.papers).toHaveLength(1_000_000)
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(result.warnings[100]!.message).toMatch(/^…and 999900 more warnings/)
  })

  it('gets through a million blank lines, and a million one-character lines', () => {
    const late = parseDump('\n'.repeat(1_000_000) + `Late Title\n\n${ABSTRACT}`, NOW)
    expect(late.papers).toMatchObject([{ title: 'Late Title', line: 1_000_001 }])
    expect(() => parseDump('\r\n'.repeat(1_000_000), NOW)).toThrow(/empty/)
    expect(() => parseDump('a\n'.repeat(1_000_000), NOW)).toThrow(/no papers/)
  })

  it('reads a huge single line: long runs of spaces, dots, brackets', () => {
    const n = 10_000_000
    const spaces = parseDump(`Title\n\n${ABSTRACT}${' '.repeat(n)}x${' '.repeat(n)}\n`, NOW)
    expect(spaces.papers[0]!.abstract).toHaveLength(ABSTRACT.length + n + 1)
    const dots = parseDump(`Title\n\nA${'.'.repeat(n)}`, NOW)
    expect(dots.papers[0]!.abstract).toHaveLength(n + 1)
    expect(() => parseDump('word '.repeat(n / 5), NOW)).toThrow(/no papers/)
    expect(() => parseDump('('.repeat(n), NOW)).toThrow(/no papers/)
    const nbsp = parseDump(`Title\n\n${ABSTRACT}${'\u00A0'.repeat(n)}x\u00A0\u00A0\n`, NOW)
    expect(nbsp.papers[0]!.abstract).toHaveLength(ABSTRACT.length + n + 1)
  })

  it('finds links in an abstract of a million closing brackets or dots', () => {
    const brackets = splitLinks(`see https://x.org/a${')'.repeat(1_000_000)} end`)
    expect(brackets[1]).toEqual({ kind: 'link', text: 'https://x.org/a', url: 'https://x.org/a' })
    const balanced = splitLinks(`https://x.org/${'('.repeat(500_000)}${')'.repeat(1_000_000)}`)
    expect(balanced[0]!.text).toHaveLength('https://x.org/'.length + 1_000_000)
    expect(splitLinks(`https://x.org${'.'.repeat(1_000_000)}`)[0]!.text).toBe('https://x.org')
  })

  it('reads dates only from short lines, whatever the length of the line', () => {
    expect(parseDumpDate(`Aug ${'1'.repeat(1_000_000)}`, NOW)).toBeNull()
    expect(parseDumpDate(`Monday,${' '.repeat(1_000_000)}Aug 19`, NOW)).toBeNull()
  })

  it('refuses deep nesting as malformed JSON, at once', () => {
    for (const text of ['['.repeat(100_000), '{"a":'.repeat(100_000)]) {
      expect(() => parseDump(text, NOW)).toThrow(/not valid JSON/)
    }
    // Not even the start of JSON: read as page text, which finds no papers.
    expect(() => parseDump('{'.repeat(100_000), NOW)).toThrow(ImportError)
    const late = '\n'.repeat(5000) + '['.repeat(100_000)
    expect(() => parseDump(late, NOW)).toThrow(
      expect.objectContaining({ line: 5001, message: expect.stringMatching(/JSON/) }),
    )
  })

  it('reads a 50 MB file of hostile lines, papers among them', () => {
    const chunk = utf8(
      [
        'Aug 19',
        '',
        'A Paper Among the Noise',
        '',
        ABSTRACT + ' See https://x.org/a)))).',
        '',
        'Title-only line',
        '',
        ' '.repeat(2000) + 'x' + '.'.repeat(2000),
        '',
        'a\nb\nc\nd',
        '\n'.repeat(500),
        '',
      ].join('\n'),
    )
    const bytes = new Uint8Array(50 * 1024 * 1024)
    for (let at = 0; at < bytes.length; at += chunk.length) {
      bytes.set(chunk.subarray(0, Math.min(chunk.length, bytes.length - at)), at)
    }
    const text = decodeDump(bytes)
    expect(text.length).toBe(bytes.length)
    const result = parseDump(text, NOW)
    // Two papers a chunk: one with its abstract, one that takes the run of dots for an abstract.
    expect(result.papers.length).toBeGreaterThanOrEqual(2 * Math.floor(bytes.length / chunk.length))
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
  })
})

describe('control characters in imported text', () => {
  const ESC = '\x1b'
  const BEL = '\x07'
  /**
   * A window title (OSC 0), a cleared screen, a clipboard write (OSC 52), an 8-bit CSI, DEL and a
   * backspace: what a title printed raw to a terminal would act on.
   */
  const ATTACK = `${ESC}]0;owned${BEL}${ESC}[2J${ESC}]52;c;ZWNobyBoaQ==${BEL}\u009b31m\x7f\b`
  /** What stored text may not hold: C0 but tab and line feed, DEL, C1. */
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  const CONTROL = /[\0-\x08\x0b-\x1f\x7f-\x9f]/
  const A = ATTACK
  const json = (value: unknown): string => JSON.stringify(value, null, 2)

  /** One small dump per format, with the attack in every field the format has. */
  const DUMPS: Record<FormatId, string> = {
    'daily-papers': `Aug 19\n\nHostile ${A} Title\n\nAn abstract ${A} here.\n`,
    'hf-json': json([
      {
        title: `Hostile ${A} Title`,
        summary: `An abstract ${A}\r\nwith a second line`,
        authors: [{ name: `Ada ${A}` }, { name: A }],
        publishedAt: '2024-08-19T00:00:00.000Z',
        upvotes: 3,
        ai_keywords: [`kw ${A}`],
        githubRepo: `https://github.com/a/b${A}`,
      },
    ]),
    'csl-json': json([
      {
        type: 'article-journal',
        title: `Hostile ${A} Title`,
        abstract: `An abstract ${A}`,
        author: [{ family: `Lovelace ${A}`, given: 'Ada' }],
        'container-title': `Venue ${A}`,
        issued: { 'date-parts': [[2024]] },
        keyword: `kw ${A}`,
        URL: `https://example.org/${A}`,
      },
    ]),
    'lectern-json': exportLecternJson({
      papers: [
        makePaper({
          title: `Hostile ${A} Title`,
          abstract: `An abstract ${A}\n\n\tindented`,
          authors: [`Ada ${A}`],
          venue: `Venue ${A}`,
          keywords: [`kw ${A}`],
          dumpDateText: `Aug 19 ${A}`,
          note: `A note ${A}\r\n\tindented`,
          tags: [`tag ${A}`],
        }),
      ],
      imports: [],
      exportedAt: '2026-11-30T12:00:00.000Z',
      libraryId: 'test',
    }),
    'arxiv-digest': [
      '------------------------------------------------------------------------------',
      '\\\\',
      'arXiv:2408.11011',
      `Date: Mon, 19 Aug 2024 18:44:21 GMT   (388kb,D)${A}`,
      '',
      `Title: Hostile ${A} Title`,
      `Authors: Ada Lovelace ${A} and Charles Babbage`,
      'Categories: cs.CL',
      `Comments: 8 pages ${A}`,
      '\\\\',
      `  An abstract ${A} here.`,
      '\\\\ ( https://arxiv.org/abs/2408.11011 ,  388kb)',
      '------------------------------------------------------------------------------',
      '',
    ].join('\n'),
    'arxiv-listing': [
      'New submissions for Thu, 22 Aug 24',
      '[1]  arXiv:2408.11590 [pdf, other]',
      `Title: Hostile ${A} Title`,
      `Authors: Aino Korhonen ${A}, Emre Celik`,
      `Comments: 11 pages ${A}`,
      'Subjects: Computation and Language (cs.CL)',
      '',
      `An abstract ${A} here.`,
      '',
    ].join('\n'),
    'arxiv-atom': [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">',
      '  <entry>',
      '    <id>http://arxiv.org/abs/2401.00101v1</id>',
      `    <title>Hostile ${A} Title &#x1b;[2J &#27;]0;x&#7;</title>`,
      `    <summary>An abstract ${A} &#x9b;31m here.</summary>`,
      '    <published>2024-01-01T10:00:00Z</published>',
      `    <author><name>Ada Lovelace ${A}</name></author>`,
      `    <arxiv:journal_ref>Venue ${A}</arxiv:journal_ref>`,
      '  </entry>',
      '</feed>',
      '',
    ].join('\n'),
    bibtex: [
      '@article{key,',
      `  title = {Hostile ${A} Title},`,
      `  author = {Lovelace, Ada ${A} and Babbage, Charles},`,
      `  abstract = {An abstract ${A} here.},`,
      `  journal = {Venue ${A}},`,
      `  keywords = {kw ${A}},`,
      '  year = {2024}',
      '}',
      '',
    ].join('\n'),
    ris: [
      'TY  - JOUR',
      `TI  - Hostile ${A} Title`,
      `AU  - Lovelace, Ada ${A}`,
      `AB  - An abstract ${A} here.`,
      `JO  - Venue ${A}`,
      `KW  - kw ${A}`,
      'PY  - 2024',
      'ER  - ',
      '',
    ].join('\n'),
    csv: [
      'title,authors,abstract,venue,keywords,year',
      `"Hostile ${A} Title","Ada ${A}","An abstract ${A}","Venue ${A}","kw ${A}",2024`,
      '',
    ].join('\n'),
  }

  /** Every string in a value, however deep. */
  const stringsIn = (value: unknown): string[] =>
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value.flatMap(stringsIn)
        : value && typeof value === 'object'
          ? Object.values(value).flatMap(stringsIn)
          : []

  it.each(FORMATS.map((f) => [f]))(
    '%s: no field keeps a control character but tab and line feed',
    (format) => {
      const text = DUMPS[format]
      // The dump does hold them, raw or escaped, in its text.
      expect(text.includes(ESC) || text.includes('\\u001b')).toBe(true)
      const result = parseDump(text, NOW, format)
      expect(result.papers.length).toBe(1)
      const paper = result.papers[0]!
      // The printable rest stays: only the control characters go.
      expect(paper.title).toMatch(/^Hostile .*\]0;owned.*\[2J.* Title/)
      expect(paper.title).not.toMatch(/\s{2}/)
      // Page text names no authors; every other format does.
      if (format !== 'daily-papers') expect(paper.authors.length).toBeGreaterThan(0)
      for (const s of stringsIn(result)) expect(s).not.toMatch(CONTROL)
      expectSaneResult(result, text)
    },
  )

  it('keeps tabs and line breaks where a field has lines (abstracts, notes)', () => {
    const result = parseDump(DUMPS['lectern-json'], NOW, 'lectern-json')
    const paper = result.papers[0]!
    expect(paper.abstract).toBe('An abstract ]0;owned[2J]52;c;ZWNobyBoaQ==31m\n\n\tindented')
    expect(paper.carried?.note).toBe('A note ]0;owned[2J]52;c;ZWNobyBoaQ==31m\n\tindented')
  })

  it('counts that warning among the rest once the first 100 are listed', () => {
    // 251 titles without an abstract, one of them nothing but control characters.
    const titles = Array.from({ length: 250 }, (_, i) => `Lonely Title ${i}`)
    const result = parseDump([...titles, `${ESC}${BEL}\u009b`].join('\n\n'), NOW, 'daily-papers')
    expect(result.papers).toHaveLength(250)
    expect(result.warnings).toHaveLength(MAX_WARNINGS + 1)
    expect(result.warnings[100]).toEqual({
      line: null,
      message: '…and 152 more warnings (only the first 100 are listed)',
    })
  })

  it('skips a paper whose title is nothing but control characters, with a warning', () => {
    const text = json([
      { title: `${ESC}${BEL}\u009b`, summary: 'Gone.', publishedAt: '2024-08-19', upvotes: 1 },
      { title: 'Kept', summary: 'Here.', publishedAt: '2024-08-19', upvotes: 1 },
    ])
    const result = parseDump(text, NOW, 'hf-json')
    expect(result.papers.map((p) => p.title)).toEqual(['Kept'])
    expect(result.skipped).toBe(1)
    expect(result.warnings).toEqual([
      { line: 2, message: 'the title is nothing but control characters; the paper is skipped' },
    ])
  })
})

describe('importing hostile input into a library', () => {
  /** Imports `text`; a refusal must be a LibraryError naming the file that changed nothing. */
  function importOrRefuse(lib: Library, source: string, text: string): boolean {
    const before = lib.stats()
    try {
      lib.importText(source, text)
      expect(lib.stats().imports).toBe(before.imports + 1)
      return true
    } catch (error) {
      expect(error).toBeInstanceOf(LibraryError)
      expect((error as LibraryError).code).toBe('import-failed')
      expect((error as LibraryError).message).toMatch(/^fuzz\.txt(, line \d+)?: \S/)
      expect(lib.stats()).toEqual(before)
      return false
    }
  }

  it('imports any text or refuses it, changing nothing when it refuses', async () => {
    const { lib } = await openTempLibrary()
    try {
      lib.importText('sample.txt', SAMPLE)
      fc.assert(
        fc.property(anyText, (text) => {
          importOrRefuse(lib, 'fuzz.txt', text)
        }),
        { numRuns: 200 },
      )
    } finally {
      lib.close()
    }
  })

  it('imports any bytes once decoded, or refuses them, changing nothing', async () => {
    const { lib } = await openTempLibrary()
    try {
      fc.assert(
        fc.property(anyBytes, (bytes) => {
          const before = lib.stats()
          let text: string
          try {
            text = decodeDump(bytes)
          } catch (error) {
            expect(error).toBeInstanceOf(ImportError)
            expect(lib.stats()).toEqual(before)
            return
          }
          importOrRefuse(lib, 'fuzz.txt', text)
        }),
        { numRuns: 200 },
      )
    } finally {
      lib.close()
    }
  })

  it('refuses NULs, furniture and JSON without touching the library', async () => {
    const { lib } = await openTempLibrary()
    try {
      lib.importText('sample.txt', SAMPLE)
      const before = lib.stats()
      const refused: [string, RegExp][] = [
        [`Aug 19\n\nTitle\u0000\n\n${ABSTRACT}`, /^fuzz\.txt, line 3: .*NUL bytes/],
        ['Daily Papers\n\nSubscribe\n\nAug 19\n\n12\n', /^fuzz\.txt: no papers found/],
        ['['.repeat(100_000), /^fuzz\.txt, line 1: .*not valid JSON/],
      ]
      for (const [text, message] of refused) {
        expect(() => lib.importText('fuzz.txt', text)).toThrow(message)
      }
      expect(lib.stats()).toEqual(before)
    } finally {
      lib.close()
    }
  })

  it('stores a capped list of warnings with the import', async () => {
    const { lib } = await openTempLibrary()
    try {
      const text = Array.from({ length: 20_000 }, (_, i) => `Lonely Title ${i}`).join('\n\n')
      const summary = lib.importText('many.txt', text)
      expect(summary).toMatchObject({ added: 20_000 })
      expect(summary.warnings).toHaveLength(MAX_WARNINGS + 1)
      expect(summary.warnings[100]!.message).toMatch(/^…and 19900 more warnings/)
    } finally {
      lib.close()
    }
  })
})

describe('the command line with hostile files', () => {
  it('imports UTF-16 files and UTF-16 on standard input', async () => {
    const dir = tempDir()
    const lib = join(dir, 'lib.sqlite')
    const file = join(dir, 'notepad.txt')
    writeFileSync(file, withBytes(BOM_LE, utf16le(SAMPLE)))
    const fromFile = await lectern('--library', lib, 'import', file, '--json')
    expect(fromFile.code).toBe(0)
    expect(JSON.parse(fromFile.out)).toMatchObject({ added: 95, warnings: [] })
    const fromStdin = await lecternWithStdin(
      utf16be(SAMPLE),
      '--library',
      lib,
      'import',
      '-',
      '--json',
    )
    expect(JSON.parse(fromStdin.out)).toMatchObject({ added: 0, duplicates: 95 })
  })

  it('refuses a file that is not UTF-8, naming it and the line, and imports nothing', async () => {
    const dir = tempDir()
    const lib = join(dir, 'lib.sqlite')
    await lectern('--library', lib, 'import', SAMPLE_PATH)
    const before = readFileSync(lib)
    const bad = join(dir, 'latin1.txt')
    writeFileSync(bad, Buffer.from(`Aug 19\n\nCaf\u00e9 Society\n\n${ABSTRACT}\n`, 'latin1'))
    const r = await lectern('--library', lib, 'import', SAMPLE_PATH, bad)
    expect(r.code).toBe(1)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toMatch(/^lectern: latin1\.txt, line 3: this is not UTF-8 text: byte 11 \(0xE9\)/)
    const piped = await lecternWithStdin(
      new Uint8Array([0x41, 0xff]),
      '--library',
      lib,
      'import',
      '-',
    )
    expect(piped).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^lectern: stdin, line 1: /),
    })
    expect(readFileSync(lib).equals(before)).toBe(true)
    const stats = JSON.parse((await lectern('--library', lib, 'stats', '--json')).out)
    expect(stats).toMatchObject({ total: 95, imports: 1 })
  })
})

describe('the HTTP API with hostile requests', () => {
  it('refuses a body larger than the largest import with 413', async () => {
    const s = await startTestServer()
    // The server's cap: the largest import at 3 bytes a character, plus room for the JSON. One
    // byte more: refused by its declared length, the rest of it read and dropped by the server
    // so that the client, still sending, gets the 413.
    const cap = MAX_IMPORT_CHARS * 3 + 64 * 1024
    const reply = await send(s.port, '/api/importText', {
      method: 'POST',
      headers: { Host: `127.0.0.1:${s.port}`, 'X-Lectern-Token': s.token },
      body: { size: cap + 1 },
    })
    expect(reply.status).toBe(413)
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    const stats = JSON.parse((await api(s, 'stats', {})).body)
    expect(stats).toMatchObject({ ok: true, value: { total: 0, imports: 0 } })
  })

  it('refuses a note over MAX_NOTE_CHARS and a dump over MAX_IMPORT_CHARS', async () => {
    const s = await startTestServer()
    expect(JSON.parse((await api(s, 'importSample', {})).body)).toMatchObject({ ok: true })
    const long = JSON.parse(
      (await api(s, 'setNote', { id: 1, note: 'n'.repeat(MAX_NOTE_CHARS + 1) })).body,
    )
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(long.error.message).toMatch(/^setNote: note: /)
    const fits = JSON.parse(
      (await api(s, 'setNote', { id: 1, note: 'n'.repeat(MAX_NOTE_CHARS) })).body,
    )
    expect(fits).toMatchObject({ ok: true, value: { id: 1, hasNote: true } })
    const huge = { source: 'x.txt', text: 'x'.repeat(MAX_IMPORT_CHARS + 1) }
    const dump = JSON.parse((await api(s, 'importText', huge)).body)
    expect(dump).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(dump.error.message).toMatch(/^importText: text: /)
  })

  it('answers any JSON request with an envelope, never an internal error', async () => {
    const s = await startTestServer()
    const methods = ['listPapers', 'getPaper', 'setStatus', 'setNote', 'importText', 'stats']
    const values = fc.oneof(
      fc.jsonValue(),
      fc.record({
        id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
        status: fc.oneof(fc.constantFrom('read', 'new', '__proto__'), fc.string()),
        note: fc.string(),
        source: fc.string(),
        text: anyText,
        offset: fc.integer(),
        limit: fc.integer(),
        sort: fc.jsonValue(),
      }),
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), values, async (method, value) => {
        const reply = await api(s, method, value)
        expect(reply.status).toBe(200)
        const envelope = JSON.parse(reply.body)
        if (envelope.ok) return
        expect(['invalid-request', 'not-found', 'import-failed']).toContain(envelope.error.code)
        expect(envelope.error.message).not.toBe('')
      }),
      { numRuns: 200 },
    )
  })
})
