// `lectern serve` in a process of its own, run from its sources, for what a server inside the test
// cannot show: the command lines it starts, what it prints, and its own limit on open files.
import { spawn } from 'node:child_process'
import type { ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach } from 'vitest'
import { cliProcessArgs } from './cli'
import { tempDir } from './fixtures'

const ROOT = resolve(__dirname, '..', '..')
const ADDRESS = /http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+/g

export interface ServeProcess {
  port: number
  /** The folder holding the library and the UI it serves. */
  dir: string
  /** Everything it printed so far, standard output then standard error. */
  output: () => string
  /** Every one-time address it printed so far, oldest first. */
  addresses: () => string[]
  /** The address printed after `address`, once it is. */
  next: (address: string) => Promise<string>
  stop: () => Promise<void>
}

const running: ChildProcessByStdio<null, Readable, Readable>[] = []

afterEach(() => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
})

export interface ServeProcessOptions {
  /** Arguments after `serve`. */
  args?: string[]
  /** Added to the environment. */
  env?: NodeJS.ProcessEnv
  /** The most files the process may hold open (`ulimit -n`); the system's when left out. */
  fileLimit?: number
}

/** Starts `lectern serve --port 0` on a fresh library, resolving once it has printed its address. */
export async function startServeProcess(options: ServeProcessOptions = {}): Promise<ServeProcess> {
  const dir = tempDir()
  const ui = join(dir, 'ui')
  mkdirSync(ui)
  writeFileSync(join(ui, 'index.html'), '<html><head><title>t</title></head><body></body></html>')
  const node = [
    process.execPath,
    ...cliProcessArgs(
      '--library',
      join(dir, 'library.sqlite'),
      'serve',
      '--port',
      '0',
      ...(options.args ?? []),
    ),
  ]
  const [command, ...args] =
    options.fileLimit === undefined
      ? node
      : ['sh', '-c', 'ulimit -n "$0" && exec "$@"', String(options.fileLimit), ...node]
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: { ...process.env, LECTERN_UI_DIR: ui, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.push(child)
  let out = ''
  let err = ''
  const listeners = new Set<() => void>()
  const heard = (): void => listeners.forEach((l) => l())
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    out += t
    heard()
  })
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    err += t
    heard()
  })
  const exited = new Promise<void>((done) => child.once('close', () => done()))
  const output = (): string => out + err
  const addresses = (): string[] => out.match(ADDRESS) ?? []
  /** Resolves once `ready()` holds; fails if the process ends first. */
  const until = (what: string, ready: () => boolean): Promise<void> =>
    new Promise((done, fail) => {
      const check = (): void => {
        if (ready()) {
          listeners.delete(check)
          done()
        }
      }
      listeners.add(check)
      void exited.then(() => {
        listeners.delete(check)
        if (ready()) done()
        else fail(new Error(`lectern serve ended before ${what}: ${output()}`))
      })
      check()
    })
  await until('printing its address', () => addresses().length > 0)
  return {
    port: Number(new URL(addresses()[0]!).port),
    dir,
    output,
    addresses,
    next: async (address) => {
      const after = (): string | undefined => {
        const all = addresses()
        const at = all.indexOf(address)
        return at < 0 ? undefined : all[at + 1]
      }
      await until(`the address after ${address}`, () => after() !== undefined)
      return after()!
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
