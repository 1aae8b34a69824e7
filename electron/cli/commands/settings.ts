import type { Request } from '../../../shared/api'
import { BACKUP_SCHEDULES, MAX_BACKUPS_KEPT, formatBytes } from '../../../shared/domain'
import type { BackupInfo, BackupSchedule } from '../../../shared/domain'
import { UsageError, flag, namedPath, printJson } from '../command'
import type { Command } from '../command'
import { inline } from '../print'

const KIND_WORDS = { auto: 'automatic', manual: 'manual', 'before-restore': 'before a restore' }
const EVERY_WORDS: Record<Exclude<BackupSchedule, 'off'>, string> = {
  hourly: 'every hour',
  daily: 'once a day',
  weekly: 'once a week',
}

function backupLine(backup: BackupInfo | null): string {
  return backup ? `${backup.createdAt} (${KIND_WORDS[backup.kind]})` : 'none yet'
}

/** `--inbox on|off`: the watched inbox switched on or off; undefined when not given. */
function inboxChoice(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined
  if (value === 'on' || value === 'off') return value === 'on'
  throw new UsageError(`--inbox: expected on or off, got "${value}"`)
}

/** `--backups off|hourly|daily|weekly`: how often automatic backups are made. */
function scheduleChoice(value: string | undefined): BackupSchedule | undefined {
  if (value === undefined) return undefined
  if ((BACKUP_SCHEDULES as readonly string[]).includes(value)) return value as BackupSchedule
  throw new UsageError(`--backups: expected ${BACKUP_SCHEDULES.join(', ')}, got "${value}"`)
}

/** `--keep N`: how many automatic backups are kept. */
function keptChoice(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_BACKUPS_KEPT) {
    return Number(value)
  }
  throw new UsageError(`--keep: expected a number from 1 to ${MAX_BACKUPS_KEPT}, got "${value}"`)
}

/** `--backups-folder DIR|default`: a folder (as typed, from here), or back beside the library. */
function folderChoice(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined
  return value === 'default' ? null : namedPath(value, '--backups-folder', 'folder')
}

/** The settings the options name, for `updateSettings`; null when none is named. */
function changeOf(
  values: Record<string, string | boolean | undefined>,
): Request<'updateSettings'> | null {
  const str = (name: string): string | undefined =>
    typeof values[name] === 'string' ? (values[name] as string) : undefined
  const change: Request<'updateSettings'> = {
    watchInbox: inboxChoice(str('inbox')),
    backupEvery: scheduleChoice(str('backups')),
    backupsKept: keptChoice(str('keep')),
    backupsFolder: folderChoice(str('backups-folder')),
  }
  return Object.values(change).some((v) => v !== undefined) ? change : null
}

/**
 * What the window's Settings shows of the library (where it is, its size, its backups, its
 * inbox), and the settings kept in the library that a script may want to change: the inbox, and
 * when, how many and where automatic backups are made.
 */
export const settingsCommand: Command = {
  name: 'settings',
  synopsis:
    '[--inbox on|off] [--backups off|hourly|daily|weekly] [--keep N] [--backups-folder DIR|default] [--json]',
  summary:
    'where the library, its backups and its inbox are; switches the inbox, sets when, how many and where backups are made',
  options: {
    inbox: { type: 'string' },
    backups: { type: 'string' },
    keep: { type: 'string' },
    'backups-folder': { type: 'string' },
    json: { type: 'boolean' },
  },
  // A change opens the library for writing; what is typed is checked in `run`, before it opens.
  access: (_args, values) =>
    ['inbox', 'backups', 'keep', 'backups-folder'].some((name) => values[name] !== undefined)
      ? 'write'
      : 'read',
  async run(ctx) {
    const change = changeOf(ctx.values)
    const settings = change
      ? await ctx.call('updateSettings', change)
      : await ctx.call('getSettings', {})
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
      b.every === 'off'
        ? '         automatic backups off (lectern settings --backups daily); lectern backup makes one'
        : `         ${EVERY_WORDS[b.every]} while the app or lectern serve has the library open; the newest ${b.autoKept} kept`,
    )
    for (const other of b.otherFolders) ctx.io.out(`         also listed: ${inline(other)}`)
    ctx.io.out(`         last: ${backupLine(b.last)}`)
    ctx.io.out(`Inbox    ${inline(settings.inboxFolder)}`)
    ctx.io.out(
      settings.watchInbox
        ? '         on: dumps saved there are imported while the app or lectern serve is open'
        : '         off (lectern settings --inbox on)',
    )
  },
}
