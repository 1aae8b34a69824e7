import { basename } from 'node:path'
import { decodeDump } from '../../../shared/decode'
import { ImportError, describeImportError } from '../../../shared/importers'
import type { FormatId } from '../../../shared/importers'
import { ApiFailure, UsageError, flag, printJson, readStdin, stringOption } from '../command'
import type { Command, CommandRun } from '../command'
import { watchFolder } from '../inbox'
import {
  DumpReadError,
  MAX_DUMP_BYTES,
  dumpFileSize,
  pastTheBound,
  readDumpFile,
} from '../../core/dumpFile'
import { sizeWarning } from '../../../shared/domain'
import type { ErrorCode, Request } from '../../../shared/api'
import type { ImportSummary } from '../../../shared/domain'
import { importLines, inline, json, previewLines } from '../print'

/** How often the progress line is redrawn. */
const PROGRESS_MS = 250

/**
 * Imports in the background (the same job the window runs), showing a progress line on a
 * terminal: papers written of all, and the rate. Not with --json, nor when nobody watches.
 */
async function importWithProgress(
  ctx: CommandRun,
  dumps: Request<'startImport'>['dumps'],
  json: boolean,
): Promise<ImportSummary[]> {
  const progress = json ? undefined : ctx.io.progress
  let job = await ctx.call('startImport', { dumps })
  // A small import is done at once: look again soon, then at the pace of the progress line.
  let wait = 10
  while (job.state === 'reading' || job.state === 'writing') {
    if (progress) {
      if (job.state === 'reading') progress(`Reading ${inline(job.sources.join(', '))}…`)
      else {
        const rate = job.elapsedMs > 0 ? Math.round((job.done / job.elapsedMs) * 1000) : 0
        const total = job.total ?? 0
        const percent = total > 0 ? Math.floor((job.done / total) * 100) : 0
        progress(
          `Importing: ${job.done.toLocaleString('en')} of ${total.toLocaleString('en')} papers (${percent}%), ${rate.toLocaleString('en')} papers/s`,
        )
      }
    }
    await new Promise((resolve) => setTimeout(resolve, wait))
    wait = Math.min(wait * 2, PROGRESS_MS)
    job = await ctx.call('importJob', { id: job.id })
  }
  progress?.(null)
  if (job.state === 'done') return job.summaries!
  throw new ApiFailure({
    code: (job.error?.code ?? 'import-failed') as ErrorCode,
    message: job.error?.message ?? 'the import was cancelled; nothing was added',
  })
}

/**
 * Every dump named, read and decoded: one that cannot be stops the import before it starts. Only
 * regular files are read (a folder, a device, a FIFO is refused by its kind), and not more bytes
 * than one import may hold: files are refused by their sizes before any is read, and standard
 * input is counted as it arrives.
 */
async function readDumps(ctx: CommandRun): Promise<Request<'startImport'>['dumps']> {
  const fail = (message: string): ApiFailure => new ApiFailure({ code: 'import-failed', message })
  try {
    let sizes = 0
    for (const file of ctx.args) {
      if (file === '-') continue
      sizes += await dumpFileSize(file)
      if (sizes > MAX_DUMP_BYTES) throw pastTheBound(file, MAX_DUMP_BYTES, true)
    }
    const dumps = []
    let read = 0
    for (const file of ctx.args) {
      const room = { maxBytes: MAX_DUMP_BYTES - read, together: read > 0 }
      const bytes =
        file === '-'
          ? await readStdin(ctx.io, room.maxBytes, room.together)
          : await readDumpFile(file, room)
      read += bytes.length
      try {
        dumps.push({
          source: file === '-' ? 'stdin' : file,
          text: typeof bytes === 'string' ? bytes : decodeDump(bytes),
          // The contract names the formats it knows when this is not one of them.
          format: stringOption(ctx, 'format') as FormatId | undefined,
        })
      } catch (error) {
        if (!(error instanceof ImportError)) throw error
        throw fail(describeImportError(file === '-' ? 'stdin' : basename(file), error))
      }
    }
    return dumps
  } catch (error) {
    throw error instanceof DumpReadError ? fail(error.message) : error
  }
}

/** Reads every file first: one that cannot be read or decoded stops the import before it starts. */
export const importCommand: Command = {
  name: 'import',
  synopsis: 'FILE... [--format F] [--dry-run] [--json] | --watch DIR [--json]',
  summary:
    'add the papers in one or more dumps, all or none ("-" reads stdin); --dry-run shows what it would do; --watch DIR imports each dump saved into DIR until stopped',
  options: {
    json: { type: 'boolean' },
    format: { type: 'string' },
    'dry-run': { type: 'boolean' },
    watch: { type: 'string' },
  },
  // A dry run only reads the library (it works while the app holds it); a watch holds it itself.
  access: (_args, values) =>
    typeof values.watch === 'string' ? 'none' : values['dry-run'] === true ? 'read' : 'write',
  async run(ctx) {
    const watch = stringOption(ctx, 'watch')
    if (watch !== undefined) return watchFolder(ctx, watch)
    if (ctx.args.length === 0) throw new UsageError('import: name at least one file')
    const dumps = await readDumps(ctx)
    if (flag(ctx, 'dry-run')) {
      const previews = await ctx.call('previewImport', { dumps })
      if (flag(ctx, 'json')) return printJson(ctx, previews)
      for (const preview of previews) for (const line of previewLines(preview)) ctx.io.out(line)
      return
    }
    const summaries = await importWithProgress(ctx, dumps, flag(ctx, 'json'))
    // A library near its limit is said after every import, well before one is refused.
    const warning = sizeWarning((await ctx.call('stats', {})).size)
    if (warning) ctx.io.err(`lectern: warning: ${warning}`)
    if (!flag(ctx, 'json')) {
      for (const s of summaries) for (const line of importLines(s)) ctx.io.out(line)
      return
    }
    const total = { added: 0, duplicates: 0, updated: 0, skipped: 0 }
    for (const s of summaries) {
      total.added += s.added
      total.duplicates += s.duplicates
      total.updated += s.updated
      total.skipped += s.skipped
    }
    const warnings = summaries.flatMap((s) => s.warnings.map((w) => ({ file: s.source, ...w })))
    ctx.io.out(json({ ...total, warnings, files: summaries, library: ctx.library }))
  },
}
