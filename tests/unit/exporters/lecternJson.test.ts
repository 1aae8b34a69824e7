// The Lectern JSON export, and its importer: everything a paper has goes out, and comes back
// with the user's state carried; a file that is not exactly that is refused, saying where.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ImportRecord, Paper } from '../../../shared/domain'
import { exportPapers } from '../../../shared/exporters'
import { detectFormats, FORMAT_LABELS, ImportError, parseDump } from '../../../shared/importers'
import { detectLecternJson, lecternJsonImporter } from '../../../shared/importers/lecternJson'
import { FIXTURES, headOf, NOW, refusal } from '../../helpers/importers'
import { AWKWARD, EXPORT_CONTEXT, makePaper, parsedFromPaper } from '../../helpers/papers'

const IMPORTS: ImportRecord[] = [
  {
    id: 1,
    source: 'zotero.bib',
    format: 'bibtex',
    importedAt: '2026-11-01T09:00:00.000Z',
    added: 4,
    duplicates: 0,
    updated: 0,
    skipped: 0,
    warnings: 1,
  } as ImportRecord,
]

const json = (papers: Paper[] = AWKWARD, imports: ImportRecord[] = IMPORTS): string =>
  exportPapers('json', { ...EXPORT_CONTEXT, papers, imports })
const read = (text: string) => parseDump(text, NOW, 'lectern-json')

/** The JSON with `edit` applied to its value, pretty-printed as the export is. */
function edited(
  edit: (file: Record<string, unknown> & { papers: Record<string, unknown>[] }) => void,
) {
  const file = JSON.parse(json())
  edit(file)
  return JSON.stringify(file, null, 2)
}

describe('Lectern JSON export', () => {
  it('says what it is first, then every paper with every field, and the import history', () => {
    const text = json()
    expect(text.split('\n').slice(0, 7)).toEqual([
      '{',
      '  "lectern": "library-export",',
      '  "version": 1,',
      '  "exportedAt": "2026-11-30T12:00:00.000Z",',
      '  "libraryId": "b7d5c3a1-0000-4000-8000-000000000001",',
      '  "papers": [',
      '    {',
    ])
    expect(text.endsWith('}\n')).toBe(true)
    const file = JSON.parse(text)
    expect(file.papers).toEqual(AWKWARD)
    expect(file.imports).toEqual(IMPORTS)
    // Fields in the order people read them.
    expect(Object.keys(file.papers[0]).slice(0, 4)).toEqual(['id', 'title', 'authors', 'abstract'])
  })

  it('keeps fields a paper gains later', () => {
    const paper = { ...AWKWARD[0]!, tags: ['later'] } as Paper
    expect(JSON.parse(json([paper])).papers[0].tags).toEqual(['later'])
  })
})

