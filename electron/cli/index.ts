// `lectern`: the library from the command line, for scripts and cron. Each command is a small
// module (commands/); this file parses the command line, opens the library the way the command
// needs it, and hands the command a `call` into the same dispatcher the window and the browser
// host use.
import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { SORT_FIELDS, STATUSES } from '../../shared/domain'
import { FORMATS } from '../../shared/importers/types'
import { MAX_DUMP_CHARS } from '../../shared/api'
import type { Method, Request, Responses } from '../../shared/api'
import { dispatch, validate } from '../core/api/dispatch'
import { settleJobs } from '../core/api/jobs'
import { libraryPath, samplePath } from '../core/paths'
import { followMove } from '../core/safety/remembered'
import { LibrarySession } from '../core/safety/session'
import { LibraryError } from '../core/errors'
import { ApiFailure, OutputClosed, UsageError, namedPath } from './command'
import type { Access, Command, CommandRun, Io } from './command'
import { COMMANDS } from './commands'
import { inline, multiline } from './print'

export type { Io }

const GLOBAL_OPTIONS = {
  library: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

export const USAGE = `Usage: lectern [--library FILE] <command> [options]

Commands:
${COMMANDS.map((c) => {
  const head = `  ${c.name} ${c.synopsis}`
  return head.length < 38
    ? `${head.padEnd(38)}${c.summary}`
    : `${head}\n${' '.repeat(38)}${c.summary}`
}).join('\n')}

Statuses: ${STATUSES.join(', ')}
Sort fields: ${SORT_FIELDS.join(', ')}
Formats (recognised from the content; --format names one): ${FORMATS.join(', ')}
The library is --library FILE, else $LECTERN_LIBRARY, else the desktop app's library.
Exit codes: 0 done, 1 error (library unchanged), 2 usage error.`

/**
 * The process's own streams, for `lectern` run from a shell. A reader that stops reading
 * (`lectern list | head`) is a normal end, as it is for other Unix tools: the next write to
 * standard output ends the command (OutputClosed, exit 0, no stack trace), and long-running
 * commands stop (outputClosed). A closed standard error only loses the messages, not the exit
 * code. Exit 0 rather than 141 (killed by SIGPIPE): the reader had what it wanted, and a script
 * under `set -o pipefail` should not fail for it.
 */
function processIo(): Io {
  const closed = new AbortController()
  let stderrOpen = true
  process.stdout.on('error', (error) => closed.abort(error))
  process.stderr.on('error', () => (stderrOpen = false))
  return {
    out: (t) => {
      if (closed.signal.aborted) throw new OutputClosed(closed.signal.reason as Error)
      process.stdout.write(t + '\n')
    },
    err: (t) => {
      if (stderrOpen) process.stderr.write(t + '\n')
    },
    readStdin: () => process.stdin,
    terminal: process.stdout.isTTY === true,
    outputClosed: closed.signal,
    progress: process.stderr.isTTY
      ? // Escaped here as well: whatever a command quotes in it reaches the terminal inert.
        (line) => process.stderr.write(line === null ? '\r\x1b[2K' : `\r\x1b[2K${inline(line)}`)
      : undefined,
  }
}

/** The command's name: the first word that is neither an option nor an option's value. */
function findCommand(argv: string[]): { index: number; command: Command | null; name?: string } {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!
    if (arg === '--library') {
      i += 1
      continue
    }
    if (arg.startsWith('-') && arg !== '-') continue
    return { index: i, command: COMMANDS.find((c) => c.name === arg) ?? null, name: arg }
  }
  return { index: -1, command: null }
}

function recoveryHint(journalRecoverable: boolean): string {
  const ways = [
    ...(journalRecoverable
      ? ['"lectern recover --journal" keeps every change before the damage']
      : []),
    '"lectern restore BACKUP" puts a backup in its place (see "lectern backups")',
    '"lectern recover --empty" starts empty',
  ]
  return `Damaged files are always kept aside. ${ways.join('; ')}.`
}

/** Opens the library the first time a method is called, the way the command needs it. */
class LazySession {
  private session: LibrarySession | null = null

