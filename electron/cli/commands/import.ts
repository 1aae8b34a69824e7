import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { decodeDump } from '../../../shared/decode'
import { ImportError, describeImportError } from '../../../shared/importers'
import type { FormatId } from '../../../shared/importers'
import { ApiFailure, UsageError, flag, printJson, stringOption } from '../command'
import type { Command } from '../command'
import { importLines, previewLines } from '../print'

/** Reads every file first: one that cannot be read or decoded stops the import before it starts. */
export const importCommand: Command = {
  name: 'import',
  synopsis: 'FILE... [--format F] [--dry-run] [--json]',
  summary:
    'add the papers in one or more dumps, all or none ("-" reads stdin); --dry-run shows what it would do',
  options: {
    json: { type: 'boolean' },
    format: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  // A dry run only reads the library (it works while the app holds it).
  access: (_args, values) => (values['dry-run'] === true ? 'read' : 'write'),
  async run(ctx) {
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
    const summaries = await ctx.call('importTexts', { dumps })
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
    ctx.io.out(JSON.stringify({ ...total, warnings, files: summaries, library: ctx.library }))
  },
}
