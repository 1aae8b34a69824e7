import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { decodeDump } from '../../../shared/decode'
import { ImportError, describeImportError } from '../../../shared/importers'
import type { FormatId } from '../../../shared/importers'
import { ApiFailure, UsageError, flag, printJson, stringOption } from '../command'
import type { Command, CommandRun } from '../command'
import { watchFolder } from '../inbox'
import { sizeWarning } from '../../../shared/domain'
import type { ErrorCode, Request } from '../../../shared/api'
import type { ImportSummary } from '../../../shared/domain'
import { importLines, json, previewLines } from '../print'

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
      if (job.state === 'reading') progress(`Reading ${job.sources.join(', ')}…`)
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
    const dumps = ctx.args.map((file) => {
      const source = file === '-' ? 'stdin' : file
      let bytes: Uint8Array | string
      try {
        bytes = file === '-' ? ctx.io.readStdin() : readFileSync(file)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
        throw new ApiFailure({
          code: 'import-failed',
          message: `${file}: cannot read it (${code})`,
        })
      }
      try {
        return {
          source,
          text: typeof bytes === 'string' ? bytes : decodeDump(bytes),
          // The contract names the formats it knows when this is not one of them.
          format: stringOption(ctx, 'format') as FormatId | undefined,
        }
      } catch (error) {
        if (!(error instanceof ImportError)) throw error
        const name = file === '-' ? 'stdin' : basename(file)
        throw new ApiFailure({ code: 'import-failed', message: describeImportError(name, error) })
      }
    })
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
