// What a view of the sidebar shows, as one plain value: the filters of a PaperQuery. Choosing a
// view sets all of them at once, so nothing of the view before lingers (a search, a tag).
import { DEFAULT_QUERY, STATUS_LABELS } from '../../../shared/domain'
import type { PaperQuery, SavedSearch, Status } from '../../../shared/domain'
import { tagKey as tagKeyOf } from '../../../shared/search'

export interface ViewFilters {
  status: Status | null
  starred: boolean
  tag: string | null
  search: string
  importId: number | null
}

/** All papers: no filter at all. */
export const ALL_PAPERS: ViewFilters = {
  status: null,
  starred: false,
  tag: null,
  search: '',
  importId: null,
}

/** The sidebar's name for a status view (the inbox holds the papers not triaged yet). */
export const STATUS_VIEW_LABELS: Record<Status, string> = {
  ...STATUS_LABELS,
  new: 'Inbox',
}

export function filtersOf(query: PaperQuery): ViewFilters {
  return {
    status: query.status ?? null,
    starred: query.starred ?? false,
    tag: query.tag ?? null,
    search: (query.search ?? '').trim(),
    importId: query.importId ?? null,
  }
}

/** Whether two views show the same papers (tags match whatever their case, as the core does). */
export function sameFilters(a: ViewFilters, b: ViewFilters): boolean {
  return (
    a.status === b.status &&
    a.starred === b.starred &&
    tagKeyOf(a.tag ?? '') === tagKeyOf(b.tag ?? '') &&
    a.search === b.search &&
    a.importId === b.importId
  )
}

export function statusView(status: Status | null): ViewFilters {
  return { ...ALL_PAPERS, status }
}

export const STARRED: ViewFilters = { ...ALL_PAPERS, starred: true }

export function tagView(tag: string): ViewFilters {
  return { ...ALL_PAPERS, tag }
}

export function importView(importId: number): ViewFilters {
  return { ...ALL_PAPERS, importId }
}

/**
 * A view's change to the query, with the order a search brings: a view with a search shows the
 * best matches first, as typing one does; leaving the search goes back to the usual order.
 */
export function withSearchOrder(
  query: PaperQuery,
  change: Partial<PaperQuery>,
): Partial<PaperQuery> {
  if (change.search === undefined) return change
  const was = !!query.search?.trim()
  const now = !!change.search.trim()
  if (now && !was) return { ...change, sort: { field: 'relevance', direction: 'desc' } }
  if (!now && query.sort.field === 'relevance') return { ...change, sort: DEFAULT_QUERY.sort }
  return change
}

/** A smart view's filters. It never names an import: an import may be undone. */
export function savedView(view: SavedSearch): ViewFilters {
  return {
    status: view.status,
    starred: view.starred,
    tag: view.tag,
    search: view.search.trim(),
    importId: null,
  }
}

/** Whether the view filters at all (saving "all papers" under a name would add nothing). */
export function isFiltered(f: ViewFilters): boolean {
  return !sameFilters(f, ALL_PAPERS)
}

/** What a smart view keeps of the filters: everything but the import. */
export function savableFilters(f: ViewFilters): Omit<SavedSearch, 'id' | 'name'> {
  return { search: f.search, status: f.status, tag: f.tag, starred: f.starred }
}

/**
 * The filters in words, for a tooltip or a dialog: `“diffusion” · To read · tag ml · starred`.
 * The import, when there is one, is named by the caller.
 */
export function describeFilters(f: ViewFilters): string {
  const parts: string[] = []
  if (f.search) parts.push(`“${f.search}”`)
  if (f.status) parts.push(STATUS_VIEW_LABELS[f.status])
  if (f.tag) parts.push(`tag ${f.tag}`)
  if (f.starred) parts.push('starred')
  return parts.join(' · ')
}

/** A name to offer when saving a view: the search, else the filters in words. */
export function suggestedName(f: ViewFilters): string {
  if (f.search) return f.search.slice(0, 60)
  const parts: string[] = []
  if (f.starred) parts.push('Starred')
  if (f.status) parts.push(STATUS_VIEW_LABELS[f.status])
  if (f.tag) parts.push(f.tag)
  return parts.join(', ')
}

/** A new smart view's id: stable across renames and moves, unique in the list. */
export function newViewId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID()
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

/** The list with the item at `from` taken out and put back at `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list]
  if (from < 0 || from >= out.length || to < 0 || to >= out.length || from === to) return out
  const [item] = out.splice(from, 1)
  out.splice(to, 0, item as T)
  return out
}

/** "1 paper", "12 papers". */
export function papers(n: number): string {
  return `${n} ${n === 1 ? 'paper' : 'papers'}`
}

/**
 * Which of the sidebar's views the table shows, if one does: a smart view first (one may show
 * what a built-in view shows), then all papers, a status, stars, a tag, an import.
 */
export function currentViewKey(f: ViewFilters, saved: readonly SavedSearch[]): string | null {
  const view = saved.find((v) => sameFilters(savedView(v), f))
  if (view) return savedKey(view.id)
  if (sameFilters(f, ALL_PAPERS)) return 'all'
  if (f.status && sameFilters(f, statusView(f.status))) return `status:${f.status}`
  if (sameFilters(f, STARRED)) return 'starred'
  if (f.tag && sameFilters(f, tagView(f.tag))) return tagKey(f.tag)
  if (f.importId !== null && sameFilters(f, importView(f.importId))) return importKey(f.importId)
  return null
}

export function savedKey(id: string): string {
  return `saved:${id}`
}

export function tagKey(name: string): string {
  return `tag:${tagKeyOf(name)}`
}

export function importKey(id: number): string {
  return `import:${id}`
}
