// Shown instead of the library when its files are damaged. Says what happened in plain words
// and offers the ways out; whichever is chosen, the damaged files are kept aside, not deleted.
import { useState } from 'react'
import type { LibraryStatus } from '../../../shared/domain'
import { formatDateTime } from '../format'
import { useRecover } from '../hooks/queries'
import buttonStyles from '../styles/button.module.css'
import styles from './RecoveryScreen.module.css'

type Damaged = Extract<LibraryStatus, { state: 'damaged' }>

export function RecoveryScreen({ status }: { status: Damaged }) {
  const recover = useRecover()
  const [kept, setKept] = useState<string[]>([])
  const good = status.newestGoodBackup
  const run = (choice: Parameters<typeof recover.mutate>[0]): void =>
    recover.mutate(choice, { onSuccess: (r) => setKept(r.kept) })

  return (
    <div
      className={styles.recovery}
      role="alertdialog"
      aria-labelledby="recovery-title"
      data-testid="recovery"
    >
      <h2 id="recovery-title">Your library needs attention</h2>
      <p>
        Lectern found a problem with{' '}
        {status.damage === 'journal' ? 'the journal of recent changes to' : 'the file of'} your
        library and did not open it, so that nothing is overwritten.
      </p>
      <p className={styles.detail}>{status.message}</p>
      <p>
        Choose how to continue. Whatever you choose, the damaged files are kept beside the library
        under a new name.
      </p>
      <div className={styles.options}>
        {status.journalRecoverable && (
          <button
            type="button"
            className={buttonStyles.primary}
            disabled={recover.isPending}
            onClick={() => run({ action: 'journal' })}
          >
            Keep every change made before the damage
          </button>
        )}
        {good ? (
          <button
            type="button"
            className={status.journalRecoverable ? undefined : buttonStyles.primary}
            disabled={recover.isPending}
            onClick={() => run({ action: 'backup', name: good.name })}
          >
            Restore the backup from {formatDateTime(good.createdAt)} ({good.papers} papers)
          </button>
        ) : (
          <p className="muted">There is no usable backup.</p>
        )}
        <button type="button" disabled={recover.isPending} onClick={() => run({ action: 'empty' })}>
          Start with an empty library
        </button>
      </div>
      {recover.isError && <p className="error">{recover.error.message}</p>}
      {kept.length > 0 && <p className="muted small">Kept aside: {kept.join(', ')}</p>}
      <p className="muted small">Library: {status.path}</p>
    </div>
  )
}
