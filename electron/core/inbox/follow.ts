// The inbox the user switches on in Settings: the folder `inbox` beside the library, watched
// while a host (the app, `lectern serve`) holds the library and the setting says so. The setting
// is read again every second, so switching it on or off (from any host) takes effect at once,
// and a library replaced by a restore is followed too.
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { dispatch } from '../api/dispatch'
import type { HandlerContext } from '../api/dispatch'
import { InboxWatcher, importThroughApi } from './watcher'
import type { InboxEvent } from './watcher'

export interface InboxFollower {
  /** Stops watching; waits for the import in flight. */
  stop: () => Promise<void>
}

export function followInboxSetting(
  /** The host's context; files are read in any size, as the command line reads them. */
  ctx: HandlerContext,
  report: { log: (line: string) => void; onEvent?: (event: InboxEvent) => void },
  options: { intervalMs?: number } = {},
): InboxFollower {
  const intervalMs = options.intervalMs ?? 1000
  let watcher: InboxWatcher | null = null
  let busy: Promise<void> = Promise.resolve()
  let stopped = false
  let lastProblem: string | null = null

  /** The folder to watch now, or null (the setting is off, or the library is not open). */
  const wanted = async (): Promise<string | null> => {
    const settings = await dispatch(ctx, 'getSettings', {})
    return settings.ok && settings.value.watchInbox ? resolve(settings.value.inboxFolder) : null
  }

  const check = async (): Promise<void> => {
    const folder = stopped ? null : await wanted()
    if (watcher && watcher.folder !== folder) {
      const old = watcher
      watcher = null
      await old.stop()
      report.log(`stopped watching ${old.folder}`)
    }
    if (folder && !watcher) {
      try {
        mkdirSync(folder, { recursive: true })
      } catch (error) {
        // Said once, not every second; said again if it changes.
        const problem = `cannot make the inbox folder ${folder}: ${(error as Error).message}`
        if (problem !== lastProblem) report.log(problem)
        lastProblem = problem
        return
      }
      lastProblem = null
      watcher = new InboxWatcher({
        folder,
        importFile: importThroughApi(ctx),
        ...report,
      })
      report.log(`watching ${folder}`)
      await watcher.start()
    }
  }

  const tick = (): void => {
    busy = busy.then(check).catch((error: unknown) => {
      report.log(`the inbox could not be watched: ${(error as Error).message}`)
    })
  }
  tick()
  const timer = setInterval(tick, intervalMs)
  timer.unref()

  return {
    stop: async () => {
      stopped = true
      clearInterval(timer)
      tick()
      await busy
    },
  }
}
