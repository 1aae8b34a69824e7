// Settings: the library (where it is, its size, another library), its backups, its inbox, and
// the theme. What belongs to the library is kept in it and reached through the contract, so the
// command line (`lectern settings`) and every window see the same; the theme is this computer's.
import { useRef } from 'react'
import { useLibraryInfo } from '../hooks/queries'
import { useModalDialog } from '../hooks/useModalDialog'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import { AppearanceSection } from './AppearanceSection'
import { BackupsSection } from './BackupsSection'
import { InboxSection } from './InboxSection'
import { LibrarySection } from './LibrarySection'
import { SyncSection } from './SyncSection'
import styles from './SettingsDialog.module.css'

interface Props {
  onClose: () => void
  /** Opens the Backups dialog in Settings' place. */
  onBackups: () => void
}

export function SettingsDialog({ onClose, onBackups }: Props) {
  const close = useRef<HTMLButtonElement>(null)
  const ref = useModalDialog(close)
  const info = useLibraryInfo(true)
  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.dialog)}
      aria-label="Settings"
      onClose={onClose}
    >
      <h2>Settings</h2>
      <div className={styles.sections}>
        {info.data && (
          <>
            <LibrarySection info={info.data} />
            <BackupsSection info={info.data} onBackups={onBackups} />
            <InboxSection info={info.data} />
            <SyncSection info={info.data} />
          </>
        )}
        <AppearanceSection />
        {info.error && (
          <p className="error" role="alert">
            {info.error.message}
          </p>
        )}
      </div>
      <div className={dialogStyles.buttons}>
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
