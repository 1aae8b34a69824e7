// The theme chosen and the theme in force, for components: both change at once when the user
// chooses, or, for System, when the computer switches between light and dark.
import { useSyncExternalStore } from 'react'
import { themeStore } from './theme'
import type { Theme, ThemeChoice } from './ThemeStore'

export function useTheme(): {
  chosen: ThemeChoice
  theme: Theme
  choose: (choice: ThemeChoice) => void
} {
  const chosen = useSyncExternalStore(themeStore.subscribe, () => themeStore.chosen)
  const theme = useSyncExternalStore(themeStore.subscribe, () => themeStore.theme)
  return { chosen, theme, choose: (choice) => themeStore.choose(choice) }
}
