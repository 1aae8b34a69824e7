// What ships is declared as shipping: every package the app's code imports (the renderer's
// bundle, the main process, the code both share) is a runtime dependency, so license and audit
// tools see it; those the renderer alone uses are not packed twice; and `npm run licenses` lists
// the packages and their licenses from node_modules alone.
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '..', '..')
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

/** Every source file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts'))
    .map((name) => join(ROOT, dir, name))
}

/** The package a bare specifier names: `react-dom/client` → react-dom, `@a/b/c` → @a/b. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return null
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

/** The packages the files import, static or dynamic, each with one file that does. */
function importedPackages(files: string[]): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName } of importedFiles) {
      const name = packageOf(fileName)
      if (name !== null && !found.has(name)) found.set(name, relative(ROOT, file))
    }
  }
  return found
}

/** The packages `names` need, themselves included, as installed at the top of node_modules. */
function closure(names: string[]): string[] {
  const seen = new Set<string>()
  const visit = (name: string) => {
    if (seen.has(name) || name === 'electron') return
    seen.add(name)
    const manifest = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { dependencies?: Record<string, string> }
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency)
  }
  for (const name of names) visit(name)
  return [...seen]
}

describe('dependencies', () => {
  it('every package the app imports is a runtime dependency', () => {
    const imported = importedPackages([
      ...sources('renderer/src'),
      ...sources('shared'),
      ...sources('electron'),
    ])
    // Electron is the runtime itself: electron-builder ships it and refuses it in dependencies.
    imported.delete('electron')
    expect([...imported.keys()]).toEqual(expect.arrayContaining(['react', 'dompurify', 'sql.js']))
    const misplaced = [...imported].filter(([name]) => !(name in PACKAGE.dependencies))
    expect(misplaced, 'imported but not in "dependencies"').toEqual([])
    const both = Object.keys(PACKAGE.dependencies).filter((name) => name in PACKAGE.devDependencies)
    expect(both, 'in both "dependencies" and "devDependencies"').toEqual([])
    expect(PACKAGE.devDependencies).toHaveProperty('electron')
  })

  it('packages only the renderer uses ship in its bundle, not again in the app’s node_modules', () => {
    // The renderer's bundle (out/renderer) holds them already; electron-builder would copy every
    // runtime dependency into the app's node_modules as well.
    const main = closure([
      ...importedPackages([...sources('shared'), ...sources('electron')]).keys(),
    ])
    const rendererOnly = closure([...importedPackages(sources('renderer/src')).keys()]).filter(
      (name) => !main.includes(name),
    )
    expect(rendererOnly).toEqual(
      expect.arrayContaining(['react', 'scheduler', '@tanstack/table-core']),
    )
    const builder = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
      files: string[]
    }
    const excluded = builder.files
      .map((pattern) => /^!node_modules\/(.+)\/\*\*$/.exec(pattern)?.[1])
      .filter((name): name is string => name !== undefined)
    expect(excluded.sort()).toEqual(rendererOnly.sort())
  })

  it('`npm run licenses` lists what ships, with its license, from node_modules', () => {
    const report = execFileSync(
      process.execPath,
      ['--conditions=import', '--import', 'tsx', 'scripts/licenses.ts'],
      { cwd: ROOT, encoding: 'utf8' },
    )
    const lines = report.trim().split('\n')
    const entry = (name: string) => lines.find((line) => line.startsWith(`${name}@`))
    // The app's own dependencies, and theirs (react-dom needs scheduler).
    for (const name of [...Object.keys(PACKAGE.dependencies), 'scheduler'])
      expect(entry(name), name).toMatch(/^\S+@\d\S*\s+\S/)
    expect(entry('react')).toMatch(/\sMIT$/)
    expect(entry('dompurify')).toMatch(/\s\(MPL-2\.0 OR Apache-2\.0\)$/)
    // Tools that build and test the app do not ship.
    for (const name of ['vitest', 'electron', 'typescript', 'eslint', '@playwright/test'])
      expect(entry(name), name).toBeUndefined()
    // A summary: how many packages under each license.
    expect(report).toMatch(/^\d+ packages?: .*\bMIT \d+/m)
  })
})
