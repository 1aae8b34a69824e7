// Settings that belong to the library (kept in it): for now, whether the app imports the dumps
// saved into the inbox folder beside it.
import { useRef, useState } from 'react'
import { useSettings, useUpdateSettings } from '../hooks/queries'
import { useModalDialog } from '../hooks/useModalDialog'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import styles from './SettingsDialog.module.css'

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null)
  const ref = useModalDialog(close)
  const settings = useSettings()
  const update = useUpdateSettings()
  // What the user chose, shown at once (the saved value follows; a refusal shows the saved one).
  const [chosen, setChosen] = useState<boolean | null>(null)
  const watchInbox = update.isError
    ? settings.data?.watchInbox
    : (chosen ?? settings.data?.watchInbox)
  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.dialog)}
      aria-label="Settings"
      onClose={onClose}
    >
      <h2>Settings</h2>
      {settings.data && (
        <div className={styles.setting}>
          <label className={styles.option}>
            <input
              type="checkbox"
              checked={watchInbox ?? false}
              onChange={(e) => {
                setChosen(e.target.checked)
                update.mutate({ watchInbox: e.target.checked })
              }}
            />
            Import the dumps saved into the inbox folder
          </label>
          <p className={classNames(styles.help, 'small')}>
            While Lectern is open, each file saved into{' '}
            <code className={styles.path}>{settings.data.inboxFolder}</code> is imported once it is
            complete, then moved to <code>processed/</code> inside it; a file that cannot be
            imported goes to <code>failed/</code> with a note saying why. Point your browser’s
            downloads or a synced folder there.
          </p>
        </div>
      )}
      {(settings.error ?? update.error) && (
        <p className="error" role="alert">
          {(settings.error ?? update.error)!.message}
        </p>
      )}
      <div className={dialogStyles.buttons}>
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
