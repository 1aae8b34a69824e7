// Stress run: hundreds of SIGKILLs of a process editing one library (testkit/crash/harness.ts
// checks every acknowledged change after each, and the search and tag indexes against the
// papers), then an in-process run of many edits that prints memory at intervals to show it
// stays flat.
//
//   node --expose-gc --import tsx scripts/stress.ts [--iterations 300] [--seed N] [--edits 20000]
//                                                  [--papers 1000] [--trash-share 0.1]
//                                                  [--min-acked 0] [--checkpoint-bytes 65536]
//                                                  [--keep] [--power-cuts N] [--power-steps 80]
//                                                  [--mutation-seeds K]
//
// --power-cuts N: instead, N power cuts on the simulated disk (testkit/power/harness.ts): a
// workload of --power-steps calls is recorded, cut at every kind of moment on each disk, and
// every cut's image opened and checked; a new workload every 300 cuts. --mutation-seeds K: then
// the mutation check (each fsync taken away must lose something) on K workloads of their own.
//
// --trash-share: the share of the workers' changes that delete papers or undo a deletion.
// --min-acked: changes each worker acknowledges before its kill is timed (a floor on the work
// per kill on a slow machine; early kills, in start-up, are not held back).
//
// It prints figures only; the crash checks throw (and the script exits non-zero) on a failure.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { STATUSES } from '../shared/domain'
import { loadEngine } from '../electron/core/db/database'
import { Library } from '../electron/core/store/library'
import { runCrashIterations } from '../testkit/crash/harness'
import { mutationCheck, record, runPowerCuts } from '../testkit/power/harness'
import type { IterationReport } from '../testkit/crash/harness'
import {
  deriveSeed,
  int,
  makeAbstract,
  makeDump,
  makeNote,
  makeRng,
  makeTitle,
  noteLength,
  pick,
} from '../testkit/gen'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const MB = 1024 * 1024
const mb = (n: number): string => `${(n / MB).toFixed(1)} MB`

async function crashRun(
  dir: string,
  iterations: number,
  seed: number,
  trashShare: number,
  minAckedBeforeKill: number,
  checkpointBytes: number,
): Promise<void> {
  console.log(
    `== crash run: ${iterations} SIGKILLs, seed ${seed}, trash share ${trashShare}, min acked ${minAckedBeforeKill}, snapshot every ${checkpointBytes} B of journal (on a thread in every other worker), library in ${dir}`,
  )
  const every = Math.max(1, Math.floor(iterations / 30))
  let acked = 0
  const summary = await runCrashIterations({
    iterations,
    seed,
    dir,
    trashShare,
    minAckedBeforeKill,
    checkpointBytes,
    onIteration(r: IterationReport) {
      acked += r.acked
      if (r.iteration % every === 0 || r.iteration === iterations) {
        console.log(
          `  ${String(r.iteration).padStart(4)}/${iterations}  acked so far ${String(acked).padStart(6)}  ` +
            `papers ${String(r.papers).padStart(5)}  last kill: ${r.killedAt.padEnd(28)} ` +
            `in flight landed: ${String(r.inFlightLanded).padEnd(5)}  journal ${String(r.journalBytes).padStart(6)} B  ` +
            `tmp files ${r.tmpFiles}  start-up ${r.startMs ?? '-'} ms  (${r.ms} ms)`,
        )
      }
    },
  })
  console.log('== crash run summary')
  console.log(`  iterations (SIGKILLs)            ${summary.iterations}`)
  const k = summary.ackedByKind
  console.log(
    `  acknowledged changes             ${summary.ackedChanges} (notes ${k.note}, statuses ${k.status}, imports ${k.import}, deletes ${k.delete}, undos ${k.undelete}, stars ${k.star}, tags ${k.tag}, tag renames ${k['rename-tag']}, tag deletions ${k['untag-all']}, undos of star/tag ${k['undo-update']})`,
  )
  console.log(
    `  undos refused / copies given way ${summary.undosRefused} / ${summary.copiesGivenWay}`,
  )
  console.log(`  tag renames/deletions refused    ${summary.tagChangesRefused}`)
  console.log(`  per-paper values verified        ${summary.valuesVerified}`)
  console.log(
    `  searches vs a plain scan         ${summary.searchesChecked} (${summary.searchHitsVerified} papers found, all as the scan)`,
  )
  console.log(`  paper_tags rows verified         ${summary.tagIndexRowsVerified}`)
  console.log(`  FTS4 integrity-checks passed     ${summary.ftsIntegrityChecks}`)
  console.log(`  kill points:`)
  for (const [where, n] of Object.entries(summary.killsAt)) {
    console.log(`    ${where.padEnd(30)} ${n}`)
  }
  console.log(
    `  in-flight op found applied / not ${summary.inFlightLanded} / ${summary.inFlightNotLanded}`,
  )
  for (const [kind, n] of Object.entries(summary.inFlightByKind)) {
    console.log(`    ${kind.padEnd(30)} ${n.landed} / ${n.notLanded}`)
  }
  console.log(`  torn journal tails dropped       ${summary.tornTails}`)
  console.log(`  empty lock files left by a kill  ${summary.emptyLocks}`)
  console.log(`  snapshots written by workers     ${summary.checkpointsByWorkers}`)
  console.log(
    `  worker start-up: slowest ${Math.round(summary.maxStartMs)} ms, killed for a slow start ${summary.slowStarts}`,
  )
  console.log(
    `  verified via read-only / writable ${summary.readOnlyVerifications} / ${summary.writableVerifications}`,
  )
  console.log(`  max journal size after a kill    ${summary.maxJournalBytes} B`)
  console.log(`  max temporary snapshot files     ${summary.maxTmpFiles}`)
  console.log(`  tmp files left after writable open ${summary.tmpFilesLeftAfterOpen}`)
  console.log(
    `  final library                    ${summary.papers} papers, ${summary.imports} imports, ${summary.deletionsNotUndone} deletions to undo, snapshot ${mb(summary.snapshotBytes)}`,
  )
  console.log(`  elapsed                          ${(summary.ms / 1000).toFixed(1)} s`)
}

