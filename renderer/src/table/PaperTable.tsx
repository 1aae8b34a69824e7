// The library as a table: sorted and filtered in SQL, fetched a page at a time for the rows in
// view, and virtualised. The table owns its window (usePaperWindow), its keys
// (useKeyboardTriage) and its columns' layout (widths and order, useColumnLayout); the parent
// only says what to show and hears what was chosen.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { MouseEvent, RefObject } from 'react'
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { SortingState } from '@tanstack/react-table'
import type { PaperQuery, PaperRow, Sort, SortDirection, SortField } from '../../../shared/domain'
import { useStats } from '../hooks/queries'
import { ColumnsMenu, useColumnChoices } from './ColumnsMenu'
import { columnName, columnVisibility, isLoaded, paperColumns } from './paperColumns'
import type { Cell, RowMeta } from './paperColumns'
import { PaperRowView } from './PaperRowView'
import { PINNED_COLUMN, layoutColumns, placeColumn } from './columnLayout'
import { COLUMN_SPECS, useColumnLayout } from './useColumnLayout'
import { useColumnDrag } from './useColumnDrag'
import { useMeasuredWidths } from './useMeasuredWidths'
import { ResizeHandle } from './ResizeHandle'
import { describeKey, sortKeys, withSortClick } from './sortKeys'
import { useKeyboardTriage } from './useKeyboardTriage'
import type { Selection, TriageAction } from './useKeyboardTriage'
import { ROW_HEIGHT, SEARCH_ROW_HEIGHT, usePaperWindow } from './usePaperWindow'
import type { Picked } from './picked'
import { termsOf } from '../search/highlight'
import { EmptyView } from '../sidebar/EmptyView'
import { classNames } from '../styles/classNames'
import styles from './PaperTable.module.css'

/** A search shows a second line in each row: where the abstract or note matches. */
function rowHeightOf(query: PaperQuery): number {
  return query.search?.trim() ? SEARCH_ROW_HEIGHT : ROW_HEIGHT
}

/** The table model holds no rows (see PaperRowView). */
const NO_CELLS: Cell[] = []
const SPECS = new Map(COLUMN_SPECS.map((c) => [c.id, c]))
const NAMES = new Map(paperColumns.map((c) => [c.id!, columnName(c)]))

/** A header's tooltip: what a click and a Shift+click do, given where it is in the sort. */
function sortTitle(name: string, rank: number, key: Sort | undefined, keys: number): string {
  const lower = name.toLowerCase()
  if (!key) return `Sort by ${lower}; Shift+click to sort by it as well`
  const direction = key.direction === 'asc' ? 'ascending' : 'descending'
  if (keys === 1) return `Sorted by ${lower}, ${direction}; click to reverse`
  const said = describeKey(rank, key.direction)
  return `${said[0]!.toUpperCase()}${said.slice(1)}; Shift+click to reverse, click to sort by ${lower} alone`
}

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
  /**
   * The query a header pressed will ask for once released: its first page is asked for while
   * the button is held (a click lasts 60–120 ms; the page takes 5–30 ms to come).
   */
  onQueryAhead?: (query: PaperQuery) => void
  selection: Selection
  onSelect: (selection: Selection) => void
  /** The papers picked for an action on several (empty: the action is on the selected one). */
  picked: Picked
  /** A row clicked: plainly, with Shift (a range from the selection) or Ctrl/⌘ (one more). */
  onRowClick: (paper: PaperRow, index: number, how: 'plain' | 'range' | 'toggle') => void
  /** A key of triage: on the picked papers, else on the selected one. */
  onAction: (action: TriageAction) => void
  /** Stars or unstars a paper; absent for a library that cannot be changed (read-only). */
  onStar?: (paper: PaperRow) => void
  /** The count and what the search could not read, as the first page says them. */
  onFound: (found: { total: number; notes: string[] } | null) => void
}

