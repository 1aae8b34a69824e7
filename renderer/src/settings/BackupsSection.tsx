// Where backups go and when they are made, the last one, and Back up now. The list of backups
// and restoring one are the Backups dialog's (a button here opens it). How often and how many
// are the library's settings, changed here in any host; another folder is a path, which only the
// desktop app's own dialog (or `lectern settings --backups-folder`) may name.
import { useId, useState } from 'react'
import { BACKUP_SCHEDULES, BACKUP_SCHEDULE_LABELS, MAX_BACKUPS_KEPT } from '../../../shared/domain'
import type { BackupInfo, BackupSchedule, LibraryInfo } from '../../../shared/domain'
import { formatDateTime } from '../format'
import { useBackupNow, useUpdateBackups } from '../hooks/queries'
import { backupScheduleText } from './backupWords'
import { answer, desktopBridge } from './desktopBridge'
import { PathLine } from './PathLine'
import { SettingsSection } from './SettingsSection'
import { useChooseBackupsFolder } from './useChooseBackupsFolder'
import styles from './SettingsDialog.module.css'

const KIND_WORDS = { auto: 'automatic', manual: 'manual', 'before-restore': 'before a restore' }

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
  const update = useUpdateBackups()
  const chooseFolder = useChooseBackupsFolder()
  const [done, setDone] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const { folder, isDefault, otherFolders, every, autoKept, last } = info.backups
  // The number being typed; saved when it is left (or on Enter), not at every keystroke.
  const [keptDraft, setKeptDraft] = useState<string | null>(null)
  const everyId = useId()
  const keptId = useId()
  const error =
    problem ??
    update.error?.message ??
    chooseFolder.error?.message ??
    backupNow.error?.message ??
    null

  const saveKept = (): void => {
    if (keptDraft === null) return
    const kept = Number(keptDraft)
    if (!/^\d+$/.test(keptDraft.trim()) || kept < 1 || kept > MAX_BACKUPS_KEPT) {
      setProblem(`Keep from 1 to ${MAX_BACKUPS_KEPT} automatic backups.`)
      return
    }
    setProblem(null)
    setKeptDraft(null)
    if (kept !== autoKept) update.mutate({ backupsKept: kept })
  }

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
      {info.writable && (
        <div className={styles.buttons}>
          {desktop && (
            <button
              type="button"
              disabled={chooseFolder.isPending}
              onClick={() => {
                setProblem(null)
                chooseFolder.mutate()
              }}
            >
              Change Folder…
            </button>
          )}
          {!isDefault && (
            <button
              type="button"
              disabled={update.isPending}
              onClick={() => update.mutate({ backupsFolder: null })}
            >
              Use the Folder Beside the Library
            </button>
          )}
        </div>
      )}
      {info.writable && !desktop && (
        <p className={styles.help}>
          A browser cannot name folders on the computer: to keep backups on another disk, choose the
          folder in the desktop app, or run <code>lectern settings --backups-folder FOLDER</code>.
        </p>
      )}
      {otherFolders.length > 0 && (
        <div className={styles.help} data-testid="other-backup-folders">
          Backups made before, still listed and restorable, are also in:
          <ul className={styles.folders}>
            {otherFolders.map((f) => (
              <li key={f}>
                <code className={styles.inlinePath}>{f}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {info.writable && (
        <div className={styles.fields}>
          <label htmlFor={everyId}>Automatic backups</label>
          <select
            id={everyId}
            value={every}
            disabled={update.isPending}
            onChange={(e) => update.mutate({ backupEvery: e.target.value as BackupSchedule })}
          >
            {BACKUP_SCHEDULES.map((s) => (
              <option key={s} value={s}>
                {BACKUP_SCHEDULE_LABELS[s]}
              </option>
            ))}
          </select>
          <label htmlFor={keptId}>Keep the newest</label>
          <input
            id={keptId}
            className={styles.number}
            type="number"
            min={1}
            max={MAX_BACKUPS_KEPT}
            value={keptDraft ?? String(autoKept)}
            onChange={(e) => setKeptDraft(e.target.value)}
            onBlur={saveKept}
            onKeyDown={(e) => {
              if (e.key === 'Enter') saveKept()
            }}
          />
        </div>
      )}
      <p className={styles.help} data-testid="backup-schedule">
        {info.writable
          ? backupScheduleText(every, autoKept)
          : 'No automatic copies are made while the library is open read-only; Back up now still works.'}
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
