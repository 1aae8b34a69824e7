// A process of its own for work that must not share the app's memory (a backup: see
// store/rebuildOffThread.ts). A thread shares the process's memory map: at 790,000 papers a
// backup thread giving back its gigabytes (munmap) held the kernel's lock on that map, and the
// app's next page waited up to half a second for its own page faults (perf showed the main
// thread off the CPU meanwhile). A process has a map of its own; and where the system runs out
// of memory, the process holding gigabytes is the one it ends, not the app with it. The command
// line and the browser host start it with Node's child_process.fork; the desktop app with
// Electron's utilityProcess (electron/main/jobProcess.ts), since the packaged app has no
// run-as-node (electron-builder.yml, fuses) for fork to use.
import { fork } from 'node:child_process'

/** A started process: what it says, its end, a way to end it. */
export interface JobProcess {
  /** Sends it a message (structured clone: typed arrays arrive whole); none once it has ended. */
  post(message: unknown): void
  onMessage(listener: (message: unknown) => void): void
  /** It could not be started, or broke; told to listeners attached later too. */
  onError(listener: (error: Error) => void): void
  /**
   * It has ended, its memory given back (its exit code, or the signal that ended it), or it never
   * started (both null, after an error): told once, to listeners attached later too.
   */
  onExit(listener: (code: number | null, signal: string | null) => void): void
  /** Ends it (nothing happens if it has ended). */
  kill(): void
  /** Its process id, once started. */
  pid(): number | undefined
}

/** Starts `file` in a process of its own, run with `execArgv` (see readOffThread.workerScript). */
export type StartProcess = (script: { file: string; execArgv: string[] }) => JobProcess

/** A process's errors and its one end, kept for whoever listens later. */
export class JobEvents {
  private readonly errors: Error[] = []
  private readonly errorListeners: ((error: Error) => void)[] = []
  private end: [number | null, string | null] | null = null
  private readonly exitListeners: ((code: number | null, signal: string | null) => void)[] = []

  get ended(): boolean {
    return this.end !== null
  }

  error(error: Error): void {
    if (this.errorListeners.length === 0) this.errors.push(error)
    for (const listener of this.errorListeners) listener(error)
  }

  exit(code: number | null, signal: string | null): void {
    if (this.end) return
    this.end = [code, signal]
    for (const listener of this.exitListeners) listener(code, signal)
  }

  onError(listener: (error: Error) => void): void {
    this.errorListeners.push(listener)
    for (const error of this.errors.splice(0)) listener(error)
  }

  onExit(listener: (code: number | null, signal: string | null) => void): void {
    if (this.end) listener(...this.end)
    else this.exitListeners.push(listener)
  }
}

/** A process that could not be started: it tells whoever listens its error, and that it ended. */
export function notStarted(error: Error): JobProcess {
  const events = new JobEvents()
  events.error(error)
  events.exit(null, null)
  return {
    post: () => undefined,
    onMessage: () => undefined,
    onError: (listener) => events.onError(listener),
    onExit: (listener) => events.onExit(listener),
    kill: () => undefined,
    pid: () => undefined,
  }
}

/** Node's fork: the process speaks over its IPC channel, in structured clones. */
export const forkProcess: StartProcess = ({ file, execArgv }) => {
  const events = new JobEvents()
  const child = fork(file, [], {
    execArgv,
    serialization: 'advanced',
    // Its output is not the host's (the command line's standard output may be JSON); its
    // errors are.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  child.on('error', (error) => {
    events.error(error)
    // Not started at all (too many files open, say): no exit will come.
    if (child.pid === undefined) events.exit(null, null)
  })
  child.on('exit', (code, signal) => events.exit(code, signal))
  return {
    post: (message) => {
      // Not started, or gone: its error or its exit says so.
      if (!child.connected || events.ended) return
      child.send(message as never, (error) => {
        if (error) events.error(error)
      })
    },
    onMessage: (listener) => child.on('message', listener),
    onError: (listener) => events.onError(listener),
    onExit: (listener) => events.onExit(listener),
    kill: () => {
      if (!events.ended && child.pid !== undefined) child.kill()
    },
    pid: () => child.pid,
  }
}

let current: StartProcess = forkProcess

/** Starts a process the way this host does. */
export function startProcess(script: { file: string; execArgv: string[] }): JobProcess {
  return current(script)
}

/** How this host starts processes (the desktop app's, or tests'); returns what undoes it. */
export function useStartProcess(next: StartProcess): () => void {
  const previous = current
  current = next
  return () => {
    current = previous
  }
}

/**
 * In the started process: the first message its parent sends, and how to answer. Works in a
 * child of Node's fork and in an Electron utility process. Between two turns of its event loop
 * it ends when its parent has gone (nothing would take its result); work that runs long without
 * a turn asks `orphaned` before it writes.
 */
export function parentChannel(): { first: Promise<unknown>; post: (message: unknown) => void } {
  const utility = (process as { parentPort?: ElectronParentPort }).parentPort
  if (utility) {
    // A utility process ends with the app that started it.
    return {
      first: new Promise((resolve) => utility.once('message', (event) => resolve(event.data))),
      post: (message) => utility.postMessage(message),
    }
  }
  if (!process.send) throw new Error('this process was not started by Lectern')
  process.on('disconnect', () => process.exit(0))
  // Ctrl+C in a terminal is sent to every process of the command line's group: the command line
  // decides what becomes of this one (it ends it, or ends without it: see orphaned).
  process.on('SIGINT', () => undefined)
  return {
    first: new Promise((resolve) => process.once('message', resolve)),
    post: (message) => {
      process.send?.(message)
    },
  }
}

/** Electron's `process.parentPort` in a utility process (typed here: no Electron in the core). */
interface ElectronParentPort {
  once(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

const parentAtStart = process.ppid

/**
 * Whether the process that started this one has gone: its channel closed (seen after a turn of
 * the event loop), or this one given to another parent (not on Windows). What it would write is
 * then of use to nobody, and may land beside what the next app does.
 */
export function orphaned(): boolean {
  if (process.send && !process.connected) return true
  return process.ppid !== parentAtStart
}
