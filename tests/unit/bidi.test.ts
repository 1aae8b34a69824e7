// Bidirectional controls in a displayed URL or link text are written out, not obeyed: an
// override can make `https://a.example/` + U+202E + `gpj.exe` read as if it ended in `.jpg`.
import { describe, expect, it } from 'vitest'
import { BIDI_CONTROLS, revealBidi } from '../../shared/bidi'

describe('bidirectional controls', () => {
  it('are shown by name in what is displayed', () => {
    expect(revealBidi('https://a.example/\u202Egpj.exe')).toBe('https://a.example/[U+202E]gpj.exe')
    expect(revealBidi('\u2066a\u2069\u200Eb\u200F')).toBe('[U+2066]a[U+2069][U+200E]b[U+200F]')
  })

  it('are every embedding, override, isolate and mark, and nothing else', () => {
    const controls = [
      0x200e, 0x200f, 0x061c, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068,
      0x2069,
    ]
    for (const code of controls) {
      const char = String.fromCodePoint(code)
      expect(BIDI_CONTROLS.test(char), code.toString(16)).toBe(true)
      expect(revealBidi(char)).toBe(`[U+${code.toString(16).toUpperCase().padStart(4, '0')}]`)
    }
    // Right-to-left text itself, joiners and other invisible characters are left alone.
    const untouched = 'שלום مرحبا a\u200Db\u200Cc\u00ADd\u2060e https://a.example/x.jpg'
    expect(revealBidi(untouched)).toBe(untouched)
    expect(BIDI_CONTROLS.test(untouched)).toBe(false)
  })
})
