import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { LibrarySession } from '../../core/safety/session'
import { scheduleAutoBackups } from '../../core/safety/autoBackup'
import { samplePath } from '../../core/paths'
import { serve } from '../../http/server'
import { UsageError, flag, stringOption } from '../command'
import type { Command } from '../command'

function openUrl(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open'
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url]
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true })
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // No browser to open: the URL is printed anyway.
  }
}

/** A host of its own: holds the library for as long as it runs, and serves the contract over HTTP. */
export const serveCommand: Command = {
  name: 'serve',
  synopsis: '[--port N] [--open]',
  summary: 'the app in a browser, on 127.0.0.1',
  options: { port: { type: 'string' }, open: { type: 'boolean' } },
  access: 'none',
  async run(ctx) {
    const portText = stringOption(ctx, 'port')
    const port = portText === undefined ? 0 : Number(portText)
    if (!/^\d+$/.test(portText ?? '0') || port > 65535) {
      throw new UsageError(`--port: "${portText}" is not a port`)
    }
    const session = await LibrarySession.start(ctx.library, { owner: 'lectern serve' })
    let server
    try {
      server = await serve({
        context: { session, samplePath: samplePath() },
        rendererDir: resolve(__dirname, '..', 'renderer'),
        port,
      })
    } catch (error) {
      session.close()
      throw error
    }
    ctx.io.out(`Lectern is serving ${ctx.library} at ${server.url}`)
    ctx.io.out('Press Ctrl+C to stop.')
    if (flag(ctx, 'open')) openUrl(server.url)
    const stopBackups = scheduleAutoBackups(session, (m) => ctx.io.err(`lectern: ${m}`))
    const running = server
    await new Promise<void>((done) => {
      const stop = (): void => {
        stopBackups()
        void running.close().then(() => {
          session.close()
          done()
        })
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
  },
}
