// A sync pass killed (SIGKILL) at random moments: the library it was applying to opens whole,
// holding the others' changes all or none, and the next pass brings it to exactly what an
// uninterrupted pass gives — nothing lost, nothing applied twice (a status change applied twice
// would show as a second entry in the paper's history). And on the sending side: a pass killed
// while it writes this computer's changes to its folder (a segment cut short, say) leaves them
// all to be sent by the next pass, each once.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { STATUSES } from '../../shared/domain'
import { Library } from '../../electron/core/store/library'
import { syncOnce } from '../../electron/core/sync/pass'
import { makeRng, pick } from '../../testkit/gen'
import { cliProcessArgs } from '../helpers/cli'
import { fixedClock, SAMPLE, tempDir } from '../helpers/fixtures'

/** Each a process of its own (seconds apiece where tsx starts slowly). */
const ITERATIONS = 5

async function state(path: string): Promise<string[]> {
  const lib = await Library.open(path, { now: fixedClock('2026-12-01T00:00:00.000Z') })
  try {
    return lib
      .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 500 })
      .rows.map((r) => {
        const p = lib.getPaper(r.id)
        return JSON.stringify([
          p.title,
          p.status,
          p.statusHistory.length,
          p.starred,
          p.tags,
          p.note,
        ])
      })
  } finally {
    lib.close()
  }
}

/** Runs `lectern --library LIB sync DIR` in a process of its own, killed after `killAfter` ms. */
function syncProcess(
  library: string,
  dir: string,
  killAfter: number | null,
): Promise<{ ms: number; killed: boolean }> {
  const started = performance.now()
  const child = spawn(process.execPath, cliProcessArgs('--library', library, 'sync', dir), {
    cwd: join(__dirname, '../..'),
    stdio: 'ignore',
  })
  const timer = killAfter === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfter)
  return new Promise((done, fail) => {
    child.on('error', fail)
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      if (signal === null && code !== 0) fail(new Error(`lectern sync exited ${code}`))
      else done({ ms: performance.now() - started, killed: signal === 'SIGKILL' })
    })
  })
}

