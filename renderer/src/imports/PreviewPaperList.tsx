// A dump's papers as the preview lists them, each with a checkbox: all are chosen at first. The
// list is virtualised (a dump may hold 100,000 papers) and can be narrowed to one outcome, and
// "Select all"/"Select none" act on the papers shown.
import { useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { ImportPreview } from '../../../shared/domain'
import { classNames } from '../styles/classNames'
import styles from './PreviewPaperList.module.css'

type PreviewPaper = ImportPreview['papers'][number]
type Outcome = PreviewPaper['outcome']

const numbers = new Intl.NumberFormat()
const ROW_HEIGHT = 30
const VISIBLE_ROWS = 8

const MATCH_LABELS: Record<NonNullable<PreviewPaper['matchedBy']>, string> = {
  arxivId: 'arXiv id',
  doi: 'DOI',
  title: 'title',
}

const OUTCOME_LABELS: Record<Outcome, string> = {
  new: 'New',
  duplicate: 'In library',
  update: 'Will be updated',
}

/** "New", "In library · arXiv id", "Will be updated · DOI". */
export function outcomeBadge(paper: PreviewPaper): string {
  const label = OUTCOME_LABELS[paper.outcome]
  return paper.matchedBy ? `${label} · ${MATCH_LABELS[paper.matchedBy]}` : label
}

interface Props {
  source: string
  papers: PreviewPaper[]
  /** The papers left out (indices into `papers`). */
  excluded: ReadonlySet<number>
  onExcluded: (excluded: Set<number>) => void
}

export function PreviewPaperList({ source, papers, excluded, onExcluded }: Props) {
  const [filter, setFilter] = useState<Outcome | 'all'>('all')
  const scrollRef = useRef<HTMLDivElement>(null)
  const counts = useMemo(() => {
    const c: Record<Outcome, number> = { new: 0, duplicate: 0, update: 0 }
    for (const p of papers) c[p.outcome] += 1
    return c
  }, [papers])
  const shown = useMemo(() => {
    const list: number[] = []
    papers.forEach((p, i) => {
      if (filter === 'all' || p.outcome === filter) list.push(i)
    })
    return list
  }, [papers, filter])
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })

  const setShown = (chosen: boolean): void => {
    const next = new Set(excluded)
    for (const i of shown) {
      if (chosen) next.delete(i)
      else next.add(i)
    }
    onExcluded(next)
  }
  const toggle = (index: number): void => {
    const next = new Set(excluded)
    if (!next.delete(index)) next.add(index)
    onExcluded(next)
  }

  return (
    <div className={styles.papers}>
      <div className={styles.tools}>
        <label className={styles.filter}>
          Show
          <select value={filter} onChange={(e) => setFilter(e.target.value as Outcome | 'all')}>
            <option value="all">All papers ({numbers.format(papers.length)})</option>
            {(Object.keys(OUTCOME_LABELS) as Outcome[]).map(
              (o) =>
                counts[o] > 0 && (
                  <option key={o} value={o}>
                    {OUTCOME_LABELS[o]} ({numbers.format(counts[o])})
                  </option>
                ),
            )}
          </select>
        </label>
        <button type="button" onClick={() => setShown(true)}>
          Select all
        </button>
        <button type="button" onClick={() => setShown(false)}>
          Select none
        </button>
        <span className={classNames('muted', styles.chosen)}>
          {numbers.format(papers.length - excluded.size)} of {numbers.format(papers.length)} chosen
        </span>
      </div>
      <div
        ref={scrollRef}
        className={styles.scroll}
        style={{ height: Math.min(shown.length, VISIBLE_ROWS) * ROW_HEIGHT + 2 }}
      >
        <ul
          className={styles.list}
          aria-label={`Papers in ${source}`}
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const index = shown[item.index]!
            const paper = papers[index]!
            return (
              <li
                key={index}
                className={styles.paper}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                <label className={styles.title} title={paper.title}>
                  <input
                    type="checkbox"
                    checked={!excluded.has(index)}
                    onChange={() => toggle(index)}
                  />
                  <span>{paper.title}</span>
                </label>
                <span className={classNames(styles.badge, styles[paper.outcome])}>
                  {outcomeBadge(paper)}
                </span>
                <span className={classNames('muted', 'small', styles.line)}>line {paper.line}</span>
              </li>
            )
          })}
        </ul>
      </div>
    </div>
  )
}
