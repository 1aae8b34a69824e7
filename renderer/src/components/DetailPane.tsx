import { memo, useEffect, useMemo, useRef, useState } from 'react'
import { revealBidi } from '../../../shared/bidi'
import { formatDate, formatDateTime } from '../format'
import type { PaperChange } from '../hooks/paperActions'
import { usePaper, useSetStatus } from '../hooks/queries'
import { useReadOnly } from '../hooks/useReadOnly'
import { termsOf } from '../search/highlight'
import { Abstract } from './Abstract'
import { Highlight } from './Highlight'
import { NoteConflicts } from './NoteConflicts'
import { NoteEditor } from './NoteEditor'
import type { NoteEditorHandle } from './NoteEditor'
import { SimilarPapers } from './SimilarPapers'
import { StatusHistory } from './StatusHistory'
import { StatusPicker } from './StatusPicker'
import { TagEditor } from './TagEditor'
import type { TagEditorHandle } from './TagEditor'
import { usePaneKeys } from './usePaneKeys'
import { classNames } from '../styles/classNames'
import styles from './DetailPane.module.css'

interface Props {
  id: number | null
  /** The search the table shows: its words are marked in the title and the abstract. */
  search: string
  onDelete: (id: number) => void
  onExport: (paper: { id: number; title: string }) => void
  /**
   * Stars or tags papers. `label` names the change for the user ("Star", "Tag “x”"), so the
   * caller can record it for undo.
   */
  onChangePapers: (change: PaperChange, label: string) => void
  /** Shows another paper (one the "More like this" list offers). */
  onOpenPaper: (id: number) => void
}

