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

/** Runs `lectern ...args` with nothing on standard input. */
export function lectern(...args: string[]): Promise<CliResult> {
  return lecternWithStdin('', ...args)
}

/** Runs `lectern ...args` with `stdin` piped in: text, or bytes that are decoded like a file. */
export async function lecternWithStdin(
  stdin: Uint8Array | string,
  ...args: string[]
): Promise<CliResult> {
  let out = ''
  let err = ''
  const code = await run(args, {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    readStdin: () => stdin,
  })
  return { code, out, err }
}
