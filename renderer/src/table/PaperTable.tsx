// The library as a table: sorted and filtered in SQL, fetched a page at a time for the rows in
// view, and virtualised. The table owns its window (usePaperWindow) and its keys
// (useKeyboardTriage); the parent only says what to show and hears what was chosen.
import { useEffect, useMemo, useRef, useState } from 'react'
import type { RefObject } from 'react'
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { SortingState } from '@tanstack/react-table'
import type { PaperQuery, PaperRow, SortDirection, SortField } from '../../../shared/domain'
import { useStats } from '../hooks/queries'
import { ColumnsMenu, useColumnChoices } from './ColumnsMenu'
import { columnVisibility, isLoaded, paperColumns } from './paperColumns'
import { useKeyboardTriage } from './useKeyboardTriage'
import type { Selection, TriageAction } from './useKeyboardTriage'
import { ROW_HEIGHT, SEARCH_ROW_HEIGHT, usePaperWindow } from './usePaperWindow'
import type { Picked } from './picked'
import { termsOf } from '../search/highlight'
import { EmptyView } from '../sidebar/EmptyView'
import { classNames } from '../styles/classNames'
import styles from './PaperTable.module.css'

const COLUMNS_MENU_WIDTH = '28px'

/** An element's width, followed as it changes (Infinity until measured). */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(Infinity)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.round(entry.contentRect.width))
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref])
  return width
}

interface Props {
  query: PaperQuery
  onQueryChange: (query: PaperQuery) => void
  selection: Selection
  onSelect: (selection: Selection) => void
  /** The papers picked for an action on several (empty: the action is on the selected one). */
  picked: Picked
  /** A row clicked: plainly, with Shift (a range from the selection) or Ctrl/⌘ (one more). */
  onRowClick: (paper: PaperRow, index: number, how: 'plain' | 'range' | 'toggle') => void
  /** A key of triage: on the picked papers, else on the selected one. */
  onAction: (action: TriageAction) => void
  onStar: (paper: PaperRow) => void
  /** The count and what the search could not read, as the first page says them. */
  onFound: (found: { total: number; notes: string[] } | null) => void
}

