// Convergence: several devices make random changes (overlapping imports, statuses, notes,
// stars, tags, deletions and their undos) with clocks that disagree, while a simulated sync
// service delivers their folders to one another late, in any order, again, cut short in the
// middle of a file, as conflict copies, and now and then as an older copy. Once everything is
// delivered, every device has the same library, and no note text that no later edit replaced
// is lost: the shown note or a conflict version holds it. Devices write compacted states at
// random moments (delivered as any file is: late, cut short, older), and one device joins
// late, with changes of its own made before, starting from another's state where one arrived:
// it must end with the library of those that read every operation.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { STATUSES, isSyncImport } from '../../shared/domain'
import type { PaperState } from '../../shared/domain'
import { LibraryError } from '../../electron/core/errors'
import { Library } from '../../electron/core/store/library'
import { syncOnce } from '../../electron/core/sync/pass'
import type { SyncOptions } from '../../electron/core/sync/pass'
import { deviceFolder } from '../../electron/core/sync/segments'
import { deriveSeed, int, makeRng, pick } from '../../testkit/gen'
import type { Rng } from '../../testkit/gen'
import { tempDir } from '../helpers/fixtures'

interface Device {
  name: string
  lib: Library
  /** This device's copy of the shared folder. */
  view: string
  /** Its device id ('' until its first pass: a device that joins late). */
  id: string
}

/**
 * A pass of `d`'s, counting the compacted states it started from. A device that joins brings
 * the notes its library has (the ones it wrote before and still has: a paper it deleted
 * meanwhile took its note with it).
 */
function pass(
  d: Device,
  options: SyncOptions,
  started: { states: number },
  versions: NoteVersion[],
) {
  if (d.id === '') {
    for (const { id, title } of livePapers(d.lib)) {
      const text = d.lib.getPaper(id).note
      if (text !== '') versions.push({ title, text, base: '' })
    }
  }
  const report = syncOnce(d.lib, d.view, options)
  d.id = report.device
  started.states += report.stateUsed.length
  return report
}

/**
 * Now and then a pass writes a compacted state (the real threshold is never reached here), and
 * prunes the small segments it covers.
 */
function passOptions(rng: Rng): SyncOptions {
  const segmentBytes = 2000
  return rng() < 0.25
    ? { stateEvery: int(rng, 1, 40), stateInterval: 0, segmentBytes }
    : { stateEvery: Number.MAX_SAFE_INTEGER, segmentBytes }
}

/** Files `from` removed from its folder (pruned segments, older states) go from `to`'s copy. */
function deliverRemovals(from: Device, to: Device): void {
  const source = deviceFolder(from.view, from.id)
  const target = deviceFolder(to.view, from.id)
  if (!existsSync(source) || !existsSync(target)) return
  const there = new Set(readdirSync(source))
  for (const name of readdirSync(target)) {
    if (/^(\d{6}\.seg|state-\d{12}\.state)$/.test(name) && !there.has(name)) {
      rmSync(join(target, name))
    }
  }
}

const POOL = Array.from({ length: 24 }, (_, i) => ({
  title: `A Study Of Topic Number ${i} In Depth`,
  abstract: `The abstract of paper ${i}, which says something about topic ${i}.`,
}))

function dump(papers: typeof POOL): string {
  return `Aug 19\n\n${papers.map((p) => `${p.title}\n\n${p.abstract}\n`).join('\n')}`
}

/**
 * The same papers as BibTeX that gives each its arXiv id or its DOI only (a device that knows
 * a paper by one, another by the other, or by its title alone, or one that gains an id later).
 */
function bibtex(papers: typeof POOL, by: 'arxiv' | 'doi'): string {
  return papers
    .map((p) => {
      const n = POOL.indexOf(p)
      const id =
        by === 'arxiv'
          ? `eprint={2408.${String(10_000 + n)}}, archivePrefix={arXiv}`
          : `doi={10.1000/topic.${n}}`
      return `@article{p${n}, title={${p.title}}, ${id}, abstract={${p.abstract}}}\n`
    })
    .join('\n')
}

function livePapers(lib: Library): { id: number; title: string }[] {
  return lib
    .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 500 })
    .rows.map((r) => ({ id: r.id, title: r.title }))
}

/** A library as the test compares it: each live paper's user state, by title. */
function canonical(lib: Library): string[] {
  return livePapers(lib).map(({ id, title }) => {
    const p = lib.getPaper(id)
    const conflicts = (p.noteConflicts ?? []).map((c) => c.text).sort()
    const tags = p.tags.map((t) => t.toLowerCase()).sort()
    return JSON.stringify([title, p.status, p.starred, tags, p.note, conflicts])
  })
}

