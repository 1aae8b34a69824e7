// `lectern`: the library from the command line, for scripts and cron. The same core as the app.
import { readFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { spawn } from 'node:child_process'
import { SORT_FIELDS, STATUSES, STATUS_LABELS, isStatus } from '../../shared/domain'
import type { ImportSummary, Paper, Sort, SortField } from '../../shared/domain'
import { MAX_NOTE_CHARS } from '../../shared/api'
import { decodeDump } from '../../shared/decode'
import { ImportError, describeImportError } from '../../shared/importers'
import { Library } from '../core/library'
import { LibraryDamagedError, LibraryError } from '../core/errors'
import { backupsDir, listBackups, verifyBackupFile, writeBackup } from '../core/backups'
import { LibrarySession } from '../core/session'
import { scheduleAutoBackups } from '../core/autoBackup'
import { libraryPath, samplePath } from '../core/paths'
import { serve } from '../core/server'

export const USAGE = `Usage: lectern [--library FILE] <command> [options]

Commands:
  import FILE... [--json]             add the papers in one or more dumps ("-" reads stdin)
  list [--status S] [--sort FIELD[:asc|desc]] [--limit N] [--json]
                                      list papers (FIELD: ${SORT_FIELDS.join(', ')})
  show ID [--json]                    one paper with its abstract and note
  set ID [--status S] [--note TEXT]   change a paper's status or note
  stats [--json]                      counts by status
  backup [FILE]                       a verified copy of the library (default: its backups folder)
  backups [--json]                    the backups, newest first
  restore FILE|NAME                   replace the library with a backup (the current one is kept)
  recover --journal | --empty         open a damaged library: keep the changes before the
                                      damage, or start empty (damaged files are kept aside)
  serve [--port N] [--open]           the app in a browser, on 127.0.0.1

Statuses: ${STATUSES.join(', ')}
The library is --library FILE, else $LECTERN_LIBRARY, else the desktop app's library.
Exit codes: 0 done, 1 error (library unchanged), 2 usage error.`

class UsageError extends Error {}

interface Io {
  out: (text: string) => void
  err: (text: string) => void
  /** Bytes, decoded like a file; tests may pass text. */
  readStdin: () => Uint8Array | string
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  readStdin: () => readFileSync(0),
}

function parseSort(value: string | undefined): Sort {
  if (!value) return { field: 'addedAt', direction: 'desc' }
  const [field, direction = 'asc'] = value.split(':')
  if (!(SORT_FIELDS as readonly string[]).includes(field ?? '')) {
    throw new UsageError(`--sort: unknown field "${field}" (use ${SORT_FIELDS.join(', ')})`)
  }
  if (direction !== 'asc' && direction !== 'desc') {
    throw new UsageError(`--sort: direction must be asc or desc, not "${direction}"`)
  }
  return { field: field as SortField, direction }
}

function parseStatus(value: string | undefined): (typeof STATUSES)[number] | null {
  if (value === undefined) return null
  if (!isStatus(value))
    throw new UsageError(`--status: "${value}" is not one of ${STATUSES.join(', ')}`)
  return value
}

function parseId(value: string | undefined): number {
  const id = Number(value)
  if (!value || !Number.isInteger(id) || id <= 0)
    throw new UsageError(`expected a paper id, got "${value ?? ''}"`)
  return id
}

function describeImport(s: ImportSummary): string {
  const lines = [
    `${s.source}: ${s.added} added, ${s.duplicates} already in the library${s.updated ? ` (${s.updated} given a missing abstract)` : ''}, ${s.skipped} skipped`,
  ]
  for (const w of s.warnings) lines.push(`  ${s.source}${w.line ? `:${w.line}` : ''}: ${w.message}`)
  return lines.join('\n')
}

function paperJson(p: Paper): Record<string, unknown> {
  return {
    id: p.id,
    title: p.title,
    abstract: p.abstract,
    status: p.status,
    note: p.note,
    dumpDate: p.dumpDate,
    dumpDateText: p.dumpDateText,
    addedAt: p.addedAt,
    statusChangedAt: p.statusChangedAt,
    statusHistory: p.statusHistory,
    noteUpdatedAt: p.noteUpdatedAt,
    source: p.source,
  }
}

function recoveryHint(error: LibraryDamagedError): string {
  const ways = [
    ...(error.journalCut !== null
      ? ['"lectern recover --journal" keeps every change before the damage']
      : []),
    '"lectern restore BACKUP" puts a backup in its place (see "lectern backups")',
    '"lectern recover --empty" starts empty',
  ]
  return `Damaged files are always kept aside. ${ways.join('; ')}.`
}

function openUrl(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open'
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url]
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true })
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // No browser to open: the URL is printed anyway.
  }
}

