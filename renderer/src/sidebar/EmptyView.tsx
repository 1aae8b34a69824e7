// A view with no papers says why it is empty and what to do, with a way out.
import type { PaperQuery, Status } from '../../../shared/domain'
import { useImports, useTags } from '../hooks/queries'
import buttonStyles from '../styles/button.module.css'
import styles from './EmptyView.module.css'
import {
  ALL_PAPERS,
  STATUS_VIEW_LABELS,
  describeFilters,
  filtersOf,
  statusView,
  withSearchOrder,
} from './viewFilters'
import type { ViewFilters } from './viewFilters'

interface Props {
  query: PaperQuery
  onView: (change: Partial<PaperQuery>) => void
}

interface Explanation {
  title: string
  why: string
  actions: { label: string; change: Partial<ViewFilters>; primary?: boolean }[]
}

const ALL = { label: 'Show all papers', change: ALL_PAPERS }
const INBOX = { label: 'Go to the Inbox', change: statusView('new') }
const TO_READ = { label: 'Show papers to read', change: statusView('to-read') }

const STATUS_EXPLANATIONS: Record<Status, Explanation> = {
  new: {
    title: 'The Inbox is empty',
    why: 'Every paper has a status. Papers you import arrive here until you triage them.',
    actions: [TO_READ, ALL],
  },
  'to-read': {
    title: 'Nothing to read',
    why: 'Queue papers while you triage the Inbox: select one and press 2, or choose To read in its details.',
    actions: [INBOX, ALL],
  },
  reading: {
    title: 'You are not reading anything',
    why: 'Mark a paper Reading (press 3) when you start on it; it waits here until you finish.',
    actions: [TO_READ, ALL],
  },
  read: {
    title: 'No papers read yet',
    why: 'Mark a paper Read (press 4) when you finish it; your read papers gather here.',
    actions: [TO_READ, ALL],
  },
  skipped: {
    title: 'Nothing skipped',
    why: 'Papers you skip (press 5) go here, out of the way of the Inbox.',
    actions: [INBOX, ALL],
  },
}

function explain(
  f: ViewFilters,
  tagExists: boolean | null,
  importName: string | null,
): Explanation {
  const others = { ...f, search: '' }
  if (f.search) {
    const among = describeFilters(others)
    return {
      title: `No paper matches “${f.search}”${among ? ` among ${among}` : ''}`,
      why: 'Try fewer or other words; diffus* finds words that start with diffus, and "a phrase" finds the words together.',
      actions: [
        ...(among
          ? [
              {
                label: 'Search all papers',
                change: { ...ALL_PAPERS, search: f.search },
                primary: true,
              },
            ]
          : []),
        { label: 'Clear the search', change: { search: '' } },
      ],
    }
  }
  if (f.importId !== null) {
    return {
      title: `No papers left from ${importName ?? 'this import'}`,
      why: 'The import was undone, or the papers it brought were deleted since.',
      actions: [ALL],
    }
  }
  const only = describeFilters(f)
  if (f.tag && tagExists === false) {
    return {
      title: `No paper has the tag “${f.tag}”`,
      why: 'The tag was taken off every paper, or renamed. Tags you give papers are listed in the sidebar.',
      actions: [ALL],
    }
  }
  if (f.status && only === STATUS_VIEW_LABELS[f.status]) return STATUS_EXPLANATIONS[f.status]
  if (f.starred && only === 'starred') {
    return {
      title: 'No starred papers',
      why: 'Star the papers you want to find again quickly; they gather here.',
      actions: [ALL],
    }
  }
  return {
    title: 'No paper fits this view',
    why: `It shows papers that are all of: ${only}. None is, yet.`,
    actions: [ALL],
  }
}

export function EmptyView({ query, onView }: Props) {
  const f = filtersOf(query)
  const tags = useTags()
  const imports = useImports()
  const tagExists =
    f.tag && tags.data ? tags.data.some((t) => t.name.toLowerCase() === f.tag!.toLowerCase()) : null
  const importName = imports.data?.find((i) => i.id === f.importId)?.source ?? null
  const { title, why, actions } = explain(f, tagExists, importName)
  return (
    <div className={styles.empty} data-testid="empty-view" role="status">
      <h2>{title}</h2>
      <p>{why}</p>
      <div className={styles.actions}>
        {actions.map((a, i) => (
          <button
            key={a.label}
            type="button"
            className={
              a.primary || (i === 0 && !actions.some((b) => b.primary))
                ? buttonStyles.primary
                : undefined
            }
            onClick={() => onView(withSearchOrder(query, a.change))}
          >
            {a.label}
          </button>
        ))}
      </div>
    </div>
  )
}
