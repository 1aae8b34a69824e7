import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { EXPORT_FORMATS } from '../../../shared/domain'
import type { ExportFormat, Status } from '../../../shared/domain'
import { ApiFailure, UsageError, stringOption, toId } from '../command'
import type { Command } from '../command'
import { inertJson, inline, multiline } from '../print'

/** Writes the file whole or not at all: a temporary file beside it, then a rename. */
function writeWhole(file: string, text: string): void {
  const temporary = `${file}.lectern-${process.pid}.tmp`
  try {
    writeFileSync(temporary, text)
    renameSync(temporary, file)
  } catch (error) {
    rmSync(temporary, { force: true })
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new ApiFailure({ code: 'write-failed', message: `${file}: cannot write it (${code})` })
  }
}

export const exportCommand: Command = {
  name: 'export',
  synopsis: `--format ${EXPORT_FORMATS.join('|')} [--status S] [--import N] [ID...] [-o FILE]`,
  summary:
    'write papers (all, a status, an import, or the IDs named) as BibTeX, RIS, CSV, CSL-JSON, Markdown notes or Lectern JSON',
  options: {
    format: { type: 'string' },
    status: { type: 'string' },
    import: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  access: 'read',
  async run(ctx) {
    const format = stringOption(ctx, 'format')
    if (!format) throw new UsageError(`export: name a format: --format ${EXPORT_FORMATS.join('|')}`)
    const importOption = stringOption(ctx, 'import')
    const result = await ctx.call('exportPapers', {
      // The contract names the formats and statuses it knows when these are not ones.
      format: format as ExportFormat,
      status: stringOption(ctx, 'status') as Status | undefined,
      importId: importOption === undefined ? undefined : toId(importOption),
      ids: ctx.args.length > 0 ? ctx.args.map(toId) : undefined,
    })
    const file = stringOption(ctx, 'output')
    if (file === undefined || file === '-') {
      const text = result.text.replace(/\n$/, '')
      // Into a pipe the data goes as it is; on a terminal it is read, and escaped as other
      // output is (JSON in the way that keeps it JSON).
      const json = format === 'json' || format === 'csl-json'
      ctx.io.out(ctx.io.terminal ? (json ? inertJson(text) : multiline(text)) : text)
      return
    }
    writeWhole(file, result.text)
    ctx.io.err(
      `Wrote ${result.papers} ${result.papers === 1 ? 'paper' : 'papers'} to ${inline(file)}.`,
    )
  },
}
