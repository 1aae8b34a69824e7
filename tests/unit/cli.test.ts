import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lectern } from '../helpers/cli'
import { SAMPLE_PATH, tempDir } from '../helpers/fixtures'

describe('lectern command line', () => {
  it('imports, lists, shows and sets', async () => {
    const lib = join(tempDir(), 'lib.sqlite')
    const first = await lectern('--library', lib, 'import', SAMPLE_PATH, '--json')
    expect(first.code).toBe(0)
    expect(JSON.parse(first.out)).toMatchObject({
      added: 95,
      duplicates: 0,
      skipped: 0,
      warnings: [],
    })
    const again = await lectern('--library', lib, 'import', SAMPLE_PATH, '--json')
    expect(JSON.parse(again.out)).toMatchObject({ added: 0, duplicates: 95 })

    const list = await lectern(
      '--library',
      lib,
      'list',
      '--sort',
      'title:desc',
      '--limit',
      '3',
      '--json',
    )
    const papers = JSON.parse(list.out)
    expect(papers).toHaveLength(3)
    for (const key of ['id', 'title', 'abstract', 'status', 'note', 'dumpDate', 'addedAt']) {
      expect(papers[0]).toHaveProperty(key)
    }
    expect(papers[0].dumpDate).toBe(
      papers[0].dumpDate && papers[0].dumpDate.match(/^\d{4}-08-19$/)?.[0],
    )

    const set = await lectern(
      '--library',
      lib,
      'set',
      String(papers[0].id),
      '--status',
      'to-read',
      '--note',
      'later',
    )
    expect(set.code).toBe(0)
    const show = JSON.parse(
      (await lectern('--library', lib, 'show', String(papers[0].id), '--json')).out,
    )
    expect(show).toMatchObject({ status: 'to-read', note: 'later' })
    const queued = JSON.parse(
      (await lectern('--library', lib, 'list', '--status', 'to-read', '--json')).out,
    )
    expect(queued.map((p: { id: number }) => p.id)).toEqual([papers[0].id])
  })

  it('exits 2 with usage on a usage error', async () => {
    const lib = join(tempDir(), 'lib.sqlite')
    for (const args of [
      [],
      ['frobnicate'],
      ['list', '--sort', 'colour'],
      ['set', 'x', '--status', 'read'],
      ['list', '--bogus'],
    ]) {
      const r = await lectern('--library', lib, ...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toContain('Usage: lectern')
    }
  })

  it('exits 1 with one line and leaves the library unchanged on bad input', async () => {
    const dir = tempDir()
    const lib = join(dir, 'lib.sqlite')
    await lectern('--library', lib, 'import', SAMPLE_PATH)
    const before = readFileSync(lib)
    const bad = join(dir, 'refs.json')
    writeFileSync(bad, '[{"title": "A",\n  "abstract": \n')
    const r = await lectern('--library', lib, 'import', SAMPLE_PATH, bad)
    expect(r.code).toBe(1)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toMatch(/refs\.json, line \d+: .*not valid JSON/)
    const missing = await lectern('--library', lib, 'import', join(dir, 'nope.txt'))
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/nope\.txt: cannot read it \(ENOENT\)/)
    expect((await lectern('--library', lib, 'set', '9999', '--status', 'read')).code).toBe(1)
    expect(readFileSync(lib).equals(before)).toBe(true)
    const stats = JSON.parse((await lectern('--library', lib, 'stats', '--json')).out)
    expect(stats).toMatchObject({ total: 95, imports: 1 })
  })

  it('uses LECTERN_LIBRARY when --library is not given', async () => {
    const lib = join(tempDir(), 'env.sqlite')
    const saved = process.env.LECTERN_LIBRARY
    process.env.LECTERN_LIBRARY = lib
    try {
      await lectern('import', SAMPLE_PATH)
      const stats = JSON.parse((await lectern('stats', '--json')).out)
      expect(stats).toMatchObject({ total: 95, path: lib })
    } finally {
      if (saved === undefined) delete process.env.LECTERN_LIBRARY
      else process.env.LECTERN_LIBRARY = saved
    }
  })
})
