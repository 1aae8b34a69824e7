// What a handler is given, and the shape of a handler table. Each feature has a small module
// with its own table (papers, imports, backups, library); dispatch.ts joins them into the one
// table the contract demands.
import type { z } from 'zod'
import { LibraryError } from '../errors'
import type { Method, Responses } from '../../../shared/api'
import type { requestSchemas } from '../../../shared/api'
import type { LibrarySession } from '../safety/session'

export interface HandlerContext {
  session: LibrarySession
  /** The bundled sample dump. */
  samplePath: string
  /**
   * Whether requests may name files on this machine (a backup written to a chosen path, a
   * restore from one): true where the user typed or picked the path (the command line, the
   * app's dialogs), false for the browser host, whose requests come from a web page.
   */
  localFiles: boolean
  /**
   * The most text one import may carry through this host (characters): MAX_IMPORT_CHARS for
   * the window and the browser host, whose requests are one message; more for the command line.
   */
  maxImportChars: number
  /**
   * Called by a move once the library's copy at its new place is whole and checked, before the
   * old files go: the host makes the new place the library it opens next, and answers whether
   * it did (see safety/remembered.ts). None: nothing is remembered.
   */
  libraryMoved?: (from: string, to: string) => boolean
}

export type Handler<M extends Method> = (
  ctx: HandlerContext,
  request: z.output<(typeof requestSchemas)[M]>,
) => Responses[M] | Promise<Responses[M]>

export type Handlers<M extends Method = Method> = { [K in M]: Handler<K> }

/** Refuses an import larger than this host carries, in the contract's words for a bad field. */
export function checkImportSize(
  ctx: HandlerContext,
  method: Method,
  dumps: readonly { text: string }[],
): void {
  const chars = dumps.reduce((n, d) => n + d.text.length, 0)
  if (chars <= ctx.maxImportChars) return
  throw new LibraryError(
    'invalid-request',
    `${method}: text: ${dumps.length > 1 ? 'together these dumps are' : 'the dump is'} longer than ${ctx.maxImportChars} characters; import it with the command line (lectern import FILE)`,
  )
}

/** Refuses a path that came from a host that may not name files. */
export function localFile(ctx: HandlerContext, file: string): string {
  if (!ctx.localFiles) {
    throw new LibraryError('forbidden', 'this host cannot name files on the computer')
  }
  return file
}
