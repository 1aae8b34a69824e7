// What every importer's tests need: its fixtures, a fixed clock, and the checks every parse must
// pass — a result whose papers and warnings are sound, or an ImportError, never anything else.
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { expect } from 'vitest'
import { ImportError } from '../../shared/importers/types'
import type { Importer, ParseResult } from '../../shared/importers/types'
import { MAX_WARNINGS } from '../../shared/importers/warnings'

export const NOW = new Date('2026-11-30T12:00:00Z')
export const FIXTURES = resolve(__dirname, '../fixtures')

/** What `detect` is given: the first 8 KB, without the byte-order mark and leading blank lines. */
export const headOf = (text: string): string =>
  text.replace(/^\uFEFF?(?:[ \t]*(?:\r\n?|\n))*/, '').slice(0, 8192)

/** The error `f` throws, which must be an ImportError. */
export function refusal(f: () => unknown): ImportError {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError)
    return error as ImportError
  }
  throw new Error('expected an ImportError')
}

/** What is wrong with a result: each paper titled on one line and placed, warnings few and placed. */
export function problemsOf(result: ParseResult, text: string): string[] {
  const lines = text.split(/\r\n?|\n/).length
  const placed = (line: number | null): boolean => line !== null && line >= 1 && line <= lines
  const problems: string[] = []
  if (result.papers.length === 0) problems.push('no papers, and no ImportError')
  if (result.warnings.length > MAX_WARNINGS + 1) problems.push(`${result.warnings.length} warnings`)
  for (const w of result.warnings.slice(0, MAX_WARNINGS)) {
    if (!placed(w.line) || w.message === '') problems.push(`warning ${w.line}: ${w.message}`)
  }
  for (const p of result.papers) {
    if (p.title === '' || p.title !== p.title.trim() || p.title.includes('\n')) {
      problems.push(`title ${JSON.stringify(p.title.slice(0, 80))}`)
    }
    if (p.authors.some((a) => a === '' || a !== a.trim()))
      problems.push(`authors ${p.authors.join('|')}`)
    if (!placed(p.line)) problems.push(`paper at line ${p.line}`)
  }
  return problems
}

/** One importer under test, with its fixture folder (tests/fixtures/formats/<format>). */
export function importerUnderTest(importer: Importer) {
  const dir = join(FIXTURES, 'formats', importer.format)
  const parse = (text: string): ParseResult => importer.parse(text, NOW)
  return {
    dir,
    /** The names of its fixtures. */
    own: readdirSync(dir),
    fixture: (name: string): string => readFileSync(join(dir, name), 'utf8'),
    parse,
    /** Parses, or refuses with an ImportError with something to say — nothing else is allowed. */
    parsedOrRefused(text: string): ParseResult | ImportError {
      let result: ParseResult
      try {
        result = parse(text)
      } catch (error) {
        if (!(error instanceof ImportError)) throw error
        expect(error.message.trim()).not.toBe('')
        if (error.line !== null) expect(error.line).toBeGreaterThanOrEqual(1)
        return error
      }
      // Checked once, not with an expect per paper: tens of thousands of expects take seconds.
      expect(problemsOf(result, text)).toEqual([])
      return result
    },
  }
}

/** An edit of a fixture for fuzzing: a piece deleted, some tokens inserted, a piece repeated. */
export function fixtureMutation(tokens: fc.Arbitrary<string>) {
  return fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({ max: 40 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: tokens }),
    fc.record({ kind: fc.constant('copy' as const), at: fc.nat(), length: fc.nat({ max: 200 }) }),
  )
}

/** `text` with the edits made, in order (positions wrap around its length). */
export function mutated(
  text: string,
  mutations: readonly (
    | { kind: 'delete'; at: number; length: number }
    | { kind: 'insert'; at: number; text: string }
    | { kind: 'copy'; at: number; length: number }
  )[],
): string {
  for (const m of mutations) {
    const at = m.at % (text.length + 1)
    if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.length)
    else if (m.kind === 'insert') text = text.slice(0, at) + m.text + text.slice(at)
    else text = text.slice(0, at) + text.slice(at, at + m.length) + text.slice(at)
  }
  return text
}
