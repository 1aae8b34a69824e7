// How a device's sync state is said, the same in Settings and by `lectern sync`.
import type { SyncDeviceInfo } from './domain'

/** "change 12" or "changes 12–40". */
export function changesText(run: { first: number; last: number }): string {
  return run.first === run.last ? `change ${run.first}` : `changes ${run.first}–${run.last}`
}

/** What a device's changes that cannot be applied yet wait for; '' when none wait. */
export function waitingText(d: Pick<SyncDeviceInfo, 'waiting' | 'missing'>): string {
  if (d.waiting === 0) return ''
  const why = d.missing
    ? `${changesText(d.missing)}, not in the folder (a file still being copied, or lost: that computer writes them again when it next syncs)`
    : 'one still being copied'
  return `${d.waiting} waiting for ${why}`
}
