// Two computers for real: two Syncthing instances on 127.0.0.1, each with its own home, that know
// each other by device id at a fixed loopback address (no discovery, relays, NAT traversal,
// upgrades or usage reporting), keep one folder in step between two Lectern libraries. Edits on
// both sides converge, a note edited on both at once among them (both versions kept). Skipped,
// saying so in one line, where `syncthing` is not installed (Debian: apt-get install syncthing).
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Library } from '../../electron/core/store/library'
import { syncOnce } from '../../electron/core/sync/pass'
import { tempDir } from '../helpers/fixtures'

/** The syncthing program on the PATH, or null. */
function findSyncthing(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of process.platform === 'win32' ? ['syncthing.exe'] : ['syncthing']) {
      const path = join(dir, name)
      if (spawnSync(path, ['--version'], { stdio: 'ignore' }).status === 0) return path
    }
  }
  return null
}

const SYNCTHING = findSyncthing()
if (!SYNCTHING) {
  console.log(
    'syncthing test skipped: syncthing is not installed (Debian: apt-get install syncthing)',
  )
}

/** A port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Instance {
  id: string
  listen: number
  gui: number
  key: string
  folder: string
  process: ChildProcess
  log: string[]
}

const running: Instance[] = []

afterEach(async () => {
  for (const st of running.splice(0)) {
    st.process.kill('SIGTERM')
    await new Promise((resolve) => {
      if (st.process.exitCode !== null) resolve(null)
      else st.process.once('exit', resolve)
      setTimeout(resolve, 5000)
    })
  }
})

/** A Syncthing home made and started, alone on loopback, its folder not shared yet. */
async function startSyncthing(name: string): Promise<Instance> {
  const home = join(tempDir(), `${name}-home`)
  const folder = join(tempDir(), `${name}-sync`)
  mkdirSync(folder, { recursive: true })
  const made = spawnSync(
    SYNCTHING!,
    ['generate', `--home=${home}`, '--no-default-folder', '--skip-port-probing'],
    { encoding: 'utf8' },
  )
  const id = /Device ID:\s*(\S+)/.exec(`${made.stdout}${made.stderr}`)?.[1]
  if (!id) throw new Error(`syncthing generate gave no device id: ${made.stdout}${made.stderr}`)
  const [listen, gui] = [await freePort(), await freePort()]
  const key = `lectern-test-${name}-${Math.random().toString(36).slice(2)}`
  const configPath = join(home, 'config.xml')
  const set = (xml: string, tag: string, value: string) =>
    xml.replace(new RegExp(`<${tag}>[^<]*</${tag}>`), `<${tag}>${value}</${tag}>`)
  let config = readFileSync(configPath, 'utf8')
  config = config.replace(
    /<address>127\.0\.0\.1:\d+<\/address>/,
    `<address>127.0.0.1:${gui}</address>`,
  )
  config = set(config, 'apikey', key)
  config = set(config, 'listenAddress', `tcp://127.0.0.1:${listen}`)
  for (const tag of [
    'globalAnnounceEnabled',
    'localAnnounceEnabled',
    'relaysEnabled',
    'natEnabled',
    'startBrowser',
    'crashReportingEnabled',
    'restartOnWakeup',
  ]) {
    config = set(config, tag, 'false')
  }
  config = set(config, 'urAccepted', '-1')
  config = set(config, 'autoUpgradeIntervalH', '0')
  writeFileSync(configPath, config)
  const log: string[] = []
  const child = spawn(
    SYNCTHING!,
    ['serve', `--home=${home}`, '--no-browser', '--no-restart', '--no-upgrade'],
    {
      env: { ...process.env, STNOUPGRADE: '1', STNODEFAULTFOLDER: '1', STNORESTART: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout!.on('data', (d: Buffer) => log.push(String(d)))
  child.stderr!.on('data', (d: Buffer) => log.push(String(d)))
  const st: Instance = { id, listen, gui, key, folder, process: child, log }
  running.push(st)
  for (let i = 0; ; i += 1) {
    try {
      if ((await rest(st, 'GET', '/rest/system/ping')).ok) break
    } catch {
      // not listening yet
    }
    if (i > 200 || child.exitCode !== null) {
      throw new Error(`syncthing ${name} did not start:\n${log.join('')}`)
    }
    await sleep(100)
  }
  return st
}

async function rest(st: Instance, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${st.gui}${path}`, {
    method,
    headers: { 'X-API-Key': st.key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** Tells `st` of `other` (at its loopback address) and shares the folder with it. */
async function introduce(st: Instance, other: Instance): Promise<void> {
  const device = await rest(st, 'POST', '/rest/config/devices', {
    deviceID: other.id,
    name: other.id.slice(0, 7),
    addresses: [`tcp://127.0.0.1:${other.listen}`],
  })
  expect(device.ok, await device.text()).toBe(true)
  const folder = await rest(st, 'POST', '/rest/config/folders', {
    id: 'lectern-sync',
    label: 'Lectern',
    path: st.folder,
    type: 'sendreceive',
    rescanIntervalS: 2,
    fsWatcherEnabled: true,
    fsWatcherDelayS: 1,
    devices: [{ deviceID: st.id }, { deviceID: other.id }],
  })
  expect(folder.ok, await folder.text()).toBe(true)
}

/** Asks Syncthing to look at its folder now (what Lectern wrote), rather than at its next scan. */
async function scan(st: Instance): Promise<void> {
  await rest(st, 'POST', '/rest/db/scan?folder=lectern-sync')
}

/** Syncs both until `done` holds, or fails after `ms`; how long it took. */
async function syncUntil(
  pairs: [Library, Instance][],
  done: () => boolean,
  ms: number,
): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < ms) {
    for (const [lib, st] of pairs) {
      const report = syncOnce(lib, st.folder)
      if (report.sent > 0) await scan(st)
    }
    if (done()) return performance.now() - started
    await sleep(250)
  }
  throw new Error(
    `no convergence in ${ms} ms; syncthing said:\n${pairs.map(([, st]) => st.log.join('').slice(-2000)).join('\n---\n')}`,
  )
}

