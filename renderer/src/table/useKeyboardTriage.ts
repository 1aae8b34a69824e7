// Keyboard triage over the table's window: ↑/↓ or j/k move, 1–5 set the status, s stars, x
// (or Space, on the table) picks, Delete asks to delete. Works on the rows the window has loaded, so it never waits for
// the network. What an action applies to (the picked papers, or the selected one) is the
// parent's to say.
import { useEffect } from 'react'
import { STATUSES } from '../../../shared/domain'
import type { Status } from '../../../shared/domain'
import type { WindowRow } from './usePaperWindow'

/** Which paper is selected, and where it was in the list when it was chosen. */
export interface Selection {
  id: number | null
  /**
   * Its place in the list. When the paper leaves the view (its status changed in a filtered
   * view, or it was deleted), the keys carry on from here rather than from the top.
   */
  index: number | null
}

export const NO_SELECTION: Selection = { id: null, index: null }

/**
 * Whether a key belongs to where it was typed: a text field, or a popover of its own (the search
 * syntax, a menu) — not to the window's shortcuts.
 */
export function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  if (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) return true
  return typeof el.closest === 'function' && el.closest('[role="dialog"], [role="menu"]') !== null
}

/** Whether a key was pressed on the table's body (or on nothing in particular), not on a control. */
function onTable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !el || el === document.body || el.dataset.testid === 'table-body'
}

/** A key of triage, for the parent to apply. */
export type TriageAction =
  | { kind: 'status'; status: Status }
  | { kind: 'star' }
  | { kind: 'delete'; index: number | null }
  | { kind: 'pick' }
  | { kind: 'pickAll' }
  | { kind: 'open' }

interface Options {
  rows: WindowRow[]
  total: number
  selection: Selection
  onSelect: (selection: Selection) => void
  scrollToIndex: (index: number) => void
  onAction: (action: TriageAction) => void
}

export function useKeyboardTriage({
  rows,
  total,
  selection,
  onSelect,
  scrollToIndex,
  onAction,
}: Options): void {
  // A deleted paper's place is taken by the next one (or the one before, at the end).
  useEffect(() => {
    if (selection.id !== null || selection.index === null || total === 0) return
    const index = Math.min(selection.index, total - 1)
    const row = rows.find((r) => r.index === index)
    if (row) onSelect({ id: row.paper.id, index })
  }, [rows, total, selection, onSelect])

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (typingInField(event.target) || event.altKey) return
      // A dialog (paste, backups, confirm) has the keyboard.
      if (document.querySelector('dialog[open]')) return
      if (event.ctrlKey || event.metaKey) {
        if (event.key.toLowerCase() === 'a' && !event.shiftKey) {
          event.preventDefault()
          onAction({ kind: 'pickAll' })
        }
        return
      }
      const at = rows.findIndex((r) => r.paper.id === selection.id)
      const move = (delta: number): void => {
        let next: WindowRow | undefined
        if (at !== -1) next = rows[at + delta]
        else if (selection.index !== null) {
          // The selected paper left this view: stay where it was.
          const target = selection.index + (delta > 0 ? 0 : -1)
          next = rows.find((r) => r.index === target) ?? rows.find((r) => r.index > target)
        } else next = rows.find((r) => r.visible)
        if (next) {
          onSelect({ id: next.paper.id, index: next.index })
          scrollToIndex(next.index)
        }
      }
      if (event.key === 'ArrowDown' || event.key === 'j') {
        event.preventDefault()
        move(1)
      } else if (event.key === 'ArrowUp' || event.key === 'k') {
        event.preventDefault()
        move(-1)
      } else if (/^[1-5]$/.test(event.key)) {
        onAction({ kind: 'status', status: STATUSES[Number(event.key) - 1]! })
      } else if (event.key === 's') {
        event.preventDefault()
        onAction({ kind: 'star' })
      } else if (event.key === 'x') {
        event.preventDefault()
        onAction({ kind: 'pick' })
      } else if (event.key === ' ') {
        // Only from the table itself: Space on a button presses it, elsewhere it scrolls.
        if (!onTable(event.target)) return
        // Not the scroll of the table as well.
        event.preventDefault()
        onAction({ kind: 'pick' })
      } else if (event.key === 'Enter' && selection.id !== null) {
        // Only from the table itself: Enter on a button is that button's.
        if (!onTable(event.target)) return
        event.preventDefault()
        onAction({ kind: 'open' })
      } else if (event.key === 'Delete' || event.key === 'Backspace') {
        event.preventDefault()
        onAction({ kind: 'delete', index: at !== -1 ? rows[at]!.index : selection.index })
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [rows, selection, onSelect, scrollToIndex, onAction])
}
