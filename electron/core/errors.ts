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
