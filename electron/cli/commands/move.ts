import { resolve } from 'node:path'
import { UsageError, namedPath } from '../command'
import type { Command } from '../command'
import { inline } from '../print'

/**
 * Moves the library (its file, journal, checksum file, and the backups beside it) into another
 * folder, as Settings' Move… does: copied, checked, the new place remembered, and only then the
 * old files removed. When the library is the one opened by default (by the app, and here without
 * --library), the new place is remembered for both.
 */
export const moveLibraryCommand: Command = {
  name: 'move-library',
  synopsis: 'FOLDER',
  summary: 'move the library and the backups beside it into FOLDER, crash-safely',
  options: {},
  access: 'write',
  async run(ctx) {
    const [folder, ...more] = ctx.args
    if (folder === undefined || more.length > 0) {
      throw new UsageError('move-library: name one folder to move the library into')
    }
    const moved = await ctx.call('moveLibrary', {
      folder: namedPath(folder, 'move-library', 'folder'),
    })
    ctx.io.out(`Moved the library to ${inline(moved.path)}`)
    if (moved.backupsMoved > 0) {
      ctx.io.out(`  with ${moved.backupsMoved} backup${moved.backupsMoved === 1 ? '' : 's'}`)
    }
    for (const file of moved.left) {
      ctx.io.out(
        `  could not remove ${inline(file)}; the library is whole at its new place, so it can go`,
      )
    }
    if (moved.remembered) {
      ctx.io.out('The app, and lectern without --library, open it there from now on.')
    } else if (process.env.LECTERN_LIBRARY && resolve(process.env.LECTERN_LIBRARY) === moved.from) {
      ctx.io.out(`LECTERN_LIBRARY still names the old place: set it to ${inline(moved.path)}`)
    } else {
      ctx.io.out(`Name it with --library ${inline(moved.path)} from now on.`)
    }
  },
}
