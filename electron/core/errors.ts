import type { ErrorCode } from '../../shared/api'

/** An error meant for the user: its message is the whole story, no stack needed. */
export class LibraryError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'LibraryError'
  }
}

export type DamageKind = 'snapshot' | 'journal'

/**
 * The library's files are damaged. Nothing was changed on disk; the caller decides what to
 * offer (recover the journal up to the damage, restore a backup, start empty).
 */
export class LibraryDamagedError extends LibraryError {
  constructor(
    readonly kind: DamageKind,
    readonly file: string,
    message: string,
    /** For journal damage: where the journal can be cut to keep every change before it. */
    readonly journalCut: number | null = null,
  ) {
    super('library-damaged', message)
    this.name = 'LibraryDamagedError'
  }
}

/** Turns a failed write into words: what happened and that the change was not saved. */
export function describeWriteError(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code
  const reason =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EDQUOT'
        ? 'the disk quota is used up'
        : code === 'EROFS'
          ? 'the disk is read-only'
          : code === 'EACCES' || code === 'EPERM'
            ? 'Lectern is not allowed to write there'
            : code === 'ENOENT'
              ? 'the folder is missing'
              : code === 'EIO'
                ? 'the disk reported an input/output error'
                : (error as Error).message
  return `could not write ${file}: ${reason}${code ? ` (${code})` : ''}`
}
