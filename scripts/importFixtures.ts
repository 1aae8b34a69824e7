// Benchmark: how long each format fixture (tests/fixtures/formats) takes to import into an
// empty library, read and written as `lectern import` does. Figures only.
//
//   node --conditions=import --import tsx scripts/importFixtures.ts
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { decodeDump } from '../shared/decode'
import { Library } from '../electron/core/store/library'

const ROOT = resolve(__dirname, '..', 'tests', 'fixtures', 'formats')

async function main(): Promise<void> {
  const rows: string[][] = [['fixture', 'bytes', 'papers', 'ms', 'outcome']]
  for (const format of readdirSync(ROOT).sort()) {
    for (const name of readdirSync(join(ROOT, format)).sort()) {
      const file = join(ROOT, format, name)
      const bytes = readFileSync(file)
      const dir = mkdtempSync(join(tmpdir(), 'lectern-fixture-'))
      const lib = await Library.open(join(dir, 'library.sqlite'))
      const started = performance.now()
      let papers = '-'
      let outcome = 'imported'
      try {
        const summary = lib.importText(name, decodeDump(bytes))
        papers = String(summary.added + summary.duplicates)
        if (summary.warnings.length) outcome += `, ${summary.warnings.length} warnings`
      } catch (error) {
        outcome = `refused: ${(error as Error).message.slice(0, 60)}`
      }
      const ms = performance.now() - started
      lib.close()
      rmSync(dir, { recursive: true, force: true })
      rows.push([`${format}/${name}`, String(bytes.length), papers, ms.toFixed(1), outcome])
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
