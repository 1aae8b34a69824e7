// Kill a process that is editing a library, at random moments, and check after each kill that
// every acknowledged change is there and nothing half-done is (see testkit/crash/harness.ts).
// The long run is `npm run stress`.
import { describe, expect, it } from 'vitest'
import { runCrashIterations } from '../../testkit/crash/harness'
import { tempDir } from '../helpers/fixtures'

describe('crash safety', () => {
  it('keeps every acknowledged change across SIGKILLs, and no half import, deletion or undo', async () => {
    // Deletions and undos are a larger share than in the stress run (40% instead of 10%), and
    // the workers run a little longer, so that these few iterations acknowledge enough of them.
    const summary = await runCrashIterations({
      iterations: 8,
      seed: 20261130,
      dir: tempDir(),
      trashShare: 0.4,
      maxRunMs: 600,
    })
    expect(summary.iterations).toBe(8)
    expect(summary.ackedChanges).toBeGreaterThan(0)
    expect(summary.ackedByKind.delete).toBeGreaterThan(0)
    expect(summary.ackedByKind.undelete).toBeGreaterThan(0)
    expect(summary.maxTmpFiles).toBeLessThanOrEqual(1)
    expect(summary.tmpFilesLeftAfterOpen).toBe(0)
  }, 60_000)
})
