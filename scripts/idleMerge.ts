// Benchmark: what a large library does once changes stop — the search index merged while the
// app is idle — and how long a page asked for every 20 ms waits meanwhile. Makes the library
// first when there is none at LIBRARY (synthetic papers in dumps of 10,000, as `npm run bench`
// imports them; 1,000,000 take 10–14 min here), then opens it, saves 200 notes, watches for 15 s
// and lists each merge call with the index's levels before it. Figures only.
//
//   npm run bench:idle -- LIBRARY [PAPERS] [--any-size]
// --any-size: merge levels of any size while idle (still a block a call; before 3 December 2026
// calls were of 50 blocks, commit cff9f6a), to compare on the same library (copy it first: the
// merging changes it).
import { existsSync } from 'node:fs'
import { Library } from '../electron/core/store/library'
import { indexLevels, mergesUnderWay } from '../electron/core/db/ftsIndex'
import type { Db } from '../electron/core/db/database'
import { makeAbstract, makeDump, makeNote, makeRng, makeTitle } from '../testkit/gen'

const WATCH_MS = 15_000
const NOTES = 200

async function make(path: string, papers: number): Promise<void> {
  const rng = makeRng(papers)
  const lib = await Library.open(path, { owner: 'bench' })
  for (let start = 0, batch = 0; start < papers; start += 10_000, batch += 1) {
    const count = Math.min(10_000, papers - start)
    const items = Array.from({ length: count }, (_, i) => ({
      title: makeTitle(rng, `B${start + i}`),
      abstract: makeAbstract(rng, 1500),
    }))
    lib.importText(`bench-${batch}.txt`, makeDump(`Aug ${1 + (batch % 28)}`, items))
    await new Promise((resolve) => setImmediate(resolve))
    process.stdout.write(`  made ${start + count} of ${papers} papers\r`)
  }
  lib.close()
  process.stdout.write('\n')
}

function levelsText(db: Db): string {
  return indexLevels(db, 'papers_fts')
    .map((l) => `${l.level}: ${l.segments} × ${(l.bytes / 2 ** 20).toFixed(2)} MB`)
    .join(', ')
}

async function main(): Promise<void> {
  const [path, count] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
  if (!path) throw new Error('usage: npm run bench:idle -- LIBRARY [PAPERS] [--any-size]')
  const papers = Number(count ?? 1_000_000)
  if (!existsSync(path)) await make(path, papers)
  const anySize = process.argv.includes('--any-size')
  const opened = performance.now()
  const lib = await Library.open(path, {
    owner: 'bench',
    ...(anySize ? { idleMergeBytes: Number.MAX_SAFE_INTEGER } : {}),
  })
  const total = lib.stats().total
  console.log(`opened ${total} papers in ${Math.round(performance.now() - opened)} ms`)
  // The library's own merging, timed call by call (a private method: a benchmark's look inside).
  const inside = lib as unknown as { db: Db; mergeIndex: (blocks: number) => boolean }
  const db = inside.db
  const merge = inside.mergeIndex.bind(lib)
  const calls: { ms: number; before: string; underWay: string }[] = []
  inside.mergeIndex = (blocks: number) => {
    const before = levelsText(db)
    const underWay =
      mergesUnderWay(db, 'papers_fts')
        ?.map((m) => m.level)
        .join(', ') ?? '?'
    const t = performance.now()
    try {
      return merge(blocks)
    } finally {
      calls.push({ ms: performance.now() - t, before, underWay })
    }
  }
  console.log(`index levels (level: segments × their leaves): ${levelsText(db)}`)
  const rng = makeRng(7)
  for (let i = 0; i < NOTES; i += 1) lib.setNote(1 + Math.floor(rng() * total), makeNote(rng, 200))
  let last = performance.now()
  let longest = 0
  const late: number[] = []
  const ask = setInterval(() => {
    const now = performance.now()
    const wait = now - last - 20
    longest = Math.max(longest, wait)
    if (wait > 100) late.push(Math.round(wait))
    last = now
    lib.listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 100 })
  }, 20)
  await new Promise((resolve) => setTimeout(resolve, WATCH_MS))
  clearInterval(ask)
  const slow = calls.filter((c) => c.ms > 20)
  console.log(
    `${NOTES} notes saved, then ${WATCH_MS / 1000} s watched${anySize ? ' (levels of any size merged)' : ''}:`,
  )
  console.log(
    `  the longest a page waited: ${Math.round(longest)} ms; waits over 100 ms: ${late.length ? late.join(', ') : 'none'}`,
  )
  console.log(
    `  merge calls: ${calls.length}, ${Math.round(calls.reduce((n, c) => n + c.ms, 0))} ms in all, the longest ${Math.round(Math.max(0, ...calls.map((c) => c.ms)))} ms`,
  )
  for (const c of slow.slice(0, 20)) {
    console.log(
      `    ${Math.round(c.ms)} ms; under way: [${c.underWay}]; levels before: ${c.before}`,
    )
  }
  console.log(`index levels after: ${levelsText(db)}`)
  lib.close()
}

void main()