function titled(lib: Library, title: string): number | null {
  const page = lib.listPapers({
    sort: { field: 'title', direction: 'asc' },
    offset: 0,
    limit: 500,
  } as Parameters<Library['listPapers']>[0])
  return page.rows.find((r) => r.title === title)?.id ?? null
}

const DUMP = `Aug 19

Sparse Attention On Two Computers

An abstract about reading on a laptop and a desktop.

Flow Matching For Everyone

An abstract about flows.
`

describe('sync through two real Syncthing instances', () => {
  it.skipIf(!SYNCTHING)(
    'converges edits made on both computers, a note edited on both at once included (both kept)',
    async () => {
      const [stA, stB] = [await startSyncthing('laptop'), await startSyncthing('desktop')]
      await introduce(stA, stB)
      await introduce(stB, stA)
      const laptop = await Library.open(join(tempDir(), 'laptop', 'library.sqlite'))
      const desktop = await Library.open(join(tempDir(), 'desktop', 'library.sqlite'))
      const pairs: [Library, Instance][] = [
        [laptop, stA],
        [desktop, stB],
      ]
      try {
        // Imported on the laptop, seen on the desktop.
        laptop.importText('daily.txt', DUMP)
        const onLaptop = titled(laptop, 'Sparse Attention On Two Computers')!
        laptop.setStatus(onLaptop, 'reading')
        laptop.setNote(onLaptop, 'started on the train')
        const first = await syncUntil(
          pairs,
          () => {
            const id = titled(desktop, 'Sparse Attention On Two Computers')
            return id !== null && desktop.getPaper(id).note === 'started on the train'
          },
          120_000,
        )
        const onDesktop = titled(desktop, 'Sparse Attention On Two Computers')!
        expect(desktop.getPaper(onDesktop).status).toBe('reading')

        // Both edit the same note before either hears of the other; the desktop also stars.
        laptop.setNote(onLaptop, 'written on the laptop')
        desktop.setNote(onDesktop, 'written on the desktop')
        desktop.updatePapers({ ids: [onDesktop], starred: true, addTags: ['sync'] })
        const both = (lib: Library, id: number) => {
          const p = lib.getPaper(id)
          return [p.note, ...(p.noteConflicts ?? []).map((c) => c.text)].sort()
        }
        const second = await syncUntil(
          pairs,
          () =>
            JSON.stringify(both(laptop, onLaptop)) === JSON.stringify(both(desktop, onDesktop)) &&
            both(laptop, onLaptop).length === 2 &&
            laptop.getPaper(onLaptop).starred,
          120_000,
        )
        for (const [lib, id] of [
          [laptop, onLaptop],
          [desktop, onDesktop],
        ] as const) {
          const paper = lib.getPaper(id)
          expect(both(lib, id)).toEqual(['written on the desktop', 'written on the laptop'])
          expect(paper.starred).toBe(true)
          expect(paper.tags).toEqual(['sync'])
          expect(paper.status).toBe('reading')
        }
        // The same note shown on both, the other kept as a conflict version on both.
        expect(laptop.getPaper(onLaptop).note).toBe(desktop.getPaper(onDesktop).note)
        // Each computer's folder holds both devices' files: Syncthing carried them across.
        for (const st of [stA, stB]) expect(readdirSync(join(st.folder, 'devices'))).toHaveLength(2)
        console.log(
          `syncthing: first edits reached the other computer in ${(first / 1000).toFixed(1)} s; the concurrent edits converged in ${(second / 1000).toFixed(1)} s`,
        )
      } finally {
        laptop.close()
        desktop.close()
      }
    },
    300_000,
  )
})
