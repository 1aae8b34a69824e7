// How Settings and the Backups dialog word the library's backup schedule.
import type { BackupSchedule } from '../../../shared/domain'

const EVERY: Record<Exclude<BackupSchedule, 'off'>, string> = {
  hourly: 'every hour',
  daily: 'once a day',
  weekly: 'once a week',
}

export function backupScheduleText(every: BackupSchedule, kept: number): string {
  if (every === 'off') {
    return 'No automatic copies are made: Lectern backs up when you ask (Back up now). The copies made before are kept.'
  }
  return `Lectern makes a checked copy of this library ${EVERY[every]} while it is open, and keeps the newest ${kept}.`
}
