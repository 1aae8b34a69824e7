// Server state for the sidebar's views: the count of each smart view, the smart views kept in the
// library's settings, and changes to tags. Counts live under ['stats', …] so that whatever
// refreshes the library's counts refreshes these too. (The tag list is `useTags` in queries.ts.)
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { LibrarySettings, PaperQuery, SavedSearch } from '../../../shared/domain'
import { call } from '../api/client'
import type { ViewFilters } from '../sidebar/viewFilters'
import { invalidateLibrary, keys, pageQuery } from './queries'

/** How many papers a view shows. */
const countKey = (filters: ViewFilters) => ['stats', 'view', filters] as const

/** A count needs no ranking: the cheapest order, one row. */
const COUNT_SORT = { field: 'addedAt', direction: 'desc' } as const

/** How many papers a view shows (undefined until known). */
export function useViewCount(filters: ViewFilters, enabled = true): number | undefined {
  return useQuery({
    queryKey: countKey(filters),
    queryFn: () => call('listPapers', { ...filters, sort: COUNT_SORT, offset: 0, limit: 1 }),
    select: (page) => page.total,
    enabled,
  }).data
}

/**
 * Whether the view the table shows is empty: the table's own first page (the same cache entry),
 * so it costs nothing more. False while unknown.
 */
export function useViewIsEmpty(query: PaperQuery, enabled = true): boolean {
  return (
    useQuery({ ...pageQuery(query, 0), enabled, select: (page) => page.total === 0 }).data === true
  )
}

/** The smart views, in the sidebar's order. */
export function useSavedSearches() {
  return useQuery({
    queryKey: keys.settings,
    queryFn: () => call('getSettings', {}),
    select: (settings: LibrarySettings) => settings.savedSearches,
  })
}

/**
 * Replaces the list of smart views (create, rename, move, delete are all this). The sidebar shows
 * the new list at once and goes back to the saved one if the library refuses it.
 */
export function useSaveViews() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (savedSearches: SavedSearch[]) => call('updateSettings', { savedSearches }),
    onMutate: async (savedSearches) => {
      await client.cancelQueries({ queryKey: keys.settings })
      const before = client.getQueryData<LibrarySettings>(keys.settings)
      if (before) client.setQueryData(keys.settings, { ...before, savedSearches })
      return { before }
    },
    onError: (_error, _list, context) => {
      if (context?.before) client.setQueryData(keys.settings, context.before)
    },
    onSuccess: (settings) => client.setQueryData(keys.settings, settings),
  })
}

// Tag changes touch papers: their rows, their counts, the tag list (all in invalidateLibrary).
// Not awaited: the caller closes its dialog at once rather than show the new list under it.

export function useRenameTag() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (r: { from: string; to: string }) => call('renameTag', r),
    onSuccess: () => void invalidateLibrary(client),
  })
}

export function useDeleteTag() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (name: string) => call('deleteTag', { name }),
    onSuccess: () => void invalidateLibrary(client),
  })
}
