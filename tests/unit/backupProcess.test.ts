// A backup is written in a process of its own (core/jobProcess.ts), not on a thread: at
// 790,000 papers a backup thread giving its gigabytes back held the kernel's lock on the app's
// memory map, and the app's next page waited half a second. The command line and the browser
// host start it with Node's fork, the desktop app with Electron's utilityProcess (a stand-in
// here: a Node process given a utility process's `process.parentPort`).
import { fork } from 'node:child_process'
import { EventEmitter } from 'node:events'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LibraryError } from '../../electron/core/errors'
import { removeStaleBackupTemporaries, writeBackup } from '../../electron/core/safety/backups'
import { forkProcess, notStarted, useStartProcess } from '../../electron/core/jobProcess'
import type { JobProcess, StartProcess } from '../../electron/core/jobProcess'
import { nodeDisk, useDisk } from '../../electron/core/store/disk'
import { workerScript } from '../../electron/core/store/readOffThread'
import type { Library } from '../../electron/core/store/library'
import { utilityStarter } from '../../electron/main/jobProcess'
import type { UtilityLike } from '../../electron/main/jobProcess'
import { makeAbstract, makeDump, makeRng, makeTitle } from '../../testkit/gen'
import { SAMPLE_PATH, fixedClock, tempDir } from '../helpers/fixtures'
import { openTempLibrary } from '../helpers/library'
import { utilityStandIn } from '../helpers/utilityProcess'

/** A stand-in for an app that starts a backup's process and is killed once the files are read. */
const ORPHANING_APP = join(__dirname, '..', 'helpers', 'orphaningApp.cjs')

const undo: (() => void)[] = []
afterEach(() => {
  while (undo.length) undo.pop()!()
})

/**
 * Starts processes as `start` does, and tells `seen` of each: its id, what it says. `hold` keeps
 * a message from whoever asked (that side never hears it) and may kill the process then.
 */
function watched(
  start: StartProcess,
  seen: {
    pids: number[]
    messages: unknown[]
    hold?: (message: { kind: string }, child: JobProcess) => boolean
  },
): StartProcess {
  return (script) => {
    const child = start(script)
    seen.pids.push(child.pid() ?? 0)
    return {
      ...child,
      onMessage: (listener) =>
        child.onMessage((message) => {
          seen.messages.push(message)
          if (!seen.hold?.(message as { kind: string }, child)) listener(message)
        }),
    }
  }
}

async function libraryWithPapers(papers = 0): Promise<Awaited<ReturnType<typeof openTempLibrary>>> {
  const opened = await openTempLibrary({ owner: 'test' })
  opened.lib.importText('sample.txt', readFileSync(SAMPLE_PATH, 'utf8'))
  const rng = makeRng(9)
  for (let start = 0; start < papers; start += 1000) {
    const items = Array.from({ length: 1000 }, (_, i) => ({
      title: makeTitle(rng, `p${start + i}`),
      abstract: makeAbstract(rng, 1500),
    }))
    opened.lib.importText(`generated-${start}.txt`, makeDump('Aug 1', items))
  }
  return opened
}

/** A backup to `backups/chosen.sqlite` beside the library that is expected to fail: its error. */
async function failedBackup(
  lib: Library,
  path: string,
): Promise<{ file: string; error: LibraryError }> {
  const file = join(dirname(path), 'backups', 'chosen.sqlite')
  const error = await writeBackup(lib, { kind: 'manual', now: fixedClock()(), file }).catch(
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(LibraryError)
  return { file, error: error as LibraryError }
}

/** The files in a folder (none when it is not there). */
const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : [])

