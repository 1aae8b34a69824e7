// The `lectern` command line, run in-process with its output collected, as a shell would see it.
import { run } from '../../electron/cli/index'

export interface CliResult {
  /** The exit code: 0 done, 1 error, 2 usage error. */
  code: number
  /** What went to standard output, each line ending in a newline. */
  out: string
  /** What went to standard error, likewise. */
  err: string
}

export interface CliOptions {
  /** Standard input: text, bytes decoded like a file, or bytes as they arrive (a pipe). */
  stdin?: Uint8Array | string | AsyncIterable<Uint8Array>
  /** Standard output is a terminal, not a pipe or a file. */
  terminal?: boolean
  /** Standard error is a terminal: each progress line is handed here. */
  progress?: (line: string | null) => void
}

/** Runs `lectern ...args` with nothing on standard input. */
export function lectern(...args: string[]): Promise<CliResult> {
  return lecternWith({}, ...args)
}

/** Runs `lectern ...args` with `stdin` piped in: text, or bytes that are decoded like a file. */
export function lecternWithStdin(
  stdin: Uint8Array | string | AsyncIterable<Uint8Array>,
  ...args: string[]
): Promise<CliResult> {
  return lecternWith({ stdin }, ...args)
}

/** Runs `lectern ...args` with the standard input and output that `options` describe. */
export async function lecternWith(options: CliOptions, ...args: string[]): Promise<CliResult> {
  let out = ''
  let err = ''
  const code = await run(args, {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    readStdin: () => options.stdin ?? '',
    terminal: options.terminal ?? false,
    progress: options.progress,
  })
  return { code, out, err }
}

/** Node's arguments that run `lectern ...args` from the sources in a process of its own. */
export function cliProcessArgs(...args: string[]): string[] {
  return [
    '--conditions=import',
    '--import',
    'tsx',
    '-e',
    "require('./electron/cli/index.ts').run(process.argv.slice(1)).then((c) => { process.exitCode = c })",
    '--',
    ...args,
  ]
}

/** Waits for a condition, however slow the machine; never asserts how long it took. */
export async function until(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
