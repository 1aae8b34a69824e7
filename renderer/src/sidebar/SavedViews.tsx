// The smart views: searches and filters saved under a name, in the user's order. They are
// created (Save this view…), renamed in place, moved (buttons or dragging) and deleted (with
// undo); each change saves the whole list in the library's settings.
import { useEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { useReadOnly } from '../hooks/useReadOnly'
import type { DragEvent } from 'react'
import type { SavedSearch } from '../../../shared/domain'
import { useSavedSearches, useSaveViews } from '../hooks/views'
import styles from '../components/Sidebar.module.css'
import type { Notice } from './notice'
import { SavedViewItem, savedViewIds } from './SavedViewItem'
import { SaveViewDialog } from './SaveViewDialog'
import { isFiltered, moved, newViewId, savableFilters, savedKey, savedView } from './viewFilters'
import type { ViewFilters } from './viewFilters'

/** What a dragged smart view carries (not text: nothing else can take it). */
const DRAG_TYPE = 'application/x-lectern-view'

interface Props {
  /** What the table shows now (what Save this view… saves). */
  filters: ViewFilters
  /** The sidebar's view on show (`saved:<id>` for a smart view). */
  current: string | null
  onView: (filters: ViewFilters) => void
  /** Whose actions are open (one row's at a time, across the sidebar). */
  openActions: string | null
  onOpenActions: (key: string | null) => void
  onNotice: (notice: Notice) => void
}

export function SavedViews({
  filters,
  current,
  onView,
  openActions,
  onOpenActions,
  onNotice,
}: Props) {
  const saved = useSavedSearches()
  const save = useSaveViews()
  const list = saved.data ?? []
  const [saving, setSaving] = useState(false)
  const [renaming, setRenaming] = useState<string | null>(null)
  const readOnly = useReadOnly()
  const [drag, setDrag] = useState<{ id: string; over: number | null; after: boolean } | null>(null)
  const addButton = useRef<HTMLButtonElement>(null)
  // The element to focus once the list has changed (a moved row, the next row after a deletion).
  const focusNext = useRef<string | null>(null)
  useEffect(() => {
    if (focusNext.current === null) return
    const element = document.getElementById(focusNext.current)
    if (element) {
      focusNext.current = null
      element.focus()
    }
  })

  const commit = (next: SavedSearch[], failure: string, onSuccess?: () => void): void => {
    save.mutate(next, {
      onSuccess,
      onError: (error) => onNotice({ message: `${failure}: ${error.message}` }),
    })
  }

  const nameProblem = (except: string | null) => (name: string) =>
    list.some((v) => v.id !== except && v.name.toLowerCase() === name.toLowerCase())
      ? `A view is called “${name}” already.`
      : null

  const move = (from: number, to: number): void => {
    if (to < 0 || to >= list.length || from === to) return
    commit(moved(list, from, to), 'The view was not moved')
  }

  const remove = (view: SavedSearch, index: number): void => {
    const before = list
    onOpenActions(null)
    const next = list[index + 1] ?? list[index - 1]
    focusNext.current = next ? savedViewIds(next.id).button : null
    if (!next) addButton.current?.focus()
    commit(
      list.filter((v) => v.id !== view.id),
      'The view was not deleted',
      () =>
        onNotice({
          message: `Deleted the view “${view.name}”.`,
          undo: () =>
            commit(before, 'The view was not put back', () =>
              onNotice({ message: `Put back the view “${view.name}”.` }),
            ),
        }),
    )
  }

  const dragHandlers = (view: SavedSearch, index: number) => {
    const dragged = drag?.id === view.id
    const over = drag !== null && drag.over === index && !dragged
    return {
      draggable: renaming !== view.id && list.length > 1 && !readOnly,
      className: over
        ? drag.after
          ? styles.dropAfter
          : styles.dropBefore
        : dragged
          ? styles.dragging
          : undefined,
      onDragStart: (e: DragEvent<HTMLLIElement>) => {
        e.dataTransfer.setData(DRAG_TYPE, view.id)
        e.dataTransfer.effectAllowed = 'move'
        setDrag({ id: view.id, over: null, after: false })
      },
      onDragOver: (e: DragEvent<HTMLLIElement>) => {
        if (!drag || !e.dataTransfer.types.includes(DRAG_TYPE)) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'move'
        const box = e.currentTarget.getBoundingClientRect()
        const after = e.clientY > box.top + box.height / 2
        if (drag.over !== index || drag.after !== after) setDrag({ ...drag, over: index, after })
      },
      onDrop: (e: DragEvent<HTMLLIElement>) => {
        if (!drag || !e.dataTransfer.types.includes(DRAG_TYPE)) return
        e.preventDefault()
        e.stopPropagation()
        const from = list.findIndex((v) => v.id === drag.id)
        let to = index + (drag.after ? 1 : 0)
        if (from < to) to -= 1
        setDrag(null)
        if (from !== -1) move(from, to)
      },
      onDragEnd: () => setDrag(null),
    }
  }

  const canSave = isFiltered(filters)
  return (
    <>
      <h2 className={styles.heading} id="saved-views-heading">
        Saved views
      </h2>
      {list.length > 0 && (
        <ul aria-labelledby="saved-views-heading">
          {list.map((view, index) => (
            <SavedViewItem
              key={view.id}
              view={view}
              index={index}
              length={list.length}
              current={current === savedKey(view.id)}
              actionsOpen={openActions === savedKey(view.id)}
              onActionsOpen={(open) => onOpenActions(open ? savedKey(view.id) : null)}
              renaming={renaming === view.id}
              nameProblem={nameProblem(view.id)}
              onChoose={() => onView(savedView(view))}
              onStartRename={() => {
                onOpenActions(null)
                setRenaming(view.id)
              }}
              onRename={(name) => {
                setRenaming(null)
                focusNext.current = savedViewIds(view.id).button
                if (name === null) return
                commit(
                  list.map((v) => (v.id === view.id ? { ...v, name } : v)),
                  'The view was not renamed',
                )
              }}
              onMove={(to) => {
                focusNext.current =
                  to === 0
                    ? savedViewIds(view.id).down
                    : to === list.length - 1
                      ? savedViewIds(view.id).up
                      : to < index
                        ? savedViewIds(view.id).up
                        : savedViewIds(view.id).down
                move(index, to)
              }}
              onDelete={() => remove(view, index)}
              drag={dragHandlers(view, index)}
            />
          ))}
        </ul>
      )}
      {list.length === 0 && saved.isSuccess && (
        <p className={styles.hint}>Search or filter the papers, then keep that view here.</p>
      )}
      {!readOnly && (
        <button
          ref={addButton}
          type="button"
          className={styles.add}
          disabled={!canSave}
          title={
            canSave
              ? 'Keep this search and these filters under a name'
              : 'Choose a status, a tag, stars or a search first'
          }
          onClick={() => {
            save.reset()
            setSaving(true)
          }}
        >
          Save this view…
        </button>
      )}
      {/* In body, not in the sidebar: a narrow window may fold the sidebar away under it. */}
      {saving &&
        createPortal(
          <SaveViewDialog
            filters={filters}
            nameProblem={nameProblem(null)}
            busy={save.isPending}
            error={save.error?.message ?? null}
            onSave={(name) =>
              save.mutate([...list, { id: newViewId(), name, ...savableFilters(filters) }], {
                onSuccess: () => setSaving(false),
              })
            }
            onClose={() => setSaving(false)}
          />,
          document.body,
        )}
    </>
  )
}
