// A stand-in for Electron's utilityProcess (electron/main/jobProcess.ts), which cannot run here:
// a Node child process whose `process.parentPort` is made to be a utility process's
// (utilityPreload.cjs), speaking to this side through the same events and methods.
import { fork } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { constants } from 'node:os'
import { join } from 'node:path'
import type { ForkOptions } from 'electron'
import type { UtilityLike, UtilityProcesses } from '../../electron/main/jobProcess'

const PRELOAD = join(__dirname, 'utilityPreload.cjs')

/** What each fork was asked for, and the stand-in's processes. */
export interface UtilityStandIn extends UtilityProcesses {
  forks: { modulePath: string; options: ForkOptions | undefined; pid: number | undefined }[]
}

export function utilityStandIn(): UtilityStandIn {
  const forks: UtilityStandIn['forks'] = []
  return {
    forks,
    fork(modulePath, args = [], options) {
      const child = fork(modulePath, args, {
        execArgv: ['--require', PRELOAD, ...(options?.execArgv ?? [])],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      })
      forks.push({ modulePath, options, pid: child.pid })
      const stand = new EventEmitter() as EventEmitter & UtilityLike
      // As Electron's: no id until it has started, nor once it has ended.
      let running = false
      Object.defineProperty(stand, 'pid', { get: () => (running ? child.pid : undefined) })
      child.on('spawn', () => {
        running = true
        stand.emit('spawn')
      })
      child.on('message', (message) => stand.emit('message', message))
      // Electron gives a number: 0 after its own kill(), else what waitpid says of a signal.
      child.on('exit', (code, signal) => {
        running = false
        stand.emit('exit', code ?? (signal === 'SIGTERM' ? 0 : (constants.signals[signal!] ?? 1)))
      })
      stand.postMessage = (message: unknown) => void child.send(message as never)
      stand.kill = () => child.kill()
      return stand
    },
  }
}
