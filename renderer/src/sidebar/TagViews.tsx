// Tags: each with how many papers have it; choosing one shows those papers. A tag can be
// renamed (into an existing one: the two merge) or deleted from every paper, with undo.
import { useEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import type { TagInfo } from '../../../shared/domain'
import {
  useDeleteTag,
  useRenameTag,
  useRestoreTag,
  useSavedSearches,
  useSaveViews,
} from '../hooks/views'
import { useTags } from '../hooks/queries'
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
}

const same = (a: string | null, b: string | null): boolean =>
  a !== null && b !== null && a.toLowerCase() === b.toLowerCase()

export function TagViews({
  filters,
  current,
  onView,
  openActions,
  onOpenActions,
  onNotice,
}: Props) {
  const tags = useTags()
  const saved = useSavedSearches()
  const saveViews = useSaveViews()
  const renameTag = useRenameTag()
  const deleteTag = useDeleteTag()
  const restoreTag = useRestoreTag()
  const [dialog, setDialog] = useState<{ kind: 'rename' | 'delete'; tag: TagInfo } | null>(null)
  // The table's tag when an undo comes, which may be long after the change it undoes.
  const shownTag = useRef(filters.tag)
  useEffect(() => {
    shownTag.current = filters.tag
  }, [filters.tag])

  const failed = (what: string) => (error: Error) =>
    onNotice({ message: `${what}: ${error.message}` })

  /** Smart views that name the tag follow it to its new name. */
  const followRename = (from: string, to: string): (() => void) | null => {
    const before = saved.data ?? []
    if (!before.some((v) => same(v.tag, from))) return null
    saveViews.mutate(
      before.map((v) => (same(v.tag, from) ? { ...v, tag: to } : v)),
      { onError: failed('Saved views still name the old tag') },
    )
    return () => saveViews.mutate(before)
  }

  const rename = (tag: TagInfo, name: string, into: TagInfo | null): void => {
    renameTag.mutate(
      { from: tag.name, to: name },
      {
        onSuccess: ({ ids }) => {
          setDialog(null)
          const to = into?.name ?? name
          const undoViews = followRename(tag.name, to)
          if (same(shownTag.current, tag.name)) onView({ tag: to })
          onNotice(
            into
              ? { message: `Merged the tag “${tag.name}” into “${to}” (${papers(ids.length)}).` }
              : {
                  message: `Renamed the tag “${tag.name}” to “${to}” on ${papers(ids.length)}.`,
                  undo: () =>
                    renameTag.mutate(
                      { from: to, to: tag.name },
                      {
                        onSuccess: () => {
                          undoViews?.()
                          if (same(shownTag.current, to)) onView({ tag: tag.name })
                          onNotice({ message: `The tag is “${tag.name}” again.` })
                        },
                        onError: failed('Could not undo'),
                      },
                    ),
                },
          )
        },
      },
    )
  }

  const remove = (tag: TagInfo): void => {
    deleteTag.mutate(tag.name, {
      onSuccess: ({ ids }) => {
        setDialog(null)
        if (same(shownTag.current, tag.name)) onView({ tag: null })
        onNotice({
          message: `Took the tag “${tag.name}” off ${papers(ids.length)}.`,
          undo: () =>
            restoreTag.mutate(
              { name: tag.name, ids },
              {
                onSuccess: () =>
                  onNotice({ message: `Put the tag “${tag.name}” back on ${papers(ids.length)}.` }),
                onError: failed('Could not undo'),
              },
            ),
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
