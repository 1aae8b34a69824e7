import type { LibraryStats } from '../../shared/domain'
// Undoing an import, and imports written in steps: cancelled or cut short by a crash, they leave
// the library as it was; undone, they take away only what nobody has used.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { run } from '../../electron/cli/index'
import { lectern } from '../helpers/cli'
import type { Sort } from '../../shared/domain'
import { Library } from '../../electron/core/store/library'
import { dispatch } from '../../electron/core/api/dispatch'
import { LibraryError } from '../../electron/core/errors'
import { LibrarySession } from '../../electron/core/safety/session'
import { PIECE_CHARS, ReadCancelled, readOffThread } from '../../electron/core/store/readOffThread'
import { exportPapers } from '../../shared/exporters'
import { parseDump } from '../../shared/importers'
import { SAMPLE, SAMPLE_PATH, tempDir } from '../helpers/fixtures'
import { crashCopy, openTempLibrary } from '../helpers/library'

const byTitle: Sort = { field: 'title', direction: 'asc' }

function titles(lib: Library): string[] {
  return lib.listPapers({ sort: byTitle, offset: 0, limit: 500 }).rows.map((r) => r.title)
}

function dump(count: number, from = 0): string {
  let text = 'Aug 21\n\n'
  for (let i = from; i < from + count; i += 1) {
    text += `Generated Paper Number ${i}\n\nAbstract of generated paper ${i}.\n\n`
  }
  return text
}

const BIB = `@article{known,
  title = {Thyme: Think Beyond Images},
  doi = {10.1234/thyme},
  journal = {Journal of Tests},
}
@misc{fresh, title = {A Paper Only BibTeX Has}, abstract = {Its abstract.}}
`

describe('undo an import', () => {
  it('removes the papers it added, keeps those used, and empties the fields it filled', async () => {
    const { lib } = await openTempLibrary()
    const sample = lib.importText('sample.txt', SAMPLE)
    const before = titles(lib)
    const bib = lib.importText('refs.bib', BIB)
    expect(bib).toMatchObject({ added: 1, duplicates: 1, updated: 1 })
    const thyme = lib
      .listPapers({ sort: byTitle, offset: 0, limit: 500 })
      .rows.find((r) => r.title.startsWith('Thyme'))!
    expect(lib.getPaper(thyme.id)).toMatchObject({
      doi: '10.1234/thyme',
      venue: 'Journal of Tests',
    })

    const undo = lib.undoImport(bib.importId!)
    expect(undo).toMatchObject({ removed: 1, reverted: 1, keptCount: 0, source: 'refs.bib' })
    expect(titles(lib)).toEqual(before)
    expect(lib.getPaper(thyme.id)).toMatchObject({ doi: null, venue: null })
    expect(lib.getPaper(thyme.id).seenIn.map((s) => s.importId)).toEqual([sample.importId])
    expect(lib.imports()[0]).toMatchObject({ id: bib.importId, undoneAt: expect.any(String) })
    expect(() => lib.undoImport(bib.importId!)).toThrow(/already undone/)
    expect(() => lib.undoImport(99)).toThrow(/no import 99/)
    lib.close()
  })

  it('keeps a paper with a status or a note, or that a later import brought too', async () => {
    const { lib } = await openTempLibrary()
    const first = lib.importText('first.txt', dump(5))
    const later = lib.importText('later.txt', dump(2, 4))
    expect(later).toMatchObject({ added: 1, duplicates: 1 })
    const byName = new Map(
      lib.listPapers({ sort: byTitle, offset: 0, limit: 50 }).rows.map((r) => [r.title, r.id]),
    )
    lib.setStatus(byName.get('Generated Paper Number 0')!, 'read')
    lib.setNote(byName.get('Generated Paper Number 1')!, 'keep me')

    const undo = lib.undoImport(first.importId!)
    expect(undo.removed).toBe(2)
    expect(undo.keptCount).toBe(3)
    expect(undo.kept.map((k) => [k.title, k.reason])).toEqual([
      ['Generated Paper Number 0', 'status'],
      ['Generated Paper Number 1', 'note'],
      ['Generated Paper Number 4', 'later-import'],
    ])
    expect(titles(lib)).toEqual([0, 1, 4, 5].map((i) => `Generated Paper Number ${i}`))
    // The paper the later import also brought is that import's now: undoing it removes it.
    expect(lib.undoImport(later.importId!)).toMatchObject({ removed: 2, keptCount: 0 })
    expect(titles(lib)).toEqual(['Generated Paper Number 0', 'Generated Paper Number 1'])
    lib.close()
  })

  it('never gives a removed paper’s id to another paper', async () => {
    const { lib } = await openTempLibrary()
    const first = lib.importText('a.txt', dump(3))
    const last = Math.max(
      ...lib.listPapers({ sort: byTitle, offset: 0, limit: 9 }).rows.map((r) => r.id),
    )
    lib.undoImport(first.importId!)
    lib.importText('b.txt', dump(1, 10))
    expect(lib.listPapers({ sort: byTitle, offset: 0, limit: 9 }).rows[0]!.id).toBe(last + 1)
    lib.close()
  })

  it('is replayed from the journal after a crash', async () => {
    const { lib, path } = await openTempLibrary()
    lib.importText('sample.txt', SAMPLE)
    const bib = lib.importText('refs.bib', BIB)
    lib.checkpoint()
    lib.undoImport(bib.importId!)
    const expected = titles(lib)
    const crash = crashCopy(path)
    lib.close()
    crash()
    const again = await Library.open(path)
    expect(titles(again)).toEqual(expected)
    expect(again.imports()[0]!.undoneAt).not.toBeNull()
    again.close()
  })
})

