// Power cuts on a simulated disk (testkit/power): every acknowledged change survives a cut at
// any kind of moment on each disk, and so does what a sync pass wrote to the sync folder and
// beside the library; and every fsync of the core is load-bearing — with any one taken away,
// some cut loses or damages something. The long run is `npm run stress -- --power-cuts N`.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DURABILITY_POINTS } from '../../electron/core/store/disk'
import type { DurabilityPoint } from '../../electron/core/store/disk'
import { mutationCheck, pointsIn, record, runPowerCuts } from '../../testkit/power/harness'
import { extremeImagesAt, imageAt, RecordingDisk } from '../../testkit/power/simDisk'
import type { CutMode, Logged } from '../../testkit/power/simDisk'
import { makeRng } from '../../testkit/gen'
import { tempDir } from '../helpers/fixtures'

describe('the simulated disk', () => {
  const root = '/r'
  const file = '/r/f'
  const write = (data: string): Logged[] => [
    { source: 0, event: { kind: 'open', fd: 3, path: file, flags: 'w' } },
    { source: 0, event: { kind: 'write', fd: 3, position: 0, data: Buffer.from(data) } },
  ]
  const outcomes = (log: Logged[], mode: CutMode): Set<string> => {
    const seen = new Set<string>()
    for (let seed = 0; seed < 200; seed += 1) {
      const image = imageAt(root, log, log.length, mode, makeRng(seed))
      seen.add(image.files.has(file) ? image.files.get(file)!.toString('latin1') : 'gone')
    }
    return seen
  }

  it('loses what was not fsynced, wholly or torn at sectors, on each disk', () => {
    const data = 'x'.repeat(1500)
    for (const mode of ['strict', 'ordered', 'prefix'] as const) {
      const seen = outcomes(write(data), mode)
      expect(seen.has('gone') || seen.has(''), mode).toBe(true)
      expect(seen.has(data), mode).toBe(true)
    }
    // Torn at 512-byte sectors: a part of the write, a whole number of sectors.
    const strict = [...outcomes(write(data), 'strict')]
    expect(strict.some((s) => s.length === 1500 && s.includes('\0'))).toBe(true)
  })

  it('keeps an fsynced file only once its folder is fsynced too (strict)', () => {
    const synced: Logged[] = [
      ...write('saved'),
      { source: 0, event: { kind: 'fsync', fd: 3, point: 'journal.append' } },
    ]
    expect(outcomes(synced, 'strict')).toEqual(new Set(['saved', 'gone']))
    const dirSynced: Logged[] = [
      ...synced,
      { source: 0, event: { kind: 'fsyncDirectory', dir: root, point: 'journal.create.dir' } },
    ]
    for (const mode of ['strict', 'ordered', 'prefix'] as const) {
      expect(outcomes(dirSynced, mode)).toEqual(new Set(['saved']))
    }
  })

  it('gives, without luck, the images where a rename lands ahead of its data and a truncate is lost', () => {
    const tmp = '/r/f.tmp'
    const log: Logged[] = [
      { source: 0, event: { kind: 'open', fd: 3, path: file, flags: 'w' } },
      { source: 0, event: { kind: 'write', fd: 3, position: 0, data: Buffer.from('old old') } },
      { source: 0, event: { kind: 'fsync', fd: 3, point: 'journal.append' } },
      { source: 0, event: { kind: 'fsyncDirectory', dir: root, point: 'journal.create.dir' } },
      { source: 0, event: { kind: 'truncate', fd: 3, length: 0 } },
      { source: 0, event: { kind: 'write', fd: 3, position: 0, data: Buffer.from('new') } },
      { source: 0, event: { kind: 'open', fd: 4, path: tmp, flags: 'w' } },
      { source: 0, event: { kind: 'write', fd: 4, position: 0, data: Buffer.from('snap') } },
      { source: 0, event: { kind: 'rename', from: tmp, to: '/r/g' } },
    ]
    const seen = extremeImagesAt(root, log, log.length).map(({ name, image }) => ({
      name,
      f: image.files.get(file)?.toString(),
      g: image.files.get('/r/g')?.toString(),
    }))
    // Nothing unsynced: the old file, no new one. Everything: the new content, the file named.
    expect(seen[0]).toMatchObject({ name: 'nothing unsynced landed', f: 'old old', g: undefined })
    expect(seen).toContainEqual(expect.objectContaining({ f: 'new', g: 'snap' }))
    // The write landed without the truncate before it; the rename without the data.
    expect(seen).toContainEqual(expect.objectContaining({ f: 'new old' }))
    expect(seen).toContainEqual(expect.objectContaining({ g: '' }))
    // And every image is one the strict disk may leave.
    const strict = new Set<string>()
    for (let seed = 0; seed < 3000; seed += 1) {
      const image = imageAt(root, log, log.length, 'strict', makeRng(seed))
      strict.add(`${image.files.get(file)?.toString()}|${image.files.get('/r/g')?.toString()}`)
    }
    for (const { f, g } of seen) expect(strict, `${f}|${g}`).toContain(`${f}|${g}`)
  })

  it('keeps a folder made before the recording whatever the cut, and what is in it by its own flushes only', () => {
    const made = '/r/sync'
    const inside = '/r/sync/f'
    const log: Logged[] = [
      { source: 0, event: { kind: 'mkdir', path: made }, durable: true },
      { source: 0, event: { kind: 'open', fd: 3, path: inside, flags: 'w' } },
      { source: 0, event: { kind: 'write', fd: 3, position: 0, data: Buffer.from('x') } },
    ]
    for (const mode of ['strict', 'ordered', 'prefix'] as const) {
      for (let seed = 0; seed < 50; seed += 1) {
        const image = imageAt(root, log, log.length, mode, makeRng(seed))
        expect(image.dirs.has(made), mode).toBe(true)
      }
    }
    const images = extremeImagesAt(root, log, log.length)
    expect(images.every(({ image }) => image.dirs.has(made))).toBe(true)
    expect(images.some(({ image }) => !image.files.has(inside))).toBe(true)
    // Made in the recording, with no flush, a folder may be lost.
    const unflushed = log.map((l) => ({ ...l, durable: undefined }))
    expect(extremeImagesAt(root, unflushed, 1).some(({ image }) => !image.dirs.has(made))).toBe(
      true,
    )
  })

  it('records the real disk: what it writes is on disk as it would be read back', () => {
    const recording = new RecordingDisk()
    const dir = tempDir()
    const fd = recording.open(join(dir, 'a'), 'w')
    recording.write(fd, Buffer.from('abc'), 0, 3)
    recording.fsync(fd, 'journal.append')
    recording.close(fd)
    recording.rename(join(dir, 'a'), join(dir, 'b'))
    recording.fsyncDirectory(dir, 'backup.dir')
    const image = imageAt(dir, recording.log, recording.log.length, 'prefix', makeRng(1))
    expect([...image.files.keys()]).toEqual([join(dir, 'b')])
    expect(image.files.get(join(dir, 'b'))!.toString()).toBe('abc')
  })
})