describe('sync and SIGKILL', () => {
  it('a pass killed at any moment applies the others’ changes all or none, and once', async () => {
    const rng = makeRng(20261203)
    const folder = tempDir()
    // Device A: the sample, with a status, a note, a star or a tag on most papers.
    const a = await Library.open(join(tempDir(), 'a.sqlite'), { now: fixedClock() })
    a.importText('sample.txt', SAMPLE)
    const ids = a
      .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 500 })
      .rows.map((r) => r.id)
    for (const id of ids) {
      a.setStatus(id, pick(rng, STATUSES.slice(1)))
      if (rng() < 0.6) a.setNote(id, `note on ${id}: ${'words '.repeat(30)}`)
      if (rng() < 0.3) a.updatePapers({ ids: [id], starred: true, addTags: ['x', `t${id % 5}`] })
    }
    syncOnce(a, folder)
    a.close()

    // B: a library of its own that has synced before (its device made), nothing of A's yet.
    const seed = join(tempDir(), 'seed')
    mkdirSync(seed)
    const emptyFolder = tempDir()
    const b0 = await Library.open(join(seed, 'b.sqlite'), { now: fixedClock() })
    syncOnce(b0, emptyFolder)
    b0.close()
    const fresh = (): string => {
      const dir = join(tempDir(), 'b')
      cpSync(seed, dir, { recursive: true })
      return join(dir, 'b.sqlite')
    }

    // Uninterrupted: how long a pass takes, and what it gives.
    const reference = fresh()
    const whole = await syncProcess(reference, folder, null)
    const expected = await state(reference)
    expect(expected).toHaveLength(95)
    const before = await state(fresh())

    let killed = 0
    let applied = 0
    // How long a whole pass takes, as the quickest seen: on a machine whose load changes, passes
    // timed from a slow first one all ended before their kill (none killed in a CI run).
    let quickest = whole.ms
    for (let i = 0; killed < ITERATIONS && i < 4 * ITERATIONS; i += 1) {
      const library = fresh()
      // From during start-up (most of a process's time) to after the process would have ended.
      const run = await syncProcess(library, folder, Math.round(quickest * (0.4 + 0.8 * rng())))
      if (run.killed) killed += 1
      else quickest = Math.min(quickest, run.ms)
      const after = await state(library)
      if (after.length > 0) applied += 1
      expect([before, expected], `kill ${i} at ${Math.round(run.ms)} ms`).toContainEqual(after)
      // And the next pass finishes it, applying nothing twice.
      const lib = await Library.open(library, { now: fixedClock('2026-12-01T00:00:00.000Z') })
      syncOnce(lib, folder)
      lib.close()
      expect(await state(library)).toEqual(expected)
      rmSync(join(library, '..'), { recursive: true, force: true })
      expect(existsSync(library)).toBe(false)
    }
    expect(killed).toBeGreaterThan(0)
    console.log(`sync kill test: ${killed} passes killed, ${applied} had applied before it`)
  }, 240_000)

  it('a pass killed while it writes this computer’s changes loses none, and sends each once', async () => {
    const rng = makeRng(20261204)
    // A: the sample, changed, never synced: its first pass records every paper and writes them.
    const seedA = join(tempDir(), 'seed-a')
    mkdirSync(seedA)
    const a = await Library.open(join(seedA, 'a.sqlite'), { now: fixedClock() })
    a.importText('sample.txt', SAMPLE)
    for (const { id } of a.listPapers({
      sort: { field: 'title', direction: 'asc' },
      offset: 0,
      limit: 500,
    }).rows) {
      a.setStatus(id, pick(rng, STATUSES.slice(1)))
      if (rng() < 0.6) a.setNote(id, `note on ${id}: ${'words '.repeat(30)}`)
      if (rng() < 0.3) a.updatePapers({ ids: [id], starred: true, addTags: ['x', `t${id % 5}`] })
    }
    a.close()
    // B: has synced before (its device made), with nothing of A's.
    const seedB = join(tempDir(), 'seed-b')
    mkdirSync(seedB)
    const b0 = await Library.open(join(seedB, 'b.sqlite'), { now: fixedClock() })
    syncOnce(b0, tempDir())
    b0.close()
    const copyOf = (seed: string, file: string): string => {
      const dir = join(tempDir(), 'copy')
      cpSync(seed, dir, { recursive: true })
      return join(dir, file)
    }
    const receive = async (folder: string): Promise<string[]> => {
      const library = copyOf(seedB, 'b.sqlite')
      const b = await Library.open(library, { now: fixedClock('2026-12-01T00:00:00.000Z') })
      syncOnce(b, folder)
      b.close()
      return state(library)
    }

    // Uninterrupted: how long A's pass takes, and what B then has.
    const folder0 = tempDir()
    const whole = await syncProcess(copyOf(seedA, 'a.sqlite'), folder0, null)
    const expected = await receive(folder0)
    expect(expected).toHaveLength(95)

    let killed = 0
    let quickest = whole.ms
    for (let i = 0; killed < ITERATIONS && i < 4 * ITERATIONS; i += 1) {
      const library = copyOf(seedA, 'a.sqlite')
      const folder = tempDir()
      const run = await syncProcess(library, folder, Math.round(quickest * (0.4 + 0.8 * rng())))
      if (run.killed) killed += 1
      else quickest = Math.min(quickest, run.ms)
      // A opens whole, and its next pass sends what the killed one did not.
      const lib = await Library.open(library, { now: fixedClock('2026-12-01T00:00:00.000Z') })
      syncOnce(lib, folder)
      lib.close()
      expect(await receive(folder), `kill ${i} at ${Math.round(run.ms)} ms`).toEqual(expected)
    }
    expect(killed).toBeGreaterThan(0)
    console.log(`sync kill test, sending side: ${killed} passes killed`)
  }, 240_000)
})
