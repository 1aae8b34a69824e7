// The library as a table: sorted in SQL, fetched a page at a time for the rows in view, and
// virtualised, so 100 papers and 100,000 cost the same to show.
import { useEffect, useMemo, useRef } from 'react'
import { useQueries } from '@tanstack/react-query'
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { ColumnDef, SortingState } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { STATUS_LABELS } from '../../../shared/domain'
import type { PaperPage, PaperRow, Sort, SortField, Status } from '../../../shared/domain'
import { formatDate, formatDateTime } from '../format'
import { PAGE_SIZE, pageQuery } from '../hooks/queries'

const ROW_HEIGHT = 34

type Cell = PaperRow | { id: null; index: number }

/** A loaded row with its place in the sorted list; `visible` when it is inside the viewport. */
export interface VisibleRow {
  paper: PaperRow
  index: number
  visible: boolean
}

/** Stable, so that useQueries hands back the same array while no page changes. */
function pageData(results: { data?: PaperPage }[]): (PaperPage | undefined)[] {
  return results.map((r) => r.data)
}

function isLoaded(row: Cell): row is PaperRow {
  return row.id !== null
}

const columns: ColumnDef<Cell>[] = [
  {
    id: 'title',
    header: 'Title',
    cell: ({ row }) =>
      isLoaded(row.original) ? (
        <span className="title-cell">
          {row.original.title}
          {row.original.hasNote && (
            <span className="note-mark" title="Has a note" aria-label="has a note">
              ✎
            </span>
          )}
        </span>
      ) : (
        <span className="loading-cell" />
      ),
  },
  {
    id: 'status',
    header: 'Status',
    cell: ({ row }) =>
      isLoaded(row.original) ? (
        <span className={`status-pill status-${row.original.status}`}>
          {STATUS_LABELS[row.original.status]}
        </span>
      ) : null,
  },
  {
    id: 'dumpDate',
    header: 'Dump date',
    cell: ({ row }) => (isLoaded(row.original) ? formatDate(row.original.dumpDate) : null),
  },
  {
    id: 'addedAt',
    header: 'Added',
    cell: ({ row }) =>
      isLoaded(row.original) ? (
        <span title={formatDateTime(row.original.addedAt)}>
          {formatDate(row.original.addedAt.slice(0, 10))}
        </span>
      ) : null,
  },
]

interface Props {
  sort: Sort
  onSortChange: (sort: Sort) => void
  status: Status | null
  total: number
  selectedId: number | null
  onSelect: (id: number, index: number) => void
  /** Loaded rows around the view, for keyboard navigation in the parent. */
  onVisibleRows: (rows: VisibleRow[]) => void
  scrollToIndexRef: React.MutableRefObject<((index: number) => void) | null>
}

export function PaperTable({
  sort,
  onSortChange,
  status,
  total,
  selectedId,
  onSelect,
  onVisibleRows,
  scrollToIndexRef,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  scrollToIndexRef.current = (index: number) => virtualizer.scrollToIndex(index, { align: 'auto' })

  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? -1
  const pages = useMemo(() => {
    const list: number[] = []
    if (last < 0) return [0]
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p += 1)
      list.push(p)
    return list
  }, [first, last])

  const loadedPages = useQueries({
    queries: pages.map((p) => pageQuery(sort, status, p)),
    combine: pageData,
  })

  const data = useMemo<Cell[]>(() => {
    const out: Cell[] = []
    for (let index = first; index <= last; index += 1) {
      const page = loadedPages[pages.indexOf(Math.floor(index / PAGE_SIZE))]
      out.push(page?.rows[index - page.offset] ?? { id: null, index })
    }
    return out
  }, [first, last, pages, loadedPages])

  const range = virtualizer.range
  const startIndex = range?.startIndex ?? 0
  const endIndex = range?.endIndex ?? -1
  const visibleRows = useMemo(
    () =>
      data.flatMap((row, i): VisibleRow[] =>
        isLoaded(row)
          ? [
              {
                paper: row,
                index: first + i,
                visible: first + i >= startIndex && first + i <= endIndex,
              },
            ]
          : [],
      ),
    [data, first, startIndex, endIndex],
  )
  useEffect(() => onVisibleRows(visibleRows), [visibleRows, onVisibleRows])

  const sorting = useMemo<SortingState>(
    () => [{ id: sort.field, desc: sort.direction === 'desc' }],
    [sort],
  )
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    manualSorting: true,
    enableSortingRemoval: false,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row, i) => (isLoaded(row) ? String(row.id) : `loading-${first + i}`),
  })
  const rows = table.getRowModel().rows

  const toggleSort = (field: SortField): void => {
    if (sort.field === field) {
      onSortChange({ field, direction: sort.direction === 'asc' ? 'desc' : 'asc' })
    } else {
      onSortChange({ field, direction: field === 'title' || field === 'status' ? 'asc' : 'desc' })
    }
  }

  return (
    <div className="paper-table" role="table" aria-label="Papers" aria-rowcount={total}>
      <div className="table-head" role="rowgroup">
        {table.getHeaderGroups().map((group) => (
          <div className="table-row header-row" role="row" key={group.id}>
            {group.headers.map((header) => {
              const field = header.column.id as SortField
              const active = sort.field === field
              return (
                <div
                  key={header.id}
                  role="columnheader"
                  className={`cell col-${field}`}
                  aria-sort={
                    active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'
                  }
                >
                  <button type="button" className="sort-button" onClick={() => toggleSort(field)}>
                    {flexRender(header.column.columnDef.header, header.getContext())}
                    <span className="sort-mark" aria-hidden="true">
                      {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </div>
              )
            })}
          </div>
        ))}
      </div>
      <div className="table-body" ref={scrollRef} role="rowgroup" data-testid="table-body">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index - first]
            if (!row) return null
            const paper = row.original
            const selected = isLoaded(paper) && paper.id === selectedId
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selected}
                data-paper-id={isLoaded(paper) ? paper.id : undefined}
                className={`table-row body-row${selected ? ' selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onMouseDown={() => isLoaded(paper) && onSelect(paper.id, item.index)}
              >
                {row.getVisibleCells().map((cell) => (
                  <div key={cell.id} role="cell" className={`cell col-${cell.column.id}`}>
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
