// The design tokens a canvas needs, resolved to colours, for the theme in force: a chart is drawn
// with values, not CSS variables, so it is drawn again when the theme changes.
import { useSyncExternalStore } from 'react'
import { themeStore } from '../theme/theme'
import type { Theme } from '../theme/ThemeStore'

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

let cached: { theme: Theme; colors: ThemeColors } | null = null

// The store has set the root's theme before it tells its subscribers, so the tokens read here
// are the new theme's.
function snapshot(): ThemeColors {
  const theme = themeStore.theme
  if (cached?.theme !== theme) cached = { theme, colors: read() }
  return cached.colors
}

export function useThemeColors(): ThemeColors {
  return useSyncExternalStore(themeStore.subscribe, snapshot)
}
