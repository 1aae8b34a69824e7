import { flag, printJson } from '../command'
import type { Command } from '../command'

export const importsCommand: Command = {
  name: 'imports',
  synopsis: '[--json]',
  summary: 'the import history, newest first ("list --import N" shows one import\'s papers)',
  options: { json: { type: 'boolean' } },
  access: 'read',
  async run(ctx) {
    const imports = await ctx.call('listImports', {})
    if (flag(ctx, 'json')) return printJson(ctx, imports)
    if (imports.length === 0) return ctx.io.out('No imports yet.')
    for (const i of imports) {
      ctx.io.out(
        `${String(i.id).padStart(5)}  ${i.importedAt.slice(0, 16).replace('T', ' ')}  ${i.format.padEnd(13)}  +${i.added} new, ${i.duplicates} known${i.updated ? ` (${i.updated} filled in)` : ''}${i.skipped ? `, ${i.skipped} skipped` : ''}${i.warnings ? `, ${i.warnings} warnings` : ''}  ${i.source}`,
      )
    }
  },
}
