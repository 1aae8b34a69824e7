// The command line as a host of the contract: each command takes only its own options, reads
// with a read-only library, and prints the contract's values as they are.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LibrarySession } from '../../electron/core/safety/session'
import { MAX_IMPORT_CHARS } from '../../shared/api'
import { lectern, lecternWithStdin } from '../helpers/cli'
import { SAMPLE_PATH, tempDir } from '../helpers/fixtures'

async function sampleLibrary(): Promise<string> {
  const library = join(tempDir(), 'library.sqlite')
  expect((await lectern('--library', library, 'import', SAMPLE_PATH)).code).toBe(0)
  return library
}

describe('lectern commands', () => {
  it('delete and undelete: papers come back with their note and status', async () => {
    const library = await sampleLibrary()
    const [a, b] = JSON.parse(
      (await lectern('--library', library, 'list', '--limit', '2', '--json')).out,
    )
    await lectern('--library', library, 'set', String(a.id), '--status', 'read', '--note', 'mine')
    const deleted = await lectern('--library', library, 'delete', String(a.id), String(b.id))
    expect(deleted.code).toBe(0)
    expect(deleted.out).toContain('Deleted 2 papers: “')
    const deletion = /lectern undelete (\d+)/.exec(deleted.out)![1]!
    expect(JSON.parse((await lectern('--library', library, 'stats', '--json')).out).total).toBe(93)
    const shown = await lectern('--library', library, 'show', String(a.id))
    expect(shown.code).toBe(1)
    expect(shown.err).toContain(`there is no paper with id ${a.id}`)

    const undone = await lectern('--library', library, 'undelete', deletion, '--json')
    expect(undone.code).toBe(0)
    expect(JSON.parse(undone.out)).toMatchObject({
      restored: 2,
      ids: [a.id, b.id].sort((x, y) => x - y),
    })
    const back = JSON.parse(
      (await lectern('--library', library, 'show', String(a.id), '--json')).out,
    )
    expect(back).toMatchObject({
      note: 'mine',
      status: 'read',
      statusHistory: [{ status: 'read' }],
    })
    const again = await lectern('--library', library, 'undelete', deletion)
    expect(again.code).toBe(1)
    expect(again.err).toContain('already undone')
  })

  it('creates the library and its folder on the first import', async () => {
    const library = join(tempDir(), 'new', 'folder', 'library.sqlite')
    const r = await lectern('--library', library, 'import', SAMPLE_PATH)
    expect(r).toMatchObject({ code: 0, err: '' })
    expect(existsSync(library)).toBe(true)
  })

  it('a delete naming an unknown paper deletes nothing', async () => {
    const library = await sampleLibrary()
    const before = readFileSync(library)
    const r = await lectern('--library', library, 'delete', '1', '99999')
    expect(r.code).toBe(1)
    expect(r.err).toContain('there is no paper with id 99999')
    expect(readFileSync(library).equals(before)).toBe(true)
    expect((await lectern('--library', library, 'delete')).code).toBe(2)
    expect((await lectern('--library', library, 'delete', 'seven')).code).toBe(2)
  })

  it('each command takes its own options only', async () => {
    const library = await sampleLibrary()
    for (const args of [
      ['stats', '--note', 'x'],
      ['show', '1', '--status', 'read'],
      ['import', SAMPLE_PATH, '--sort', 'title'],
      ['list', '--journal'],
    ]) {
      const r = await lectern('--library', library, ...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toMatch(/Unknown option/)
    }
    const usage = await lectern('--help')
    expect(usage.code).toBe(0)
    for (const name of ['import', 'list', 'show', 'set', 'delete', 'undelete', 'stats', 'api'])
      expect(usage.out).toMatch(new RegExp(`^  ${name} `, 'm'))
  })

  it('read-only commands work while another program holds the library, and create nothing', async () => {
    const library = await sampleLibrary()
    const holder = await LibrarySession.start(library, { owner: 'the test' })
    try {
      expect((await lectern('--library', library, 'stats', '--json')).code).toBe(0)
      expect((await lectern('--library', library, 'list', '--limit', '1')).code).toBe(0)
      const write = await lectern('--library', library, 'set', '1', '--status', 'read')
      expect(write.code).toBe(1)
      expect(write.err).toContain('in use by the test')
    } finally {
      holder.close()
    }
    const missing = join(tempDir(), 'nothing-here.sqlite')
    const r = await lectern('--library', missing, 'list')
    expect(r.code).toBe(1)
    expect(r.err).toContain('there is no library at')
    expect(existsSync(missing)).toBe(false)
    // A mistyped argument is caught before the library is created.
    expect((await lectern('--library', missing, 'set', '1', '--status', 'devoured')).code).toBe(2)
    expect(existsSync(missing)).toBe(false)
  })

  it('list --json prints whole papers as the contract has them, in pages, every one', async () => {
    const library = await sampleLibrary()
    const all = JSON.parse((await lectern('--library', library, 'list', '--json')).out)
    expect(all).toHaveLength(95)
    expect(Object.keys(all[0]).sort()).toEqual(
      [
        'abstract',
        'addedAt',
        'arxivId',
        'arxivVersion',
        'authors',
        'doi',
        'dumpDate',
        'dumpDateText',
        'hasNote',
        'id',
        'importId',
        'keywords',
        'note',
        'noteUpdatedAt',
        'readAt',
        'seenIn',
        'source',
        'starred',
        'status',
        'statusChangedAt',
        'statusHistory',
        'tags',
        'title',
        'urls',
        'venue',
        'year',
      ].sort(),
    )
    const byTitle = JSON.parse(
      (await lectern('--library', library, 'list', '--sort', 'title', '--json')).out,
    ).map((p: { title: string }) => p.title)
    expect(byTitle).toEqual(
      [...byTitle].sort((x: string, y: string) => x.toLowerCase().localeCompare(y.toLowerCase())),
    )
    const text = await lectern('--library', library, 'list', '--status', 'new', '--limit', '3')
    expect(text.out.trim().split('\n')).toHaveLength(3)
    const bad = await lectern('--library', library, 'list', '--status', 'devoured')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('expected one of new, to-read, reading, read, skipped')
  })

  it('imports dumps larger than the window may send in one message', async () => {
    const library = join(tempDir(), 'library.sqlite')
    // One paper whose abstract alone is over the window's cap.
    const abstract = `${'A long abstract sentence, repeated. '.repeat(MAX_IMPORT_CHARS / 36 + 1)}`
    const dump = `Aug 19\n\nA Paper With A Very Long Abstract\n\n${abstract}\n`
    expect(dump.length).toBeGreaterThan(MAX_IMPORT_CHARS)
    const r = await lecternWithStdin(dump, '--library', library, 'import', '-', '--json')
    expect(r.err).toBe('')
    expect(JSON.parse(r.out)).toMatchObject({ added: 1 })
  })

  it('on a missing library: backups still lists, list --json prints nothing, restore creates nothing', async () => {
    const dir = tempDir()
    const missing = join(dir, 'gone.sqlite')
    const backups = await lectern('--library', missing, 'backups')
    expect(backups).toMatchObject({ code: 0, err: '' })
    expect(backups.out).toContain('No backups yet in')
    const list = await lectern('--library', missing, 'list', '--json')
    expect(list.code).toBe(1)
    expect(list.out).toBe('')
    const bad = join(dir, 'not-a-backup.sqlite')
    writeFileSync(bad, 'hello')
    const restore = await lectern('--library', missing, 'restore', bad)
    expect(restore.code).toBe(1)
    expect(restore.err).toContain('is not an SQLite database')
    expect(existsSync(missing)).toBe(false)
  })

  it('a failed restore leaves every file of the library as it was; a backup never overwrites them', async () => {
    const library = await sampleLibrary()
    await lectern('--library', library, 'set', '1', '--note', 'kept')
    const files = [library, `${library}.sum`, `${library}.journal`]
    const before = files.map((f) => (existsSync(f) ? readFileSync(f) : null))
    const bad = join(tempDir(), 'bad.sqlite')
    writeFileSync(bad, 'SQLite format 3\u0000 but nothing after')
    expect((await lectern('--library', library, 'restore', bad)).code).toBe(1)
    for (const file of [library, `${library}.journal`]) {
      const r = await lectern('--library', library, 'backup', file)
      expect(r.code).toBe(1)
      expect(r.err).toContain("one of the library's own files")
    }
    expect(files.map((f) => (existsSync(f) ? readFileSync(f) : null))).toEqual(before)
  })

  it('backup to a file, and restore from it', async () => {
    const library = await sampleLibrary()
    const copy = join(tempDir(), 'copy.sqlite')
    const backup = await lectern('--library', library, 'backup', copy)
    expect(backup.code).toBe(0)
    expect(backup.out).toContain(`Backed up 95 papers to ${copy}`)
    await lectern('--library', library, 'delete', '1', '2', '3')
    const restored = await lectern('--library', library, 'restore', copy)
    expect(restored.code).toBe(0)
    expect(JSON.parse((await lectern('--library', library, 'stats', '--json')).out).total).toBe(95)
  })
})