interface SqlJsStats {
  _sqlite3_memory_used?: () => number | bigint
}

async function memoryRun(dir: string, papers: number, edits: number, seed: number): Promise<void> {
  console.log(
    `== memory run: ${papers} papers, ${edits} note/status edits in-process, snapshot every 4 MB of journal`,
  )
  const SQL = (await loadEngine()) as unknown as SqlJsStats
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) console.log('  (run with node --expose-gc for steadier heap figures)')
  const rng = makeRng(seed)
  const path = join(dir, 'memory.sqlite')
  // A 4 MB journal limit (instead of 32 MB) so that the run writes several snapshots too.
  const lib = await Library.open(path, { owner: 'stress', checkpointBytes: 4 * MB })
  const items = Array.from({ length: papers }, (_, i) => ({
    title: makeTitle(rng, `M${i}`),
    abstract: makeAbstract(rng, 1500),
  }))
  lib.importText('memory.txt', makeDump('Aug 19', items))
  const ids = lib
    .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: papers })
    .rows.map((r) => r.id)

  const header =
    '  edits     rss        heapUsed   heapTotal  external   arrayBuf   sqlite mem  journal    snapshot'
  console.log(header)
  const sample = (done: number): number => {
    gc?.()
    const m = process.memoryUsage()
    const sqlite = SQL._sqlite3_memory_used ? Number(SQL._sqlite3_memory_used()) : NaN
    const journal = statSync(lib.journalPath).size
    const snapshot = statSync(path).size
    console.log(
      `  ${String(done).padStart(6)}  ${[
        m.rss,
        m.heapUsed,
        m.heapTotal,
        m.external,
        m.arrayBuffers,
        sqlite,
        journal,
        snapshot,
      ]
        .map((n) => mb(n).padStart(10))
        .join(' ')}`,
    )
    return m.rss
  }
  const every = Math.max(1, Math.floor(edits / 20))
  const rss: number[] = [sample(0)]
  let checkpoints = 0
  let lastJournal = 0
  const started = performance.now()
  for (let i = 1; i <= edits; i += 1) {
    const id = pick(rng, ids)
    if (rng() < 0.6) lib.setNote(id, makeNote(rng, Math.min(noteLength(rng), int(rng, 0, 4000))))
    else lib.setStatus(id, pick(rng, STATUSES))
    // The app has a turn between requests: a snapshot written on its thread is put in place then.
    await new Promise((resolve) => setImmediate(resolve))
    const j = statSync(lib.journalPath).size
    if (j < lastJournal) checkpoints += 1
    lastJournal = j
    if (i % every === 0) rss.push(sample(i))
  }
  const ms = performance.now() - started
  lib.close()
  const quarter = rss[Math.floor(rss.length / 4)]!
  console.log(
    `  ${edits} edits in ${(ms / 1000).toFixed(1)} s (${(ms / edits).toFixed(2)} ms each), ${checkpoints} snapshots written`,
  )
  console.log(
    `  rss at 25%: ${mb(quarter)}, at the end: ${mb(rss[rss.length - 1]!)}, max: ${mb(Math.max(...rss))}`,
  )
}

