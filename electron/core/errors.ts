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

/** A file Lectern would have replaced, but whose permissions let nobody write it. */
export class ReadOnlyFileError extends Error {
  constructor(readonly file: string) {
    super(`${file} is read-only`)
    this.name = 'ReadOnlyFileError'
  }
}

/** Turns a failed write into words: what happened and that the change was not saved. */
export function describeWriteError(error: unknown, file: string): string {
  if (error instanceof ReadOnlyFileError) {
    return `could not write ${error.file}: it is read-only (its permissions allow no writing), so Lectern leaves it as it is`
  }
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