describe('imports written in steps', () => {
  it('reports progress and ends with the same library as a one-step import', async () => {
    const { lib } = await openTempLibrary()
    const progress: number[] = []
    const [summary] = await lib.importInSteps([{ source: 'big.txt', text: dump(2500) }], {
      onProgress: (done) => progress.push(done),
    })
    // Steps sized by how fast the last went: each paper once, in order, to the last.
    expect(progress.at(-1)).toBe(2500)
    expect(progress.every((done, i) => i === 0 || done > progress[i - 1]!)).toBe(true)
    expect(progress[0]).toBe(100)
    expect(summary).toMatchObject({ added: 2500, duplicates: 0, source: 'big.txt' })
    const one = await openTempLibrary()
    one.lib.importText('big.txt', dump(2500))
    expect(titles(lib)).toEqual(titles(one.lib))
    expect(lib.imports()).toEqual(one.lib.imports())
    lib.close()
    one.lib.close()
  })

  it('cancelled, leaves the library as it was', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('sample.txt', SAMPLE)
    const before = { titles: titles(lib), imports: lib.imports(), stats: lib.stats() }
    let steps = 0
    const run = lib.importInSteps([{ source: 'big.txt', text: dump(3000) }], {
      onProgress: () => {
        steps += 1
      },
      cancelled: () => steps >= 2,
    })
    await expect(run).rejects.toThrow(/cancelled; nothing was added/)
    expect(titles(lib)).toEqual(before.titles)
    expect(lib.imports()).toEqual(before.imports)
    // The same counts (the revision counts the changes made and taken back; the size counts the
    // pages the import used, free again).
    const counts = (s: LibraryStats) => ({ ...s, revision: 0, size: null })
    expect(counts(lib.stats())).toEqual(counts(before.stats))
    lib.close()
  })

  it('cancelled after the user gave one of its papers a status: that paper stays', async () => {
    const { lib } = await openTempLibrary()
    let steps = 0
    const run = lib.importInSteps([{ source: 'big.txt', text: dump(3000) }], {
      onProgress: () => {
        steps += 1
        if (steps === 1) {
          const row = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!
          lib.setStatus(row.id, 'to-read')
        }
      },
      cancelled: () => steps >= 2,
    })
    await expect(run).rejects.toThrow(/cancelled/)
    expect(titles(lib)).toEqual(['Generated Paper Number 0'])
    expect(lib.imports()).toMatchObject([{ source: 'big.txt', undoneAt: expect.any(String) }])
    lib.close()
  })

  it('all or nothing across dumps: a crash before the end takes every one back on open', async () => {
    const { lib, path } = await openTempLibrary()
    lib.importText('sample.txt', SAMPLE)
    const before = titles(lib)
    lib.checkpoint()
    let crash: (() => void) | null = null
    await expect(
      lib.importInSteps(
        [
          { source: 'one.txt', text: dump(1500) },
          { source: 'two.txt', text: dump(1500, 5000) },
        ],
        {
          step: 500,
          onProgress: (done) => {
            // The moment the power goes: the first dump written, the second half written.
            if (done === 2500) crash = crashCopy(path)
          },
        },
      ),
    ).resolves.toHaveLength(2)
    lib.close()
    crash!()
    const again = await Library.open(path)
    expect(titles(again)).toEqual(before)
    expect(again.imports()).toHaveLength(1)
    again.close()
  })

  it('a dump that cannot be read fails before anything is written', async () => {
    const { lib } = await openTempLibrary()
    await expect(
      lib.importInSteps([
        { source: 'good.txt', text: dump(10) },
        { source: 'bad.bib', text: '@article{x, title = {unclosed', format: 'bibtex' },
      ]),
    ).rejects.toThrow(LibraryError)
    expect(lib.stats().total).toBe(0)
    expect(lib.imports()).toEqual([])
    lib.close()
  })
})

