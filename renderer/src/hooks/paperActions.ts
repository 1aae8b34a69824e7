// Server state the detail pane asks for besides the paper itself: the papers most like it. Its
// changes (stars, tags) go through the caller, which records them for undo.
import { useQuery } from '@tanstack/react-query'
import type { Request } from '../../../shared/api'
import { call } from '../api/client'

/** How many related papers the pane shows. */
const SIMILAR_LIMIT = 10

/** A change to the stars and tags of some papers, as the pane asks for it. */
export type PaperChange = Pick<
  Request<'updatePapers'>,
  'ids' | 'starred' | 'addTags' | 'removeTags'
>

/**
 * The papers of the library most like `id`, asked for only while `enabled` (the section is open).
 * Kept a minute: they change only when the library does, and invalidateLibrary says so.
 */
export function useSimilarPapers(id: number, enabled: boolean) {
  return useQuery({
    queryKey: ['similar', id] as const,
    queryFn: () => call('similarPapers', { id, limit: SIMILAR_LIMIT }),
    enabled,
    staleTime: 60_000,
  })
}