  constructor(
    private readonly path: string,
    private readonly access: Access,
    private readonly owner: string,
  ) {}

  async get(): Promise<LibrarySession> {
    if (this.session) return this.session
    if (this.access === 'none') {
      throw new Error('this command does not open the library')
    }
    this.session =
      this.access === 'write'
        ? await LibrarySession.start(this.path, { owner: this.owner })
        : await LibrarySession.openReadOnly(this.path)
    return this.session
  }

  /**
   * Lets imports under way finish, then writes the final snapshot; a failure there loses
   * nothing (the journal has every change).
   */
  async close(io: Io): Promise<void> {
    try {
      if (this.session) await settleJobs(this.session)
      this.session?.close()
    } catch (error) {
      io.err(
        `lectern: warning: ${inline((error as Error).message)}; your changes are saved in the journal and the snapshot will be written next time`,
      )
    }
  }
}

export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  const found = findCommand(argv)
  const command = found.command
  const usage = (message: string): number => {
    io.err(`lectern: ${multiline(message)}\n\n${USAGE}`)
    return 2
  }
  let values: Record<string, string | boolean | undefined>
  let args: string[]
  try {
    const rest = found.index === -1 ? argv : argv.filter((_, i) => i !== found.index)
    const parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) } as ParseArgsConfig['options'],
    })
    values = parsed.values as typeof values
    args = parsed.positionals
  } catch (error) {
    return usage((error as Error).message)
  }
  if (values.help || found.name === 'help') {
    io.out(USAGE)
    return 0
  }
  if (found.index === -1) return usage('name a command')
  if (!command) return usage(`unknown command "${found.name}"`)

  let path: string
  try {
    path = libraryPath(
      typeof values.library === 'string'
        ? namedPath(values.library, '--library', 'file')
        : undefined,
    )
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message)
    throw error
  }
  const access =
    typeof command.access === 'function' ? command.access(args, values) : command.access
  const lazy = new LazySession(path, access, `lectern ${command.name}`)
  const call = async <M extends Method>(method: M, request: Request<M>): Promise<Responses[M]> => {
    // What was typed is checked before the library is opened (or created).
    const checked = validate(method, request)
    if (!checked.ok) throw new ApiFailure(checked.error)
    const session = await lazy.get()
    const envelope = await dispatch(
      {
        session,
        samplePath: samplePath(),
        // The user named the files; the command line reads them itself, in any size.
        localFiles: true,
        maxImportChars: MAX_DUMP_CHARS,
        // A library moved that the app opens by default is remembered at its new place.
        libraryMoved: (from, to) => followMove(from, to),
      },
      method,
      request,
    )
    if (!envelope.ok) throw new ApiFailure(envelope.error)
    return envelope.value
  }
  const ctx: CommandRun = { args, values, library: path, io, call }
  try {
    await command.run(ctx)
    return 0
  } catch (error) {
    if (error instanceof OutputClosed) {
      if (error.cause.code === 'EPIPE') return 0
      io.err(`lectern: cannot write the output (${error.cause.code ?? error.cause.message})`)
      return 1
    }
    if (error instanceof UsageError) return usage(error.message)
    if (error instanceof ApiFailure && error.error.code === 'invalid-request') {
      // The contract refused what was typed: say which part, as a usage error.
      return usage(error.message.replace(/^\w+: /, ''))
    }
    let message =
      error instanceof ApiFailure || error instanceof LibraryError
        ? error.message
        : `unexpected error: ${(error as Error).message}`
    const code = error instanceof ApiFailure ? error.error.code : (error as LibraryError).code
    if (code === 'library-damaged') {
      let recoverable = false
      try {
        const status = await (await lazy.get()).status()
        recoverable = status.state === 'damaged' && status.journalRecoverable
      } catch {
        // The hint then leaves out the journal.
      }
      message = `${message}. Nothing was changed. ${recoveryHint(recoverable)}`
    }
    // Messages quote what they refuse: a title, a line of the file, a name.
    io.err(`lectern: ${multiline(message)}`)
    return 1
  } finally {
    await lazy.close(io)
  }
}
