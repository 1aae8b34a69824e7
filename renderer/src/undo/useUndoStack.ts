// The session's undo and redo: every change the user makes to papers from the window (a status,
// a star, tags, a cleared note, a deletion, any of them on a selection) is recorded with how to
// take it back and how to make it again. Ctrl/⌘+Z and Shift+Ctrl/⌘+Z walk the two stacks.
import { useCallback, useMemo, useRef, useState } from 'react'

export interface UndoEntry {
  /** What the change was, for the toast and the menu: "Status of 12 papers → Read". */
  label: string
  /** Takes the change back; may say what it did in its own words ("Restored 3 papers"). */
  undo: () => Promise<string | void>
  redo: () => Promise<string | void>
}

/** How many changes are remembered (a session of triage fits many times over). */
const LIMIT = 500

export interface UndoStack {
  record: (entry: UndoEntry) => void
  /** Takes back the last change; resolves with what it did (null when there was nothing). */
  undo: () => Promise<string | null>
  redo: () => Promise<string | null>
  /**
   * Takes back this change if it is still the last one (a notice's Undo: a later change would
   * be taken back in its place otherwise); null when it is not.
   */
  undoIfLast: (entry: UndoEntry) => Promise<string | null>
  canUndo: boolean
  canRedo: boolean
  /** An undo or redo is under way (another waits for it rather than run beside it). */
  busy: boolean
  /** The labels of the next undo and redo, for the Edit menu and button titles. */
  nextUndo: string | null
  nextRedo: string | null
}

export function useUndoStack(): UndoStack {
  const done = useRef<UndoEntry[]>([])
  const undone = useRef<UndoEntry[]>([])
  const running = useRef(false)
  // The stacks live in refs (a keypress must see the latest); what shows them is copied out.
  const [shown, setShown] = useState<
    Pick<UndoStack, 'canUndo' | 'canRedo' | 'nextUndo' | 'nextRedo'>
  >({
    canUndo: false,
    canRedo: false,
    nextUndo: null,
    nextRedo: null,
  })
  const [busy, setBusy] = useState(false)
  const changed = useCallback(
    (): void =>
      setShown({
        canUndo: done.current.length > 0,
        canRedo: undone.current.length > 0,
        nextUndo: done.current.at(-1)?.label ?? null,
        nextRedo: undone.current.at(-1)?.label ?? null,
      }),
    [],
  )

  const record = useCallback(
    (entry: UndoEntry) => {
      done.current.push(entry)
      if (done.current.length > LIMIT) done.current.shift()
      undone.current = []
      changed()
    },
    [changed],
  )

  const step = useCallback(
    async (from: 'undo' | 'redo'): Promise<string | null> => {
      if (running.current) return null
      const source = from === 'undo' ? done : undone
      const target = from === 'undo' ? undone : done
      const entry = source.current.pop()
      if (!entry) return null
      running.current = true
      setBusy(true)
      try {
        const said = await (from === 'undo' ? entry.undo() : entry.redo())
        target.current.push(entry)
        return said || `${from === 'undo' ? 'Undid' : 'Redid'}: ${entry.label}.`
      } catch (error) {
        // It could not be done (the paper is gone, the library refused): it stays where it was.
        source.current.push(entry)
        throw error
      } finally {
        running.current = false
        setBusy(false)
        changed()
      }
    },
    [changed],
  )

  const undo = useCallback(() => step('undo'), [step])
  const undoIfLast = useCallback(
    (entry: UndoEntry) => (done.current.at(-1) === entry ? step('undo') : Promise.resolve(null)),
    [step],
  )
  const redo = useCallback(() => step('redo'), [step])
  // The same object while nothing in it changes: the sidebar, given it, is memoised.
  return useMemo(
    () => ({ record, undo, undoIfLast, redo, ...shown, busy }),
    [record, undo, undoIfLast, redo, shown, busy],
  )
}
