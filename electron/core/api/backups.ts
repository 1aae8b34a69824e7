// Backups: listing them, making one now, putting one in the library's place.
import { resolve } from 'node:path'
import { localFile } from './context'
import type { Handlers } from './context'

export const backupHandlers: Handlers<'listBackups' | 'backupNow' | 'restoreBackup'> = {
  listBackups: ({ session }) => session.listBackups(),
  backupNow: async (ctx, r) => {
    const file = r.file === undefined ? undefined : resolve(localFile(ctx, r.file))
    const written = await ctx.session.backupNow(file)
    return {
      name: written.name,
      kind: written.kind,
      createdAt: written.createdAt,
      bytes: written.bytes,
      libraryId: written.libraryId,
      papers: written.papers,
      file: written.file,
    }
  },
  restoreBackup: (ctx, r) =>
    'name' in r
      ? ctx.session.restore(r.name)
      : ctx.session.restoreFrom(resolve(localFile(ctx, r.file))),
}
