import { flag, printJson, toId } from '../command'
import type { Command } from '../command'
import { paperText } from '../print'

export const showCommand: Command = {
  name: 'show',
  synopsis: 'ID [--json]',
  summary: 'one paper with its abstract, note and status history',
  options: { json: { type: 'boolean' } },
  access: 'read',
  async run(ctx) {
    const paper = await ctx.call('getPaper', { id: toId(ctx.args[0]) })
    if (flag(ctx, 'json')) printJson(ctx, paper)
    else ctx.io.out(paperText(paper))
  },
}