describe('the command line', () => {
  it('shows a progress line on a terminal, and none when piped or with --json', async () => {
    const dir = tempDir()
    const library = join(dir, 'library.sqlite')
    const file = join(dir, 'big.txt')
    writeFileSync(file, dump(40_000))
    const lines: (string | null)[] = []
    let out = ''
    const code = await run(['--library', library, 'import', file], {
      out: (t) => (out += `${t}\n`),
      err: () => undefined,
      readStdin: () => '',
      progress: (line) => lines.push(line),
    })
    expect(code).toBe(0)
    expect(out).toContain('big.txt: 40000 added')
    expect(lines.at(-1)).toBeNull()
    expect(
      lines.some((l) =>
        /^Importing: [\d,]+ of 40,000 papers \(\d+%\), [\d,]+ papers\/s$/.test(l ?? ''),
      ),
    ).toBe(true)

    const quiet: (string | null)[] = []
    await run(['--library', library, 'import', file, '--json'], {
      out: () => undefined,
      err: () => undefined,
      readStdin: () => '',
      progress: (line) => quiet.push(line),
    })
    expect(quiet).toEqual([])
  })

  it('undo-import reports what it removed and what it kept', async () => {
    const dir = tempDir()
    const library = join(dir, 'library.sqlite')
    const file = join(dir, 'a.txt')
    writeFileSync(file, dump(3))
    await lectern('--library', library, 'import', file)
    await lectern('--library', library, 'set', '1', '--status', 'read')
    const undo = await lectern('--library', library, 'undo-import', '1')
    expect(undo.out).toBe(
      'Undid import 1 (a.txt): removed 2 papers.\nKept 1 paper:\n  #1 “Generated Paper Number 0”: has a status\n',
    )
    expect((await lectern('--library', library, 'imports')).out).toMatch(
      /\(undone [\d-]+ [\d:]+\) \+3 new/,
    )
    const again = await lectern('--library', library, 'undo-import', '1')
    expect(again).toMatchObject({ code: 1, err: 'lectern: import 1 was already undone\n' })
  })
})

describe('reading on a thread of its own', () => {
  it('reads exactly as parseDump does, refusal and line included', async () => {
    const now = new Date('2026-11-30T12:00:00Z')
    const text = `${SAMPLE}\n`
    const [here, there] = [parseDump(text, now), await readOffThread({ text, now })]
    expect(there).toEqual(here)
    const bad = '@article{x, title = {unclosed'
    await expect(readOffThread({ text: bad, now, format: 'bibtex' })).rejects.toMatchObject({
      name: 'ImportError',
      line: 1,
    })
  })

  it('takes the text in pieces however they are cut, a character of two code units too', async () => {
    const now = new Date('2026-11-30T12:00:00Z')
    // Longer than one message's piece, with a character of two code units across that cut.
    let text = dump(Math.ceil(PIECE_CHARS / 60))
    const title = 'A Paper About 😀 Faces'
    text += `Padding Paper\n\n${'a'.repeat(2 * PIECE_CHARS - text.length - 18 - title.indexOf('😀') - 1)}.\n\n`
    text += `${title}\n\nIts abstract.\n`
    expect(text.indexOf('😀')).toBe(2 * PIECE_CHARS - 1)
    const expected = parseDump(text, now)
    expect(expected.papers.at(-1)!.title).toBe(title)
    expect(await readOffThread({ text, now })).toEqual(expected)
    // Pieces as an upload sends them, cut mid-line and inside the two code units.
    const cuts = [0, 1000, text.indexOf('😀') + 1, text.length - 3, text.length]
    const pieces = cuts.slice(1).map((end, i) => text.slice(cuts[i], end))
    expect(await readOffThread({ text: pieces, now })).toEqual(expected)
  })

  it('gives back papers without what cannot be stored, though the dump escapes it', async () => {
    const now = new Date('2026-11-30T12:00:00Z')
    const json = JSON.stringify([
      {
        paper: {
          id: '2401.00001',
          title: 'A Title\u0000 With a NUL',
          summary: 'Marks \u0002here\u0003.',
        },
      },
    ])
    const there = await readOffThread({ text: json, now })
    expect(there.papers[0]).toMatchObject({ title: 'A Title With a NUL', abstract: 'Marks here.' })
  })

  it('stops when cancelled', async () => {
    await expect(
      readOffThread({ text: dump(50_000), now: new Date() }, () => true),
    ).rejects.toBeInstanceOf(ReadCancelled)
  })
})

