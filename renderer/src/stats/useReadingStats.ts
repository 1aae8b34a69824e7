// The Statistics view's data. Its key starts with the counts' key (`keys.stats`), so everything
// that refreshes the counts — a status set, an import, a deletion, the library changing under the
// window — refreshes these figures too.
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { call } from '../api/client'
import { keys } from '../hooks/queries'

export const readingStatsKey = (weeks: number) => [...keys.stats, 'reading', weeks] as const

/** Figures older than this are asked for again when the view opens (the current week moves on). */
const FRESH_MS = 5 * 60_000

export function useReadingStats(weeks: number) {
  return useQuery({
    queryKey: readingStatsKey(weeks),
    queryFn: () => call('readingStats', { weeks }),
    staleTime: FRESH_MS,
    // Choosing another span keeps the charts on screen until its figures arrive.
    placeholderData: keepPreviousData,
  })
}
