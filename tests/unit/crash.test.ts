// Kill a process that is editing a library, at random moments, and check after each kill that
// every acknowledged change is there and nothing half-done is, and that the search and tag
// indexes agree with the papers (see testkit/crash/harness.ts). The long run is `npm run stress`.
import { describe, expect, it } from 'vitest'
import { runCrashIterations } from '../../testkit/crash/harness'
import { tempDir } from '../helpers/fixtures'

describe('crash safety', () => {
  it('keeps every acknowledged change across SIGKILLs, no half change, and the indexes in step', async () => {
    // Deletions and undos are a larger share than in the stress run (30% instead of 10%), and
    // each worker makes at least 30 changes before the kill is timed, so that these few
    // iterations acknowledge enough of every kind even on a slow machine.
    const summary = await runCrashIterations({
      iterations: 8,
      seed: 20261130,
      dir: tempDir(),
      trashShare: 0.3,
      minAckedBeforeKill: 30,
    })
    expect(summary.iterations).toBe(8)
    expect(summary.ackedChanges).toBeGreaterThan(0)
    const { ackedByKind: acked } = summary
    expect(acked.delete).toBeGreaterThan(0)
    expect(acked.undelete).toBeGreaterThan(0)
    expect(acked.star).toBeGreaterThan(0)
    expect(acked.tag).toBeGreaterThan(0)
    expect(acked['undo-update']).toBeGreaterThan(0)
    expect(acked['rename-tag'] + acked['untag-all']).toBeGreaterThan(0)
    expect(summary.tagIndexRowsVerified).toBeGreaterThan(0)
    expect(summary.searchHitsVerified).toBeGreaterThan(0)
    expect(summary.ftsIntegrityChecks).toBe(8)
    // One for a snapshot written in the worker; two while one written on its thread is put in
    // place (its own, and the checksum file's). The harness holds each worker to its own bound.
    expect(summary.maxTmpFiles).toBeLessThanOrEqual(2)
    expect(summary.tmpFilesLeftAfterOpen).toBe(0)
  }, 240_000)
})
