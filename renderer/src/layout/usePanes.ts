// Which panes are on screen beside the papers: the sidebar and the detail pane, each hidden or
// shown again from the keyboard (Ctrl/⌘+B, Ctrl/⌘+J), the toolbar or the View menu. A choice for
// this device, kept with the panes' widths in this browser's storage and not in the library, as
// the theme is. A narrow window folds the sidebar away whatever was chosen; there the same
// toggle opens it over the papers for a moment (as ☰ does), which is not kept.
//
// In the desktop app the page tells the main process what is on screen each time it changes, so
// that the View menu's marks agree with the window whichever way the pane came or went.
import { useCallback, useEffect, useState } from 'react'
import { isPanesShown } from '../../../shared/desktop'
import type { Pane, PanesShown } from '../../../shared/desktop'
import { desktopBridge } from '../settings/desktopBridge'

const STORAGE_KEY = 'lectern.panesShown'

const EVERY_PANE: PanesShown = { sidebar: true, detail: true }

function remembered(): PanesShown {
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null')
    return isPanesShown(stored) ? stored : EVERY_PANE
  } catch {
    return EVERY_PANE
  }
}

export interface Panes {
  /** What is on screen now. */
  shown: PanesShown
  /** Hides a pane on screen, shows one that is not. */
  toggle: (pane: Pane) => void
  /** Shows the detail pane (a paper opened from the keyboard goes to it). */
  showDetail: () => void
  /** Folds a narrow window's sidebar away again (a view was chosen in it). */
  fold: () => void
}

export function usePanes(narrow: boolean): Panes {
  const [kept, setKept] = useState<PanesShown>(remembered)
  const [unfolded, setUnfolded] = useState(false)
  const sidebar = narrow ? unfolded : kept.sidebar
  const detail = kept.detail

  useEffect(() => {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(kept))
    } catch {
      // Not kept; the panes show and hide all the same.
    }
  }, [kept])

  useEffect(() => {
    void desktopBridge()?.setPanes({ sidebar, detail })
  }, [sidebar, detail])

  const toggle = useCallback(
    (pane: Pane) => {
      if (pane === 'sidebar' && narrow) setUnfolded((open) => !open)
      else setKept((k) => ({ ...k, [pane]: !k[pane] }))
    },
    [narrow],
  )
  const showDetail = useCallback(() => setKept((k) => (k.detail ? k : { ...k, detail: true })), [])
  const fold = useCallback(() => setUnfolded(false), [])
  return { shown: { sidebar, detail }, toggle, showDetail, fold }
}
