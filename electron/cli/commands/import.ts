import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { decodeDump } from '../../../shared/decode'
import { ImportError, describeImportError } from '../../../shared/importers'
import { ApiFailure, UsageError, flag } from '../command'
import type { Command } from '../command'
import { importLines } from '../print'

/** Reads every file first: one that cannot be read or decoded stops the import before it starts. */
export const importCommand: Command = {
  name: 'import',
  synopsis: 'FILE... [--json]',
  summary: 'add the papers in one or more dumps, all or none ("-" reads stdin)',
  options: { json: { type: 'boolean' } },
  access: 'write',
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
        return { source, text: typeof bytes === 'string' ? bytes : decodeDump(bytes) }
      } catch (error) {
        if (!(error instanceof ImportError)) throw error
        const name = file === '-' ? 'stdin' : basename(file)
        throw new ApiFailure({ code: 'import-failed', message: describeImportError(name, error) })
      }
    })
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
