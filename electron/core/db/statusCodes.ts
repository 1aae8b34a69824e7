import { STATUSES } from '../../../shared/domain'
import type { Status } from '../../../shared/domain'

// Statuses are stored as their place in the reading workflow so that sorting by status
// follows the workflow (new, to read, reading, read, skipped) and uses a plain index.
export function statusCode(status: Status): number {
  return STATUSES.indexOf(status)
}

export function statusFromCode(code: number): Status {
  const status = STATUSES[code]
  if (!status) throw new Error(`unknown status code ${code}`)
  return status
}
