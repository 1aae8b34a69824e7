// One smart view in the sidebar: its name and live count; its actions (rename in place, move up
// or down, delete) behind its ⋯ button; and it can be dragged to another place in the list.
import type { HTMLAttributes } from 'react'
import type { SavedSearch } from '../../../shared/domain'
import { useViewCount } from '../hooks/views'
import { classNames } from '../styles/classNames'
import styles from '../components/Sidebar.module.css'
import { LensIcon, Glyph } from './marks'
import { RenameField } from './RenameField'
import { RowActions } from './RowActions'
import { ViewButton } from './ViewButton'
import { describeFilters, savedView } from './viewFilters'

/** The element ids of a smart view's buttons, for the focus to find them after a change. */
export function savedViewIds(id: string) {
  return { button: `saved-view-${id}`, up: `saved-view-${id}-up`, down: `saved-view-${id}-down` }
}

export const MAX_VIEW_NAME = 200

interface Props {
  view: SavedSearch
  index: number
  /** How many smart views there are (the last cannot move down). */
  length: number
  current: boolean
  actionsOpen: boolean
  onActionsOpen: (open: boolean) => void
  renaming: boolean
  /** Why another view cannot take this name, or null. */
  nameProblem: (name: string) => string | null
  onChoose: () => void
  onStartRename: () => void
  onRename: (name: string | null) => void
  onMove: (to: number) => void
  onDelete: () => void
  /** Dragging: the row's handlers and its look while dragged or dropped onto. */
  drag: HTMLAttributes<HTMLLIElement> & { draggable: boolean }
}

export function SavedViewItem({
  view,
  index,
  length,
  current,
  actionsOpen,
  onActionsOpen,
  renaming,
  nameProblem,
  onChoose,
  onStartRename,
  onRename,
  onMove,
  onDelete,
  drag,
}: Props) {
  const count = useViewCount(savedView(view))
  const ids = savedViewIds(view.id)
  const described = describeFilters(savedView(view)) || 'all papers'
  return (
    <li {...drag} className={classNames(styles.item, drag.className)}>
      {renaming ? (
        <RenameField
          initial={view.name}
          label={`Name of the view “${view.name}”`}
          maxLength={MAX_VIEW_NAME}
          problem={nameProblem}
          onDone={onRename}
        />
      ) : (
        <>
          <ViewButton
            id={ids.button}
            label={view.name}
            count={count}
            icon={
              <Glyph>
                <LensIcon />
              </Glyph>
            }
            current={current}
            title={`${view.name}: ${described}`}
            onClick={onChoose}
          />
          <RowActions name={`view “${view.name}”`} open={actionsOpen} onOpen={onActionsOpen}>
            <button type="button" onClick={onStartRename}>
              Rename
            </button>
            <button
              type="button"
              id={ids.up}
              onClick={() => onMove(index - 1)}
              disabled={index === 0}
            >
              <span aria-hidden="true">↑</span> Move up
            </button>
            <button
              type="button"
              id={ids.down}
              onClick={() => onMove(index + 1)}
              disabled={index === length - 1}
            >
              <span aria-hidden="true">↓</span> Move down
            </button>
            <button type="button" className={styles.danger} onClick={onDelete}>
              Delete
            </button>
          </RowActions>
        </>
      )}
    </li>
  )
}