/** Whether a process of this id is running (not gone, nor a zombie nobody has reaped yet). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

describe('a backup in a process of its own', () => {
  it('is written by another process, which has ended when the backup is told', async () => {
    const seen = { pids: [] as number[], messages: [] as unknown[] }
    undo.push(useStartProcess(watched(forkProcess, seen)))
    const { lib } = await libraryWithPapers()
    try {
      const papers = lib.stats().total
      const written = await writeBackup(lib, { kind: 'manual', now: fixedClock()() })
      expect(written.papers).toBe(papers)
      expect(existsSync(written.file)).toBe(true)
      // Nothing else beside it: its temporary file became it.
      expect(filesIn(dirname(written.file))).toEqual([basename(written.file)])
      expect(seen.pids).toHaveLength(1)
      const [pid] = seen.pids
      expect(pid).toBeGreaterThan(0)
      expect(pid).not.toBe(process.pid)
      expect(alive(pid!)).toBe(false)
      expect(seen.messages.map((m) => (m as { kind: string }).kind)).toEqual(['read', 'backed-up'])
    } finally {
      lib.close()
    }
  })

  it.each(['read', 'backed-up'])(
    'killed (after it said %s): the backup fails saying so, leaves no file, and the library goes on',
    async (when) => {
      const seen = {
        pids: [] as number[],
        messages: [] as unknown[],
        // Killed as the system kills a process that takes too much memory: once the files are
        // read, or once its copy is written and checked (that message then never arrives).
        killed: false,
        hold(message: { kind: string }, child: JobProcess) {
          // Said after the kill, but sent before it landed: never heard (review: a small
          // library's process could say `backed-up` before `read` was acted on).
          if (this.killed) return true
          if (message.kind !== when) return false
          process.kill(child.pid()!, 'SIGKILL')
          this.killed = true
          return message.kind === 'backed-up'
        },
      }
      undo.push(useStartProcess(watched(forkProcess, seen)))
      const { lib, path } = await libraryWithPapers()
      try {
        const { file, error } = await failedBackup(lib, path)
        expect((error as Error).message).toBe(
          "the backup's process ended before it was done (killed: SIGKILL)",
        )
        if (when === 'backed-up') {
          // Its copy was there, beside where it was to go, until the failure was told.
          const tmp = (seen.messages.at(-1) as { tmp: string }).tmp
          expect(dirname(tmp)).toBe(dirname(file))
        }
        expect(filesIn(dirname(file))).toEqual([])
        // The library answers and changes as before; the next backup is written.
        lib.setNote(1, 'after the killed backup')
        expect(lib.getPaper(1).note).toBe('after the killed backup')
        undo.pop()!()
        const written = await writeBackup(lib, { kind: 'manual', now: fixedClock()(), file })
        expect(written.papers).toBe(lib.stats().total)
        expect(filesIn(dirname(file))).toEqual(['chosen.sqlite'])
      } finally {
        lib.close()
      }
    },
  )

  it('whose folder cannot be flushed once it is in place: fails, and leaves no copy to count on', async () => {
    // A disk that fails to flush the backups folder (EIO on a USB disk, say).
    undo.push(
      useDisk({
        ...nodeDisk,
        fsyncDirectory: (dir, point) => {
          if (point === 'backup.dir')
            throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })
          nodeDisk.fsyncDirectory(dir, point)
        },
      }),
    )
    const { lib, path } = await libraryWithPapers()
    try {
      const { file, error } = await failedBackup(lib, path)
      expect(error.code).toBe('write-failed')
      expect((error as Error).message).toMatch(/no backup was made$/)
      expect(filesIn(dirname(file))).toEqual([])
    } finally {
      lib.close()
    }
  })

  it('left by an app that ended (killed) while it worked: writes nothing, and ends', async () => {
    // Large enough that its work after reading the files (rebuild, export, check) takes a while.
    const { lib, path } = await libraryWithPapers(3000)
    const source = lib.backupSource()
    const out = join(dirname(path), 'backups', 'orphan.sqlite')
    const job = {
      kind: 'backup',
      out,
      tag: 'orphan',
      path: source.path,
      journalPath: source.journalPath,
      journalBytes: source.journalBytes,
      seq: source.seq,
    }
    try {
      // A stand-in for the app: it starts the backup's process, and is killed (by itself, at
      // once) as soon as the files are read; the process is left to run on alone.
      const { file, execArgv } = workerScript('rebuildWorker')
      const app = fork(ORPHANING_APP, [file, JSON.stringify(execArgv), JSON.stringify(job)], {
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      })
      let said = ''
      app.stdout!.on('data', (chunk: Buffer) => (said += chunk.toString()))
      const signal = await new Promise((resolve) => app.once('exit', (_code, s) => resolve(s)))
      expect(signal).toBe('SIGKILL')
      const pid = Number(/^backup (\d+)$/m.exec(said)?.[1])
      expect(pid).toBeGreaterThan(0)
      await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 60_000, interval: 50 })
      expect(filesIn(dirname(out))).toEqual([])
    } finally {
      source.release()
      lib.close()
    }
  }, 120_000)

  it('ends by itself when the process that started it goes between jobs (Node fork)', async () => {
    const { file, execArgv } = workerScript('rebuildWorker')
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    await new Promise((resolve) => child.once('spawn', resolve))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    // No job sent: the channel closing, as it does when the app ends, is what ends it.
    child.disconnect()
    expect(await exited).toBe(0)
  })

  it('cannot start (too many files open, say): fails saying so, at once, and leaves nothing', async () => {
    undo.push(
      useStartProcess(() =>
        notStarted(Object.assign(new Error('spawn EMFILE'), { code: 'EMFILE' })),
      ),
    )
    const { lib, path } = await libraryWithPapers()
    try {
      const file = join(dirname(path), 'backups', 'x.sqlite')
      const started = Date.now()
      const error = await writeBackup(lib, { kind: 'manual', now: fixedClock()(), file }).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(LibraryError)
      expect((error as Error).message).toBe("the backup's process failed: spawn EMFILE")
      // Not the ten seconds a process that started is given to end.
      expect(Date.now() - started).toBeLessThan(9_000)
      expect(filesIn(dirname(file))).toEqual([])
    } finally {
      lib.close()
    }
  })

  it('removes the temporary files of backups that died, an hour old or more, and nothing else', () => {
    const dir = join(tempDir(), 'backups')
    mkdirSync(dir)
    const now = Date.now()
    const files = {
      '.library-auto-20261201T000000000Z-abc.sqlite.tmp-backup-123': 2 * 60 * 60 * 1000,
      '.library-manual-20261203T000000000Z-abc.sqlite.tmp-backup-456': 60 * 1000,
      'library-auto-20261201T000000000Z-abc.sqlite': 2 * 60 * 60 * 1000,
      '.notes.txt.tmp-1': 2 * 60 * 60 * 1000,
    }
    for (const [name, age] of Object.entries(files)) {
      writeFileSync(join(dir, name), 'x')
      utimesSync(join(dir, name), (now - age) / 1000, (now - age) / 1000)
    }
    expect(removeStaleBackupTemporaries(dir, now)).toBe(1)
    expect(readdirSync(dir).sort()).toEqual(
      [
        '.library-manual-20261203T000000000Z-abc.sqlite.tmp-backup-456',
        'library-auto-20261201T000000000Z-abc.sqlite',
        '.notes.txt.tmp-1',
      ].sort(),
    )
    expect(removeStaleBackupTemporaries(join(dir, 'not-there'), now)).toBe(0)
  })
})

describe("the desktop app's processes (Electron's utilityProcess)", () => {
  it('writes a backup through utilityProcess.fork, in a process with a utility process’s parentPort', async () => {
    const utility = utilityStandIn()
    undo.push(useStartProcess(utilityStarter(utility)))
    const { lib } = await libraryWithPapers()
    try {
      const written = await writeBackup(lib, { kind: 'manual', now: fixedClock()() })
      expect(written.papers).toBe(lib.stats().total)
      expect(utility.forks).toEqual([
        {
          modulePath: workerScript('rebuildWorker').file,
          options: {
            execArgv: workerScript('rebuildWorker').execArgv,
            stdio: ['ignore', 'ignore', 'inherit'],
            serviceName: 'Lectern backup',
          },
          pid: expect.any(Number),
        },
      ])
      expect(alive(utility.forks[0]!.pid!)).toBe(false)
    } finally {
      lib.close()
    }
  })

  /** A utility process that does nothing by itself: the test says when it starts and ends. */
  function fakeUtility(): {
    child: EventEmitter & UtilityLike
    posted: unknown[]
    kills: number
  } {
    const posted: unknown[] = []
    const state = { posted, kills: 0, child: null as unknown as EventEmitter & UtilityLike }
    const child = new EventEmitter() as EventEmitter & UtilityLike
    child.postMessage = (message: unknown) => void posted.push(message)
    child.kill = () => {
      state.kills += 1
      return true
    }
    state.child = child
    return state
  }

  it('holds messages until the process has started, and sends none after it has ended', () => {
    const fake = fakeUtility()
    const start = utilityStarter({ fork: () => fake.child })
    const job = start({ file: '/x/rebuildWorker.js', execArgv: [] })
    job.post({ kind: 'first' })
    job.post({ kind: 'second' })
    expect(fake.posted).toEqual([])
    fake.child.emit('spawn')
    expect(fake.posted).toEqual([{ kind: 'first' }, { kind: 'second' }])
    job.post({ kind: 'third' })
    expect(fake.posted).toHaveLength(3)
    fake.child.emit('exit', 0)
    job.post({ kind: 'late' })
    expect(fake.posted).toHaveLength(3)
  })

  it('says what it says, how it ended and how it failed; is killed only while it runs', () => {
    const fake = fakeUtility()
    const job = utilityStarter({ fork: () => fake.child })({ file: '/x/w.js', execArgv: [] })
    const heard: unknown[] = []
    job.onMessage((m) => heard.push(['message', m]))
    job.onError((e) => heard.push(['error', e.message]))
    job.onExit((code, signal) => heard.push(['exit', code, signal]))
    fake.child.emit('spawn')
    fake.child.emit('message', { kind: 'read' })
    job.kill()
    expect(fake.kills).toBe(1)
    fake.child.emit('error', 'FatalError', 'v8 heap')
    fake.child.emit('exit', 134)
    job.kill()
    expect(fake.kills).toBe(1)
    expect(heard).toEqual([
      ['message', { kind: 'read' }],
      ['error', 'the process failed (FatalError at v8 heap)'],
      ['exit', 134, null],
    ])
  })
  it('asked to end before it has started: ended as it starts, and sent nothing', () => {
    const fake = fakeUtility()
    const job = utilityStarter({ fork: () => fake.child })({ file: '/x/w.js', execArgv: [] })
    job.post({ kind: 'job' })
    job.kill()
    expect(fake.kills).toBe(0) // Electron cannot end a process that has not started
    fake.child.emit('spawn')
    expect(fake.kills).toBe(1)
    expect(fake.posted).toEqual([])
  })

  it('that never starts (nor says it ended) is given up after a while, as failed and ended', async () => {
    const fake = fakeUtility()
    const job = utilityStarter({ fork: () => fake.child }, 50)({ file: '/x/w.js', execArgv: [] })
    const heard: unknown[] = []
    job.onError((e) => heard.push(['error', e.message]))
    job.onExit((code, signal) => heard.push(['exit', code, signal]))
    await vi.waitFor(() => expect(heard).toHaveLength(2))
    expect(heard).toEqual([
      ['error', 'the process did not start within 0.05 s'],
      ['exit', null, null],
    ])
    // Should it start after all, it is ended at once.
    fake.child.emit('spawn')
    expect(fake.kills).toBe(1)
  })

  it('that Electron refuses to start is failed and ended at once', () => {
    const job = utilityStarter({
      fork: () => {
        throw new Error('utilityProcess cannot be forked before the app is ready')
      },
    })({ file: '/x/w.js', execArgv: [] })
    const heard: unknown[] = []
    job.onError((e) => heard.push(['error', e.message]))
    job.onExit((code, signal) => heard.push(['exit', code, signal]))
    expect(heard).toEqual([
      ['error', 'utilityProcess cannot be forked before the app is ready'],
      ['exit', null, null],
    ])
  })
})
