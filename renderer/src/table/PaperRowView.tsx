// One row of the table. Memoised: a change that leaves a row as it was (another row selected,
// the sort changed while the new rows load, a pane resized) does not draw it again: every row
// in view (about 40) was drawn again at each of them.
import { memo } from 'react'
import type { MouseEvent } from 'react'
import type { ColumnDef } from '@tanstack/react-table'
import type { PaperRow } from '../../../shared/domain'
import { isLoaded } from './paperColumns'
import type { Cell, RowMeta } from './paperColumns'
import { classNames } from '../styles/classNames'
import styles from './PaperTable.module.css'

interface Props {
  cell: Cell
  /** Its place in the list (0 first). */
  index: number
  /** Where it is drawn, in the list's pixels. */
  top: number
  height: number
  /** The grid's column tracks (the header's too). */
  template: string
  /** The columns shown, in order. */
  columns: ColumnDef<Cell>[]
  current: boolean
  picked: boolean
  searching: boolean
  meta: RowMeta
  /**
   * A loaded row pressed with the main button. Stable: it is compared as any other prop. The
   * rows of the previous query, kept on screen while a new one loads, are told apart there
   * (the table's body is marked `data-stale`), not here: marking each row drew them all again.
   */
  onPress: (paper: PaperRow, index: number, e: MouseEvent) => void
}

export const PaperRowView = memo(function PaperRowView({
  cell,
  index,
  top,
  height,
  template,
  columns,
  current,
  picked,
  searching,
  meta,
  onPress,
}: Props) {
  const loaded = isLoaded(cell)
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={current || picked}
      aria-current={current ? 'true' : undefined}
      data-paper-id={loaded ? cell.id : undefined}
      data-picked={picked || undefined}
      className={classNames(
        styles.row,
        styles.bodyRow,
        searching && styles.searching,
        current && styles.selected,
        picked && styles.picked,
      )}
      style={{ gridTemplateColumns: template, transform: `translateY(${top}px)`, height }}
      onMouseDown={(e) => {
        if (loaded && e.button === 0) onPress(cell, index, e)
      }}
    >
      {columns.map((column) => {
        const spec = column.meta!
        return (
          <div
            key={column.id}
            role="gridcell"
            className={classNames(styles.cell, spec.muted && styles.mutedCell)}
            data-column={column.id}
          >
            {loaded ? (
              spec.show(cell, meta)
            ) : spec.placeholder ? (
              <span className={styles.loadingCell} />
            ) : null}
          </div>
        )
      })}
    </div>
  )
})
