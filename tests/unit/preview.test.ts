// What an import would do, shown before it is made, and nothing changed by looking.
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LibrarySession } from '../../electron/core/safety/session'
import { lectern } from '../helpers/cli'
import { SAMPLE, SAMPLE_PATH, tempDir } from '../helpers/fixtures'
import { openTempLibrary } from '../helpers/library'

const EXTRA = 'Aug 20\n\nA Paper Nobody Has Seen\n\nIts abstract, new to the library.\n'

describe('import preview', () => {
  it('says paper by paper what an import would do, and changes nothing', async () => {
    const { lib, path } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    lib.checkpoint()
    const before = readFileSync(path)
    const journal = statSync(`${path}.journal`).size
    const stats = lib.stats()

    const [preview] = lib.previewImports([{ source: 'again.txt', text: `${SAMPLE}\n${EXTRA}` }])
    expect(preview!.summary).toMatchObject({ added: 1, duplicates: 95, matchedBy: { title: 95 } })
    expect(preview!.papers).toHaveLength(96)
    const extra = preview!.papers.find((p) => p.outcome === 'new')!
    expect(extra).toMatchObject({ title: 'A Paper Nobody Has Seen', matchedBy: null })
    expect(extra.line).toBeGreaterThan(300)
    expect(preview!.papers.filter((p) => p.outcome === 'duplicate')).toHaveLength(95)

    expect(lib.stats()).toEqual(stats)
    expect(statSync(`${path}.journal`).size).toBe(journal)
    lib.close()
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('lectern import --dry-run reads the library only, even while the app holds it', async () => {
    const library = join(tempDir(), 'library.sqlite')
    await lectern('--library', library, 'import', SAMPLE_PATH)
    const holder = await LibrarySession.start(library, { owner: 'the app' })
    try {
      const dry = await lectern('--library', library, 'import', SAMPLE_PATH, '--dry-run')
      expect(dry.code).toBe(0)
      expect(dry.out).toContain('would add 0, find 95 already in the library')
      expect(dry.out).toMatch(/daily-papers-aug-19\.txt, line \d+: known #\d+ \(same title\) — /)
      const json = await lectern('--library', library, 'import', SAMPLE_PATH, '--dry-run', '--json')
      expect(JSON.parse(json.out)[0].summary).toMatchObject({ added: 0, duplicates: 95 })
    } finally {
      holder.close()
    }
    expect(JSON.parse((await lectern('--library', library, 'stats', '--json')).out).imports).toBe(1)
  })
})

describe('choices made in the preview', () => {
  const CSV =
    'Paper Name,Summary,Year\nFirst Table Paper,About tables.,2024\nSecond Table Paper,About rows.,2023\n'

  it('offers the formats the text could be, and for CSV what each column is read into', async () => {
    const { lib } = await openTempLibrary()
    const csv = () => lib.previewImports([{ source: 't.csv', text: CSV, format: 'csv' }])
    expect(csv).toThrow(/no title column/)
    const mapping = { 'Paper Name': 'title', Summary: 'abstract' }
    const [preview] = lib.previewImports([{ source: 't.csv', text: CSV, format: 'csv', mapping }])
    expect(preview!.columns).toEqual([
      { header: 'Paper Name', field: 'title' },
      { header: 'Summary', field: 'abstract' },
      { header: 'Year', field: 'year' },
    ])
    expect(preview!.summary.added).toBe(2)
    const [text] = lib.previewImports([{ source: 'a.txt', text: SAMPLE }])
    expect(text!.candidates[0]).toBe('daily-papers')
    expect(text!.columns).toBeNull()
    lib.close()
  })

  it('imports only the papers chosen, and refuses a choice the dump does not have', async () => {
    const { lib } = await openTempLibrary()
    const mapping = { 'Paper Name': 'title', Summary: 'abstract' }
    const dump = { source: 't.csv', text: CSV, format: 'csv' as const, mapping }
    expect(() => lib.importTexts([{ ...dump, only: [2] }])).toThrow(/there is no paper 2/)
    expect(lib.stats().total).toBe(0)
    const [summary] = lib.importTexts([{ ...dump, only: [1] }])
    expect(summary!.added).toBe(1)
    expect(
      lib
        .listPapers({
          sort: { field: 'title', direction: 'asc' },
          status: null,
          offset: 0,
          limit: 10,
        })
        .rows.map((r) => r.title),
    ).toEqual(['Second Table Paper'])
    lib.close()
  })
})

describe('import history', () => {
  it('lists every import and shows the papers one brought, added or recognised', async () => {
    const library = join(tempDir(), 'library.sqlite')
    await lectern('--library', library, 'import', SAMPLE_PATH)
    const extra = join(tempDir(), 'extra.txt')
    writeFileSync(
      extra,
      `${EXTRA}\nThyme: Think Beyond Images\n\nAgain, the first paper of the sample.\n`,
    )
    await lectern('--library', library, 'import', extra)
    const history = JSON.parse((await lectern('--library', library, 'imports', '--json')).out)
    expect(
      history.map((i: { source: string; added: number; duplicates: number }) => [
        i.source,
        i.added,
        i.duplicates,
      ]),
    ).toEqual([
      ['extra.txt', 1, 1],
      ['daily-papers-aug-19.txt', 95, 0],
    ])
    const brought = JSON.parse(
      (
        await lectern(
          '--library',
          library,
          'list',
          '--import',
          String(history[0].id),
          '--sort',
          'title',
          '--json',
        )
      ).out,
    )
    expect(brought.map((p: { title: string }) => p.title)).toEqual([
      'A Paper Nobody Has Seen',
      'Thyme: Think Beyond Images',
    ])
    const text = await lectern('--library', library, 'imports')
    expect(text.out).toMatch(/\+1 new, 1 known {2}extra\.txt \(dump of \d{4}-08-20\)/)
    expect(history[0].dumpDates).toEqual([expect.stringMatching(/^\d{4}-08-20$/)])
    expect((await lectern('--library', library, 'list', '--import', 'x')).code).toBe(2)
  })
})
