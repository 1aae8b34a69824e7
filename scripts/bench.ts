// Benchmark: builds libraries of 1 000 and (by default) 100 000 synthetic papers and prints
// how long the everyday operations take and how much memory the library needs. Figures only;
// nothing here asserts a timing.
//
//   node --expose-gc --import tsx scripts/bench.ts [--papers 100000] [--batch 10000]
//                                                 [--samples 200] [--keep]
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SORT_FIELDS, STATUSES } from '../shared/domain'
import type { SortDirection, SortField } from '../shared/domain'
import { Library } from '../electron/core/store/library'
import { int, makeAbstract, makeDump, makeRng, makeTitle, pick } from '../testkit/gen'
import type { Rng } from '../testkit/gen'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const MB = 1024 * 1024
const gc = (globalThis as { gc?: () => void }).gc

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]!
}

function latencies(samples: number[]): { median: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    max: sorted[sorted.length - 1]!,
  }
}

function time<T>(work: () => T): { ms: number; value: T } {
  const t = performance.now()
  const value = work()
  return { ms: performance.now() - t, value }
}

function memory(): NodeJS.MemoryUsage {
  gc?.()
  return process.memoryUsage()
}

/** A note like a person writes: a few lines of markdown, some of it not ASCII. */
function makeNoteText(rng: Rng): string {
  const lines = [
    '## Why it matters',
    `- compares against ${int(rng, 2, 9)} baselines; ablation in §${int(rng, 3, 6)}`,
    '- **read the appendix** before citing — résumé of the proof is thin',
    `- score ${int(rng, 1, 10)}/10, follow-up: ${pick(rng, ['yes', 'no', 'maybe'])} 🤔`,
    '',
    'Open questions: does it hold at scale? 多分。',
  ]
  return lines.slice(0, int(rng, 2, lines.length)).join('\n')
}

interface Figures {
  papers: number
  importMs: number
  importBatches: number
  closeMs: number
  reopenMs: number
  note: ReturnType<typeof latencies>
  status: ReturnType<typeof latencies>
  list: Record<string, { first: number; median: number }>
  checkpointMs: number
  snapshotBytes: number
  rssAfterOpen: number
  heapAfterOpen: number
  externalAfterOpen: number
  rssPeak: number
}

async function bench(
  papers: number,
  batch: number,
  samples: number,
  dir: string,
): Promise<Figures> {
  const rng = makeRng(papers)
  const path = join(dir, `bench-${papers}.sqlite`)
  let rssPeak = 0
  const peak = (): void => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
  }

  // Import in dumps of `batch` papers (as someone importing many days of pages would).
  let lib = await Library.open(path, { owner: 'bench' })
  let importMs = 0
  let batches = 0
  for (let start = 0; start < papers; start += batch) {
    const count = Math.min(batch, papers - start)
    const items = Array.from({ length: count }, (_, i) => ({
      title: makeTitle(rng, `B${start + i}`),
      abstract: makeAbstract(rng, 1500),
    }))
    const text = makeDump(`Aug ${1 + (batches % 28)}`, items)
    const { ms, value } = time(() => lib.importText(`bench-${batches}.txt`, text))
    if (value.added !== count) throw new Error(`batch ${batches}: added ${value.added} of ${count}`)
    importMs += ms
    batches += 1
    peak()
    process.stdout.write(
      `  ${papers}: imported ${start + count} papers (${(importMs / 1000).toFixed(1)} s)\r`,
    )
  }
  process.stdout.write('\n')
  const closeMs = time(() => lib.close()).ms
  peak()

  gc?.()
  const reopen = await (async () => {
    const t = performance.now()
    const opened = await Library.open(path, { owner: 'bench' })
    return { ms: performance.now() - t, lib: opened }
  })()
  lib = reopen.lib
  const afterOpen = memory()
  peak()
  if (lib.stats().total !== papers) throw new Error(`expected ${papers} papers`)

  const noteSamples: number[] = []
  const statusSamples: number[] = []
  for (let i = 0; i < samples; i += 1) {
    const id = int(rng, 1, papers)
    const note = makeNoteText(rng)
    noteSamples.push(time(() => lib.setNote(id, note)).ms)
  }
  for (let i = 0; i < samples; i += 1) {
    const id = int(rng, 1, papers)
    const status = pick(rng, STATUSES)
    statusSamples.push(time(() => lib.setStatus(id, status)).ms)
  }
  peak()

  const list: Figures['list'] = {}
  for (const field of SORT_FIELDS as readonly SortField[]) {
    for (const direction of ['asc', 'desc'] as SortDirection[]) {
      const runs: number[] = []
      for (let i = 0; i < 7; i += 1) {
        runs.push(
          time(() => lib.listPapers({ sort: { field, direction }, offset: 0, limit: 100 })).ms,
        )
      }
      list[`${field} ${direction}`] = { first: runs[0]!, median: latencies(runs.slice(1)).median }
    }
  }

  const checkpoints: number[] = []
  for (let i = 0; i < 3; i += 1) {
    lib.setNote(int(rng, 1, papers), makeNoteText(rng))
    checkpoints.push(time(() => lib.checkpoint()).ms)
    peak()
  }
  const snapshotBytes = statSync(path).size
  lib.close()

  return {
    papers,
    importMs,
    importBatches: batches,
    closeMs,
    reopenMs: reopen.ms,
    note: latencies(noteSamples),
    status: latencies(statusSamples),
    list,
    checkpointMs: latencies(checkpoints).median,
    snapshotBytes,
    rssAfterOpen: afterOpen.rss,
    heapAfterOpen: afterOpen.heapUsed,
    externalAfterOpen: afterOpen.external,
    rssPeak,
  }
}