describe('what a review found', () => {
  it('refuses to undo an import still being written (cancel it instead)', async () => {
    const { lib } = await openTempLibrary()
    let refusal: unknown = null
    await lib.importInSteps([{ source: 'big.txt', text: dump(6) }], {
      step: 2,
      onProgress: (done) => {
        if (done !== 2) return
        try {
          lib.undoImport(lib.imports()[0]!.id)
        } catch (error) {
          refusal = error
        }
      },
    })
    expect(String(refusal)).toMatch(/still being written; cancel it instead/)
    expect(lib.stats().total).toBe(6)
    lib.close()
  })

  it('never gives a cancelled import’s number to another import', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('first.txt', dump(2))
    let seen = 0
    await expect(
      lib.importInSteps([{ source: 'cancelled.txt', text: dump(6, 10) }], {
        step: 2,
        onProgress: () => {
          seen = lib.imports()[0]!.id
        },
        cancelled: () => seen !== 0,
      }),
    ).rejects.toThrow(/cancelled/)
    expect(seen).toBe(2)
    expect(lib.importText('next.txt', dump(1, 20)).importId).toBe(3)
    lib.close()
  })

  it('takes back a Lectern JSON import whole: the notes it carried are not the user’s work here', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', dump(4))
    for (const row of lib.listPapers({ sort: byTitle, offset: 0, limit: 9 }).rows) {
      lib.setNote(row.id, `note on ${row.title}`)
      lib.setStatus(row.id, 'read')
    }
    const ids = lib.listPapers({ sort: byTitle, offset: 0, limit: 9 }).rows.map((r) => r.id)
    lib.updatePapers({ ids: ids.slice(0, 2), starred: true, addTags: ['kept', 'Reading group'] })
    const json = exportPapers('json', {
      papers: lib.listFullPapers({ sort: byTitle, offset: 0, limit: -1 }),
      imports: lib.imports(),
      exportedAt: '2026-11-30T12:00:00.000Z',
      libraryId: lib.id,
    })
    lib.close()

    const other = await openTempLibrary()
    let steps = 0
    await expect(
      other.lib.importInSteps([{ source: 'backup.json', text: json }], {
        step: 2,
        onProgress: () => (steps += 1),
        cancelled: () => steps >= 1,
      }),
    ).rejects.toThrow(/cancelled/)
    expect(other.lib.stats().total).toBe(0)

    const [summary] = await other.lib.importInSteps([{ source: 'backup.json', text: json }])
    expect(other.lib.stats()).toMatchObject({ total: 4, withNotes: 4, byStatus: { read: 4 } })
    // Stars and tags come along too.
    const rows = other.lib.listPapers({ sort: byTitle, offset: 0, limit: 9 }).rows
    expect(rows.map((r) => [r.starred, r.tags])).toEqual([
      [true, ['kept', 'Reading group']],
      [true, ['kept', 'Reading group']],
      [false, []],
      [false, []],
    ])
    expect(other.lib.tags()).toEqual([
      { name: 'kept', count: 2 },
      { name: 'Reading group', count: 2 },
    ])
    const row = rows[0]!
    other.lib.setNote(row.id, 'changed here')
    // Starred here (it came without a star): the user's work too.
    other.lib.updatePapers({ ids: [rows[3]!.id], starred: true })
    const undo = other.lib.undoImport(summary!.importId!)
    expect(undo).toMatchObject({ removed: 2, keptCount: 2 })
    expect(undo.kept.map((k) => k.id)).toEqual([row.id, rows[3]!.id])
    other.lib.close()
  })

  it('a field an undone import filled is emptied in a deleted paper too', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('sample.txt', SAMPLE)
    const bib = lib.importText('refs.bib', BIB)
    const thyme = lib
      .listPapers({ sort: byTitle, offset: 0, limit: 500 })
      .rows.find((r) => r.title.startsWith('Thyme'))!
    lib.deletePapers([thyme.id])
    lib.undoImport(bib.importId!)
    lib.restoreDeleted(null)
    expect(lib.getPaper(thyme.id)).toMatchObject({ doi: null, venue: null })
    lib.close()
  })
})

