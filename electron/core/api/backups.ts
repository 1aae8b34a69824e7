// Backups: listing them, making one now, putting one in the library's place.
import { resolve } from 'node:path'
import { localFile } from './context'
import type { Handlers } from './context'
import { cancelJobs } from './jobs'

export const backupHandlers: Handlers<'listBackups' | 'backupNow' | 'restoreBackup'> = {
  listBackups: ({ session }) => session.listBackups(),
  backupNow: async (ctx, r) => {
    const file = r.file === undefined ? undefined : resolve(localFile(ctx, r.file))
    const written = await ctx.session.backupNow(file)
    return {
      name: written.name,
      folder: written.folder,
      kind: written.kind,
      createdAt: written.createdAt,
      bytes: written.bytes,
      libraryId: written.libraryId,
      papers: written.papers,
      file: written.file,
    }
  },
  // An import under way is cancelled (taken back) before the library is replaced.
  restoreBackup: async (ctx, r) => {
    const file = 'name' in r ? null : resolve(localFile(ctx, r.file))
    await cancelJobs(ctx.session)
    return 'name' in r ? ctx.session.restore(r.name) : ctx.session.restoreFrom(file!)
  },
}
