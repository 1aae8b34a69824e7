// The watched inbox for the hosts of the command line: `lectern import --watch DIR` and
// `lectern serve --inbox DIR` (see core/inbox/watcher.ts for how files are taken in).
import { dirname, resolve } from 'node:path'
import { MAX_DUMP_CHARS } from '../../shared/api'
import {
  FAILED,
  InboxWatcher,
  PROCESSED,
  importThroughApi,
  inboxFolderProblem,
} from '../core/inbox/watcher'
import type { InboxEvent } from '../core/inbox/watcher'
import { samplePath } from '../core/paths'
import { scheduleAutoBackups } from '../core/safety/autoBackup'
import { backupFolders } from '../core/safety/backups'
import { LibrarySession } from '../core/safety/session'
import { ApiFailure, UsageError, flag, stringOption } from './command'
import type { CommandRun } from './command'
import { inline, json as jsonText } from './print'

/**
 * Checks that `folder` can be an inbox for this library (it exists, and is not the library's own
 * folder or one of its backups folders); the absolute path, or an ApiFailure that says why not.
 */
export async function inboxFolder(folder: string, library: string): Promise<string> {
  const problem = await inboxFolderProblem(folder, [dirname(library), ...backupFolders(library)])
  if (problem) throw new ApiFailure({ code: 'import-failed', message: problem })
  return resolve(folder)
}

/** Watches an inbox for a host that holds `session`; `stop()` awaits the import in flight. */
export async function watchInbox(
  session: LibrarySession,
  folder: string,
  report: { log: (line: string) => void; onEvent?: (event: InboxEvent) => void },
): Promise<InboxWatcher> {
  const watcher = new InboxWatcher({
    folder,
    // The user chose the folder, so its files are read in any size, as `lectern import` reads
    // them; it only imports, so it never names other files.
    importFile: importThroughApi({
      session,
      samplePath: samplePath(),
      localFiles: false,
      maxImportChars: MAX_DUMP_CHARS,
    }),
    ...report,
  })
  await watcher.start()
  return watcher
}

/** `import --watch DIR`: holds the library and imports what arrives in DIR until stopped. */
export async function watchFolder(ctx: CommandRun, dir: string): Promise<void> {
  if (ctx.args.length > 0) {
    throw new UsageError('import: --watch takes a folder, not files (save the files into it)')
  }
  if (flag(ctx, 'dry-run')) throw new UsageError('import: --watch cannot be a --dry-run')
  if (stringOption(ctx, 'format') !== undefined) {
    throw new UsageError("import: --watch recognises each file's format; leave out --format")
  }
  const folder = await inboxFolder(dir, ctx.library)
  const json = flag(ctx, 'json')
  const session = await LibrarySession.start(ctx.library, { owner: 'lectern import --watch' })
  let stop = (): void => undefined
  const stopped = new Promise<void>((done) => (stop = done))
  // Removed at the first signal, so that a second Ctrl+C stops at once (an import is all or
  // nothing, so even that loses nothing).
  const onSignal = (): void => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    stop()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // Nobody reads what it says any more (`| head -1`): it stops as at Ctrl+C.
  ctx.io.outputClosed?.addEventListener('abort', onSignal)
  if (ctx.io.outputClosed?.aborted) onSignal()
  try {
    const status = await session.status()
    // Every file would wait for a repair that this command cannot offer.
    if (status.state === 'damaged') {
      throw new ApiFailure({ code: 'library-damaged', message: status.message })
    }
    if (json) ctx.io.out(jsonText({ kind: 'watching', folder, library: ctx.library }))
    else {
      ctx.io.out(
        `Watching ${inline(folder)} for dumps to import into ${inline(ctx.library)} (imported files go to ${PROCESSED}/, files that fail to ${FAILED}/).`,
      )
      ctx.io.out('Press Ctrl+C to stop.')
    }
    const stopBackups = scheduleAutoBackups(session, (m) => ctx.io.err(`lectern: ${m}`))
    const watcher = await watchInbox(session, folder, {
      // File names and reasons come from the folder and the files in it.
      log: json ? () => undefined : (line) => ctx.io.out(inline(line)),
      onEvent: json ? (event) => ctx.io.out(jsonText(event)) : undefined,
    })
    await stopped
    stopBackups()
    await watcher.stop()
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    ctx.io.outputClosed?.removeEventListener('abort', onSignal)
    session.close()
  }
}
