// Server state: query keys say exactly what was asked; mutations invalidate what they change.
import { useEffect, useRef } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type {
  ExportFormat,
  ImportSummary,
  Paper,
  PaperQuery,
  RecoveryAction,
  Status,
} from '../../../shared/domain'
import type { Request } from '../../../shared/api'
import { call } from '../api/client'

export const PAGE_SIZE = 100

export const keys = {
  papers: ['papers'] as const,
  /** Everything a page depends on: the query as asked, and which page of it. */
  page: (query: PaperQuery, page: number) => ['papers', query, page] as const,
  paper: (id: number) => ['paper', id] as const,
  stats: ['stats'] as const,
  status: ['libraryStatus'] as const,
  libraryInfo: ['libraryInfo'] as const,
  backups: ['backups'] as const,
  imports: ['imports'] as const,
  settings: ['settings'] as const,
  tags: ['tags'] as const,
}

export function pageQuery(query: PaperQuery, page: number) {
  return {
    queryKey: keys.page(query, page),
    queryFn: () => call('listPapers', { ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE }),
  }
}

/**
 * What changes when papers come or go: every page, every paper, the counts. Resolves once the
 * queries on screen are fresh, so what follows (moving the selection) sees the new rows. Papers
 * just deleted are left alone: refetching them would only flash "no such paper".
 */
export async function invalidateLibrary(
  client: ReturnType<typeof useQueryClient>,
  deleted: readonly number[] = [],
): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: keys.papers }),
    client.invalidateQueries({
      queryKey: ['paper'],
      predicate: (q) => !deleted.includes(q.queryKey[1] as number),
    }),
    client.invalidateQueries({ queryKey: keys.stats }),
    client.invalidateQueries({ queryKey: keys.imports }),
    client.invalidateQueries({ queryKey: keys.tags }),
    client.invalidateQueries({ queryKey: ['readingStats'] }),
    client.invalidateQueries({ queryKey: ['similar'] }),
  ])
}

/** How often the window asks whether the library changed under it (the watched folder). */
const REVISION_POLL_MS = 4000

export function useStats() {
  return useQuery({ queryKey: keys.stats, queryFn: () => call('stats', {}) })
}

/**
 * Refreshes what the window shows when the library changed without it: papers the watched
 * folder imported, a background import's progress.
 */
export function useFollowLibrary(): void {
  const client = useQueryClient()
  // A number, cheap to ask for every few seconds (the counts are asked for only when it moves).
  const revision = useQuery({
    queryKey: ['revision'],
    queryFn: () => call('revision', {}),
    refetchInterval: REVISION_POLL_MS,
  }).data?.revision
  const seen = useRef<number | undefined>(undefined)
  useEffect(() => {
    if (revision === undefined) return
    if (seen.current !== undefined && seen.current !== revision) {
      void Promise.all([
        client.invalidateQueries({ queryKey: keys.stats }),
        client.invalidateQueries({ queryKey: keys.papers }),
        client.invalidateQueries({ queryKey: ['paper'] }),
        client.invalidateQueries({ queryKey: keys.imports }),
        client.invalidateQueries({ queryKey: keys.tags }),
        client.invalidateQueries({ queryKey: keys.settings }),
        client.invalidateQueries({ queryKey: ['readingStats'] }),
      ])
    }
    seen.current = revision
  }, [client, revision])
}

export function usePaper(id: number | null) {
  return useQuery({
    queryKey: keys.paper(id ?? 0),
    queryFn: () => call('getPaper', { id: id! }),
    enabled: id !== null,
  })
}

export function useSetStatus() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (r: { id: number; status: Status }) => call('setStatus', r),
    onSuccess: (paper: Paper) => {
      client.setQueryData(keys.paper(paper.id), paper)
      void client.invalidateQueries({ queryKey: keys.papers })
      void client.invalidateQueries({ queryKey: keys.stats })
    },
  })
}

/** The bundled sample, imported at once (dumps the user brings go through the preview). */
export function useImportSample() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (): Promise<ImportSummary> => call('importSample', {}),
    // An import can also give a known paper the abstract it lacked.
    onSuccess: () => invalidateLibrary(client),
  })
}

export function useDeletePapers() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (ids: number[]) => call('deletePapers', { ids }),
    onSuccess: (_result, ids) => invalidateLibrary(client, ids),
  })
}

export function useRestoreDeleted() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (deletionId: number) => call('restoreDeleted', { deletionId }),
    onSuccess: () => invalidateLibrary(client),
  })
}

export function useLibraryStatus() {
  return useQuery({ queryKey: keys.status, queryFn: () => call('libraryStatus', {}) })
}

/**
 * Where the library lives, its size and backups, whether it can be changed. `fresh` asks again
 * each time a component mounts (Settings shows the counts as they are now).
 */
export function useLibraryInfo(fresh = false) {
  return useQuery({
    queryKey: keys.libraryInfo,
    queryFn: () => call('libraryInfo', {}),
    ...(fresh ? { refetchOnMount: 'always' as const } : {}),
  })
}

/** Undoing an import removes papers and empties fields: like a deletion, everything may change. */
export function useUndoImport() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (importId: number) => call('undoImport', { importId }),
    onSuccess: () => invalidateLibrary(client),
  })
}

/** An export is a read: nothing to refresh after it. */
export function useExportPapers() {
  return useMutation({
    mutationFn: (r: { format: ExportFormat; query?: Partial<PaperQuery>; ids?: number[] }) =>
      call('exportPapers', { format: r.format, ...r.query, ...(r.ids ? { ids: r.ids } : {}) }),
  })
}

export function useTags() {
  return useQuery({ queryKey: keys.tags, queryFn: () => call('listTags', {}) })
}

export function useImports() {
  return useQuery({ queryKey: keys.imports, queryFn: () => call('listImports', {}) })
}

export function useSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: () => call('getSettings', {}) })
}

export function useUpdateSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (change: Request<'updateSettings'>) => call('updateSettings', change),
    onSuccess: (settings) => client.setQueryData(keys.settings, settings),
  })
}

export function useBackups(enabled: boolean) {
  return useQuery({ queryKey: keys.backups, queryFn: () => call('listBackups', {}), enabled })
}

/** Recovery and restore replace the whole library: everything cached is stale. */
export function useRecover() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (r: RecoveryAction) => call('recover', r),
    onSuccess: () => client.invalidateQueries(),
  })
}

export function useRestoreBackup() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (name: string) => call('restoreBackup', { name }),
    onSuccess: () => client.invalidateQueries(),
  })
}

export function useBackupNow() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => call('backupNow', {}),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keys.backups }),
        client.invalidateQueries({ queryKey: keys.libraryInfo }),
      ]),
  })
}

/**
 * When, how many and where backups are made (the library's settings): Settings shows them from
 * libraryInfo, and the Backups dialog lists from every folder, so both are asked again.
 */
export function useUpdateBackups() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (
      change: Pick<Request<'updateSettings'>, 'backupEvery' | 'backupsKept' | 'backupsFolder'>,
    ) => call('updateSettings', change),
    onSuccess: (settings) => {
      client.setQueryData(keys.settings, settings)
      return Promise.all([
        client.invalidateQueries({ queryKey: keys.libraryInfo }),
        client.invalidateQueries({ queryKey: keys.backups }),
      ])
    },
  })
}
