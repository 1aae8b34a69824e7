import { flag, printJson, toId } from '../command'
import type { Command } from '../command'
import { inline } from '../print'

/** " (dump of 2026-08-19)", " (dumps of 2026-08-19 to 2026-08-21)", or nothing. */
function dumpDays(dates: string[]): string {
  if (dates.length === 0) return ''
  if (dates.length === 1) return ` (dump of ${dates[0]})`
  return ` (dumps of ${dates[0]} to ${dates.at(-1)})`
}

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
        `${String(i.id).padStart(5)}  ${i.importedAt.slice(0, 16).replace('T', ' ')}  ${inline(i.format).padEnd(13)}  ${i.undoneAt ? `(undone ${i.undoneAt.slice(0, 16).replace('T', ' ')}) ` : ''}+${i.added} new, ${i.duplicates} known${i.updated ? ` (${i.updated} filled in)` : ''}${i.skipped ? `, ${i.skipped} skipped` : ''}${i.warnings ? `, ${i.warnings} warnings` : ''}  ${inline(i.source)}${dumpDays(i.dumpDates)}`,
      )
    }
  },
}

const REASONS = {
  note: 'has a note',
  status: 'has a status',
  starred: 'is starred',
  tags: 'has tags',
  'later-import': 'a later import brought it too',
} as const

export const undoImportCommand: Command = {
  name: 'undo-import',
  synopsis: 'N [--json]',
  summary:
    'take an import back: its new papers go unless you gave them a status or a note; fields it filled in are emptied',
  options: { json: { type: 'boolean' } },
  access: 'write',
  async run(ctx) {
    const result = await ctx.call('undoImport', { importId: toId(ctx.args[0]) })
    if (flag(ctx, 'json')) return printJson(ctx, result)
    const papers = (n: number) => `${n} ${n === 1 ? 'paper' : 'papers'}`
    ctx.io.out(
      `Undid import ${result.importId} (${inline(result.source)}): removed ${papers(result.removed)}${result.reverted ? `, emptied the fields it filled in on ${papers(result.reverted)}` : ''}.`,
    )
    if (result.keptCount === 0) return
    ctx.io.out(`Kept ${papers(result.keptCount)}:`)
    for (const k of result.kept) ctx.io.out(`  #${k.id} “${inline(k.title)}”: ${REASONS[k.reason]}`)
    const more = result.keptCount - result.kept.length
    if (more > 0) ctx.io.out(`  and ${more} more`)
  },
}
