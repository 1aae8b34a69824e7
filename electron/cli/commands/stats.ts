import { flag } from '../command'
import type { Command } from '../command'
import { statsLines } from '../print'

export const statsCommand: Command = {
  name: 'stats',
  synopsis: '[--json]',
  summary: 'counts by status',
  options: { json: { type: 'boolean' } },
  access: 'read',
  async run(ctx) {
    const stats = await ctx.call('stats', {})
    if (flag(ctx, 'json')) ctx.io.out(JSON.stringify(stats))
    else for (const line of statsLines(stats)) ctx.io.out(line)
  },
}