describe('power cuts', () => {
  it('keep every acknowledged change and every acknowledged backup, with no change half made', async () => {
    const summary = await runPowerCuts({
      dir: tempDir(),
      seed: 20261201,
      steps: 60,
      // Each run's cuts go to every kind of moment in every kind of call first (146 kinds in
      // the first run's workload): fewer than that, and the kinds last met are never cut.
      cuts: 300,
      cutsPerRun: 150,
    })
    expect(summary.failures).toEqual([])
    expect(summary.cuts).toBe(300)
    for (const moment of [
      'mid-append (written, not yet fsynced)',
      'between write and fsync',
      'between fsync and rename',
      'between rename and folder fsync',
    ]) {
      expect(summary.byMoment[moment] ?? 0, moment).toBeGreaterThan(0)
    }
    for (const call of [
      'note',
      'import',
      'checkpoint',
      'snapshot-thread',
      'backup',
      'restore',
      'torn-tail',
      'recover-journal',
      'backup-memory',
      'commit-fails',
      'backups-folder',
      'move',
      'sync',
    ]) {
      expect(summary.byCall[call] ?? 0, call).toBeGreaterThan(0)
    }
    expect(summary.ackedChecked).toBeGreaterThan(1000)
  }, 240_000)

  it('notice each fsync taken away, and a snapshot renamed before it is flushed', async () => {
    const rec = await record(tempDir(), 20261202, 80)
    const passed = pointsIn(rec)
    // The workload passes through every durability point: one whose fsync is deleted from the
    // core is missing here, whichever it is.
    const declared = Object.keys(DURABILITY_POINTS) as DurabilityPoint[]
    expect([...passed].sort()).toEqual([...declared].sort())
    const { survivors, caught } = await mutationCheck(rec, tempDir())
    expect(caught.length).toBeGreaterThan(20)
    expect(survivors).toEqual([])
    // Ten minutes: a move's many files each leave their images to open at every moment of it.
  }, 600_000)
})