export function PaperTable({
  query,
  onQueryChange,
  onQueryAhead,
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
  const view = usePaperWindow(query, rowHeightOf)
  // The rows on screen are drawn as the query they are of: the previous one's, at its height
  // and with its words marked, until the new query's rows arrive.
  const { rowHeight, drawn } = view
  const drawnSearching = !!drawn.search?.trim()
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
  const terms = useMemo(() => termsOf(drawn.search), [drawn.search])
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
  const columns = useColumnLayout()
  const width = useWidth(tableRef)
  // What the user asked to see, then what fits: the secondary columns make way for the title.
  const chosen = useMemo(() => columnVisibility(stats.data, choices), [stats.data, choices])
  const asked = useMemo(
    () => columnVisibility(stats.data, choices, width),
    [stats.data, choices, width],
  )
  const keys = useMemo(() => sortKeys(query), [query])
  const layout = useMemo(
    () =>
      layoutColumns(
        columns.order.flatMap((id) => (asked[id] ? [SPECS.get(id)!] : [])),
        columns.widths,
        width,
        keys.map((k) => k.field),
      ),
    [columns.order, columns.widths, asked, width, keys],
  )
  const visibility = useMemo(
    () => Object.fromEntries(columns.order.map((id) => [id, layout.shown.includes(id)])),
    [columns.order, layout.shown],
  )
  const noRoom = useMemo(
    () => columns.order.filter((id) => chosen[id] && !layout.shown.includes(id)),
    [columns.order, chosen, layout.shown],
  )
  const sorting = useMemo<SortingState>(
    () => keys.map((k) => ({ id: k.field, desc: k.direction === 'desc' })),
    [keys],
  )
  // The table's model gives the headers and which columns show, in order; the rows are drawn
  // from the window's cells (PaperRowView), without a row model.
  const table = useReactTable({
    data: NO_CELLS,
    columns: paperColumns,
    state: { sorting, columnVisibility: visibility, columnOrder: columns.order },
    manualSorting: true,
    enableSortingRemoval: false,
    getCoreRowModel: getCoreRowModel(),
  })
  const leafColumns = table.getVisibleLeafColumns()
  const shownColumns = useMemo(() => leafColumns.map((c) => c.columnDef), [leafColumns])
  // What the rows are given stays the same object while it does not change, so that a row
  // left as it was is not drawn again.
  const starRef = useRef(onStar)
  const clickRef = useRef(onRowClick)
  // The rows on screen are the previous query's while a new one loads: they cannot be chosen.
  const staleRef = useRef(view.stale)
  useLayoutEffect(() => {
    starRef.current = onStar
    clickRef.current = onRowClick
    staleRef.current = view.stale
  })
  const canStar = !!onStar
  const rowMeta = useMemo<RowMeta>(
    () => ({ terms, onStar: canStar ? (paper) => starRef.current?.(paper) : undefined }),
    [terms, canStar],
  )
  const onPress = useCallback((paper: PaperRow, index: number, e: MouseEvent) => {
    if (staleRef.current) return
    // Shift-click picks a range: not a text selection.
    if (e.shiftKey) e.preventDefault()
    clickRef.current(
      paper,
      index,
      e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'plain',
    )
  }, [])
  // One grid for the header and every row: the columns' widths fitted to the table, and a last
  // track for the Columns menu.
  const gridStyle = { gridTemplateColumns: layout.template }
  const { sort } = query

  const sortBy = (field: SortField, firstDirection: SortDirection, add: boolean): void => {
    onQueryChange(withSortClick(query, field, firstDirection, add))
  }

  const headerRef = useRef<HTMLDivElement>(null)
  const measured = useMeasuredWidths(headerRef, layout.shown.join(' '))
  const movable = useMemo(() => layout.shown.filter((id) => id !== PINNED_COLUMN), [layout.shown])
  const { drag, headerProps } = useColumnDrag(headerRef, movable, (id, to) =>
    columns.setOrder(placeColumn(columns.order, id, to)),
  )

  const emptyView = view.ready && view.total === 0

  const rowElements = view.items.map((item) => {
    const cell = view.cells[item.index - view.first]
    if (!cell) return null
    const loaded = isLoaded(cell)
    const current = loaded && cell.id === selection.id
    const isPicked = loaded && (picked.all || picked.ids.has(cell.id))
    return (
      <PaperRowView
        // Keyed by its place, not by its paper: after a sort, a search or a view change, the
        // rows' elements are kept and given the new papers' text. Keyed by paper, every row's
        // elements were made again (half the time from a header click to the rows painted).
        key={item.index}
        cell={cell}
        index={item.index}
        top={item.start}
        height={rowHeight}
        template={layout.template}
        columns={shownColumns}
        current={current}
        picked={isPicked}
        searching={drawnSearching}
        meta={rowMeta}
        onPress={onPress}
      />
    )
  })

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
            ref={headerRef}
            className={classNames(styles.row, styles.headerRow)}
            role="row"
            key={group.id}
            style={gridStyle}
          >
            {group.headers.map((header) => {
              const id = header.column.id
              const field = id as SortField
              const meta = header.column.columnDef.meta!
              const name = NAMES.get(id) ?? id
              const rank = keys.findIndex((k) => k.field === field)
              const key = keys[rank]
              const cell = {
                role: 'columnheader',
                'aria-label': name,
                'data-column': id,
                'data-dragging': drag?.id === id || undefined,
                ...headerProps(id),
              }
              const label = flexRender(header.column.columnDef.header, header.getContext())
              const handle = meta.resize && (
                <ResizeHandle
                  name={name}
                  width={layout.widths[id] ?? measured[id] ?? meta.resize.min}
                  min={meta.resize.min}
                  max={layout.maxWidths[id] ?? meta.resize.max}
                  onResize={(px, keep) => columns.setWidth(id, px, keep)}
                  onReset={() => columns.resetWidth(id)}
                />
              )
              if (meta.unsorted) {
                return (
                  <div
                    key={header.id}
                    {...cell}
                    className={classNames(styles.cell, styles.headerCell, styles.plainHeader)}
                  >
                    <span className={styles.headerLabel}>{label}</span>
                    {handle}
                  </div>
                )
              }
              return (
                <div
                  key={header.id}
                  {...cell}
                  className={classNames(styles.cell, styles.headerCell)}
                  // ARIA: one sorted header at a time; the further keys are described instead.
                  aria-sort={
                    rank === 0 ? (key!.direction === 'asc' ? 'ascending' : 'descending') : undefined
                  }
                >
                  <button
                    type="button"
                    className={styles.sortButton}
                    aria-label={meta.label}
                    aria-description={
                      key && keys.length > 1 ? describeKey(rank, key.direction) : undefined
                    }
                    title={sortTitle(name, rank, key, keys.length)}
                    onPointerDown={(e) => {
                      if (e.button === 0) {
                        onQueryAhead?.(withSortClick(query, field, meta.firstDirection, e.shiftKey))
                      }
                    }}
                    onClick={(e) => sortBy(field, meta.firstDirection, e.shiftKey)}
                    onKeyDown={(e) => {
                      // Shift+Enter adds the column to the sort, as Shift+click does.
                      if (e.key !== 'Enter' || !e.shiftKey) return
                      e.preventDefault()
                      sortBy(field, meta.firstDirection, true)
                    }}
                  >
                    <span className={styles.headerLabel}>{label}</span>
                    {key && (
                      <span className={styles.sortMark} aria-hidden="true">
                        {key.direction === 'asc' ? '▲' : '▼'}
                        {keys.length > 1 && <span className={styles.sortRank}>{rank + 1}</span>}
                      </span>
                    )}
                  </button>
                  {handle}
                </div>
              )
            })}
            <ColumnsMenu
              chosen={chosen}
              noRoom={noRoom}
              onChoose={choose}
              order={columns.order}
              onOrder={columns.setOrder}
              onReset={columns.reset}
            />
            {drag && drag.line !== null && (
              <div
                className={styles.dropLine}
                style={{ left: drag.line }}
                aria-hidden="true"
                data-testid="drop-line"
              />
            )}
          </div>
        ))}
      </div>
      {searching && sort.field !== 'relevance' && (
        <p className={styles.sortNote}>
          Sorted by {keys.map((k) => (NAMES.get(k.field) ?? k.field).toLowerCase()).join(', then ')}
          .{' '}
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
        data-stale={view.stale || undefined}
        tabIndex={0}
        aria-label="Papers, one row per paper; ↑ ↓ or j k move, 1 to 5 set the status, x or Space picks, ? lists every key"
        hidden={emptyView}
      >
        <div style={{ height: view.height, position: 'relative' }}>
          {view.scaled ? (
            // A list scaled to fit: its rows in a layer that stays in view (usePaperWindow.ts).
            <div
              style={{
                position: 'sticky',
                top: 0,
                height: view.viewport,
                overflow: 'hidden',
              }}
            >
              {rowElements}
            </div>
          ) : (
            rowElements
          )}
        </div>
      </div>
    </div>
  )
}
