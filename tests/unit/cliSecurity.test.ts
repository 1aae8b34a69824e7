// The command line against what it did not write itself: text from imported files printed to a
// terminal, paths that are not files, input without an end, and a reader that stops reading.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lectern } from '../helpers/cli'
import { SAMPLE_PATH, tempDir } from '../helpers/fixtures'

const ESC = '\x1b'
const BEL = '\x07'

/**
 * What a hostile dump puts in a field: a new window title (OSC 0), a cleared screen, a write to
 * the clipboard (OSC 52), an 8-bit CSI, DEL, a backspace and a right-to-left override that shows
 * "exe.jpg" as "gpj.exe".
 */
const ATTACK = `${ESC}]0;owned${BEL}${ESC}[2J${ESC}]52;c;ZWNobyBoaQ==${BEL}\u009b31m\x7f\b\u202egpj.exe`

async function sampleLibrary(): Promise<string> {
  const library = join(tempDir(), 'library.sqlite')
  expect((await lectern('--library', library, 'import', SAMPLE_PATH)).code).toBe(0)
  return library
}

describe('notes typed by the user', () => {
  it('keep tabs and line breaks and lose other control characters', async () => {
    const library = await sampleLibrary()
    const typed = `line one ${ATTACK}\r\n\tline two\rline three`
    const set = await lectern('--library', library, 'set', '1', '--note', typed)
    expect(set.code).toBe(0)
    const stored = JSON.parse((await lectern('--library', library, 'show', '1', '--json')).out)
    expect(stored.note).toBe(
      'line one ]0;owned[2J]52;c;ZWNobyBoaQ==31m\u202egpj.exe\n\tline two\nline three',
    )
  })
})
