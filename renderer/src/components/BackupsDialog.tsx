// Backups: Lectern makes them by itself as often as Settings says; this lists them (from every
// folder that holds them), makes one now, and restores one (the current library is saved as a
// backup first, so a restore can itself be undone).
import { useState } from 'react'
import { useModalDialog } from '../hooks/useModalDialog'
import { formatDateTime } from '../format'
import { useBackupNow, useBackups, useLibraryInfo, useRestoreBackup } from '../hooks/queries'
import { useReadOnly } from '../hooks/useReadOnly'
import { backupScheduleText } from '../settings/backupWords'
import buttonStyles from '../styles/button.module.css'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import styles from './BackupsDialog.module.css'

const KIND_LABELS = { auto: 'Automatic', manual: 'Manual', 'before-restore': 'Before a restore' }

export function BackupsDialog({ onClose }: { onClose: () => void }) {
  const ref = useModalDialog()
  const backups = useBackups(true)
  const info = useLibraryInfo()
  const backupNow = useBackupNow()
  const restore = useRestoreBackup()
  // A read-only library is never replaced; copies of it can still be made.
  const readOnly = useReadOnly()
  const [confirming, setConfirming] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const busy = backupNow.isPending || restore.isPending
  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.dialog)}
      aria-label="Backups"
      onClose={onClose}
    >
      <h2>Backups</h2>
      {info.data && (
        <p className="muted">
          {backupScheduleText(info.data.backups.every, info.data.backups.autoKept)} They go to{' '}
          <code>{info.data.backups.folder}</code>.
        </p>
      )}
      <div className={dialogStyles.buttonsStart}>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            backupNow.mutate(undefined, {
              onSuccess: (b) => setMessage(`Backed up ${b.papers} papers (${b.name}).`),
            })
          }
        >
          Back up now
        </button>
      </div>
      {message && <p role="status">{message}</p>}
      {(backupNow.error ?? restore.error) && (
        <p className="error" role="alert">
          {(backupNow.error ?? restore.error)!.message}
        </p>
      )}
      {backups.data && backups.data.length === 0 && <p>No backups yet.</p>}
      {backups.data && backups.data.length > 0 && (
        <ul className={styles.list}>
          {backups.data.map((b) => (
            <li key={b.name}>
              <span className={styles.date}>{formatDateTime(b.createdAt)}</span>
              <span className="muted">{KIND_LABELS[b.kind]}</span>
              <span className="muted">{(b.bytes / 1024 / 1024).toFixed(1)} MB</span>
              {info.data && b.folder !== info.data.backups.folder && (
                <span className="muted small" title={b.folder}>
                  in a folder used before
                </span>
              )}
              {confirming === b.name ? (
                <span className={styles.confirm}>
                  Replace the library with this copy?
                  <button
                    type="button"
                    className={buttonStyles.primary}
                    disabled={busy}
                    onClick={() =>
                      restore.mutate(b.name, {
                        onSuccess: (r) => {
                          setConfirming(null)
                          setMessage(
                            `Restored ${r.papers} papers. The library as it was is kept as a backup.`,
                          )
                        },
                      })
                    }
                  >
                    Restore
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  disabled={busy || readOnly}
                  title={readOnly ? 'This library is read-only: it cannot be replaced' : undefined}
                  onClick={() => setConfirming(b.name)}
                >
                  Restore…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className={dialogStyles.buttons}>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
