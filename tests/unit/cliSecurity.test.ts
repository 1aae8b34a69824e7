// The command line against what it did not write itself: text from imported files printed to a
// terminal, paths that are not files, input without an end, and a reader that stops reading.
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Operation } from '../../electron/core/db/mutations'
import { MAX_DUMP_BYTES } from '../../electron/core/dumpFile'
import { cliProcessArgs, lectern, lecternWith, lecternWithStdin, until } from '../helpers/cli'
import { SAMPLE_PATH, tempDir } from '../helpers/fixtures'
import { openTempLibrary } from '../helpers/library'

const ROOT = resolve(__dirname, '../..')
const ESC = '\x1b'
const BEL = '\x07'

/**
 * What a hostile dump puts in a field: a new window title (OSC 0), a cleared screen, a write to
 * the clipboard (OSC 52), an 8-bit CSI, DEL, a backspace and a right-to-left override that shows
 * "exe.jpg" as "gpj.exe".
 */
const ATTACK = `${ESC}]0;owned${BEL}${ESC}[2J${ESC}]52;c;ZWNobyBoaQ==${BEL}\u009b31m\x7f\b\u202egpj.exe`
/** The same, as the command line shows it. */
const SHOWN = String.raw`\x1b]0;owned\x07\x1b[2J\x1b]52;c;ZWNobyBoaQ==\x07\x9b31m\x7f\x08\u202egpj.exe`