/** A file of `from`'s own folder arrives in `to`'s copy of the sync folder, somehow. */
function deliver(rng: Rng, from: Device, to: Device, older: Map<string, Buffer>): void {
  if (from.id === '') return
  const source = deviceFolder(from.view, from.id)
  if (!existsSync(source)) return
  const files = readdirSync(source)
  if (files.length === 0) return
  const name = pick(rng, files)
  const data = readFileSync(join(source, name))
  const target = deviceFolder(to.view, from.id)
  mkdirSync(target, { recursive: true })
  const key = `${from.id}/${name}/${to.name}`
  const roll = rng()
  if (rng() < 0.3) deliverRemovals(from, to)
  if (roll < 0.45) {
    writeFileSync(join(target, name), data)
    older.set(key, data)
  } else if (roll < 0.65) {
    // Still being copied: a prefix, cut anywhere (mid-record).
    writeFileSync(join(target, name), data.subarray(0, int(rng, 0, data.length)))
  } else if (roll < 0.75) {
    const copy = name.replace(
      '.seg',
      pick(rng, ['.sync-conflict-20261130-120000-ABCDEFG.seg', ' (conflicted copy).seg', ' 2.seg']),
    )
    writeFileSync(join(target, copy), data.subarray(0, int(rng, data.length >> 1, data.length)))
  } else if (roll < 0.85) {
    writeFileSync(join(target, `.syncthing.${name}.tmp`), data.subarray(0, data.length >> 1))
    writeFileSync(join(target, `~$${name}`), Buffer.from('not a segment'))
  } else if (roll < 0.92) {
    // A folder restored from an older backup: a copy from before.
    const before = older.get(key)
    if (before) writeFileSync(join(target, name), before)
  }
  // Otherwise delayed: nothing arrives this time.
}

function deliverAll(devices: Device[], only?: Device): void {
  for (const from of devices) {
    if (from.id === '') continue
    const source = deviceFolder(from.view, from.id)
    if (!existsSync(source)) continue
    for (const to of devices) {
      if (to === from || (only && to !== only)) continue
      const target = deviceFolder(to.view, from.id)
      mkdirSync(target, { recursive: true })
      for (const name of readdirSync(source)) {
        writeFileSync(join(target, name), readFileSync(join(source, name)))
      }
      deliverRemovals(from, to)
    }
  }
}

interface NoteVersion {
  title: string
  text: string
  base: string
}

