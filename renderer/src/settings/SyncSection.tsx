// Sync with other computers through a folder a sync service keeps in step: where, as which
// device, what the last pass did and found, and a pass now. In the desktop app the folder is
// chosen in its own dialog (the page names no folders); in a browser, from the command line
// (`lectern sync DIR --remember`). Sync is stopped from either.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { LibraryInfo, SyncStatus } from '../../../shared/domain'
import { waitingText } from '../../../shared/syncText'
import { call } from '../api/client'
import { formatDateTime } from '../format'
import { keys } from '../hooks/queries'
import { answer, desktopBridge } from './desktopBridge'
import { PathLine } from './PathLine'
import { SettingsSection } from './SettingsSection'
import styles from './SettingsDialog.module.css'

const SYNC_KEY = ['syncStatus'] as const

export function SyncSection({ info }: { info: LibraryInfo }) {
  const client = useQueryClient()
  const status = useQuery({ queryKey: SYNC_KEY, queryFn: () => call('syncStatus', {}) })
  const syncNow = useMutation({
    mutationFn: () => call('syncNow', {}),
    onSuccess: (next: SyncStatus) => {
      client.setQueryData(SYNC_KEY, next)
      if (next.last && next.last.applied > 0) {
        void client.invalidateQueries({ queryKey: keys.papers })
        void client.invalidateQueries({ queryKey: ['paper'] })
        void client.invalidateQueries({ queryKey: keys.stats })
      }
    },
  })
  const desktop = desktopBridge()
  // A folder chosen (or sync stopped), then a pass through it at once.
  const choose = useMutation({
    mutationFn: async () => (desktop ? answer(desktop.chooseSyncFolder()) : { folder: null }),
    onSuccess: ({ folder }) => {
      if (folder === null) return
      void client.invalidateQueries({ queryKey: SYNC_KEY })
      syncNow.mutate()
    },
  })
  const stop = useMutation({
    mutationFn: () => call('setSyncFolder', { folder: null }),
    onSuccess: (next: SyncStatus) => client.setQueryData(SYNC_KEY, next),
  })
  const s = status.data
  const last = s?.last ?? null
  const error =
    status.error?.message ??
    syncNow.error?.message ??
    choose.error?.message ??
    stop.error?.message ??
    null
  const chooseButton = desktop && (
    <button
      type="button"
      disabled={!info.writable || choose.isPending}
      onClick={() => choose.mutate()}
    >
      {s?.folder ? 'Change Folder…' : 'Choose Sync Folder…'}
    </button>
  )
  return (
    <SettingsSection title="Sync">
      {s && s.folder === null && (
        <>
          <p className={styles.help}>
            Keep this reading list in step with your other computers through a folder that
            Syncthing, Dropbox or iCloud Drive shares between them:{' '}
            {desktop ? (
              <>choose that folder here on each computer.</>
            ) : (
              <>
                with Lectern closed, run <code>lectern sync FOLDER --remember</code> on each
                computer once.
              </>
            )}{' '}
            Lectern then syncs by itself while it is open.
          </p>
          {chooseButton && <div className={styles.fields}>{chooseButton}</div>}
        </>
      )}
      {s && s.folder !== null && (
        <>
          <PathLine path={s.folder} label="the sync folder’s path" />
          <p className={styles.help}>
            {s.device ? `This computer is device ${s.device}. ` : ''}
            {last
              ? `Last sync ${formatDateTime(last.at)}: ${last.sent} change${last.sent === 1 ? '' : 's'} sent, ${last.applied} received.`
              : 'Not synced yet.'}
            {s.pending > 0 ? ` ${s.pending} waiting for files still being copied.` : ''}
          </p>
          {last && last.devices.length > 0 && (
            <ul className={styles.help} aria-label="Other devices">
              {last.devices.map((d) => (
                <li key={d.device}>
                  Device {d.device}: {d.applied} change{d.applied === 1 ? '' : 's'}
                  {d.waiting > 0 ? `, ${waitingText(d)}` : ''}
                </li>
              ))}
            </ul>
          )}
          {last?.problems.map((p) => (
            <p key={p} className="error">
              {p}
            </p>
          ))}
          <div className={styles.fields}>
            <button
              type="button"
              disabled={!info.writable || syncNow.isPending}
              onClick={() => syncNow.mutate()}
            >
              Sync Now
            </button>
            {chooseButton}
            <button
              type="button"
              disabled={!info.writable || stop.isPending}
              onClick={() => stop.mutate()}
            >
              Stop Syncing
            </button>
          </div>
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
