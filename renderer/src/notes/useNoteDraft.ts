import { createContext, useContext, useSyncExternalStore } from 'react'
import type { NoteDrafts, DraftView } from './noteDrafts'

export const NoteDraftsContext = createContext<NoteDrafts | null>(null)

export function useNoteDrafts(): NoteDrafts {
  const drafts = useContext(NoteDraftsContext)
  if (!drafts) throw new Error('NoteDraftsContext is missing')
  return drafts
}

/** A paper's note as the editor should show it: the unsaved draft if there is one. */
export function useNoteDraft(id: number, stored: string): DraftView {
  const drafts = useNoteDrafts()
  return useSyncExternalStore(drafts.subscribe, () => drafts.view(id, stored))
}
