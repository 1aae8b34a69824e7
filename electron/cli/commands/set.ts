import { STATUS_LABELS } from '../../../shared/domain'
import type { Status } from '../../../shared/domain'
import { stringOption, toId } from '../command'
import type { Command } from '../command'
import { inline } from '../print'

export const setCommand: Command = {
  name: 'set',
  synopsis: 'ID [--status S] [--note TEXT]',
  summary: "change a paper's status or note (both together are one change)",
  options: { status: { type: 'string' }, note: { type: 'string' } },
  access: 'write',
  async run(ctx) {
    const status = stringOption(ctx, 'status') as Status | undefined
    const note = stringOption(ctx, 'note')
    const p = await ctx.call('updatePaper', { id: toId(ctx.args[0]), status, note })
    ctx.io.out(
      `${p.id}: ${STATUS_LABELS[p.status]}${p.note ? ', with a note' : ''} — ${inline(p.title)}`,
    )
  },
}
