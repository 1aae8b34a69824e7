import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Paper } from '../../../shared/domain'
import { call } from '../api/client'
import { formatDateTime } from '../format'
import { keys } from '../hooks/queries'
import styles from './NoteConflicts.module.css'

interface Props {
  paper: Paper
  readOnly: boolean
  /** A version was kept: the note is now its text. */
  onKept: () => void
}

/**
 * Other versions of the note, written on another computer at the same time (sync): each with
 * where and when it was written, to keep as the note or to discard.
 */
export function NoteConflicts({ paper, readOnly, onKept }: Props) {
  const client = useQueryClient()
  const resolve = useMutation({
    mutationFn: (r: { version: string; keep: boolean }) =>
      call('resolveNoteConflict', { id: paper.id, ...r }),
    onSuccess: (updated: Paper, r) => {
      client.setQueryData(keys.paper(updated.id), updated)
      void client.invalidateQueries({ queryKey: keys.papers })
      if (r.keep) onKept()
    },
  })
  const conflicts = paper.noteConflicts ?? []
  if (conflicts.length === 0) return null
  return (
    <section className={styles.conflicts} aria-label="Other versions of the note">
      {conflicts.map((c) => (
        <div key={c.version} className={styles.conflict} data-testid="note-conflict">
          <p className={styles.from}>
            Another version of the note, from device {c.device.slice(0, 8)} ·{' '}
            <time dateTime={c.at}>{formatDateTime(c.at)}</time>
          </p>
          <pre className={styles.text}>{c.text}</pre>
          <div className={styles.buttons}>
            <button
              type="button"
              disabled={readOnly || resolve.isPending}
              onClick={() => resolve.mutate({ version: c.version, keep: true })}
            >
              Keep this version
            </button>
            <button
              type="button"
              disabled={readOnly || resolve.isPending}
              onClick={() => resolve.mutate({ version: c.version, keep: false })}
            >
              Discard
            </button>
          </div>
        </div>
      ))}
      {resolve.isError && <p className="error">Not saved: {resolve.error.message}</p>}
    </section>
  )
}
