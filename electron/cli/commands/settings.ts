import { formatBytes } from '../../../shared/domain'
import type { BackupInfo } from '../../../shared/domain'
import { UsageError, flag, printJson, stringOption } from '../command'
import type { Command } from '../command'
import { inline } from '../print'

const KIND_WORDS = { auto: 'daily', manual: 'manual', 'before-restore': 'before a restore' }

function backupLine(backup: BackupInfo | null): string {
  return backup ? `${backup.createdAt} (${KIND_WORDS[backup.kind]})` : 'none yet'
}

/** `--inbox on|off`: the watched inbox switched on or off; undefined when not given. */
function inboxChoice(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined
  if (value === 'on' || value === 'off') return value === 'on'
  throw new UsageError(`--inbox: expected on or off, got "${value}"`)
}

/**
 * What the window's Settings shows of the library (where it is, its size, its backups, its
 * inbox), and the one setting kept in the library that a script may want to change.
 */
export const settingsCommand: Command = {
  name: 'settings',
  synopsis: '[--inbox on|off] [--json]',
  summary: 'where the library, its backups and its inbox are; --inbox switches the inbox',
  options: { inbox: { type: 'string' }, json: { type: 'boolean' } },
  access: (_args, values) => (values.inbox !== undefined ? 'write' : 'read'),
  async run(ctx) {
    const watchInbox = inboxChoice(stringOption(ctx, 'inbox'))
    const settings =
      watchInbox === undefined
        ? await ctx.call('getSettings', {})
        : await ctx.call('updateSettings', { watchInbox })
    const info = await ctx.call('libraryInfo', {})
    if (flag(ctx, 'json')) {
      return printJson(ctx, {
        library: info,
        inbox: { folder: settings.inboxFolder, watch: settings.watchInbox },
      })
    }
    const b = info.backups
    ctx.io.out(`Library  ${inline(info.path)}`)
    ctx.io.out(`         ${info.papers} papers, ${formatBytes(info.bytes)} on disk`)
    if (info.readOnlyFile !== null) {
      ctx.io.out(
        `         read-only: ${inline(info.readOnlyFile)} cannot be written; it can be read, not changed`,
      )
    }
    ctx.io.out(`Backups  ${inline(b.folder)}`)
    ctx.io.out(
      `         once a day while the app or lectern serve has the library open; the newest ${b.autoKept} kept`,
    )
    ctx.io.out(`         last: ${backupLine(b.last)}`)
    ctx.io.out(`Inbox    ${inline(settings.inboxFolder)}`)
    ctx.io.out(
      settings.watchInbox
        ? '         on: dumps saved there are imported while the app or lectern serve is open'
        : '         off (lectern settings --inbox on)',
    )
  },
}
