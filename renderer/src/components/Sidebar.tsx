// The sidebar: the views of the library, each with a live count — all papers, each status,
// starred, the smart views, each tag, the recent imports — and the way to the statistics.
// Choosing a view sets all the table's filters at once.
import { memo, useState } from 'react'
import { createPortal } from 'react-dom'
import { STATUSES } from '../../../shared/domain'
import type { ImportRecord, PaperQuery } from '../../../shared/domain'
import { useStats } from '../hooks/queries'
import { useSavedSearches } from '../hooks/views'
import { ImportViews } from '../sidebar/ImportViews'
import { ChartIcon, Dot, Glyph } from '../sidebar/marks'
import type { Notice } from '../sidebar/notice'
import { SavedViews } from '../sidebar/SavedViews'
import { TagViews } from '../sidebar/TagViews'
import { ViewButton } from '../sidebar/ViewButton'
import {
  ALL_PAPERS,
  STARRED,
  STATUS_VIEW_LABELS,
  currentViewKey,
  statusView,
} from '../sidebar/viewFilters'
import type { ViewFilters } from '../sidebar/viewFilters'
import { classNames } from '../styles/classNames'
import type { UndoStack } from '../undo/useUndoStack'
import statusStyles from '../styles/status.module.css'
import { UndoToast } from './UndoToast'
import styles from './Sidebar.module.css'

interface Props {
  /** What the table shows: its view's filters (its sort is not the sidebar's). */
  filters: ViewFilters
  /**
   * Shows another view: the filters it sets (status, starred, tag, search, importId). The
   * caller puts a search's order with it (withSearchOrder).
   */
  onView: (change: Partial<PaperQuery>) => void
  /** Asks to undo an import (it is not undone yet). */
  onUndoImport: (record: ImportRecord) => void
  /** Shows the reading statistics in place of the table. */
  onStatistics: () => void
  /** Whether the statistics are on show (then no view is). */
  statisticsOpen?: boolean
  /** The window's undo stack (a tag's rename or deletion goes on it). */
  history: UndoStack
}

const STATUS_HINTS = {
  new: 'Papers not triaged yet',
  'to-read': 'Papers queued to read',
  reading: 'Papers being read',
  read: 'Papers read',
  skipped: 'Papers skipped',
} as const

// Memoised: a new sort, or a search typed in the box that is not yet asked for, leaves the
// sidebar as it was; it is drawn again when its view, counts or lists change.
export const Sidebar = memo(function Sidebar({
  filters,
  onView,
  onUndoImport,
  onStatistics,
  statisticsOpen = false,
  history,
}: Props) {
  const stats = useStats()
  const saved = useSavedSearches()
  const current = statisticsOpen ? null : currentViewKey(filters, saved.data ?? [])
  // One row's actions open at a time, whichever section it is in.
  const [openActions, setOpenActions] = useState<string | null>(null)
  const [notice, setNotice] = useState<Notice | null>(null)
  const show = onView
  const sectionProps = { filters, current, openActions, onOpenActions: setOpenActions }

  return (
    <nav className={styles.sidebar} aria-label="Views">
      <ul>
        <li className={styles.item}>
          <ViewButton
            label="All papers"
            count={stats.data?.total}
            icon={<Dot />}
            current={current === 'all'}
            title="Every paper in the library"
            onClick={() => show(ALL_PAPERS)}
          />
        </li>
        {STATUSES.map((s) => (
          <li key={s} className={styles.item}>
            <ViewButton
              label={STATUS_VIEW_LABELS[s]}
              count={stats.data?.byStatus[s]}
              icon={<Dot className={statusStyles[s]} />}
              current={current === `status:${s}`}
              title={STATUS_HINTS[s]}
              onClick={() => show(statusView(s))}
            />
          </li>
        ))}
        <li className={styles.item}>
          <ViewButton
            label="Starred"
            count={stats.data?.starred}
            icon={<Glyph className={styles.star}>★</Glyph>}
            current={current === 'starred'}
            title="Papers you starred"
            onClick={() => show(STARRED)}
          />
        </li>
      </ul>
      <SavedViews {...sectionProps} onView={show} onNotice={setNotice} />
      <TagViews {...sectionProps} onView={show} onNotice={setNotice} history={history} />
      <ImportViews current={current} onView={show} onUndoImport={onUndoImport} />
      <div className={styles.footer}>
        <button
          type="button"
          className={classNames(styles.view, statisticsOpen && styles.active)}
          aria-current={statisticsOpen ? 'page' : undefined}
          data-view=""
          onClick={onStatistics}
        >
          <Glyph>
            <ChartIcon />
          </Glyph>
          <span className={styles.label}>Statistics</span>
        </button>
        {stats.data && (
          <p className={classNames(styles.path, 'muted', 'small')} title={stats.data.path}>
            {stats.data.path}
          </p>
        )}
      </div>
      {notice &&
        createPortal(
          <UndoToast
            message={notice.message}
            onUndo={
              notice.undo
                ? () => {
                    setNotice(null)
                    notice.undo!()
                  }
                : undefined
            }
            onDismiss={() => setNotice(null)}
          />,
          document.body,
        )}
    </nav>
  )
})