describe('jobs and the library around them', () => {
  it('restoring a backup cancels the import under way first', async () => {
    const session = await LibrarySession.start(join(tempDir(), 'library.sqlite'), {
      owner: 'test',
    })
    const ctx = { session, samplePath: SAMPLE_PATH, localFiles: false, maxImportChars: 1 << 30 }
    try {
      await dispatch(ctx, 'importText', { source: 'a.txt', text: dump(3) })
      const backup = await dispatch(ctx, 'backupNow', {})
      expect(backup.ok).toBe(true)
      const started = await dispatch(ctx, 'startImport', {
        dumps: [{ source: 'big.txt', text: dump(30_000, 100) }],
      })
      const restored = await dispatch(ctx, 'restoreBackup', {
        name: backup.ok ? backup.value.name : '',
      })
      expect(restored).toMatchObject({ ok: true, value: { papers: 3 } })
      const job = await dispatch(ctx, 'importJob', { id: started.ok ? started.value.id : '' })
      expect(job).toMatchObject({ ok: true, value: { state: 'cancelled' } })
      expect(session.get().stats().total).toBe(3)
    } finally {
      session.close()
    }
  })
})

describe('a dump uploaded in pieces', () => {
  it('is previewed and imported from its pieces, cut anywhere', async () => {
    const session = await LibrarySession.start(join(tempDir(), 'library.sqlite'), {
      owner: 'test',
    })
    const ctx = { session, samplePath: SAMPLE_PATH, localFiles: false, maxImportChars: 1 << 30 }
    try {
      // Read on the thread (over READ_HERE_CHARS), cut mid-word and mid-line.
      const text = dump(3_000)
      const cuts = [0, 7, 65_537, 65_540, 150_001, text.length]
      let upload: string | undefined
      for (let i = 1; i < cuts.length; i += 1) {
        const sent = await dispatch(ctx, 'uploadText', {
          ...(upload ? { upload } : {}),
          text: text.slice(cuts[i - 1], cuts[i]),
        })
        if (!sent.ok) throw new Error(sent.error.message)
        upload = sent.value.upload
      }
      const preview = await dispatch(ctx, 'previewImport', {
        dumps: [{ source: 'big.txt', upload: upload! }],
      })
      expect(preview).toMatchObject({
        ok: true,
        value: [{ summary: { added: 3_000 }, candidates: ['daily-papers'] }],
      })
      const started = await dispatch(ctx, 'startImport', {
        dumps: [{ source: 'big.txt', upload: upload! }],
      })
      if (!started.ok) throw new Error(started.error.message)
      for (let i = 0; i < 600; i += 1) {
        const job = await dispatch(ctx, 'importJob', { id: started.value.id })
        if (job.ok && job.value.state !== 'reading' && job.value.state !== 'writing') break
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(await dispatch(ctx, 'importJob', { id: started.value.id })).toMatchObject({
        ok: true,
        value: { state: 'done' },
      })
      const lib = session.get()
      expect(lib.stats().total).toBe(3_000)
      const titles = lib
        .listPapers({ sort: { field: 'addedAt', direction: 'asc' }, offset: 0, limit: -1 })
        .rows.map((r) => r.title)
      expect(titles.sort()).toEqual(
        parseDump(text, new Date())
          .papers.map((p) => p.title)
          .sort(),
      )
    } finally {
      session.close()
    }
  })
})

describe('a large dump written in steps', () => {
  it('holds its papers on its reading thread, writes only those chosen, and refuses one it lacks', async () => {
    const { lib } = await openTempLibrary()
    // Over READ_HERE_CHARS: read on a thread of its own.
    const text = dump(3_000)
    await expect(
      lib.importInSteps([{ source: 'big.txt', text, only: [5, 3_000] }]),
    ).rejects.toThrow('big.txt: only: there is no paper 3000 (the dump has 3000, counted from 0)')
    expect(lib.stats().total).toBe(0)
    let progress = 0
    const [summary] = await lib.importInSteps(
      [{ source: 'big.txt', text, only: [2_999, 7, 7, 1_500] }],
      { step: 2, onProgress: (done) => (progress = done) },
    )
    expect(summary).toMatchObject({ added: 3, dumpDates: ['2026-08-21'] })
    expect(progress).toBe(3)
    expect(titles(lib)).toEqual([
      'Generated Paper Number 1500',
      'Generated Paper Number 2999',
      'Generated Paper Number 7',
    ])
    lib.close()
  })
})

describe('fills shared by imports', () => {
  it('undoing one import gives a field the value another standing import had for it', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', dump(1))
    const bib = (venue: string) =>
      `@article{k, title = {Generated Paper Number 0}, journal = {${venue}}, year = 2024}`
    const first = lib.importText('first.bib', bib('Journal One'))
    const second = lib.importText('second.bib', bib('Journal Two'))
    expect(second.updated).toBe(0)
    const id = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!.id
    expect(lib.getPaper(id).venue).toBe('Journal One')

    expect(lib.undoImport(first.importId!)).toMatchObject({ reverted: 1 })
    expect(lib.getPaper(id)).toMatchObject({ venue: 'Journal Two', year: 2024 })
    // The field is the second import's now: undoing it empties the field.
    lib.undoImport(second.importId!)
    expect(lib.getPaper(id)).toMatchObject({ venue: null, year: null })
    lib.close()
  })
})

