// "More like this": the papers of the user's own library whose words are most like this one's,
// found offline by the core (similarPapers). Asked for only once the section is opened.
import { useId } from 'react'
import { STATUS_LABELS } from '../../../shared/domain'
import type { PaperRow } from '../../../shared/domain'
import { formatDate } from '../format'
import { useSimilarPapers } from '../hooks/paperActions'
import { classNames } from '../styles/classNames'
import statusStyles from '../styles/status.module.css'
import styles from './SimilarPapers.module.css'

interface Props {
  id: number
  open: boolean
  onToggle: (open: boolean) => void
  onOpenPaper: (id: number) => void
}

/** "Read · 2024 · ★": what tells one related paper from another besides its title. */
function details(row: PaperRow): string {
  return [
    STATUS_LABELS[row.status],
    row.year ?? (row.dumpDate ? formatDate(row.dumpDate) : null),
    row.starred ? '★ starred' : null,
  ]
    .filter((part) => part !== null)
    .join(' · ')
}

export function SimilarPapers({ id, open, onToggle, onOpenPaper }: Props) {
  const similar = useSimilarPapers(id, open)
  const regionId = useId()
  return (
    <section className={styles.similar} aria-label="More like this" data-testid="similar">
      <h3 className={styles.heading}>
        <button
          type="button"
          className={styles.toggle}
          aria-expanded={open}
          aria-controls={regionId}
          onClick={() => onToggle(!open)}
        >
          <span className={styles.chevron} aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          More like this
        </button>
      </h3>
      {open && (
        <div id={regionId} className={styles.body}>
          {similar.isPending ? (
            <p className="muted small" role="status">
              Looking through your library…
            </p>
          ) : similar.isError ? (
            <p className={classNames('error', 'small', styles.error)} role="alert">
              Could not look for related papers: {similar.error.message}{' '}
              <button type="button" onClick={() => void similar.refetch()}>
                Try again
              </button>
            </p>
          ) : similar.data.terms.length === 0 ? (
            <p className="muted small">
              This paper has too few words of its own to compare it with others.
            </p>
          ) : (
            <>
              <p className="muted small" data-testid="similar-terms">
                Compared by{' '}
                {similar.data.terms.map((term, i) => (
                  <span key={term}>
                    {i > 0 && ', '}
                    <span className={styles.term}>{term}</span>
                  </span>
                ))}
              </p>
              {similar.data.rows.length === 0 ? (
                <p className="muted small">No other paper in your library shares them.</p>
              ) : (
                <ol className={styles.list} aria-label="Related papers">
                  {similar.data.rows.map((row) => (
                    <li key={row.id}>
                      <button
                        type="button"
                        className={styles.paper}
                        onClick={() => onOpenPaper(row.id)}
                      >
                        <span className={styles.title}>{row.title}</span>
                        <span
                          className={classNames(
                            styles.details,
                            statusStyles.dotted,
                            statusStyles[row.status],
                          )}
                        >
                          {details(row)}
                        </span>
                      </button>
                    </li>
                  ))}
                </ol>
              )}
            </>
          )}
        </div>
      )}
    </section>
  )
}