export function PaperTable({
  query,
  onQueryChange,
  selection,
  onSelect,
  picked,
  onRowClick,
  onAction,
  onStar,
  onFound,
}: Props) {
  const tableRef = useRef<HTMLDivElement>(null)
  const searching = !!query.search?.trim()
  const rowHeight = searching ? SEARCH_ROW_HEIGHT : ROW_HEIGHT
  const view = usePaperWindow(query, rowHeight)
  useKeyboardTriage({
    rows: view.rows,
    total: view.total,
    selection,
    onSelect,
    scrollToIndex: view.scrollToIndex,
    onAction,
  })
  const { ready, total, searchNotes } = view
  useEffect(() => {
    onFound(ready ? { total, notes: searchNotes } : null)
  }, [ready, total, searchNotes, onFound])
  const terms = useMemo(() => termsOf(query.search), [query.search])
  // Opened again (a reload, a restart): back to where the selected paper was.
  const restored = useRef(false)
  const { scrollToIndex } = view
  useEffect(() => {
    if (restored.current || !ready) return
    restored.current = true
    if (selection.index !== null && selection.index < total) scrollToIndex(selection.index)
  }, [ready, total, selection.index, scrollToIndex])

  const stats = useStats()
  const [choices, choose] = useColumnChoices()
  const width = useWidth(tableRef)
  const visibility = useMemo(
    () => columnVisibility(stats.data, choices, width),
    [stats.data, choices, width],
  )
  const sorting = useMemo<SortingState>(
    () => [{ id: query.sort.field, desc: query.sort.direction === 'desc' }],
    [query.sort],
  )
  const table = useReactTable({
    data: view.cells,
    columns: paperColumns,
    state: { sorting, columnVisibility: visibility },
    manualSorting: true,
    enableSortingRemoval: false,
    getCoreRowModel: getCoreRowModel(),
    meta: { onStar, terms },
    getRowId: (row, i) => (isLoaded(row) ? String(row.id) : `loading-${view.first + i}`),
  })
  const rows = table.getRowModel().rows
  // The rows' grid, from the visible columns' own widths, and a last track for the Columns menu.
  const gridStyle = {
    gridTemplateColumns: [
      ...table.getVisibleLeafColumns().map((c) => c.columnDef.meta!.width),
      COLUMNS_MENU_WIDTH,
    ].join(' '),
  }
  const { sort } = query

  const toggleSort = (field: SortField, firstDirection: SortDirection): void => {
    const direction =
      sort.field === field ? (sort.direction === 'asc' ? 'desc' : 'asc') : firstDirection
    onQueryChange({ ...query, sort: { field, direction } })
  }

  const emptyView = view.ready && view.total === 0

  return (
    <div
      ref={tableRef}
      className={styles.table}
      role="grid"
      aria-label="Papers"
      aria-rowcount={view.total}
      aria-multiselectable="true"
    >
      <div role="rowgroup">
        {table.getHeaderGroups().map((group) => (
          <div
            className={classNames(styles.row, styles.headerRow)}
            role="row"
            key={group.id}
            style={gridStyle}
          >
            {group.headers.map((header) => {
              const field = header.column.id as SortField
              const meta = header.column.columnDef.meta!
              const active = sort.field === field
              if (meta.unsorted) {
                return (
                  <div
                    key={header.id}
                    role="columnheader"
                    className={classNames(styles.cell, styles.plainHeader)}
                    data-column={field}
                  >
                    {flexRender(header.column.columnDef.header, header.getContext())}
                  </div>
                )
              }
              return (
                <div
                  key={header.id}
                  role="columnheader"
                  className={styles.cell}
                  data-column={field}
                  aria-sort={
                    active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'
                  }
                >
                  <button
                    type="button"
                    className={styles.sortButton}
                    aria-label={meta.label}
                    title={meta.label ? `Sort by ${meta.label.toLowerCase()}` : undefined}
                    onClick={() => toggleSort(field, meta.firstDirection)}
                  >
                    {flexRender(header.column.columnDef.header, header.getContext())}
                    <span className={styles.sortMark} aria-hidden="true">
                      {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </div>
              )
            })}
            <ColumnsMenu visible={visibility} onChoose={choose} />
          </div>
        ))}
      </div>
      {searching && sort.field !== 'relevance' && (
        <p className={styles.sortNote}>
          Sorted by {sort.field}.{' '}
          <button
            type="button"
            className={styles.linkButton}
            onClick={() =>
              onQueryChange({ ...query, sort: { field: 'relevance', direction: 'desc' } })
            }
          >
            Best matches first
          </button>
        </p>
      )}
      {view.error && (
        <div className={styles.emptyView} role="alert">
          <p>Could not load the papers: {view.error.message}</p>
          <button type="button" onClick={() => void view.retry()}>
            Try again
          </button>
        </div>
      )}
      {emptyView && !view.error && (
        <EmptyView query={query} onView={(change) => onQueryChange({ ...query, ...change })} />
      )}
      {/* Reachable with Tab: from here the arrow keys and j/k move through the papers. */}
      <div
        className={styles.body}
        ref={view.scrollRef}
        role="rowgroup"
        data-testid="table-body"
        tabIndex={0}
        aria-label="Papers, one row per paper; ↑ ↓ or j k move, 1 to 5 set the status, x picks, ? lists every key"
        hidden={emptyView}
      >
        <div style={{ height: view.virtualizer.getTotalSize(), position: 'relative' }}>
          {view.items.map((item) => {
            const row = rows[item.index - view.first]
            if (!row) return null
            const paper = row.original
            const current = isLoaded(paper) && paper.id === selection.id
            const isPicked = isLoaded(paper) && (picked.all || picked.ids.has(paper.id))
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={current || isPicked}
                aria-current={current ? 'true' : undefined}
                data-paper-id={isLoaded(paper) ? paper.id : undefined}
                data-picked={isPicked || undefined}
                className={classNames(
                  styles.row,
                  styles.bodyRow,
                  searching && styles.searching,
                  current && styles.selected,
                  isPicked && styles.picked,
                )}
                style={{
                  ...gridStyle,
                  transform: `translateY(${item.start}px)`,
                  height: rowHeight,
                }}
                onMouseDown={(e) => {
                  if (!isLoaded(paper) || e.button !== 0) return
                  // Shift-click picks a range: not a text selection.
                  if (e.shiftKey) e.preventDefault()
                  onRowClick(
                    paper,
                    item.index,
                    e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'plain',
                  )
                }}
              >
                {row.getVisibleCells().map((cell) => (
                  <div
                    key={cell.id}
                    role="gridcell"
                    className={classNames(
                      styles.cell,
                      cell.column.columnDef.meta?.muted && styles.mutedCell,
                    )}
                    data-column={cell.column.id}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </div>
                ))}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
