// A `lectern serve` host on a fresh library, closed after each test.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { LibrarySession } from '../../electron/core/safety/session'
import { serve } from '../../electron/http/server'
import type { RunningServer, ServeOptions } from '../../electron/http/server'
import { SAMPLE_PATH, fixedClock, tempDir } from './fixtures'

export interface TestServer extends RunningServer {
  /** The folder holding the library; the built UI is in `renderer/` inside it. */
  dir: string
  rendererDir: string
}

const open: { server: RunningServer; session: LibrarySession }[] = []

afterEach(async () => {
  for (const { server, session } of open.splice(0)) {
    await server.close()
    session.close()
  }
})

/** `options` go to the server as they are (its limits, say). */
export async function startTestServer(
  options: Partial<Omit<ServeOptions, 'context' | 'rendererDir'>> = {},
): Promise<TestServer> {
  const dir = tempDir()
  const rendererDir = join(dir, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<html><head><title>t</title></head><body></body></html>',
  )
  const session = await LibrarySession.start(join(dir, 'library.sqlite'), {
    owner: 'test',
    now: fixedClock(),
  })
  const server = await serve({
    ...options,
    context: { session, samplePath: SAMPLE_PATH },
    rendererDir,
  })
  open.push({ server, session })
  return { ...server, dir, rendererDir }
}