function table(results: Figures[], samples: number): string {
  const ms = (n: number): string =>
    n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(2)} ms`
  const mb = (n: number): string => `${(n / MB).toFixed(1)} MB`
  const rows: [string, (f: Figures) => string][] = [
    ['import (all papers, dumps of ≤ batch)', (f) => `${ms(f.importMs)} (${f.importBatches})`],
    ['import rate', (f) => `${Math.round(f.papers / (f.importMs / 1000))} papers/s`],
    ['close (final snapshot)', (f) => ms(f.closeMs)],
    ['reopen (Library.open)', (f) => ms(f.reopenMs)],
    [`note save median (n=${samples})`, (f) => ms(f.note.median)],
    ['note save p95', (f) => ms(f.note.p95)],
    ['note save max', (f) => ms(f.note.max)],
    [`status save median (n=${samples})`, (f) => ms(f.status.median)],
    ['status save p95', (f) => ms(f.status.p95)],
    ['status save max', (f) => ms(f.status.max)],
  ]
  for (const key of Object.keys(results[0]!.list)) {
    rows.push([
      `listPapers page 1 (100 rows) ${key}: first / median of 6`,
      (f) => `${ms(f.list[key]!.first)} / ${ms(f.list[key]!.median)}`,
    ])
  }
  rows.push(
    ['checkpoint (median of 3)', (f) => ms(f.checkpointMs)],
    ['snapshot file size', (f) => mb(f.snapshotBytes)],
    ['bytes per paper on disk', (f) => `${Math.round(f.snapshotBytes / f.papers)} B`],
    ['RSS after reopen', (f) => mb(f.rssAfterOpen)],
    ['  of which JS heap used', (f) => mb(f.heapAfterOpen)],
    ['  external (incl. sql.js wasm + MEMFS)', (f) => mb(f.externalAfterOpen)],
    [
      'RSS after reopen ÷ snapshot size',
      (f) => `${(f.rssAfterOpen / f.snapshotBytes).toFixed(2)}×`,
    ],
    ['RSS peak (sampled, whole run so far)', (f) => mb(f.rssPeak)],
  )
  const width = Math.max(...rows.map(([label]) => label.length))
  const cols = results.map((f) =>
    Math.max(`${f.papers} papers`.length, ...rows.map(([, v]) => v(f).length)),
  )
  const line = (cells: string[]): string =>
    `| ${cells[0]!.padEnd(width)} | ${cells
      .slice(1)
      .map((c, i) => c.padStart(cols[i]!))
      .join(' | ')} |`
  const out = [
    line(['', ...results.map((f) => `${f.papers} papers`)]),
    `|${'-'.repeat(width + 2)}|${cols.map((c) => '-'.repeat(c + 2)).join('|')}|`,
    ...rows.map(([label, value]) => line([label, ...results.map(value)])),
  ]
  return out.join('\n')
}

async function main(): Promise<void> {
  const big = arg('papers', 100_000)
  const batch = arg('batch', 10_000)
  const samples = arg('samples', 200)
  const keep = process.argv.includes('--keep')
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-'))
  if (!gc) console.log('(run with node --expose-gc for steadier memory figures)')
  console.log(
    `Lectern bench: node ${process.version}, ${process.platform}/${process.arch}, libraries in ${dir}`,
  )
  try {
    const results: Figures[] = []
    for (const papers of [...new Set([1000, big])]) {
      results.push(await bench(papers, Math.min(batch, papers), samples, dir))
    }
    console.log()
    console.log(
      `Synthetic papers: title + ~1.5 KB abstract; imports in Daily Papers dumps of up to ${batch} papers; default 32 MB journal limit.`,
    )
    console.log(table(results, samples))
  } finally {
    if (keep) console.log(`(kept ${dir})`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