export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        library: { type: 'string' },
        json: { type: 'boolean' },
        status: { type: 'string' },
        sort: { type: 'string' },
        limit: { type: 'string' },
        note: { type: 'string' },
        port: { type: 'string' },
        open: { type: 'boolean' },
        journal: { type: 'boolean' },
        empty: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    io.err(`lectern: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  const [command, ...args] = positionals
  if (values.help || command === 'help') {
    io.out(USAGE)
    return 0
  }
  const path = libraryPath(values.library)
  let library: Library | null = null
  try {
    switch (command) {
      case 'import': {
        if (args.length === 0) throw new UsageError('import: name at least one file')
        const texts = args.map((file) => {
          let bytes: Uint8Array | string
          try {
            bytes = file === '-' ? io.readStdin() : readFileSync(file)
          } catch (error) {
            throw new LibraryError(
              'import-failed',
              `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
            )
          }
          try {
            return { file, text: typeof bytes === 'string' ? bytes : decodeDump(bytes) }
          } catch (error) {
            if (!(error instanceof ImportError)) throw error
            const name = file === '-' ? 'stdin' : basename(file)
            throw new LibraryError('import-failed', describeImportError(name, error))
          }
        })
        library = await Library.open(path, { owner: 'lectern import' })
        const summaries = library.importTexts(
          texts.map(({ file, text }) => ({ source: file === '-' ? 'stdin' : file, text })),
        )
        if (values.json) {
          const total = summaries.reduce(
            (a, s) => ({
              added: a.added + s.added,
              duplicates: a.duplicates + s.duplicates,
              updated: a.updated + s.updated,
              skipped: a.skipped + s.skipped,
            }),
            { added: 0, duplicates: 0, updated: 0, skipped: 0 },
          )
          const warnings = summaries.flatMap((s) =>
            s.warnings.map((w) => ({ file: s.source, ...w })),
          )
          io.out(JSON.stringify({ ...total, warnings, files: summaries, library: path }))
        } else {
          for (const s of summaries) io.out(describeImport(s))
        }
        break
      }
      case 'list': {
        const limit = values.limit === undefined ? -1 : Number(values.limit)
        if (values.limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
          throw new UsageError(`--limit: expected a positive whole number, got "${values.limit}"`)
        }
        const sort = parseSort(values.sort)
        const status = parseStatus(values.status)
        library = await Library.open(path, { readOnly: true })
        const papers = library.listFullPapers({ sort, status, offset: 0, limit })
        if (values.json) io.out(JSON.stringify(papers.map(paperJson), null, 2))
        else {
          for (const p of papers) {
            io.out(
              `${String(p.id).padStart(6)}  ${STATUS_LABELS[p.status].padEnd(8)}  ${p.dumpDate ?? '          '}  ${p.title}`,
            )
          }
        }
        break
      }
      case 'show': {
        const id = parseId(args[0])
        library = await Library.open(path, { readOnly: true })
        const p = library.getPaper(id)
        if (values.json) io.out(JSON.stringify(paperJson(p), null, 2))
        else {
          io.out(`${p.title}\n`)
          io.out(
            `Status: ${STATUS_LABELS[p.status]}    Dump date: ${p.dumpDateText ?? '—'}    Added: ${p.addedAt}`,
          )
          io.out(`\n${p.abstract || '(no abstract)'}`)
          if (p.note) io.out(`\nNote:\n${p.note}`)
        }
        break
      }
      case 'set': {
        const id = parseId(args[0])
        const status = parseStatus(values.status)
        if (status === null && values.note === undefined)
          throw new UsageError('set: give --status or --note (or both)')
        if (values.note !== undefined && values.note.length > MAX_NOTE_CHARS) {
          throw new UsageError(`--note: longer than ${MAX_NOTE_CHARS} characters`)
        }
        library = await Library.open(path, { owner: 'lectern set' })
        library.update(id, { status, note: values.note })
        const p = library.getPaper(id)
        io.out(`${p.id}: ${STATUS_LABELS[p.status]}${p.note ? ', with a note' : ''} — ${p.title}`)
        break
      }
      case 'stats': {
        library = await Library.open(path, { readOnly: true })
        const s = library.stats()
        if (values.json) io.out(JSON.stringify(s))
        else {
          io.out(`${s.total} papers in ${s.path}`)
          for (const st of STATUSES) io.out(`  ${STATUS_LABELS[st].padEnd(8)} ${s.byStatus[st]}`)
          io.out(`  with notes ${s.withNotes}; ${s.imports} imports`)
        }
        break
      }
      case 'serve': {
        const port = values.port === undefined ? 0 : Number(values.port)
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new UsageError(`--port: "${values.port}" is not a port`)
        const session = await LibrarySession.start(path, { owner: 'lectern serve' })
        let server
        try {
          server = await serve({
            context: { session, samplePath: samplePath() },
            rendererDir: resolve(__dirname, '..', 'renderer'),
            port,
          })
        } catch (error) {
          session.close()
          throw error
        }
        io.out(`Lectern is serving ${path} at ${server.url}`)
        io.out('Press Ctrl+C to stop.')
        if (values.open) openUrl(server.url)
        const stopBackups = scheduleAutoBackups(session, (m) => io.err(`lectern: ${m}`))
        const running = server
        await new Promise<void>((done) => {
          const stop = (): void => {
            stopBackups()
            void running.close().then(() => {
              session.close()
              done()
            })
          }
          process.once('SIGINT', stop)
          process.once('SIGTERM', stop)
        })
        break
      }
      case 'backup': {
        library = await Library.open(path, { readOnly: true })
        const written = await writeBackup(library, {
          kind: 'manual',
          now: new Date(),
          file: args[0] ? resolve(args[0]) : undefined,
        })
        io.out(`Backed up ${written.papers} papers to ${written.file}`)
        break
      }
      case 'backups': {
        const list = listBackups(path)
        if (values.json) io.out(JSON.stringify(list, null, 2))
        else if (list.length === 0) io.out(`No backups yet in ${backupsDir(path)}`)
        else {
          io.out(`Backups in ${backupsDir(path)}:`)
          for (const b of list) {
            io.out(`  ${b.name}  ${(b.bytes / 1024 / 1024).toFixed(1)} MB`)
          }
        }
        break
      }
      case 'restore': {
        if (!args[0]) throw new UsageError('restore: name a backup file (see "lectern backups")')
        const named = listBackups(path).find((b) => b.name === args[0])
        const file = named ? join(backupsDir(path), named.name) : resolve(args[0])
        // Checked before the library is touched: a missing or bad copy changes nothing.
        await verifyBackupFile(file)
        const session = await LibrarySession.start(path, { owner: 'lectern restore' })
        try {
          const result = await session.restoreFrom(file)
          io.out(`Restored ${result.papers} papers from ${file}`)
          for (const kept of result.kept) io.out(`  kept the previous file as ${kept}`)
        } finally {
          session.close()
        }
        break
      }
      case 'recover': {
        if (values.journal === values.empty) {
          throw new UsageError('recover: give exactly one of --journal or --empty')
        }
        const session = await LibrarySession.start(path, { owner: 'lectern recover' })
        try {
          const result = await session.recover({ action: values.journal ? 'journal' : 'empty' })
          if (result.status.state !== 'open')
            throw new LibraryError('library-damaged', result.status.message)
          io.out(`Recovered ${path}; ${session.get().stats().total} papers`)
          for (const kept of result.kept) io.out(`  kept the damaged file as ${kept}`)
        } finally {
          session.close()
        }
        break
      }
      case undefined:
        throw new UsageError('name a command')
      default:
        throw new UsageError(`unknown command "${command}"`)
    }
    return 0
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`lectern: ${error.message}\n\n${USAGE}`)
      return 2
    }
    const message =
      error instanceof LibraryDamagedError
        ? `${error.message}. Nothing was changed. ${recoveryHint(error)}`
        : error instanceof LibraryError
          ? error.message
          : `unexpected error: ${(error as Error).message}`
    io.err(`lectern: ${message}`)
    return 1
  } finally {
    try {
      library?.close()
    } catch (error) {
      // Every change is already in the journal; only the final snapshot is put off.
      io.err(
        `lectern: warning: ${(error as Error).message}; your changes are saved in the journal and the snapshot will be written next time`,
      )
    }
  }
}