describe('Lectern JSON read back', () => {
  it('gives every paper its metadata and carries the status, its history, the note and the dates', () => {
    const text = json()
    const result = read(text)
    expect(result).toMatchObject({ format: 'lectern-json', warnings: [], skipped: 0 })
    // Each paper's line is where its object opens.
    const opens = text
      .split('\n')
      .flatMap((line, i, all) =>
        line === '    {' && all[i + 1]!.startsWith('      "id"') ? [i + 1] : [],
      )
    expect(result.papers).toEqual(
      AWKWARD.map((p, k) => ({ ...parsedFromPaper(p), line: opens[k] })),
    )
  })

  it('is recognised by its first member, above every other JSON reader', () => {
    const text = json()
    expect(detectFormats(text)[0]).toEqual({ format: 'lectern-json', score: 0.99 })
    expect(parseDump(text, NOW).format).toBe('lectern-json')
    expect(FORMAT_LABELS['lectern-json']).toBe('Lectern JSON export')
    // Keys sorted by a tool: still recognised, a little less surely.
    const sorted = JSON.stringify(JSON.parse(text), Object.keys(JSON.parse(text)).sort(), 2)
    expect(
      detectLecternJson(headOf(`{"exportedAt": "x", "lectern": "library-export", "papers": []}`)),
    ).toBe(0.9)
    expect(detectLecternJson(headOf(sorted))).toBe(0.9)
  })

  it('claims no other JSON', () => {
    const others = ['csl-json', 'hf-json'].flatMap((dir) =>
      readdirSync(join(FIXTURES, 'formats', dir)).map((name) =>
        readFileSync(join(FIXTURES, 'formats', dir, name), 'utf8'),
      ),
    )
    others.push(
      exportPapers('csl-json', { ...EXPORT_CONTEXT, papers: AWKWARD }),
      '{"lectern": "something-else", "papers": []}',
      '[{"lectern": "library-export"}]',
      '{"title": "The \\"lectern\\": \\"library-export\\" format"}',
      '"lectern": "library-export"',
    )
    for (const text of others) expect(lecternJsonImporter.detect(headOf(text))).toBe(0)
  })

  it('refuses a paper that does not fit, naming the paper, the field and the line', () => {
    const badStatus = edited((f) => {
      f.papers[1]!.status = 'done'
    })
    const e = refusal(() => read(badStatus))
    expect(e.message).toBe(
      'paper 2 (papers[1], “Quantisierung als Eigenwertproblem — Schrödinger’s “wave”…”): status: expected one of new, to-read, reading, read, skipped',
    )
    expect(e.line).toBe(badStatus.split('\n').indexOf('      "id": 12,'))

    const badHistory = edited((f) => {
      ;(f.papers[0]!.statusHistory as { at: string }[])[1]!.at = 'yesterday'
    })
    expect(refusal(() => read(badHistory)).message).toMatch(
      /^paper 1 \(papers\[0\], “Attention Is All You Need.*”\): statusHistory\[1\]\.at: expected an ISO timestamp/,
    )
    const missing = edited((f) => {
      delete f.papers[3]!.addedAt
    })
    expect(refusal(() => read(missing)).message).toMatch(
      /^paper 4 .*: addedAt: is missing \(expected string\)$/,
    )
    const noDoi = edited((f) => {
      f.papers[2]!.doi = 'not a doi'
    })
    expect(refusal(() => read(noDoi)).message).toMatch(/^paper 3 .*: doi: is not a DOI$/)
    const notObject = edited((f) => {
      ;(f.papers as unknown[])[2] = 'a paper'
    })
    expect(refusal(() => read(notObject)).message).toMatch(
      /^paper 3 \(papers\[2\]\): expected object/,
    )
    const badImport = edited((f) => {
      ;(f.imports as Record<string, unknown>[])[0]!.added = -1
    })
    expect(refusal(() => read(badImport)).message).toMatch(/^import 1 \(imports\[0\]\): added: /)
  })

  it('refuses what is not a Lectern export of this version, saying why', () => {
    expect(refusal(() => read(edited((f) => (f.version = 2)))).message).toBe(
      'this Lectern export is version 2, made by a newer Lectern; this one reads version 1',
    )
    expect(refusal(() => read(edited((f) => delete f.libraryId))).message).toBe(
      'this is not a Lectern export: libraryId: is missing (expected string)',
    )
    expect(refusal(() => read(edited((f) => (f.papers = [])))).message).toBe(
      'this Lectern export holds no papers',
    )
    const broken = json().replace('"version": 1,', '"version": 1')
    expect(refusal(() => read(broken))).toMatchObject({ line: 4 })
    expect(refusal(() => read(broken)).message).toMatch(/^not valid JSON at column 3: /)
    expect(refusal(() => read(`${json()}\n{}`)).message).toMatch(/another value follows it/)
    expect(refusal(() => read('[1, 2]')).message).toBe('a Lectern export is a JSON object')
  })

  it('never throws anything but an ImportError, whatever the file holds', () => {
    const text = json([AWKWARD[0]!, AWKWARD[3]!])
    const cut = fc.record({
      at: fc.nat(text.length),
      length: fc.nat(40),
      insert: fc.string({ maxLength: 3 }),
    })
    fc.assert(
      fc.property(cut, ({ at, length, insert }) => {
        const mutated = text.slice(0, at) + insert + text.slice(at + length)
        try {
          read(mutated)
        } catch (error) {
          if (!(error instanceof ImportError)) throw error
        }
      }),
      { numRuns: 500 },
    )
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (paper, value) => {
        const file = JSON.parse(json([AWKWARD[1]!]))
        file.papers.push(paper)
        file.imports.push(value)
        try {
          read(JSON.stringify(file))
        } catch (error) {
          if (!(error instanceof ImportError)) throw error
        }
      }),
      { numRuns: 300 },
    )
    const deep = `{"lectern": "library-export", "version": 1, "papers": [${'['.repeat(100_000)}${']'.repeat(100_000)}]}`
    expect(refusal(() => read(deep))).toBeInstanceOf(ImportError)
  })

  it('reads an arXiv id written with its version, and a DOI in another form, in their normal forms', () => {
    const text = edited((f) => {
      f.papers[2]!.arxivId = 'arXiv:2001.08361v3'
      f.papers[2]!.arxivVersion = null
      f.papers[1]!.doi = 'https://doi.org/10.1002/ANDP.19263840404'
    })
    const papers = read(text).papers
    expect(papers[2]!.meta).toMatchObject({ arxivId: '2001.08361', arxivVersion: 3 })
    expect(papers[1]!.meta?.doi).toBe('10.1002/andp.19263840404')
    expect(read(json([makePaper({ title: 'Only a title' })])).papers[0]!.meta).toBeUndefined()
  })
})