/** The mutation check on `seeds` workloads of their own: each fsync taken away must lose something. */
async function mutationRun(dir: string, seeds: number, seed: number, steps: number): Promise<void> {
  console.log(`== mutation check: ${seeds} workloads of ${steps} calls, seed ${seed}`)
  const started = performance.now()
  const tries = new Map<string, number[]>()
  const missed = new Map<string, number>()
  for (let k = 0; k < seeds; k += 1) {
    const rec = await record(join(dir, `mutations-${k}`), deriveSeed(seed, 1000 + k), steps)
    const report = await mutationCheck(rec, join(dir, `mutation-cuts-${k}`))
    for (const c of report.caught)
      tries.set(c.mutation, [...(tries.get(c.mutation) ?? []), c.tried])
    for (const s of report.survivors) missed.set(s, (missed.get(s) ?? 0) + 1)
    console.log(
      `  workload ${k + 1}/${seeds}: ${rec.log.length} events, ${report.caught.length} mutations caught, ${report.survivors.length} not (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    )
    rmSync(rec.root, { recursive: true, force: true })
  }
  // A workload may make a flush redundant (a later one in the same call covers it): a mutation
  // survives only if no workload shows a loss for it.
  console.log('  images opened until the loss was seen (median, max), and in how many workloads')
  for (const name of [...new Set([...tries.keys(), ...missed.keys()])].sort()) {
    const counts = [...(tries.get(name) ?? [])].sort((a, b) => a - b)
    const seen =
      counts.length > 0 ? `${counts[Math.floor(counts.length / 2)]}, ${counts.at(-1)}` : '–'
    console.log(
      `    ${name.padEnd(44)} ${seen.padEnd(10)} caught in ${counts.length}/${counts.length + (missed.get(name) ?? 0)}`,
    )
  }
  const survivors = [...missed.keys()].filter((name) => !tries.has(name))
  for (const s of survivors) console.log(`  SURVIVED in every workload: ${s}`)
  if (survivors.length > 0) throw new Error(`${survivors.length} mutations survived`)
}

async function powerCutRun(dir: string, cuts: number, seed: number, steps: number): Promise<void> {
  console.log(
    `== power-cut run: ${cuts} cuts, seed ${seed}, ${steps} calls per workload, in ${dir}`,
  )
  const started = performance.now()
  const summary = await runPowerCuts({
    dir,
    seed,
    steps,
    cuts,
    onProgress: (s) =>
      console.log(
        `  ${String(s.cuts).padStart(6)}/${cuts} cuts  acked checked ${s.ackedChecked}  failures ${s.failures.length}  (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      ),
  })
  const table = (title: string, counts: Record<string, number>): void => {
    console.log(`  ${title}`)
    for (const [k, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
      console.log(`    ${k.padEnd(44)} ${n}`)
    }
  }
  console.log('== power-cut summary')
  console.log(`  power cuts                       ${summary.cuts}`)
  console.log(
    `  workloads                        ${summary.steps} calls, ${summary.events} writes/fsyncs/renames recorded, ${summary.backups} backups`,
  )
  console.log(
    `  acknowledged changes checked     ${summary.ackedChecked} (each cut: every call acknowledged before it)`,
  )
  table('by disk', summary.byMode)
  table('by moment (the last thing done before the cut)', summary.byMoment)
  table('by call under way', summary.byCall)
  table('outcomes', summary.outcomes)
  console.log(`  losses or damage                 ${summary.failures.length}`)
  for (const failure of summary.failures) console.log(`    ${failure}`)
  console.log(
    `  elapsed                          ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  if (summary.failures.length > 0)
    throw new Error(`${summary.failures.length} power cuts lost or damaged something`)
}

async function main(): Promise<void> {
  const iterations = arg('iterations', 300)
  const seed = arg('seed', 20261130)
  const edits = arg('edits', 20_000)
  const papers = arg('papers', 1000)
  const trashShare = arg('trash-share', 0.1)
  const minAcked = arg('min-acked', 0)
  const checkpointBytes = arg('checkpoint-bytes', 64 * 1024)
  const keep = process.argv.includes('--keep')
  const dir = mkdtempSync(join(tmpdir(), 'lectern-stress-'))
  const powerCuts = arg('power-cuts', 0)
  if (powerCuts > 0) {
    await powerCutRun(dir, powerCuts, seed, arg('power-steps', 80))
    const seeds = arg('mutation-seeds', 0)
    if (seeds > 0) await mutationRun(dir, seeds, seed, arg('power-steps', 80))
    rmSync(dir, { recursive: true, force: true })
    return
  }
  try {
    if (iterations > 0) await crashRun(dir, iterations, seed, trashShare, minAcked, checkpointBytes)
    if (edits > 0) await memoryRun(dir, papers, edits, seed)
  } catch (error) {
    console.log(`(kept ${dir}; the files as the last kill left them are in last-kill/)`)
    throw error
  }
  if (keep) console.log(`(kept ${dir})`)
  else rmSync(dir, { recursive: true, force: true })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