// Memoised: a new sort or view leaves the pane as it was (its callbacks are stable in App); it
// is drawn again when its paper, its place in the list, the search or the paper's data change.
export const DetailPane = memo(function DetailPane({
  id,
  search,
  onDelete,
  onExport,
  onChangePapers,
  onOpenPaper,
}: Props) {
  const paper = usePaper(id)
  const setStatus = useSetStatus()
  const readOnly = useReadOnly()
  const terms = useMemo(() => termsOf(search), [search])
  // Open or closed as the user left it, from one paper to the next.
  const [similarOpen, setSimilarOpen] = useState(false)
  // Counts the conflict versions kept: the note editor starts again from the note they made.
  const [notesKept, setNotesKept] = useState(0)
  const tagEditor = useRef<TagEditorHandle>(null)
  const noteEditor = useRef<NoteEditorHandle>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  // A paper opened from "More like this" takes the focus the list's button had.
  const focusTitleOf = useRef<number | null>(null)
  const shown = paper.data && paper.data.id === id ? paper.data : null

  useEffect(() => {
    if (shown && focusTitleOf.current === shown.id) {
      focusTitleOf.current = null
      heading.current?.focus()
    }
  }, [shown])

  const toggleStar = (): void => {
    if (!shown) return
    onChangePapers({ ids: [shown.id], starred: !shown.starred }, shown.starred ? 'Unstar' : 'Star')
  }
  usePaneKeys(shown !== null, {
    toggleStar,
    focusTags: () => tagEditor.current?.focus(),
    focusNote: () => noteEditor.current?.focus(),
  })
  if (id === null) {
    return (
      <aside className={classNames(styles.pane, styles.empty)} aria-label="Paper">
        <p>Select a paper to read its abstract and take notes.</p>
        <p className="muted">
          ↑/↓ or j/k move through the list; 1–5 set the status; s stars, t tags, e writes a note;
          Delete deletes (Ctrl+Z undoes).
        </p>
      </aside>
    )
  }
  if (paper.isError) {
    return (
      <aside className={styles.pane} aria-label="Paper">
        <p className="error">{paper.error.message}</p>
      </aside>
    )
  }
  if (!paper.data) return <aside className={styles.pane} aria-label="Paper" aria-busy="true" />
  const p = paper.data
  return (
    <aside className={styles.pane} aria-label="Paper" data-testid="detail">
      <div className={styles.body}>
        <div className={styles.heading}>
          <button
            type="button"
            className={classNames(styles.star, p.starred && styles.starred)}
            aria-label="Star"
            aria-pressed={p.starred}
            title="Star (s)"
            disabled={readOnly}
            onClick={toggleStar}
          >
            <span aria-hidden="true">{p.starred ? '★' : '☆'}</span>
          </button>
          <h2 className={styles.title} ref={heading} tabIndex={-1}>
            <Highlight text={p.title} terms={terms} />
          </h2>
          <div className={styles.actions}>
            <button
              type="button"
              className={styles.exportButton}
              title="Export this paper (BibTeX, RIS, CSV…)"
              onClick={() => onExport({ id: p.id, title: p.title })}
            >
              Export…
            </button>
            {!readOnly && (
              <button
                type="button"
                className={styles.deleteButton}
                title="Delete this paper (Delete key); Ctrl+Z undoes"
                onClick={() => onDelete(p.id)}
              >
                Delete…
              </button>
            )}
          </div>
        </div>
        {p.authors.length > 0 && <p className={styles.authors}>{p.authors.join(', ')}</p>}
        <dl className={styles.meta}>
          <dt>Dump date</dt>
          <dd title={p.dumpDateText ?? undefined}>{formatDate(p.dumpDate)}</dd>
          <dt>Added</dt>
          <dd>{formatDateTime(p.addedAt)}</dd>
          {(p.year !== null || p.venue) && (
            <>
              <dt>Published</dt>
              <dd>{[p.venue, p.year].filter((v) => v !== null && v !== '').join(', ')}</dd>
            </>
          )}
          {p.arxivId && (
            <>
              <dt>arXiv</dt>
              <dd>
                <a
                  href={`https://arxiv.org/abs/${p.arxivId}`}
                  target="_blank"
                  rel="noopener noreferrer"
                >
                  {p.arxivId}
                  {p.arxivVersion !== null ? `v${p.arxivVersion}` : ''}
                </a>
              </dd>
            </>
          )}
          {p.doi && (
            <>
              <dt>DOI</dt>
              <dd>
                <a href={`https://doi.org/${p.doi}`} target="_blank" rel="noopener noreferrer">
                  {revealBidi(p.doi)}
                </a>
              </dd>
            </>
          )}
          {p.keywords.length > 0 && (
            <>
              <dt>Keywords</dt>
              <dd>{p.keywords.join(', ')}</dd>
            </>
          )}
          {p.urls.length > 0 && (
            <>
              <dt>Links</dt>
              <dd className={styles.links}>
                {p.urls.map((url) => (
                  <a key={url} href={url} target="_blank" rel="noopener noreferrer">
                    {revealBidi(url.replace(/^https?:\/\//, ''))}
                  </a>
                ))}
              </dd>
            </>
          )}
          {p.seenIn.length > 0 && (
            <>
              <dt>From</dt>
              <dd
                title={p.seenIn
                  .map((s) => `${s.source} (${s.format}), ${formatDateTime(s.at)}`)
                  .join('\n')}
              >
                {[...new Set(p.seenIn.map((s) => s.source))].join(', ')}
              </dd>
            </>
          )}
        </dl>
        <StatusPicker
          value={p.status}
          onChange={(status) => setStatus.mutate({ id: p.id, status })}
          disabled={setStatus.isPending || readOnly}
        />
        {setStatus.isError && <p className="error">Status not saved: {setStatus.error.message}</p>}
        <StatusHistory history={p.statusHistory} />
        <TagEditor
          // A name half typed for one paper is not carried to the next.
          key={p.id}
          ref={tagEditor}
          tags={p.tags}
          onAdd={(name) => onChangePapers({ ids: [p.id], addTags: [name] }, `Tag “${name}”`)}
          onRemove={(name) =>
            onChangePapers({ ids: [p.id], removeTags: [name] }, `Remove tag “${name}”`)
          }
        />
        <Abstract text={p.abstract} highlight={terms} />
        <SimilarPapers
          id={p.id}
          open={similarOpen}
          onToggle={setSimilarOpen}
          onOpenPaper={(other) => {
            focusTitleOf.current = other
            onOpenPaper(other)
          }}
        />
      </div>
      <NoteConflicts paper={p} readOnly={readOnly} onKept={() => setNotesKept((n) => n + 1)} />
      <NoteEditor
        ref={noteEditor}
        key={`${p.id}:${notesKept}`}
        paperId={p.id}
        initialNote={p.note}
      />
    </aside>
  )
})