/** A character a terminal acts on or that disguises text, but the line feed that ends a line. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const RAW_IN_LINES = /[\0-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/
/** The same, where a multi-line field (an abstract, a note) may keep its tabs. */
// eslint-disable-next-line no-control-regex -- as above
const RAW_IN_TEXT = /[\0-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/
/** What JSON.stringify leaves raw (it escapes C0 itself). */
const RAW_IN_JSON = /[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/

const TITLE = `Evil ${ATTACK} Title`
const ABSTRACT = `First paragraph ${ATTACK}.\n\n\tSecond paragraph, indented.`
const NOTE = `A note ${ATTACK}\n\tan indented line`

/**
 * A library holding control characters in every field, as one imported before imports removed
 * them holds them: the import operation is committed as it is, past the importers (which would
 * strip them now), exactly as the journal of such a library replays it.
 */
async function libraryWithRawText(): Promise<string> {
  const { lib, path } = await openTempLibrary()
  const op: Operation = {
    kind: 'import',
    at: '2026-11-30T12:00:00.000Z',
    source: `evil${ESC}[2J.txt`,
    format: 'daily-papers',
    papers: [
      {
        title: TITLE,
        abstract: ABSTRACT,
        authors: [`Ada ${ATTACK}`],
        dumpDate: '2026-08-19',
        dumpDateText: `Aug 19 ${ATTACK}`,
        meta: { venue: `Venue ${ATTACK}`, keywords: [`kw ${ATTACK}`] },
        carried: {
          status: 'new',
          note: NOTE,
          noteUpdatedAt: '2026-11-30T12:00:00.000Z',
          statusChangedAt: null,
          addedAt: '2026-11-30T12:00:00.000Z',
          statusHistory: [],
        },
      },
      {
        title: 'A Plain Paper',
        abstract: 'Nothing odd here.',
        authors: ['Grace Hopper'],
        dumpDate: '2026-08-19',
        dumpDateText: 'Aug 19',
      },
    ],
    warnings: [],
    skipped: 0,
  }
  // The one way to write a change past the library's own normalising, which is the point here.
  ;(lib as unknown as { commit: (op: Operation) => unknown }).commit(op)
  lib.close()
  return path
}

/** The library's files as they are now, to compare after a refused command. */
function filesOf(library: string): (Buffer | null)[] {
  return [library, `${library}.sum`, `${library}.journal`].map((f) =>
    existsSync(f) ? readFileSync(f) : null,
  )
}

async function sampleLibrary(): Promise<string> {
  const library = join(tempDir(), 'library.sqlite')
  expect((await lectern('--library', library, 'import', SAMPLE_PATH)).code).toBe(0)
  return library
}

describe('what the command line prints to a terminal', () => {
  it('list and show print control characters in stored text as visible escapes', async () => {
    const library = await libraryWithRawText()
    const list = await lectern('--library', library, 'list')
    expect(list.code).toBe(0)
    expect(list.out).not.toMatch(RAW_IN_LINES)
    expect(list.out).toContain(`Evil ${SHOWN} Title`)
    expect(list.out.trim().split('\n')).toHaveLength(2)

    const show = await lectern('--library', library, 'show', '1')
    expect(show.code).toBe(0)
    expect(show.out).not.toMatch(RAW_IN_TEXT)
    expect(show.out).toContain(`Evil ${SHOWN} Title\n`)
    expect(show.out).toContain(`Authors: Ada ${SHOWN}`)
    expect(show.out).toContain(`Dump date: Aug 19 ${SHOWN}`)
    // A multi-line field keeps its line breaks and tabs.
    expect(show.out).toContain(`First paragraph ${SHOWN}.\n\n\tSecond paragraph, indented.`)
    expect(show.out).toContain(`A note ${SHOWN}\n\tan indented line`)
  })

  it('every other command that prints stored text escapes it too', async () => {
    const library = await libraryWithRawText()
    const at = (...args: string[]) => lectern('--library', library, ...args)
    const outputs = {
      search: await at('search', 'evil'),
      imports: await at('imports'),
      tag: await at('tag', '1', '--add', 'odd'),
      set: await at('set', '1', '--status', 'reading'),
      exportToTerminal: await lecternWith(
        { terminal: true },
        '--library',
        library,
        'export',
        '--format',
        'markdown',
      ),
      delete: await at('delete', '1'),
      undelete: await at('undelete'),
      undoImport: await at('undo-import', '1'),
    }
    for (const [name, r] of Object.entries(outputs)) {
      expect(r.code, `${name}: ${r.err}`).toBe(0)
      expect(r.out + r.err, name).not.toMatch(
        name === 'exportToTerminal' ? RAW_IN_TEXT : RAW_IN_LINES,
      )
    }
    expect(outputs.search.out).toContain(`Evil ${SHOWN} Title`)
    expect(outputs.imports.out).toContain(String.raw`evil\x1b[2J.txt`)
    expect(outputs.tag.out).toContain(`Evil ${SHOWN} Title`)
    expect(outputs.set.out).toContain(`Evil ${SHOWN} Title`)
    // Markdown escapes the brackets.
    expect(outputs.exportToTerminal.out).toContain(String.raw`Evil \x1b\]0;owned\x07\x1b\[2J`)
    expect(outputs.delete.out).toContain(`Evil ${SHOWN} Title`)
    // Kept: the paper has a note.
    expect(outputs.undoImport.out).toContain(`Evil ${SHOWN} Title`)
  })

  it('an export into a pipe or a file is the stored text exactly', async () => {
    const library = await libraryWithRawText()
    const titles = (json: string): string[] =>
      JSON.parse(json).papers.map((p: { title: string }) => p.title)
    const piped = await lectern('--library', library, 'export', '--format', 'json')
    expect(titles(piped.out)).toContain(TITLE)
    expect(piped.out).toMatch(/\u009b/)
    const file = join(tempDir(), 'out.json')
    const written = await lecternWith(
      { terminal: true },
      ...['--library', library, 'export', '--format', 'json', '-o', file],
    )
    expect(written.code).toBe(0)
    expect(titles(readFileSync(file, 'utf8'))).toContain(TITLE)
    expect(readFileSync(file, 'utf8')).toMatch(/\u009b/)
  })

  // The file's name holds control characters, which Windows allows in none.
  it.skipIf(process.platform === 'win32')(
    'a dry run and an import refused for what a file holds escape what they quote from it',
    async () => {
      const library = await sampleLibrary()
      const dir = tempDir()
      const dump = join(dir, `dump${ESC}]0;x${BEL}.txt`)
      writeFileSync(dump, `Aug 19\n\n${TITLE}\n\nAn abstract.\n`)
      const preview = await lectern('--library', library, 'import', dump, '--dry-run')
      expect(preview.code).toBe(0)
      expect(preview.out).not.toMatch(RAW_IN_LINES)
      expect(preview.out).toContain(String.raw`dump\x1b]0;x\x07.txt`)

      // Lectern JSON names the paper it refuses by its title.
      const bad = join(dir, 'bad.json')
      writeFileSync(
        bad,
        JSON.stringify({
          lectern: 'library-export',
          version: 1,
          exportedAt: '2026-11-30T12:00:00.000Z',
          libraryId: 'x',
          papers: [{ title: TITLE, authors: 'not a list' }],
          imports: [],
        }),
      )
      const refused = await lectern('--library', library, 'import', bad, '--format', 'lectern-json')
      expect(refused.code).toBe(1)
      expect(refused.err).toContain(String.raw`Evil \x1b]0;owned\x07`)
      expect(refused.err).not.toMatch(RAW_IN_LINES)
    },
  )

  // The file's name holds control characters, which Windows allows in none.
  it.skipIf(process.platform === 'win32')(
    "the progress line escapes what it quotes: a file's name (review finding)",
    async () => {
      const dir = join(tempDir(), 'downloads')
      mkdirSync(dir)
      // Large enough to be read on a thread, so that the import is seen while it reads.
      const dump = join(dir, `paper${ATTACK}.txt`)
      const abstract = 'A long abstract about reading lists. '.repeat(50)
      const papers = Array.from({ length: 200 }, (_, i) => `Paper number ${i}\n\n${abstract}\n`)
      writeFileSync(dump, `Aug 19\n\n${papers.join('\n')}`)
      const lines: string[] = []
      const result = await lecternWith(
        { progress: (line) => void (line !== null && lines.push(line)) },
        '--library',
        join(tempDir(), 'library.sqlite'),
        'import',
        dump,
      )
      expect(result.code).toBe(0)
      expect(lines.some((line) => line.startsWith('Reading '))).toBe(true)
      for (const line of lines) expect(line).not.toMatch(RAW_IN_LINES)
    },
  )

  it('JSON output escapes DEL, C1 and bidi controls too, and reads back as the stored text', async () => {
    const library = await libraryWithRawText()
    const at = (...args: string[]) => lectern('--library', library, ...args)
    const outputs = {
      list: await at('list', '--json'),
      show: await at('show', '1', '--json'),
      search: await at('search', 'evil', '--json'),
      api: await at('api', 'getPaper', '{"id": 1}'),
    }
    for (const [name, r] of Object.entries(outputs)) {
      expect(r.code, name).toBe(0)
      expect(r.out, name).not.toMatch(RAW_IN_JSON)
      expect(r.out, name).not.toMatch(RAW_IN_TEXT)
    }
    expect(JSON.parse(outputs.list.out)[0]).toMatchObject({
      title: TITLE,
      abstract: ABSTRACT,
      note: NOTE,
    })
    expect(JSON.parse(outputs.show.out)).toMatchObject({ title: TITLE, note: NOTE })
    expect(JSON.parse(outputs.search.out)[0]).toMatchObject({ title: TITLE })
    expect(JSON.parse(outputs.api.out)).toMatchObject({ title: TITLE })
  })
})

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

describe('import refuses what is not a dump file, before reading it', () => {
  it('a folder, naming it', async () => {
    const library = await sampleLibrary()
    const before = filesOf(library)
    const folder = join(tempDir(), 'papers')
    mkdirSync(folder)
    const r = await lectern('--library', library, 'import', folder)
    expect(r.code).toBe(1)
    expect(r.err).toBe(`lectern: ${folder}: not a file but a folder; name the dump files in it\n`)
    expect(filesOf(library)).toEqual(before)
  })

  // Windows has no /dev/null, mkfifo nor Unix sockets in the file system to name.
  it.skipIf(process.platform === 'win32')(
    'a character device (/dev/null), a FIFO and a socket',
    async () => {
      const library = await sampleLibrary()
      const before = filesOf(library)
      const dir = tempDir()
      const fifo = join(dir, 'pipe')
      execFileSync('mkfifo', [fifo])
      const socketPath = join(dir, 'socket')
      const server = createServer()
      await new Promise<void>((done) => server.listen(socketPath, done))
      try {
        const cases = [
          ['/dev/null', 'a character device'],
          // Opening a FIFO waits for a writer that never comes: it must not be opened that way.
          [fifo, 'a named pipe (FIFO)'],
          [socketPath, 'a socket'],
        ]
        for (const [path, kind] of cases) {
          const r = await lectern('--library', library, 'import', path!)
          expect(r.code, path).toBe(1)
          expect(r.err).toBe(`lectern: ${path}: not a file but ${kind}; name a dump file\n`)
        }
      } finally {
        server.close()
      }
      expect(filesOf(library)).toEqual(before)
    },
  )

  it('a file larger than one import may hold, by its size (nothing is read)', async () => {
    const library = await sampleLibrary()
    const before = filesOf(library)
    const dir = tempDir()
    // Sparse: no disk space, and reading it would take half a gigabyte of memory.
    const huge = join(dir, 'huge.txt')
    writeFileSync(huge, '')
    truncateSync(huge, MAX_DUMP_BYTES + 1)
    const r = await lectern('--library', library, 'import', huge)
    expect(r.code).toBe(1)
    expect(r.err).toBe(
      `lectern: ${huge}: ${(MAX_DUMP_BYTES + 1).toLocaleString('en')} bytes, more than the ${MAX_DUMP_BYTES.toLocaleString('en')} one import may hold; split it into smaller files\n`,
    )
    // Together over the bound, each under it.
    const halves = ['a.txt', 'b.txt'].map((name) => {
      const file = join(dir, name)
      writeFileSync(file, '')
      truncateSync(file, MAX_DUMP_BYTES / 2 + 1)
      return file
    })
    const together = await lectern('--library', library, 'import', ...halves)
    expect(together.code).toBe(1)
    expect(together.err).toContain(
      `${halves[1]}: together with the files before it, more than the ${MAX_DUMP_BYTES.toLocaleString('en')} bytes one import may hold`,
    )
    expect(filesOf(library)).toEqual(before)
  })

  it('standard input that goes on past the bound, stopping as soon as it is past it', async () => {
    const library = await sampleLibrary()
    const before = filesOf(library)
    const chunk = new Uint8Array(1024 * 1024).fill(0x61)
    let pulled = 0
    // Like `lectern import - < /dev/zero`: it never ends.
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled += 1
        yield chunk
      }
    }
    const r = await lecternWithStdin(endless(), '--library', library, 'import', '-')
    expect(r.code).toBe(1)
    expect(r.err).toBe(
      `lectern: stdin: more than the ${MAX_DUMP_BYTES.toLocaleString('en')} bytes one import may hold; split it into smaller files\n`,
    )
    expect(pulled).toBe(Math.floor(MAX_DUMP_BYTES / chunk.length) + 1)
    expect(filesOf(library)).toEqual(before)
  })

  it('standard input within the bound is read as before, as it arrives', async () => {
    const library = join(tempDir(), 'library.sqlite')
    const text = readFileSync(SAMPLE_PATH)
    async function* inPieces(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < text.length; i += 1000) yield text.subarray(i, i + 1000)
    }
    const r = await lecternWithStdin(inPieces(), '--library', library, 'import', '-', '--json')
    expect(r.err).toBe('')
    expect(JSON.parse(r.out)).toMatchObject({ added: 95 })
  })
})

