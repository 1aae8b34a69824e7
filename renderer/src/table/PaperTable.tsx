// The library as a table: sorted and filtered in SQL, fetched a page at a time for the rows in
// view, and virtualised. The table owns its window (usePaperWindow) and its keys
// (useKeyboardTriage); the parent only says what to show and hears what was chosen.
import { useMemo } from 'react'
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { SortingState } from '@tanstack/react-table'
import type { PaperQuery, SortDirection, SortField, Status } from '../../../shared/domain'
import { useStats } from '../hooks/queries'
import { ColumnsMenu, useColumnChoices } from './ColumnsMenu'
import { columnVisibility, isLoaded, paperColumns } from './paperColumns'
import { useKeyboardTriage } from './useKeyboardTriage'
import type { Selection } from './useKeyboardTriage'
import { ROW_HEIGHT, usePaperWindow } from './usePaperWindow'
import { classNames } from '../styles/classNames'
import styles from './PaperTable.module.css'

const COLUMNS_MENU_WIDTH = '28px'

interface Props {
  query: PaperQuery
  onQueryChange: (query: PaperQuery) => void
  selection: Selection
  onSelect: (selection: Selection) => void
  onStatus: (id: number, status: Status) => void
  onDelete: (id: number, index: number | null) => void
}

export function PaperTable({
  query,
  onQueryChange,
  selection,
  onSelect,
  onStatus,
  onDelete,
}: Props) {
  const view = usePaperWindow(query)
  useKeyboardTriage({
    rows: view.rows,
    total: view.total,
    selection,
    onSelect,
    scrollToIndex: view.scrollToIndex,
    onStatus,
    onDelete,
  })

  const stats = useStats()
  const [choices, choose] = useColumnChoices()
  const visibility = useMemo(() => columnVisibility(stats.data, choices), [stats.data, choices])
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

  return (
    <div className={styles.table} role="table" aria-label="Papers" aria-rowcount={view.total}>
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
      {/* Reachable with Tab: from here the arrow keys and j/k move through the papers. */}
      <div
        className={styles.body}
        ref={view.scrollRef}
        role="rowgroup"
        data-testid="table-body"
        tabIndex={0}
        aria-label="Papers, one row per paper; ↑ ↓ or j k move, 1 to 5 set the status"
      >
        <div style={{ height: view.virtualizer.getTotalSize(), position: 'relative' }}>
          {view.items.map((item) => {
            const row = rows[item.index - view.first]
            if (!row) return null
            const paper = row.original
            const selected = isLoaded(paper) && paper.id === selection.id
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selected}
                data-paper-id={isLoaded(paper) ? paper.id : undefined}
                className={classNames(styles.row, styles.bodyRow, selected && styles.selected)}
                style={{
                  ...gridStyle,
                  transform: `translateY(${item.start}px)`,
                  height: ROW_HEIGHT,
                }}
                onMouseDown={() => isLoaded(paper) && onSelect({ id: paper.id, index: item.index })}
              >
                {row.getVisibleCells().map((cell) => (
                  <div
                    key={cell.id}
                    role="cell"
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
