// Tags: each with how many papers have it; choosing one shows those papers. A tag can be
// renamed (into an existing one: the two merge) or deleted from every paper, with undo.
import { useEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import type { LibrarySettings, SavedSearch, TagInfo } from '../../../shared/domain'
import { tagKey as tagKeyOf } from '../../../shared/search'
import { useQueryClient } from '@tanstack/react-query'
import { call } from '../api/client'
import { useDeleteTag, useRenameTag, useSavedSearches, useSaveViews } from '../hooks/views'
import { invalidateLibrary, keys, useTags } from '../hooks/queries'
import { restorePapers } from '../undo/usePaperActions'
import type { UndoEntry, UndoStack } from '../undo/useUndoStack'
import styles from '../components/Sidebar.module.css'
import { DeleteTagDialog } from './DeleteTagDialog'
import { Glyph } from './marks'
import type { Notice } from './notice'
import { RenameTagDialog } from './RenameTagDialog'
import { RowActions } from './RowActions'
import { ViewButton } from './ViewButton'
import { papers, tagKey, tagView } from './viewFilters'
import type { ViewFilters } from './viewFilters'

interface Props {
  filters: ViewFilters
  current: string | null
  onView: (change: Partial<ViewFilters>) => void
  openActions: string | null
  onOpenActions: (key: string | null) => void
  onNotice: (notice: Notice) => void
  /** The window's undo stack: a rename or deletion of a tag goes on it. */
  history: UndoStack
}

const same = (a: string | null, b: string | null): boolean =>
  a !== null && b !== null && tagKeyOf(a) === tagKeyOf(b)

export function TagViews({
  filters,
  current,
  onView,
  openActions,
  onOpenActions,
  onNotice,
  history,
}: Props) {
  const client = useQueryClient()
  const tags = useTags()
  const saved = useSavedSearches()
  const saveViews = useSaveViews()
  const renameTag = useRenameTag()
  const deleteTag = useDeleteTag()
  const [dialog, setDialog] = useState<{ kind: 'rename' | 'delete'; tag: TagInfo } | null>(null)
  // The table's tag when an undo comes, which may be long after the change it undoes.
  const shownTag = useRef(filters.tag)
  useEffect(() => {
    shownTag.current = filters.tag
  }, [filters.tag])

  const failed = (what: string) => (error: Error) =>
    onNotice({ message: `${what}: ${error.message}` })

  /** The smart views as they are now (an undo may come long after the change). */
  const currentViews = (): SavedSearch[] =>
    client.getQueryData<LibrarySettings>(keys.settings)?.savedSearches ?? saved.data ?? []

  /** Smart views naming `from` (only those in `only`, when given) name `to` instead. */
  const retagViews = (from: string, to: string, only?: ReadonlySet<string>): Set<string> => {
    const views = currentViews()
    const moved = new Set(
      views.filter((v) => same(v.tag, from) && (!only || only.has(v.id))).map((v) => v.id),
    )
    if (moved.size > 0) {
      saveViews.mutate(
        views.map((v) => (moved.has(v.id) ? { ...v, tag: to } : v)),
        { onError: failed('Saved views still name the old tag') },
      )
    }
    return moved
  }

  /**
   * Smart views that name the tag follow it to its new name; what is returned takes back just
   * that (views made, changed or deleted since are left as they are).
   */
  const followRename = (from: string, to: string): (() => void) => {
    const moved = retagViews(from, to)
    return () => void retagViews(to, from, moved)
  }

  /**
   * A change to a tag, on the window's undo stack (Ctrl/⌘+Z, the toolbar, the menu) and in the
   * notice's Undo: taken back exactly (a merge too), each paper as the change found it.
   */
  const recordTagChange = (
    message: string,
    entry: { label: string; undo: () => Promise<string>; redo: () => Promise<void> },
  ): void => {
    const recorded: UndoEntry = {
      label: entry.label,
      undo: async () => {
        const said = await entry.undo()
        await invalidateLibrary(client)
        return said
      },
      redo: async () => {
        await entry.redo()
        await invalidateLibrary(client)
      },
    }
    history.record(recorded)
    onNotice({
      message,
      undo: () =>
        void history.undoIfLast(recorded).then((said) => {
          if (said) onNotice({ message: said })
        }, failed('Could not undo')),
    })
  }

  const rename = (tag: TagInfo, name: string, into: TagInfo | null): void => {
    renameTag.mutate(
      { from: tag.name, to: name },
      {
        onSuccess: ({ ids, before }) => {
          setDialog(null)
          const to = into?.name ?? name
          let done = { before, undoViews: followRename(tag.name, to) }
          if (same(shownTag.current, tag.name)) onView({ tag: to })
          recordTagChange(
            into
              ? `Merged the tag “${tag.name}” into “${to}” (${papers(ids.length)}).`
              : `Renamed the tag “${tag.name}” to “${to}” on ${papers(ids.length)}.`,
            {
              label: into
                ? `Merge the tag “${tag.name}” into “${to}”`
                : `Rename the tag “${tag.name}” to “${to}”`,
              undo: async () => {
                await restorePapers(done.before)
                done.undoViews()
                if (!into && same(shownTag.current, to)) onView({ tag: tag.name })
                return `The tag “${tag.name}” is back on ${papers(done.before.length)}.`
              },
              redo: async () => {
                const again = await call('renameTag', { from: tag.name, to: name })
                done = { before: again.before, undoViews: followRename(tag.name, to) }
                if (same(shownTag.current, tag.name)) onView({ tag: to })
              },
            },
          )
        },
      },
    )
  }

  const remove = (tag: TagInfo): void => {
    deleteTag.mutate(tag.name, {
      onSuccess: ({ ids, before }) => {
        setDialog(null)
        if (same(shownTag.current, tag.name)) onView({ tag: null })
        let done = before
        recordTagChange(`Took the tag “${tag.name}” off ${papers(ids.length)}.`, {
          label: `Delete the tag “${tag.name}”`,
          undo: async () => {
            await restorePapers(done)
            return `Put the tag “${tag.name}” back on ${papers(done.length)}.`
          },
          redo: async () => {
            done = (await call('deleteTag', { name: tag.name })).before
            if (same(shownTag.current, tag.name)) onView({ tag: null })
          },
        })
      },
    })
  }

  const list = tags.data ?? []
  return (
    <>
      <h2 className={styles.heading} id="tags-heading">
        Tags
      </h2>
      {list.length > 0 ? (
        <ul aria-labelledby="tags-heading">
          {list.map((tag) => {
            const key = tagKey(tag.name)
            return (
              <li key={key} className={styles.item}>
                <ViewButton
                  label={tag.name}
                  count={tag.count}
                  icon={<Glyph>#</Glyph>}
                  current={current === key}
                  title={`${tag.name}: ${papers(tag.count)}`}
                  onClick={() => onView(tagView(tag.name))}
                />
                <RowActions
                  name={`tag “${tag.name}”`}
                  open={openActions === key}
                  onOpen={(open) => onOpenActions(open ? key : null)}
                >
                  <button
                    type="button"
                    onClick={() => {
                      renameTag.reset()
                      setDialog({ kind: 'rename', tag })
                    }}
                  >
                    Rename…
                  </button>
                  <button
                    type="button"
                    className={styles.danger}
                    onClick={() => {
                      deleteTag.reset()
                      setDialog({ kind: 'delete', tag })
                    }}
                  >
                    Delete…
                  </button>
                </RowActions>
              </li>
            )
          })}
        </ul>
      ) : (
        tags.isSuccess && (
          <p className={styles.hint}>No tags yet: tags you give papers show here.</p>
        )
      )}
      {/* In body, not in the sidebar: a narrow window may fold the sidebar away under it. */}
      {dialog?.kind === 'rename' &&
        createPortal(
          <RenameTagDialog
            tag={dialog.tag}
            tags={list}
            busy={renameTag.isPending}
            error={renameTag.error?.message ?? null}
            onRename={(name, into) => rename(dialog.tag, name, into)}
            onClose={() => setDialog(null)}
          />,
          document.body,
        )}
      {dialog?.kind === 'delete' &&
        createPortal(
          <DeleteTagDialog
            tag={dialog.tag}
            busy={deleteTag.isPending}
            error={deleteTag.error?.message ?? null}
            onConfirm={() => remove(dialog.tag)}
            onClose={() => setDialog(null)}
          />,
          document.body,
        )}
    </>
  )
}
