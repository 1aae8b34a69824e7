// The desktop app's way to start a process of its own (core/jobProcess.ts): Electron's
// utilityProcess. Node's fork would start the app's own binary told to run as Node, which the
// packaged app refuses (its run-as-node fuse is off, electron-builder.yml).
import type { ForkOptions, UtilityProcess } from 'electron'
import { JobEvents, notStarted } from '../core/jobProcess'
import type { JobProcess, StartProcess } from '../core/jobProcess'

/** The part of Electron's utilityProcess used here (stand-ins in tests). */
export interface UtilityProcesses {
  fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityLike
}

/** The part of a UtilityProcess used here. */
export type UtilityLike = Pick<UtilityProcess, 'postMessage' | 'kill'> & {
  on(event: 'spawn', listener: () => void): unknown
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  on(event: 'error', listener: (type: string, location: string) => void): unknown
  readonly pid: number | undefined
}

/** How long a utility process may take to start before it is given up as failed to launch. */
export const SPAWN_WAIT_MS = 30_000

export function utilityStarter(
  utility: UtilityProcesses,
  spawnWaitMs = SPAWN_WAIT_MS,
): StartProcess {
  return ({ file, execArgv }): JobProcess => {
    let child: UtilityLike
    try {
      child = utility.fork(file, [], {
        execArgv,
        // Its errors where the app's go; nothing of it on the app's standard output.
        stdio: ['ignore', 'ignore', 'inherit'],
        serviceName: 'Lectern backup',
      })
    } catch (error) {
      return notStarted(error as Error)
    }
    const events = new JobEvents()
    // Messages wait until it has started (null: started); after its end they go nowhere.
    let queue: unknown[] | null = []
    // Electron cannot end a process before it has started: ended as soon as it starts.
    let killed = false
    // A process that fails to launch says neither that it started nor that it ended.
    const launching = setTimeout(() => {
      events.error(new Error(`the process did not start within ${spawnWaitMs / 1000} s`))
      events.exit(null, null)
      killed = true
    }, spawnWaitMs)
    launching.unref?.()
    child.on('spawn', () => {
      clearTimeout(launching)
      const waiting = queue ?? []
      queue = null
      if (killed) {
        child.kill()
        return
      }
      for (const message of waiting) child.postMessage(message)
    })
    child.on('exit', (code) => {
      clearTimeout(launching)
      queue = null
      // Electron tells the code only (a signal's too, as waitpid gives it).
      events.exit(code, null)
    })
    child.on('error', (type, location) =>
      events.error(new Error(`the process failed (${type} at ${location})`)),
    )
    return {
      post: (message) => {
        if (events.ended || killed) return
        if (queue) queue.push(message)
        else child.postMessage(message)
      },
      onMessage: (listener) => child.on('message', listener),
      onError: (listener) => events.onError(listener),
      onExit: (listener) => events.onExit(listener),
      kill: () => {
        if (events.ended || killed) return
        killed = true
        if (!queue) child.kill()
      },
      pid: () => child.pid,
    }
  }
}
