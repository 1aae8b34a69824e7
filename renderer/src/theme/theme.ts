// The page's one theme store, applied as soon as this module is loaded (main.tsx loads it before
// anything renders), so the first paint is already in the chosen theme.
import { THEME_KEY, ThemeStore } from './ThemeStore'

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

export const themeStore = new ThemeStore({
  storage: localStorageOrNull(),
  systemDark: window.matchMedia('(prefers-color-scheme: dark)'),
  root: document.documentElement,
})

// Another tab of the browser host chose a theme: this one follows.
window.addEventListener('storage', (event) => {
  if (event.key === THEME_KEY) themeStore.reload()
})

// In the desktop app the window's own parts (title bar, menus, dialogs) take the choice too.
const tellDesktop = (): void => void window.lecternDesktop?.setTheme(themeStore.chosen)
tellDesktop()
themeStore.subscribe(tellDesktop)
