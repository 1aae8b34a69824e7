// Server state: query keys say exactly what was asked; mutations invalidate what they change.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ImportSummary, Paper, RecoveryAction, Sort, Status } from '../../../shared/domain'
import { call } from '../api/client'

export const PAGE_SIZE = 100

export const keys = {
  papers: ['papers'] as const,
  page: (sort: Sort, status: Status | null, page: number) =>
    ['papers', sort.field, sort.direction, status ?? 'all', page] as const,
  paper: (id: number) => ['paper', id] as const,
  stats: ['stats'] as const,
  status: ['libraryStatus'] as const,
  backups: ['backups'] as const,
}

export function pageQuery(sort: Sort, status: Status | null, page: number) {
  return {
    queryKey: keys.page(sort, status, page),
    queryFn: () => call('listPapers', { sort, status, offset: page * PAGE_SIZE, limit: PAGE_SIZE }),
  }
}

export function useStats() {
  return useQuery({ queryKey: keys.stats, queryFn: () => call('stats', {}) })
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

export function useImport() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (r: { source: string; text: string } | 'sample'): Promise<ImportSummary> =>
      r === 'sample' ? call('importSample', {}) : call('importText', r),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.papers })
      // An import can give a known paper the abstract it lacked.
      void client.invalidateQueries({ queryKey: ['paper'] })
      void client.invalidateQueries({ queryKey: keys.stats })
    },
  })
}

export function useLibraryStatus() {
  return useQuery({ queryKey: keys.status, queryFn: () => call('libraryStatus', {}) })
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
    onSuccess: () => client.invalidateQueries({ queryKey: keys.backups }),
  })
}
