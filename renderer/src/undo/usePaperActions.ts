// Changes to papers made from the window, each recorded for undo: the API call, the refresh of
// what it changed, and the entry that takes it back (and makes it again).
import { useCallback } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { Request } from '../../../shared/api'
import type { DeletionSummary, PaperState } from '../../../shared/domain'
import { call } from '../api/client'
import { invalidateLibrary } from '../hooks/queries'
import type { UndoStack } from './useUndoStack'

export type PaperChange = Request<'updatePapers'>

/** How many papers one restore takes (the contract's limit is higher; a tag may be on more). */
const RESTORE_CHUNK = 50_000

/** Puts papers back as a change found them (`before`), in parts of a size the contract takes. */
export async function restorePapers(before: readonly PaperState[]): Promise<void> {
  for (let i = 0; i < before.length; i += RESTORE_CHUNK) {
    await call('restorePapers', { papers: before.slice(i, i + RESTORE_CHUNK) })
  }
}

export interface PaperActions {
  /** Changes papers alike; resolves once the window shows it. */
  change: (change: PaperChange, label: string) => Promise<void>
  /** Deletes papers (kept for undo); the summary of what went. */
  remove: (ids: number[], label: string) => Promise<DeletionSummary>
  /** Sets a note, undoably (clearing one, from the note's own button). */
  setNote: (id: number, note: string, previous: string, label: string) => Promise<void>
}

/**
 * `onRestored` hears the papers an undone deletion brought back (the window selects the first).
 */
export function usePaperActions(
  stack: UndoStack,
  onRestored: (ids: number[]) => void,
): PaperActions {
  const client = useQueryClient()
  const refresh = useCallback(
    (deleted: readonly number[] = []) => invalidateLibrary(client, deleted),
    [client],
  )

  const change = useCallback(
    async (request: PaperChange, label: string): Promise<void> => {
      let before: PaperState[] = (await call('updatePapers', request)).before
      await refresh()
      stack.record({
        label,
        undo: async () => {
          await restorePapers(before)
          await refresh()
        },
        redo: async () => {
          before = (await call('updatePapers', request)).before
          await refresh()
        },
      })
    },
    [refresh, stack],
  )

  const remove = useCallback(
    async (ids: number[], label: string): Promise<DeletionSummary> => {
      const summary = await call('deletePapers', { ids })
      let deletionId = summary.deletionId
      await refresh(ids)
      stack.record({
        label,
        undo: async () => {
          const restored = await call('restoreDeleted', { deletionId })
          await refresh()
          onRestored(restored.ids)
          return `Restored ${restored.restored} ${restored.restored === 1 ? 'paper' : 'papers'}.`
        },
        redo: async () => {
          deletionId = (await call('deletePapers', { ids })).deletionId
          await refresh(ids)
        },
      })
      return summary
    },
    [refresh, stack, onRestored],
  )

  const setNote = useCallback(
    async (id: number, note: string, previous: string, label: string): Promise<void> => {
      await call('setNote', { id, note })
      await refresh()
      stack.record({
        label,
        undo: async () => {
          await call('setNote', { id, note: previous })
          await refresh()
        },
        redo: async () => {
          await call('setNote', { id, note })
          await refresh()
        },
      })
    },
    [refresh, stack],
  )

  return { change, remove, setNote }
}
