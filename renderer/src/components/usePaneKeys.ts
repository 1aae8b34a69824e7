// The detail pane's keys, anywhere in the window: s stars or unstars the paper shown (unless the
// table took the key), t goes to its tags, e to its note. Not while typing in a field, nor with a dialog open, like the table's
// triage keys (table/useKeyboardTriage.ts).
import { useEffect, useRef } from 'react'
import { typingInField } from '../table/useKeyboardTriage'

interface Actions {
  toggleStar: () => void
  focusTags: () => void
  focusNote: () => void
}

/** Binds the keys while `enabled` (a paper is shown). */
export function usePaneKeys(enabled: boolean, actions: Actions): void {
  // The latest actions, read when a key comes: the listener is bound once, not on every render.
  const latest = useRef(actions)
  useEffect(() => {
    latest.current = actions
  })

  useEffect(() => {
    if (!enabled) return
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
      if (event.shiftKey) return
      if (typingInField(event.target) || document.querySelector('dialog[open]')) return
      const act = latest.current
      // Lower case, so that Caps Lock does not take the keys away.
      switch (event.key.toLowerCase()) {
        case 's':
          // Held down, the star would flicker on and off.
          if (event.repeat) return
          // The table's triage keys may star the selection (or the papers picked) themselves:
          // the pane stars the paper shown only when no other listener took the key, whichever
          // order the listeners run in.
          setTimeout(() => {
            if (!event.defaultPrevented) latest.current.toggleStar()
          })
          return
        case 't':
          act.focusTags()
          break
        case 'e':
          act.focusNote()
          break
        default:
          return
      }
      // Keeps the letter out of the field that just took the focus.
      event.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [enabled])
}
