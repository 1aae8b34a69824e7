// The colour theme: System (the computer's light or dark setting, followed as it changes), Light
// or Dark. A choice for this device, kept with the window's other preferences in this browser's
// storage, not in the library: a library goes from one computer to another, and a dark theme
// chosen for a laptop at night is not the desktop's. The theme in force is the `data-theme`
// attribute of the page's root, which the design tokens (styles/tokens.css) follow.

import { isThemeChoice } from '../../../shared/desktop'
import type { ThemeChoice } from '../../../shared/desktop'

export { THEME_CHOICES } from '../../../shared/desktop'
export type { ThemeChoice }
export type Theme = 'light' | 'dark'

/** Where the choice is kept in this browser's storage. */
export const THEME_KEY = 'lectern.theme'

export interface ThemeEnvironment {
  /** This browser's storage; null where the page may not use it (the choice then lasts a visit). */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null
  /** The computer's setting: `matchMedia('(prefers-color-scheme: dark)')`. */
  systemDark: Pick<MediaQueryList, 'matches' | 'addEventListener'>
  /** The page's root element, which takes the theme in force. */
  root: { dataset: DOMStringMap }
}

export class ThemeStore {
  private choice: ThemeChoice
  private listeners = new Set<() => void>()

  constructor(private readonly env: ThemeEnvironment) {
    this.choice = this.stored()
    env.systemDark.addEventListener('change', () => this.changed())
    this.apply()
  }

  /** What the user chose. */
  get chosen(): ThemeChoice {
    return this.choice
  }

  /** The theme in force: the choice, or the computer's for System. */
  get theme(): Theme {
    if (this.choice !== 'system') return this.choice
    return this.env.systemDark.matches ? 'dark' : 'light'
  }

  /** Applies a choice at once and keeps it for the next visit. */
  choose(choice: ThemeChoice): void {
    this.choice = choice
    try {
      this.env.storage?.setItem(THEME_KEY, choice)
    } catch {
      // Not kept (storage full or refused); applied all the same.
    }
    this.changed()
  }

  /** Reads the choice again: another window of this browser made one (its `storage` event). */
  reload(): void {
    this.choice = this.stored()
    this.changed()
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private stored(): ThemeChoice {
    try {
      const value = this.env.storage?.getItem(THEME_KEY)
      return isThemeChoice(value) ? value : 'system'
    } catch {
      return 'system'
    }
  }

  private changed(): void {
    this.apply()
    for (const listener of this.listeners) listener()
  }

  private apply(): void {
    this.env.root.dataset.theme = this.theme
  }
}
