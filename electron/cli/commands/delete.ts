import { flag, printJson, toId } from '../command'
import type { Command } from '../command'
import { inline } from '../print'

export const deleteCommand: Command = {
  name: 'delete',
  synopsis: 'ID... [--json]',
  summary: 'delete papers, notes and status history included (undo with "undelete")',
  options: { json: { type: 'boolean' } },
  access: 'write',
  async run(ctx) {
    const result = await ctx.call('deletePapers', { ids: ctx.args.map(toId) })
    if (flag(ctx, 'json')) return printJson(ctx, result)
    const more = result.deleted - result.titles.length
    ctx.io.out(
      `Deleted ${result.deleted} ${result.deleted === 1 ? 'paper' : 'papers'}: ${result.titles.map((t) => `“${inline(t)}”`).join(', ')}${more > 0 ? ` and ${more} more` : ''}.`,
    )
    ctx.io.out(`Undo with: lectern undelete ${result.deletionId}`)
  },
}

export const undeleteCommand: Command = {
  name: 'undelete',
  synopsis: '[DELETION] [--json]',
  summary: 'put back the papers of a deletion (default: the latest), notes and history included',
  options: { json: { type: 'boolean' } },
  access: 'write',
  async run(ctx) {
    const deletionId = ctx.args[0] === undefined ? undefined : toId(ctx.args[0])
    const result = await ctx.call('restoreDeleted', { deletionId })
    if (flag(ctx, 'json')) return printJson(ctx, result)
    ctx.io.out(
      `Restored ${result.restored} ${result.restored === 1 ? 'paper' : 'papers'} (ids ${result.ids.join(', ')}).`,
    )
  },
}
