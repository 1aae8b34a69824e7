// What a packaged app finds where it looks, checked without building an installer (Electron's
// binary cannot be downloaded here): the files electron-builder.yml ships and where it puts them,
// held against the paths the app's code reads at run time.
//
// - sql.js's WebAssembly: the main bundle leaves sql.js to require() (electron-vite externalizes
//   dependencies), and sql.js's Node build reads `sql-wasm.wasm` beside itself. In an installed
//   app that is inside app.asar, which a WebAssembly file must not be read from by path on every
//   system, so `asarUnpack` must take exactly that file out (Electron redirects the read to
//   app.asar.unpacked), and `files` must not leave it out.
// - The sample dump: `extraResources` copies resources/sample into the app's resources folder,
//   where samplePath(process.resourcesPath) looks for it (electron/main/wiring.ts).
// - macOS: one universal build, for Intel and Apple silicon.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'
import { minimatch } from 'minimatch'
import { parse } from 'yaml'
import { afterEach, describe, expect, it } from 'vitest'
import { SAMPLE_FILE, samplePath } from '../../electron/core/paths'
import { parseDump } from '../../shared/importers'

const ROOT = resolve(__dirname, '..', '..')

interface Builder {
  files: string[]
  asarUnpack: string[]
  extraResources: { from: string; to: string }[]
  mac: { target: ({ target: string; arch: string[] } | string)[] }
}

const builder = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Builder

/** A path as electron-builder matches it: relative to the app, with forward slashes. */
function appPath(absolute: string): string {
  return relative(ROOT, absolute).split(sep).join('/')
}

/** Whether electron-builder's `files` patterns (the last matching one decides) ship `path`. */
function shipped(path: string): boolean {
  let included = false
  for (const pattern of builder.files) {
    const negated = pattern.startsWith('!')
    if (minimatch(path, negated ? pattern.slice(1) : pattern, { dot: true })) included = !negated
  }
  return included
}

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('a packaged app', () => {
  it('ships the WebAssembly file sql.js reads, outside the asar', () => {
    const main = require.resolve('sql.js')
    // The Node build names the file it reads beside itself.
    const named = [...readFileSync(main, 'utf8').matchAll(/"([\w-]+\.wasm)"/g)].map((m) => m[1])
    expect(new Set(named)).toEqual(new Set(['sql-wasm.wasm']))
    const wasm = appPath(join(main, '..', 'sql-wasm.wasm'))
    expect(wasm).toBe('node_modules/sql.js/dist/sql-wasm.wasm')
    expect(readdirSync(join(ROOT, 'node_modules/sql.js/dist'))).toContain('sql-wasm.wasm')
    expect(builder.asarUnpack.some((pattern) => minimatch(wasm, pattern))).toBe(true)
    // electron-builder adds production dependencies under node_modules itself; a `files`
    // pattern that excluded sql.js would drop the engine.
    const excludes = builder.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1))
    expect(excludes.filter((pattern) => minimatch(wasm, pattern, { dot: true }))).toEqual([])
    // Nothing else is taken out of the asar: each unpacked file is one more on disk to tamper
    // with, outside the archive Electron checks against its hash.
    expect(builder.asarUnpack).toEqual(['node_modules/sql.js/dist/*.wasm'])
  })

  it('ships the build output and the package, and no source maps', () => {
    expect(shipped('out/main/index.js')).toBe(true)
    expect(shipped('out/main/rebuildWorker.js')).toBe(true)
    expect(shipped('out/renderer/index.html')).toBe(true)
    expect(shipped('package.json')).toBe(true)
    expect(shipped('out/main/index.js.map')).toBe(false)
    expect(shipped('electron/main/index.ts')).toBe(false)
  })

  it('finds the sample dump where extraResources puts it, and it imports', () => {
    // The resources folder as electron-builder lays it out, beside app.asar.
    const resources = mkdtempSync(join(tmpdir(), 'lectern-resources-'))
    dirs.push(resources)
    for (const { from, to } of builder.extraResources) {
      mkdirSync(join(resources, to), { recursive: true })
      for (const name of readdirSync(join(ROOT, from)))
        copyFileSync(join(ROOT, from, name), join(resources, to, name))
    }
    const sample = samplePath(resources)
    expect(sample).toBe(join(resources, 'sample', SAMPLE_FILE))
    const parsed = parseDump(readFileSync(sample, 'utf8'), new Date('2026-12-01T00:00:00Z'))
    expect(parsed.papers.length).toBeGreaterThan(5)
    // In development the same function reads the repository's copy.
    expect(readFileSync(samplePath(join(ROOT, 'resources')), 'utf8')).toBe(
      readFileSync(sample, 'utf8'),
    )
  })

  it('is one universal app on macOS, for Intel and Apple silicon', () => {
    for (const target of builder.mac.target) {
      expect(typeof target === 'string' ? { target, arch: ['x64'] } : target).toMatchObject({
        arch: ['universal'],
      })
    }
    expect(builder.mac.target.map((t) => (typeof t === 'string' ? t : t.target)).sort()).toEqual([
      'dmg',
      'zip',
    ])
  })
})
