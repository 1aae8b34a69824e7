import { resolve } from 'node:path'
import type { SyncStatus } from '../../../shared/domain'
import { waitingText } from '../../../shared/syncText'
import { UsageError, flag, printJson, stringOption } from '../command'
import type { Command, CommandRun } from '../command'
import { inline } from '../print'

const DEFAULT_EVERY_SECONDS = 30

function report(ctx: CommandRun, status: SyncStatus): void {
  if (flag(ctx, 'json')) {
    printJson(ctx, status)
    return
  }
  const last = status.last
  if (!last) {
    ctx.io.out(
      status.folder
        ? `Sync folder: ${inline(status.folder)} (no pass yet)`
        : 'No sync folder is chosen (lectern sync DIR --remember).',
    )
    return
  }
  if (last.rekeyedFrom) {
    ctx.io.out(
      `This library is a copy of device ${last.rekeyedFrom}'s: it is device ${status.device ?? '?'} now.`,
    )
  }
  ctx.io.out(
    `Synced through ${inline(last.folder)} at ${last.at}: ${last.sent} change${last.sent === 1 ? '' : 's'} sent, ${last.applied} applied (device ${status.device ?? '?'})`,
  )
  for (const d of last.devices) {
    ctx.io.out(
      `  device ${d.device}: ${d.applied} applied${d.waiting > 0 ? `, ${waitingText(d)}` : ''}`,
    )
  }
  for (const problem of last.problems) ctx.io.out(`  problem: ${inline(problem)}`)
}

/**
 * One sync pass through a folder that Syncthing, Dropbox, iCloud Drive or the like keeps in
 * step between computers (or, with --watch, one every few seconds until Ctrl+C).
 */
export const syncCommand: Command = {
  name: 'sync',
  synopsis: '[DIR] [--watch] [--every SECONDS] [--remember] [--status] [--off] [--json]',
  summary:
    "sync with other computers through DIR, a folder a sync service keeps in step (default: the library's sync folder)",
  options: {
    watch: { type: 'boolean' },
    every: { type: 'string' },
    remember: { type: 'boolean' },
    status: { type: 'boolean' },
    off: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  access: (_args, values) => (values.status === true ? 'read' : 'write'),
  async run(ctx) {
    const [dir, ...more] = ctx.args
    if (more.length > 0) throw new UsageError('sync: name one folder')
    if (flag(ctx, 'status')) {
      report(ctx, await ctx.call('syncStatus', {}))
      return
    }
    if (flag(ctx, 'off')) {
      await ctx.call('setSyncFolder', { folder: null })
      ctx.io.out(
        'This library no longer syncs: its changes are not recorded for other computers until it syncs again, which sends what changed meanwhile (the folder is left as it is).',
      )
      return
    }
    const folder = dir === undefined ? undefined : resolve(dir)
    if (folder !== undefined && flag(ctx, 'remember')) {
      await ctx.call('setSyncFolder', { folder })
      ctx.io.out(`The library syncs through ${inline(folder)} from now on (the app does too).`)
    }
    const everyText = stringOption(ctx, 'every')
    const every = everyText === undefined ? DEFAULT_EVERY_SECONDS : Number(everyText)
    if (!Number.isFinite(every) || every < 1 || every > 86_400) {
      throw new UsageError(
        `--every: expected a number of seconds from 1 to 86400, got "${everyText}"`,
      )
    }
    report(ctx, await ctx.call('syncNow', folder === undefined ? {} : { folder }))
    if (!flag(ctx, 'watch')) return
    ctx.io.out(`Syncing every ${every} s; press Ctrl+C to stop.`)
    let stopped = false
    let wake: (() => void) | null = null
    const stop = (): void => {
      stopped = true
      wake?.()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    ctx.io.outputClosed?.addEventListener('abort', stop)
    try {
      while (!stopped) {
        await new Promise<void>((done) => {
          wake = done
          setTimeout(done, every * 1000).unref()
        })
        if (stopped) break
        const status = await ctx.call('syncNow', folder === undefined ? {} : { folder })
        if (
          status.last &&
          (status.last.sent > 0 || status.last.applied > 0 || status.last.problems.length > 0)
        ) {
          report(ctx, status)
        }
      }
    } finally {
      process.removeListener('SIGINT', stop)
      process.removeListener('SIGTERM', stop)
    }
  },
}
