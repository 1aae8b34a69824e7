// Where backups go and when they are made, the last one, and Back up now. The list of backups
// and restoring one are the Backups dialog's (a button here opens it).
import { useState } from 'react'
import type { BackupInfo, LibraryInfo } from '../../../shared/domain'
import { formatDateTime } from '../format'
import { useBackupNow } from '../hooks/queries'
import { answer, desktopBridge } from './desktopBridge'
import { PathLine } from './PathLine'
import { SettingsSection } from './SettingsSection'
import styles from './SettingsDialog.module.css'

const KIND_WORDS = { auto: 'daily', manual: 'manual', 'before-restore': 'before a restore' }

function describe(backup: BackupInfo): string {
  return `${formatDateTime(backup.createdAt)} (${KIND_WORDS[backup.kind]})`
}

export function BackupsSection({
  info,
  onBackups,
}: {
  info: LibraryInfo
  /** Opens the Backups dialog (in Settings' place). */
  onBackups: () => void
}) {
  const desktop = desktopBridge()
  const backupNow = useBackupNow()
  const [done, setDone] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const { folder, autoKept, last } = info.backups
  const error = problem ?? backupNow.error?.message ?? null
  return (
    <SettingsSection title="Backups">
      <PathLine
        path={folder}
        label="the backups folder’s path"
        onShow={
          desktop
            ? () =>
                void answer(desktop.showFolder('backups')).catch((e: Error) =>
                  setProblem(e.message),
                )
            : undefined
        }
      />
      <p className={styles.help}>
        {info.writable
          ? `Lectern makes a checked copy of this library once a day while it is open, and keeps the newest ${autoKept}.`
          : 'No daily copies are made while the library is open read-only; Back up now still works.'}
      </p>
      <p data-testid="last-backup">Last backup: {last ? describe(last) : 'none yet'}</p>
      <div className={styles.buttons}>
        <button
          type="button"
          disabled={backupNow.isPending}
          onClick={() => {
            setDone(null)
            setProblem(null)
            backupNow.mutate(undefined, {
              onSuccess: (b) => setDone(`Backed up ${b.papers.toLocaleString()} papers.`),
            })
          }}
        >
          {backupNow.isPending ? 'Backing up…' : 'Back up now'}
        </button>
        <button type="button" onClick={onBackups}>
          Backups…
        </button>
      </div>
      {done && (
        <p className="small" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </SettingsSection>
  )
}