describe('what a second review found', () => {
  const bib = (key: string, fields: string) => `@article{${key}, ${fields}}\n`

  it('an heir’s arXiv id that another paper holds is not given on undo', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('z.bib', bib('p', 'title = {Shared Paper Alpha}, doi = {10.1234/alpha}'))
    const a = lib.importText(
      'a.bib',
      bib('p', 'title = {Shared Paper Alpha}, doi = {10.1234/alpha}, eprint = {2401.00001}'),
    )
    lib.importText(
      'b.bib',
      bib('p', 'title = {Shared Paper Alpha}, doi = {10.1234/alpha}, eprint = {2402.00002}'),
    )
    lib.importText('c.bib', bib('r', 'title = {Quite Different Paper R}, eprint = {2402.00002}'))
    expect(lib.undoImport(a.importId!)).toMatchObject({ reverted: 1 })
    const rows = lib.listPapers({ sort: byTitle, offset: 0, limit: 9 }).rows
    expect(rows.map((r) => [r.title, r.arxivId])).toEqual([
      ['Quite Different Paper R', '2402.00002'],
      ['Shared Paper Alpha', null],
    ])
    lib.close()
  })

  it('nor one a deleted paper holds (its restore would take the paper for a copy)', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('q.bib', bib('q', 'title = {Quite Different Paper Q}, eprint = {2402.00002}'))
    lib.deletePapers([1])
    lib.importText('z.bib', bib('p', 'title = {Shared Paper Alpha}, doi = {10.1234/alpha}'))
    const a = lib.importText(
      'a.bib',
      bib('p', 'title = {Shared Paper Alpha}, doi = {10.1234/alpha}, eprint = {2401.00001}'),
    )
    lib.importText(
      'b.bib',
      bib('p', 'title = {Shared Paper Alpha}, doi = {10.1234/alpha}, eprint = {2402.00002}'),
    )
    lib.undoImport(a.importId!)
    expect(lib.restoreDeleted(null)).toMatchObject({ restored: 1 })
    const rows = lib.listPapers({ sort: byTitle, offset: 0, limit: 9 }).rows
    expect(rows.map((r) => r.title)).toEqual(['Quite Different Paper Q', 'Shared Paper Alpha'])
    lib.close()
  })
})
