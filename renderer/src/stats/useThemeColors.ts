// The design tokens a canvas needs, resolved to colours, for the theme in force: a chart is drawn
// with values, not CSS variables, so it is drawn again when the theme changes.
import { useSyncExternalStore } from 'react'

const DARK = '(prefers-color-scheme: dark)'

const TOKENS = {
  text: '--text',
  muted: '--muted',
  line: '--line',
  panel: '--panel',
  accent: '--accent',
  ok: '--ok',
  statusToRead: '--status-to-read',
  statusSkipped: '--status-skipped',
  font: '--font-ui',
} as const

export type ThemeColors = Record<keyof typeof TOKENS, string>
export type ThemeColor = Exclude<keyof ThemeColors, 'font'>

function read(): ThemeColors {
  const style = getComputedStyle(document.documentElement)
  return Object.fromEntries(
    Object.entries(TOKENS).map(([name, token]) => [name, style.getPropertyValue(token).trim()]),
  ) as ThemeColors
}

let cached: { dark: boolean; colors: ThemeColors } | null = null

function snapshot(): ThemeColors {
  const dark = matchMedia(DARK).matches
  if (cached?.dark !== dark) cached = { dark, colors: read() }
  return cached.colors
}

function subscribe(onChange: () => void): () => void {
  const query = matchMedia(DARK)
  query.addEventListener('change', onChange)
  return () => query.removeEventListener('change', onChange)
}

export function useThemeColors(): ThemeColors {
  return useSyncExternalStore(subscribe, snapshot)
}
