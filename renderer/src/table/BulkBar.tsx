// Acting on the papers picked in the table: a status, a star, a tag, delete, export — each one
// change, undone as one (Ctrl/⌘+Z).
import { useId, useState } from 'react'
import { STATUSES, STATUS_LABELS } from '../../../shared/domain'
import type { Status } from '../../../shared/domain'
import { normalizeTag } from '../../../shared/search'
import { useTags } from '../hooks/queries'
import buttonStyles from '../styles/button.module.css'
import styles from './BulkBar.module.css'

interface Props {
  count: number
  busy: boolean
  /** The library cannot be changed: only Export (and Clear) are offered. */
  readOnly: boolean
  onStatus: (status: Status) => void
  onStar: (starred: boolean) => void
  onTag: (tag: string, add: boolean) => void
  onDelete: () => void
  onExport: () => void
  onClear: () => void
}

export function BulkBar({
  count,
  busy,
  readOnly,
  onStatus,
  onStar,
  onTag,
  onDelete,
  onExport,
  onClear,
}: Props) {
  const [tag, setTag] = useState('')
  const tags = useTags()
  const listId = useId()
  const name = normalizeTag(tag)
  return (
    <div
      className={styles.bar}
      role="toolbar"
      aria-label="Act on the papers picked"
      data-testid="bulk-bar"
    >
      <strong className={styles.count} aria-live="polite">
        {count.toLocaleString()} picked
      </strong>
      {!readOnly && (
        <>
          <label className={styles.group}>
            <span className={styles.label}>Status</span>
            <select
              value=""
              disabled={busy}
              onChange={(e) => {
                if (e.target.value) onStatus(e.target.value as Status)
              }}
            >
              <option value="">Set…</option>
              {STATUSES.map((s, i) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]} ({i + 1})
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={busy} onClick={() => onStar(true)} title="Star them (s)">
            ★ Star
          </button>
          <button type="button" disabled={busy} onClick={() => onStar(false)}>
            ☆ Unstar
          </button>
          <form
            className={styles.group}
            onSubmit={(e) => {
              e.preventDefault()
              if (name) {
                onTag(name, true)
                setTag('')
              }
            }}
          >
            <input
              className={styles.tagInput}
              aria-label="Tag"
              placeholder="Tag…"
              list={listId}
              value={tag}
              onChange={(e) => setTag(e.target.value)}
            />
            <datalist id={listId}>
              {tags.data?.map((t) => (
                <option key={t.name} value={t.name} />
              ))}
            </datalist>
            <button type="submit" disabled={busy || !name}>
              Add tag
            </button>
            <button type="button" disabled={busy || !name} onClick={() => onTag(name, false)}>
              Remove tag
            </button>
          </form>
        </>
      )}
      <button type="button" disabled={busy} onClick={onExport}>
        Export…
      </button>
      {!readOnly && (
        <button type="button" className={buttonStyles.danger} disabled={busy} onClick={onDelete}>
          Delete…
        </button>
      )}
      <button type="button" className={styles.clear} onClick={onClear} title="Pick none (Esc)">
        Clear
      </button>
    </div>
  )
}
