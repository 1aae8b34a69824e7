// A fixture checked out on Windows with core.autocrlf=true has CRLF line ends: every reader must
// read it as it reads the LF original (the same format recognised, the same papers and warnings,
// on the same lines). Fixtures that hold CRLF on purpose are read as they are by their own tests.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ImportError, detectFormats, parseDump } from '../../../shared/importers'
import { SAMPLE_PATH } from '../../helpers/fixtures'
import { FIXTURES, NOW } from '../../helpers/importers'

const ROOT = join(FIXTURES, '..', '..')
const formats = join(FIXTURES, 'formats')
const files = [
  SAMPLE_PATH,
  ...readdirSync(formats).flatMap((format) =>
    readdirSync(join(formats, format)).map((name) => join(formats, format, name)),
  ),
].filter((file) => !readFileSync(file, 'utf8').includes('\r'))

/** What reading `text` gives: the format recognised, and the result or the refusal. */
function reading(text: string): unknown {
  const format = detectFormats(text)[0]?.format
  try {
    return { format, result: parseDump(text, NOW) }
  } catch (error) {
    if (!(error instanceof ImportError)) throw error
    return { format, refused: error.message, line: error.line }
  }
}

describe('a fixture with its line ends made CRLF, as a Windows checkout makes them', () => {
  it('there are LF fixtures of every format to check', () => {
    expect(files.length).toBeGreaterThan(30)
  })

  for (const file of files) {
    it(`reads ${relative(ROOT, file)} as it reads the LF original`, () => {
      const lf = readFileSync(file, 'utf8')
      expect(reading(lf.replace(/\n/g, '\r\n'))).toEqual(reading(lf))
    })
  }
})
