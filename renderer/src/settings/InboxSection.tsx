// The inbox: a folder beside the library whose dumps are imported while Lectern is open, switched
// on or off here (a setting kept in the library, so every host of it follows).
import { useState } from 'react'
import type { LibraryInfo } from '../../../shared/domain'
import { useSettings, useUpdateSettings } from '../hooks/queries'
import { answer, desktopBridge } from './desktopBridge'
import { PathLine } from './PathLine'
import { SettingsSection } from './SettingsSection'
import styles from './SettingsDialog.module.css'

export function InboxSection({ info }: { info: LibraryInfo }) {
  const desktop = desktopBridge()
  const settings = useSettings()
  const update = useUpdateSettings()
  const [problem, setProblem] = useState<string | null>(null)
  // What the user chose, shown at once (the saved value follows; a refusal shows the saved one).
  const [chosen, setChosen] = useState<boolean | null>(null)
  const watchInbox = update.isError
    ? settings.data?.watchInbox
    : (chosen ?? settings.data?.watchInbox)
  const error = problem ?? settings.error?.message ?? update.error?.message ?? null
  return (
    <SettingsSection title="Inbox">
      {settings.data && (
        <>
          <label className={styles.option}>
            <input
              type="checkbox"
              checked={watchInbox ?? false}
              disabled={!info.writable}
              onChange={(e) => {
                setChosen(e.target.checked)
                update.mutate({ watchInbox: e.target.checked })
              }}
            />
            Import the dumps saved into the inbox folder
          </label>
          <PathLine
            path={settings.data.inboxFolder}
            label="the inbox folder’s path"
            onShow={
              desktop
                ? () =>
                    void answer(desktop.showFolder('inbox')).catch((e: Error) =>
                      setProblem(e.message),
                    )
                : undefined
            }
          />
          <p className={styles.help}>
            {info.writable
              ? 'While Lectern is open, each file saved into this folder is imported once it is complete, then moved to processed/ inside it; a file that cannot be imported goes to failed/ with a note saying why. Point your browser’s downloads or a synced folder there.'
              : 'A read-only library takes in nothing: the inbox is not watched.'}
          </p>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </SettingsSection>
  )
}
