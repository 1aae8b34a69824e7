import { dirname, resolve } from 'node:path'
import { listBackups, verifyBackupFile } from '../../core/safety/backups'
import { ApiFailure, UsageError, flag, namedPath, printJson } from '../command'
import type { Command } from '../command'
import { inline } from '../print'

export const backupCommand: Command = {
  name: 'backup',
  synopsis: '[FILE]',
  summary: 'a verified copy of the library (default: in its backups folder)',
  options: {},
  access: 'read',
  async run(ctx) {
    const file = ctx.args[0] === undefined ? undefined : namedPath(ctx.args[0], 'backup', 'file')
    const written = await ctx.call('backupNow', { file })
    ctx.io.out(`Backed up ${written.papers} papers to ${inline(written.file)}`)
  },
}

export const backupsCommand: Command = {
  name: 'backups',
  synopsis: '[--json]',
  summary: 'the backups, newest first',
  options: { json: { type: 'boolean' } },
  access: 'read',
  async run(ctx) {
    const list = await ctx.call('listBackups', {})
    if (flag(ctx, 'json')) return printJson(ctx, list)
    if (list.length === 0) {
      // The folder they will go to: the library's setting, or beside it (no library yet).
      const folder = await ctx
        .call('libraryInfo', {})
        .then((info) => info.backups.folder)
        .catch(() => resolve(dirname(ctx.library), 'backups'))
      ctx.io.out(`No backups yet in ${inline(folder)}`)
      return
    }
    // By folder (the one in use, and those that still hold backups from before), newest first.
    for (const folder of new Set(list.map((b) => b.folder))) {
      ctx.io.out(`Backups in ${inline(folder)}:`)
      for (const b of list.filter((x) => x.folder === folder)) {
        ctx.io.out(`  ${inline(b.name)}  ${(b.bytes / 1024 / 1024).toFixed(1)} MB`)
      }
    }
  },
}

export const restoreCommand: Command = {
  name: 'restore',
  synopsis: 'FILE|NAME',
  summary: 'replace the library with a backup (the current one is kept as a backup)',
  options: {},
  access: 'write',
  async run(ctx) {
    const which = ctx.args[0]
    if (!which) throw new UsageError('restore: name a backup file (see "lectern backups")')
    // The user's file is checked before the library is opened (opening it for writing may
    // migrate it): a missing or bad copy changes nothing, not even an old library's format.
    const named = listBackups(ctx.library).some((b) => b.name === which)
    if (!named) await verifyBackupFile(resolve(which))
    const result = await ctx.call(
      'restoreBackup',
      named ? { name: which } : { file: resolve(which) },
    )
    ctx.io.out(`Restored ${result.papers} papers from ${inline(named ? which : resolve(which))}`)
    for (const kept of result.kept) ctx.io.out(`  kept the previous file as ${inline(kept)}`)
  },
}

export const recoverCommand: Command = {
  name: 'recover',
  synopsis: '--journal | --empty',
  summary:
    'open a damaged library: keep the changes before the damage, or start empty (damaged files are kept aside)',
  options: { journal: { type: 'boolean' }, empty: { type: 'boolean' } },
  access: 'write',
  async run(ctx) {
    if (flag(ctx, 'journal') === flag(ctx, 'empty')) {
      throw new UsageError('recover: give exactly one of --journal or --empty')
    }
    const result = await ctx.call('recover', { action: flag(ctx, 'journal') ? 'journal' : 'empty' })
    if (result.status.state !== 'open') {
      throw new ApiFailure({ code: 'library-damaged', message: result.status.message })
    }
    const stats = await ctx.call('stats', {})
    ctx.io.out(`Recovered ${inline(ctx.library)}; ${stats.total} papers`)
    for (const kept of result.kept) ctx.io.out(`  kept the damaged file as ${inline(kept)}`)
  },
}
