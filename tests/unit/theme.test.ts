// The colour theme: System follows the computer's setting as it changes, Light and Dark hold
// whatever it says; the choice is applied to the page's root at once and kept in this browser's
// storage for the next visit (the browser itself is tested in tests/e2e/settings.spec.ts).
import { describe, expect, it } from 'vitest'
import { THEME_KEY, ThemeStore } from '../../renderer/src/theme/ThemeStore'
import type { ThemeEnvironment } from '../../renderer/src/theme/ThemeStore'

/** A computer whose dark setting the test flips, a storage, and a root element. */
function environment(stored: Record<string, string> = {}) {
  const changes = new Set<() => void>()
  const system = {
    matches: false,
    addEventListener: (_type: string, listener: () => void) => void changes.add(listener),
  }
  const env: ThemeEnvironment = {
    storage: {
      getItem: (key) => stored[key] ?? null,
      setItem: (key, value) => void (stored[key] = value),
    },
    systemDark: system as unknown as ThemeEnvironment['systemDark'],
    root: { dataset: {} },
  }
  const setSystemDark = (dark: boolean): void => {
    system.matches = dark
    changes.forEach((listener) => listener())
  }
  return { env, stored, setSystemDark }
}

describe('the theme', () => {
  it('follows the computer by default, as it changes', () => {
    const { env, setSystemDark } = environment()
    const store = new ThemeStore(env)
    let heard = 0
    store.subscribe(() => (heard += 1))
    expect([store.chosen, store.theme, env.root.dataset.theme]).toEqual([
      'system',
      'light',
      'light',
    ])
    setSystemDark(true)
    expect([store.theme, env.root.dataset.theme, heard]).toEqual(['dark', 'dark', 1])
  })

  it('a choice is applied at once, holds whatever the computer says, and is kept', () => {
    const { env, stored, setSystemDark } = environment()
    const store = new ThemeStore(env)
    store.choose('dark')
    expect([store.theme, env.root.dataset.theme, stored[THEME_KEY]]).toEqual([
      'dark',
      'dark',
      'dark',
    ])
    setSystemDark(true)
    setSystemDark(false)
    expect(env.root.dataset.theme).toBe('dark')
    // The next visit starts in the theme chosen.
    const next = environment({ ...stored })
    expect(new ThemeStore(next.env).theme).toBe('dark')
    expect(next.env.root.dataset.theme).toBe('dark')
    store.choose('system')
    expect(env.root.dataset.theme).toBe('light')
  })

  it('anything else in storage is System; a storage that refuses still lets the choice apply', () => {
    expect(new ThemeStore(environment({ [THEME_KEY]: 'sepia' }).env).chosen).toBe('system')
    const { env } = environment()
    env.storage = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('denied')
      },
    }
    const store = new ThemeStore(env)
    store.choose('dark')
    expect(env.root.dataset.theme).toBe('dark')
  })

  it('follows a choice made in another window of the browser', () => {
    const { env, stored } = environment()
    const store = new ThemeStore(env)
    stored[THEME_KEY] = 'dark'
    store.reload()
    expect([store.chosen, env.root.dataset.theme]).toEqual(['dark', 'dark'])
  })
})
