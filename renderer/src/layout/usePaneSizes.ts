// The panes' widths as the user left them (dragged splitters), remembered in this browser's
// storage; and whether the window is too narrow for three panes side by side.
import { useEffect, useState } from 'react'

const STORAGE_KEY = 'lectern.panes'

export interface PaneSizes {
  sidebar: number
  detail: number
}

export const PANE_BOUNDS = {
  sidebar: { min: 150, max: 360 },
  detail: { min: 280, max: 900 },
}

const DEFAULTS: PaneSizes = { sidebar: 190, detail: 440 }

function remembered(): PaneSizes {
  try {
    const stored = JSON.parse(
      window.localStorage.getItem(STORAGE_KEY) ?? 'null',
    ) as Partial<PaneSizes> | null
    const ok = (n: unknown, b: { min: number; max: number }) =>
      typeof n === 'number' && n >= b.min && n <= b.max
    return {
      sidebar: ok(stored?.sidebar, PANE_BOUNDS.sidebar) ? stored!.sidebar! : DEFAULTS.sidebar,
      detail: ok(stored?.detail, PANE_BOUNDS.detail) ? stored!.detail! : DEFAULTS.detail,
    }
  } catch {
    return DEFAULTS
  }
}

/** Below this width the sidebar folds away behind a button. */
export const NARROW_QUERY = '(max-width: 1000px)'

export function usePaneSizes(): [PaneSizes, (change: Partial<PaneSizes>) => void, boolean] {
  const [sizes, setSizes] = useState<PaneSizes>(remembered)
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW_QUERY).matches)
  useEffect(() => {
    const media = window.matchMedia(NARROW_QUERY)
    const onChange = () => setNarrow(media.matches)
    media.addEventListener('change', onChange)
    return () => media.removeEventListener('change', onChange)
  }, [])
  useEffect(() => {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(sizes))
    } catch {
      // Not remembered; the panes work all the same.
    }
  }, [sizes])
  return [sizes, (change) => setSizes((s) => ({ ...s, ...change })), narrow]
}
