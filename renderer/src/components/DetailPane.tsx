import { formatDate, formatDateTime } from '../format'
import { usePaper, useSetStatus } from '../hooks/queries'
import { Abstract } from './Abstract'
import { NoteEditor } from './NoteEditor'
import { StatusHistory } from './StatusHistory'
import { StatusPicker } from './StatusPicker'
import { classNames } from '../styles/classNames'
import styles from './DetailPane.module.css'

interface Props {
  id: number | null
  onDelete: (id: number) => void
  onExport: (paper: { id: number; title: string }) => void
}

export function DetailPane({ id, onDelete, onExport }: Props) {
  const paper = usePaper(id)
  const setStatus = useSetStatus()
  if (id === null) {
    return (
      <aside className={classNames(styles.pane, styles.empty)} aria-label="Paper">
        <p>Select a paper to read its abstract and take notes.</p>
        <p className="muted">
          ↑/↓ or j/k move through the list; 1–5 set the status; Delete deletes (Ctrl+Z undoes).
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
          <h2 className={styles.title}>{p.title}</h2>
          <button
            type="button"
            className={styles.exportButton}
            title="Export this paper (BibTeX, RIS, CSV…)"
            onClick={() => onExport({ id: p.id, title: p.title })}
          >
            Export…
          </button>
          <button
            type="button"
            className={styles.deleteButton}
            title="Delete this paper (Delete key); Ctrl+Z undoes"
            onClick={() => onDelete(p.id)}
          >
            Delete…
          </button>
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
                  {p.doi}
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
                    {url.replace(/^https?:\/\//, '')}
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
          disabled={setStatus.isPending}
        />
        {setStatus.isError && <p className="error">Status not saved: {setStatus.error.message}</p>}
        <StatusHistory history={p.statusHistory} />
        <Abstract text={p.abstract} />
      </div>
      <NoteEditor key={p.id} paperId={p.id} initialNote={p.note} />
    </aside>
  )
}
