// The benchmark's native side (testkit/native.ts): Lectern's Db over better-sqlite3 through
// a sql.js face. Db's setup once asked the face for something it does not have (exec), and
// `npm run bench` stopped at its first native import; this runs that side on a small library.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { NativeLibrary, loadNative } from '../../testkit/native'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const BIBTEX = [1, 2, 3]
  .map(
    (n) => `@article{paper${n},
  title = {Sparse attention for long documents, part ${n}},
  author = {Noether, Emmy and Curie, Marie},
  year = {202${n}},
  abstract = {We study sparse attention in ${n === 2 ? 'diffusion models' : 'transformers'}.}
}`,
  )
  .join('\n\n')

describe("the benchmark's native SQLite", () => {
  const native = loadNative()

  it('is installed here (a development dependency the benchmark measures against)', () => {
    expect('missing' in native ? native.missing : null).toBeNull()
  })

  it.skipIf('missing' in native)('imports, sorts, searches and saves a note', () => {
    if ('missing' in native) return
    const dir = mkdtempSync(join(tmpdir(), 'lectern-native-'))
    dirs.push(dir)
    const lib = new NativeLibrary(native.open, join(dir, 'native.sqlite'))
    try {
      expect(lib.importText('three.bib', BIBTEX, 'bibtex')).toBe(3)
      expect(lib.stats().total).toBe(3)
      expect(lib.page('title', 'asc', 0)).toBe(3)
      expect(lib.search('diffusion')).toEqual({ hits: 1, rows: 1 })
      expect(lib.search('sparse attention')).toEqual({ hits: 3, rows: 3 })
      lib.setNote(1, 'read the appendix')
      expect(lib.search('note:appendix')).toEqual({ hits: 1, rows: 1 })
    } finally {
      lib.close()
    }
  })
})
