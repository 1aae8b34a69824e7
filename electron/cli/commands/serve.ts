import { resolve } from 'node:path'
import { LibrarySession } from '../../core/safety/session'
import { scheduleAutoBackups } from '../../core/safety/autoBackup'
import { scheduleAutoSync } from '../../core/api/sync'
import { samplePath } from '../../core/paths'
import { MAX_DUMP_CHARS } from '../../../shared/api'
import { cancelJobs } from '../../core/api/jobs'
import { readOnlyFile } from '../../core/api/access'
import { LibraryError } from '../../core/errors'
import { followInboxSetting } from '../../core/inbox/follow'
import { serve } from '../../http/server'
import type { RunningServer } from '../../http/server'
import { openWithSystem, writeOpenPage } from '../browser'
import type { OpenPage } from '../browser'
import { UsageError, flag, stringOption } from '../command'
import type { Command } from '../command'
import { inline } from '../print'
import { inboxFolder, watchInbox } from '../inbox'
import type { Io } from '../command'

/**
 * The library held for writing; one whose files the user made read-only is served for reading
 * only, as the desktop app offers (every change is refused, saying why), rather than not at all.
 */
async function openLibrary(library: string, io: Io): Promise<LibrarySession> {
  try {
    return await LibrarySession.start(library, { owner: 'lectern serve' })
  } catch (error) {
    const file = error instanceof LibraryError ? readOnlyFile(library) : null
    if (file === null) throw error
    const session = await LibrarySession.openReadOnly(library)
    io.out(
      `The library is read-only (${inline(file)} cannot be written): it is served for reading only, and every change is refused.`,
    )
    return session
  }
}

/**
 * A host of its own: holds the library for as long as it runs, and serves the contract over HTTP
 * (and, with --inbox, imports the dumps saved into a folder).
 */
export const serveCommand: Command = {
  name: 'serve',
  synopsis: '[--port N] [--open] [--inbox DIR]',
  summary: 'the app in a browser, on 127.0.0.1; --inbox DIR also imports each dump saved into DIR',
  options: { port: { type: 'string' }, open: { type: 'boolean' }, inbox: { type: 'string' } },
  access: 'none',
  async run(ctx) {
    const portText = stringOption(ctx, 'port')
    const port = portText === undefined ? 0 : Number(portText)
    if (!/^\d+$/.test(portText ?? '0') || port > 65535) {
      throw new UsageError(`--port: "${portText}" is not a port`)
    }
    const inboxText = stringOption(ctx, 'inbox')
    const inbox = inboxText === undefined ? null : await inboxFolder(inboxText, ctx.library)
    const session = await openLibrary(ctx.library, ctx.io)
    if (inbox !== null && session.readOnly) {
      session.close()
      throw new LibraryError(
        'read-only',
        '--inbox: the library is read-only; nothing can be imported into it',
      )
    }
    // With --open, the page that takes the browser to its own one-time address (slot 'browser').
    let openPage: OpenPage | null = null
    let server: RunningServer
    try {
      server = await serve({
        context: { session, samplePath: samplePath() },
        // The UI built beside this bundle (out/renderer); LECTERN_UI_DIR names another, so that
        // the command can run from its sources (tests) with a UI made for the purpose.
        rendererDir: process.env.LECTERN_UI_DIR || resolve(__dirname, '..', 'renderer'),
        port,
        onEntry: (slot) => {
          if (slot === 'browser') return openPage?.remove()
          // Whoever wants another tab or browser finds a working address where the last one was.
          ctx.io.out(
            `That address has been used. The next one (it too opens Lectern once): ${server.entryUrl('terminal')}`,
          )
        },
      })
    } catch (error) {
      session.close()
      throw error
    }
    ctx.io.out(`Lectern is serving ${inline(ctx.library)} at ${server.url}`)
    ctx.io.out('Each address opens Lectern once; when it has been used, the next is printed here.')
    if (inbox !== null) ctx.io.out(`It imports the dumps saved into ${inline(inbox)}.`)
    ctx.io.out('Press Ctrl+C to stop.')
    if (flag(ctx, 'open')) {
      openPage = writeOpenPage(server.entryUrl('browser'))
      openWithSystem(openPage.file)
    }
    const stopBackups = scheduleAutoBackups(session, (m) => ctx.io.err(`lectern: ${m}`))
    const stopSync = scheduleAutoSync(session, (m) => ctx.io.err(`lectern: ${m}`))
    const watcher =
      inbox === null
        ? null
        : await watchInbox(session, inbox, { log: (line) => ctx.io.out(`inbox: ${inline(line)}`) })
    // The inbox beside the library, when its settings say so (Settings in the window) — not
    // with --inbox, which names the folder to watch (two watchers of one folder would import
    // each file twice).
    const follower =
      inbox !== null || session.readOnly
        ? null
        : followInboxSetting(
            {
              session,
              samplePath: samplePath(),
              localFiles: false,
              maxImportChars: MAX_DUMP_CHARS,
            },
            { log: (line) => ctx.io.out(`inbox: ${inline(line)}`) },
          )
    const running = server
    await new Promise<void>((done) => {
      const stop = (): void => {
        stopBackups()
        stopSync()
        // The import in flight finishes (and its file is moved) before the library closes.
        void Promise.all([watcher?.stop(), follower?.stop()])
          // An import the window started is cancelled (taken back), not cut short.
          .then(() => cancelJobs(session))
          .then(() => running.close())
          .then(() => {
            openPage?.remove()
            session.close()
            done()
          })
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
  },
}
