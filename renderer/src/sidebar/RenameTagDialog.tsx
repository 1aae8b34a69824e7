// Rename a tag on every paper. A name another tag has (in any case) merges the two, and says so
// before it is done.
import { MAX_TAG_CHARS, normalizeTag } from '../../../shared/search'
import type { TagInfo } from '../../../shared/domain'
import { NameDialog } from './NameDialog'
import { papers } from './viewFilters'

interface Props {
  tag: TagInfo
  tags: readonly TagInfo[]
  busy: boolean
  error: string | null
  /** The new name, and the tag it merges into (null for a plain rename). */
  onRename: (name: string, into: TagInfo | null) => void
  onClose: () => void
}

export function RenameTagDialog({ tag, tags, busy, error, onRename, onClose }: Props) {
  const other = (name: string): TagInfo | null => {
    const lower = normalizeTag(name).toLowerCase()
    return (
      tags.find(
        (t) => t.name.toLowerCase() === lower && t.name.toLowerCase() !== tag.name.toLowerCase(),
      ) ?? null
    )
  }
  return (
    <NameDialog
      title="Rename tag"
      field="New name"
      initial={tag.name}
      maxLength={MAX_TAG_CHARS}
      confirm={(name) => (other(name) ? 'Merge' : 'Rename')}
      problem={(name) => {
        const normal = normalizeTag(name)
        if (!normal) return 'Give it a name.'
        return normal === tag.name ? 'That is its name already.' : null
      }}
      hint={(name) => {
        const into = other(name)
        return into
          ? `“${into.name}” exists already (${papers(into.count)}): the two tags become one, “${into.name}”.`
          : `On ${papers(tag.count)}; saved views that use it follow.`
      }}
      busy={busy}
      error={error}
      onConfirm={(name) => onRename(normalizeTag(name), other(name))}
      onClose={onClose}
    >
      <p>
        Rename <strong>{tag.name}</strong> on every paper that has it.
      </p>
    </NameDialog>
  )
}