// The command line as a child process, its output a real pipe.

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
})

/**
 * `lectern ...args` in a process of its own, as a shell runs it: what it writes, and its exit
 * code once it is done. `closed` names the outputs whose reading end is closed at once, so that
 * every write the command makes there finds no reader.
 */
function spawnLectern(
  args: string[],
  closed: ('stdout' | 'stderr')[] = [],
): {
  child: ChildProcess
  output: { out: string; err: string }
  exited: Promise<{ code: number | null; err: string }>
} {
  const child = spawn(process.execPath, cliProcessArgs(...args), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  const output = { out: '', err: '' }
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = child[name]!
    if (closed.includes(name)) stream.destroy()
    else
      stream
        .setEncoding('utf8')
        .on('data', (t: string) => (output[name === 'stdout' ? 'out' : 'err'] += t))
  }
  const exited = new Promise<{ code: number | null; err: string }>((done) =>
    child.on('close', (code) => done({ code, err: output.err })),
  )
  return { child, output, exited }
}

describe('import --watch on a terminal', () => {
  // Windows allows no control characters in a file name, and has no SIGINT to send (kill() ends
  // the process at once, with no exit code 0).
  it.skipIf(process.platform === 'win32')(
    'shows the names of the files it imports with their control characters escaped',
    async () => {
      const dir = tempDir()
      const library = join(dir, 'library.sqlite')
      const inbox = join(dir, 'inbox')
      mkdirSync(inbox)
      const name = `a${ESC}]0;owned${BEL}.ris`
      writeFileSync(join(inbox, name), 'TY  - JOUR\nTI  - From A Hostile Name\nER  - \n')
      const { child, output, exited } = spawnLectern([
        '--library',
        library,
        'import',
        '--watch',
        inbox,
      ])
      await until(`the import (${output.out}${output.err})`, () => output.out.includes('1 added'))
      child.kill('SIGINT')
      expect((await exited).code).toBe(0)
      expect(output.out).not.toMatch(RAW_IN_LINES)
      expect(output.out).toContain(String.raw`imported a\x1b]0;owned\x07.ris: 1 added`)
    },
    60_000,
  )
})

describe('a reader that stops reading (lectern … | head)', () => {
  it('list --json ends quietly with exit code 0', async () => {
    const library = await sampleLibrary()
    const { exited } = spawnLectern(['--library', library, 'list', '--json'], ['stdout'])
    expect(await exited).toEqual({ code: 0, err: '' })
  }, 60_000)

  it('a closed standard error keeps the exit code of a failure', async () => {
    const { exited } = spawnLectern(['no-such-command'], ['stdout', 'stderr'])
    expect((await exited).code).toBe(2)
  }, 60_000)

  it('import --watch stops, releasing the library, when its output is closed', async () => {
    const dir = tempDir()
    const library = join(dir, 'library.sqlite')
    const inbox = join(dir, 'inbox')
    mkdirSync(inbox)
    const { exited } = spawnLectern(
      ['--library', library, 'import', '--watch', inbox, '--json'],
      ['stdout'],
    )
    expect(await exited).toEqual({ code: 0, err: '' })
    expect((await lectern('--library', library, 'import', SAMPLE_PATH)).code).toBe(0)
  }, 60_000)
})
