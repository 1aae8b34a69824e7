// The colours people read text in meet WCAG AA (4.5:1 for small text), in both themes: status
// pills, muted text, text on filled buttons. Read from the design tokens themselves.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const TOKENS = readFileSync(join(__dirname, '../../renderer/src/styles/tokens.css'), 'utf8')

/** The custom properties of a block of tokens.css: the light defaults, or the dark overrides. */
function tokens(theme: 'light' | 'dark'): Map<string, string> {
  const dark = TOKENS.indexOf(":root[data-theme='dark']")
  expect(dark).toBeGreaterThan(0)
  const light = new Map(
    [...TOKENS.slice(0, dark).matchAll(/--([\w-]+):\s*(#[0-9a-f]{3,6})\b/gi)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  )
  if (theme === 'light') return light
  const overrides = [...TOKENS.slice(dark).matchAll(/--([\w-]+):\s*(#[0-9a-f]{3,6})\b/gi)]
  return new Map([...light, ...overrides.map((m) => [m[1]!, m[2]!] as [string, string])])
}

function luminance(hex: string): number {
  const full = hex.length === 4 ? hex.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') : hex
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(full.slice(i, i + 2), 16) / 255)
  const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!)
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

describe('contrast of the design tokens', () => {
  for (const theme of ['light', 'dark'] as const) {
    const t = tokens(theme)
    const pairs: [string, string][] = [
      ...['new', 'to-read', 'reading', 'read', 'skipped'].map(
        (s) => ['on-status', `status-${s}`] as [string, string],
      ),
      ['muted', 'bg'],
      ['muted', 'panel'],
      ['text', 'bg'],
      ['on-accent', 'accent'],
      ['on-danger', 'danger'],
      ['danger-text', 'panel'],
      // The read-only banner: its text and its Settings… link.
      ['text', 'accent-soft'],
      ['accent', 'accent-soft'],
    ]
    it(`${theme}: every pair reads at 4.5:1 or better`, () => {
      const ratios = pairs.map(
        ([fg, bg]) =>
          [`${fg} on ${bg}`, Number(contrast(t.get(fg)!, t.get(bg)!).toFixed(2))] as const,
      )
      expect(ratios.filter(([, r]) => r < 4.5)).toEqual([])
    })
  }
})