async function run(
  seed: number,
  devicesCount: number,
  steps: number,
): Promise<{ ops: number; deliveries: number; states: number; pruned: number }> {
  const rng = makeRng(seed)
  let clock = Date.parse('2026-11-30T12:00:00.000Z')
  // Clocks that disagree by minutes: a device's own edits must keep their order all the same.
  const skews = [0, -7 * 60_000, 3 * 60_000, 11 * 60_000, -60_000]
  const root = tempDir()
  const devices: Device[] = []
  const started = { states: 0 }
  const versions: NoteVersion[] = []
  // The last device joins the folder late (its library used alone till then).
  const late = devicesCount - 1
  for (let i = 0; i < devicesCount; i += 1) {
    const dir = join(root, `d${i}`)
    const view = join(root, `view${i}`)
    mkdirSync(dir)
    mkdirSync(view)
    const skew = skews[i % skews.length]!
    const lib = await Library.open(join(dir, 'library.sqlite'), {
      now: () => new Date((clock += 1000) + skew),
    })
    const d: Device = { name: `d${i}`, lib, view, id: '' }
    if (i !== late) pass(d, passOptions(rng), started, versions)
    devices.push(d)
  }
  const undoable = new Map<Device, PaperState[]>()
  const older = new Map<string, Buffer>()
  let ops = 0
  let deliveries = 0
  for (let step = 0; step < steps; step += 1) {
    const d = pick(rng, devices)
    const papers = livePapers(d.lib)
    const roll = rng()
    try {
      if (roll < 0.12 || papers.length === 0) {
        const from = int(rng, 0, POOL.length - 4)
        const some = POOL.slice(from, from + int(rng, 1, 4))
        const as = rng()
        if (as < 0.5) d.lib.importText('dump.txt', dump(some))
        else d.lib.importText('refs.bib', bibtex(some, as < 0.75 ? 'arxiv' : 'doi'))
      } else if (roll < 0.25) {
        d.lib.setStatus(pick(rng, papers).id, pick(rng, STATUSES))
      } else if (roll < 0.42) {
        const p = pick(rng, papers)
        const base = d.lib.getPaper(p.id).note
        const text = `note ${step} on ${d.name}`
        d.lib.setNote(p.id, text)
        // Before it joins, a device's notes are its own (see pass).
        if (d.id !== '') versions.push({ title: p.title, text, base })
      } else if (roll < 0.5) {
        const p = pick(rng, papers)
        const states = d.lib.updatePapers({ ids: [p.id], starred: !d.lib.getPaper(p.id).starred })
        undoable.set(d, states)
      } else if (roll < 0.6) {
        const p = pick(rng, papers)
        const tag = pick(rng, ['alpha', 'Beta', 'gamma'])
        const states =
          rng() < 0.6
            ? d.lib.updatePapers({ ids: [p.id], addTags: [tag] })
            : d.lib.updatePapers({ ids: [p.id], removeTags: [tag] })
        undoable.set(d, states)
      } else if (roll < 0.62) {
        // Undo of the last star or tag change (the toast's Undo), or a tag renamed everywhere.
        const states = undoable.get(d)
        if (states && rng() < 0.7) d.lib.restorePapers(states)
        else d.lib.renameTag(pick(rng, ['alpha', 'Beta', 'gamma']), pick(rng, ['delta', 'alpha']))
        undoable.delete(d)
      } else if (roll < 0.63) {
        // Its own imports: what sync brought is not undone (it would go everywhere).
        const imports = d.lib.imports().filter((i) => i.undoneAt === null && !isSyncImport(i))
        if (imports.length > 0) d.lib.undoImport(pick(rng, imports).id)
      } else if (roll < 0.66) {
        d.lib.deletePapers([pick(rng, papers).id])
      } else if (roll < 0.69) {
        d.lib.restoreDeleted(null)
      } else if (roll < 0.8) {
        // The late device joins halfway, most often once the folder has reached it whole.
        if (d.id === '' && step >= steps / 2 && rng() < 0.7) deliverAll(devices, d)
        if (d.id !== '' || step >= steps / 2) pass(d, passOptions(rng), started, versions)
      } else {
        for (let k = int(rng, 1, 4); k > 0; k -= 1) {
          const to = pick(rng, devices)
          if (to !== d) deliver(rng, d, to, older)
          deliveries += 1
        }
      }
      ops += 1
    } catch (error) {
      // An undo with nothing to undo, or one refused to keep a note: as in the app.
      if (!(error instanceof LibraryError)) throw error
    }
  }
  // Everything delivered, whole; every device syncs until nothing moves.
  for (let round = 0; round < 3; round += 1) {
    for (const d of devices) pass(d, passOptions(rng), started, versions)
    deliverAll(devices)
  }
  for (const d of devices) {
    const report = syncOnce(d.lib, d.view)
    expect(report.sent, `${d.name} still had changes to send`).toBe(0)
    expect(report.devices.every((p) => p.waiting === 0)).toBe(true)
  }
  const states = devices.map((d) => canonical(d.lib))
  for (const [i, state] of states.entries()) {
    expect(state, `device ${devices[i]!.name} (seed ${seed})`).toEqual(states[0])
  }
  // No note text lost: every version no later one replaced is the note or a conflict version,
  // where its paper is still there.
  const replaced = new Set(versions.map((v) => `${v.title}\n${v.base}`))
  const lib = devices[0]!.lib
  const live = new Map(livePapers(lib).map((p) => [p.title, p.id]))
  for (const v of versions) {
    if (replaced.has(`${v.title}\n${v.text}`)) continue
    const id = live.get(v.title)
    if (id === undefined) continue
    const paper = lib.getPaper(id)
    const shown = [paper.note, ...(paper.noteConflicts ?? []).map((c) => c.text)]
    if (!shown.includes(v.text) && process.env.SYNC_DEBUG) {
      const db = (lib as unknown as { db: { all: (sql: string) => unknown[] } }).db
      console.log(devices.map((d) => `${d.name}=${d.id}`).join(' '))
      console.log(
        db.all(
          "SELECT n.*, (SELECT group_concat(vid) FROM sync_note_bases b WHERE b.pkey = n.pkey AND b.vid = n.vid) AS replaced FROM sync_notes n WHERE pkey LIKE '%17 in depth%' ORDER BY stamp",
        ),
      )
      console.log(versions.filter((x) => x.title === v.title))
      console.log(
        db
          .all('SELECT op FROM sync_log')
          .map((r) => (r as { op: string }).op)
          .filter((o) => o.includes('17 in depth') && o.includes('note')),
      )
    }
    expect(shown, `seed ${seed}: “${v.text}” on “${v.title}”`).toContain(v.text)
  }
  // Devices that pruned segments their state covered.
  const pruned = devices.filter(
    (d) => !readdirSync(deviceFolder(d.view, d.id)).includes('000001.seg'),
  )
  for (const d of devices) d.lib.close()
  return { ops, deliveries, states: started.states, pruned: pruned.length }
}

describe('sync convergence', () => {
  it('brings every device to the same library whatever the delivery, losing no note', async () => {
    const started = performance.now()
    let ops = 0
    let deliveries = 0
    let states = 0
    let pruned = 0
    const runs = Number(process.env.SYNC_RUNS ?? 6)
    const base = Number(process.env.SYNC_SEED ?? 20261202)
    for (let i = 0; i < runs; i += 1) {
      const result = await run(deriveSeed(base, i), 3 + (i % 2), 160)
      ops += result.ops
      deliveries += result.deliveries
      states += result.states
      pruned += result.pruned
    }
    console.log(
      `sync convergence: ${runs} runs, 3–4 devices, ${ops} operations, ${deliveries} deliveries, ${states} starts from a compacted state, ${pruned} devices pruned, ${Math.round(performance.now() - started)} ms`,
    )
    expect(ops).toBeGreaterThan(runs * 100)
    expect(states).toBeGreaterThan(0)
    expect(pruned).toBeGreaterThan(0)
  }, 120_000)
})
