// The watched inbox: dumps saved into a folder are imported once complete and moved out of it,
// on a real folder and a real library, scanned by hand on a clock the test moves (no sleeping);
// and `lectern import --watch` end to end in a child process.
import { execFileSync, spawn } from 'node:child_process'
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_DUMP_CHARS } from '../../shared/api'
import { MAX_DUMP_BYTES } from '../../electron/core/dumpFile'
import {
  InboxWatcher,
  importThroughApi,
  isIgnoredName,
  numberedName,
} from '../../electron/core/inbox/watcher'
import type { ImportFile, ImportOutcome, InboxEvent } from '../../electron/core/inbox/watcher'
import { followInboxSetting } from '../../electron/core/inbox/follow'
import { LibrarySession } from '../../electron/core/safety/session'
import { cliProcessArgs, lectern, until } from '../helpers/cli'
import { SAMPLE_PATH, SYMLINKS, fixedClock, tempDir } from '../helpers/fixtures'

const ROOT = resolve(__dirname, '../..')
const SETTLE_MS = 1000

/** A Daily Papers page with these titles, each with an abstract. */
function dump(...titles: string[]): string {
  return `Aug 19\n\n${titles.map((t) => `${t}\n\nWhat ${t} is about, in one sentence.\n`).join('\n')}`
}

function bibtex(...titles: string[]): string {
  return titles
    .map(
      (t, i) =>
        `@article{key${i},\n  title = {${t}},\n  author = {Doe, Jane},\n  abstract = {About ${t}.}\n}\n`,
    )
    .join('\n')
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** A clock that moves only when the test says so. */
function manualClock(): { now: () => Date; advance: (ms: number) => void } {
  let t = Date.parse('2026-11-30T12:00:00.000Z')
  return { now: () => new Date(t), advance: (ms) => (t += ms) }
}

interface Setup {
  inbox: string
  session: LibrarySession
  watcher: InboxWatcher
  events: InboxEvent[]
  lines: string[]
  clock: ReturnType<typeof manualClock>
  /** One scan after the settling time: what was complete at the last scan is imported. */
  settle: () => Promise<void>
  papers: () => number
  imports: () => number
}

async function setup(importFile?: (real: ImportFile) => ImportFile): Promise<Setup> {
  const dir = tempDir()
  const inbox = join(dir, 'inbox')
  mkdirSync(inbox)
  const session = await LibrarySession.start(join(dir, 'library.sqlite'), {
    owner: 'the test',
    now: fixedClock(),
  })
  const real = importThroughApi({
    session,
    samplePath: SAMPLE_PATH,
    localFiles: true,
    maxImportChars: MAX_DUMP_CHARS,
  })
  const clock = manualClock()
  const events: InboxEvent[] = []
  const lines: string[] = []
  const watcher = new InboxWatcher({
    folder: inbox,
    importFile: importFile ? importFile(real) : real,
    log: (line) => lines.push(line),
    onEvent: (event) => events.push(event),
    now: clock.now,
    settleMs: SETTLE_MS,
    poll: false,
  })
  cleanups.push(async () => {
    await watcher.stop()
    session.close()
  })
  return {
    inbox,
    session,
    watcher,
    events,
    lines,
    clock,
    settle: async () => {
      clock.advance(SETTLE_MS)
      await watcher.scanNow()
    },
    papers: () => session.get().stats().total,
    imports: () => session.get().imports().length,
  }
}

const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : [])

describe('the inbox watcher', () => {
  it('imports a file that was already waiting, once it is complete, and moves it to processed/', async () => {
    const s = await setup()
    writeFileSync(join(s.inbox, 'a.bib'), bibtex('Watching Folders', 'Moving Files'))
    await s.watcher.start()
    // Seen once: it may still be being written.
    expect(s.events).toEqual([])
    await s.watcher.scanNow()
    expect(s.events).toEqual([])
    await s.settle()
    expect(s.events).toMatchObject([
      { kind: 'imported', file: 'a.bib', added: 2, duplicates: 0, movedTo: 'processed/a.bib' },
    ])
    expect(s.lines).toEqual(['imported a.bib: 2 added, 0 already in the library'])
    expect(list(s.inbox)).toEqual(['processed'])
    expect(readFileSync(join(s.inbox, 'processed', 'a.bib'), 'utf8')).toBe(
      bibtex('Watching Folders', 'Moving Files'),
    )
    expect(s.papers()).toBe(2)
    expect(s.session.get().imports()[0]).toMatchObject({ source: 'a.bib' })
  })

  it('leaves a growing file alone until it has stopped growing', async () => {
    const s = await setup()
    const file = join(s.inbox, 'today.txt')
    writeFileSync(file, dump('First Paper'))
    await s.watcher.start()
    for (const title of ['Second Paper', 'Third Paper']) {
      appendFileSync(file, `\n${title}\n\nWhat ${title} is about, in one sentence.\n`)
      await s.settle()
      expect(s.events).toEqual([])
      expect(existsSync(file)).toBe(true)
    }
    // Scans close together (fs.watch nudges) do not make a file complete: time must pass.
    await s.watcher.scanNow()
    expect(s.events).toEqual([])
    await s.settle()
    expect(s.events).toMatchObject([{ kind: 'imported', file: 'today.txt', added: 3 }])
    expect(s.papers()).toBe(3)
  })

  it('moves a file that cannot be imported to failed/ with the reason; the library is unchanged', async () => {
    const s = await setup()
    writeFileSync(join(s.inbox, 'good.txt'), dump('A Good Paper'))
    await s.watcher.start()
    await s.settle()
    expect(s.papers()).toBe(1)
    const before = s.imports()

    const broken = `${bibtex('Fine')}\n@article{y,\n  title = {Another\n`
    writeFileSync(join(s.inbox, 'c.bib'), broken)
    // Latin-1, not UTF-8: refused while decoding, before it reaches the library.
    writeFileSync(
      join(s.inbox, 'e.txt'),
      Buffer.from('Aug 19\n\nCaf\xe9 Au Lait\n\nabstract\n', 'latin1'),
    )
    await s.watcher.scanNow()
    await s.settle()
    expect(s.events.slice(1)).toMatchObject([
      {
        kind: 'failed',
        file: 'c.bib',
        reason: expect.stringMatching(/^c\.bib, line 8: /),
        movedTo: 'failed/c.bib',
      },
      {
        kind: 'failed',
        file: 'e.txt',
        reason: expect.stringMatching(/^e\.txt, line 3: this is not UTF-8/),
        movedTo: 'failed/e.txt',
      },
    ])
    expect(s.lines[1]).toMatch(/^failed c\.bib, line 8: .*; moved to failed\/$/)
    expect(list(s.inbox)).toEqual(['failed', 'processed'])
    expect(list(join(s.inbox, 'failed'))).toEqual(['c.bib', 'c.bib.txt', 'e.txt', 'e.txt.txt'])
    expect(readFileSync(join(s.inbox, 'failed', 'c.bib'), 'utf8')).toBe(broken)
    const reason = readFileSync(join(s.inbox, 'failed', 'c.bib.txt'), 'utf8')
    expect(reason).toContain('c.bib, line 8: ')
    expect(reason).toContain('2026-11-30T12:00:0')
    expect(s.papers()).toBe(1)
    expect(s.imports()).toBe(before)
  })

  it('never overwrites a file in processed/ or failed/', async () => {
    const s = await setup()
    mkdirSync(join(s.inbox, 'processed'))
    mkdirSync(join(s.inbox, 'failed'))
    writeFileSync(join(s.inbox, 'processed', 'a.bib'), 'yesterday')
    writeFileSync(join(s.inbox, 'processed', 'a (2).bib'), 'the day before')
    // A failed file needs its .txt name free as well.
    writeFileSync(join(s.inbox, 'failed', 'b.json.txt'), 'an older reason')
    writeFileSync(join(s.inbox, 'a.bib'), bibtex('Today'))
    writeFileSync(join(s.inbox, 'b.json'), '[\n  {"title": "A",\n  "author": [}\n]\n')
    await s.watcher.start()
    await s.settle()
    expect(list(join(s.inbox, 'processed'))).toEqual(['a (2).bib', 'a (3).bib', 'a.bib'])
    expect(readFileSync(join(s.inbox, 'processed', 'a.bib'), 'utf8')).toBe('yesterday')
    expect(readFileSync(join(s.inbox, 'processed', 'a (2).bib'), 'utf8')).toBe('the day before')
    expect(readFileSync(join(s.inbox, 'processed', 'a (3).bib'), 'utf8')).toBe(bibtex('Today'))
    expect(list(join(s.inbox, 'failed'))).toEqual(['b (2).json', 'b (2).json.txt', 'b.json.txt'])
    expect(readFileSync(join(s.inbox, 'failed', 'b.json.txt'), 'utf8')).toBe('an older reason')
    expect(readFileSync(join(s.inbox, 'failed', 'b (2).json.txt'), 'utf8')).toContain(
      'b.json, line 3',
    )
    expect(s.lines).toEqual([
      'imported a.bib: 1 added, 0 already in the library; moved to processed/a (3).bib',
      expect.stringMatching(/^failed b\.json, line 3: .*; moved to failed\/b \(2\)\.json$/),
    ])
    expect(numberedName('archive', 2)).toBe('archive (2)')
    expect(numberedName('refs.2024.bib', 4)).toBe('refs.2024 (4).bib')
  })

  it('ignores the names of files still being written, and folders; imports a sync conflict copy', async () => {
    const s = await setup()
    const ignored = [
      '.hidden.bib',
      '.syncthing.a.bib.tmp',
      '.~dropbox.bib',
      'paper.bib.part',
      'digest.txt.crdownload',
      'list.txt.download',
      'x.tmp',
      '~$notes.txt',
      'refs.bib~',
      'desktop.ini',
    ]
    for (const name of ignored) writeFileSync(join(s.inbox, name), dump(`From ${name}`))
    mkdirSync(join(s.inbox, 'sub'))
    writeFileSync(join(s.inbox, 'sub', 'inside.txt'), dump('Inside A Folder'))
    const conflict = 'refs.sync-conflict-20260101-120000-ABCDEFG.bib'
    writeFileSync(join(s.inbox, conflict), bibtex('A Conflict Copy'))
    await s.watcher.start()
    await s.settle()
    await s.settle()
    expect(s.events).toMatchObject([{ kind: 'imported', file: conflict, added: 1 }])
    expect(list(s.inbox)).toEqual([...ignored, 'processed', 'sub'].sort())
    expect(s.papers()).toBe(1)
    for (const name of ignored) expect(isIgnoredName(name), name).toBe(true)
    for (const name of [conflict, 'a.bib', 'today.txt', 'export.ris', 'part.bib']) {
      expect(isIgnoredName(name), name).toBe(false)
    }
  })

  it('never reads a FIFO or a device, and refuses a file too large to import without reading it', async () => {
    const read: string[] = []
    const s = await setup((real) => (source, bytes) => {
      read.push(source)
      return source === 'huge.txt'
        ? Promise.resolve({ ok: false, message: 'read' })
        : real(source, bytes)
    })
    // Sparse: no disk space, and reading it would take half a gigabyte of memory.
    const huge = join(s.inbox, 'huge.txt')
    writeFileSync(huge, '')
    truncateSync(huge, MAX_DUMP_BYTES + 1)
    const others = ['a.bib']
    writeFileSync(join(s.inbox, 'a.bib'), bibtex('Beside The Odd Files'))
    if (process.platform !== 'win32') {
      // Reading either would never end: a FIFO waits for a writer, /dev/zero has no end.
      execFileSync('mkfifo', [join(s.inbox, 'pipe.txt')])
      symlinkSync('/dev/zero', join(s.inbox, 'zero.txt'))
      others.push('pipe.txt', 'zero.txt')
    }
    await s.watcher.start()
    await s.settle()
    await s.settle()
    expect(read).toEqual(['a.bib'])
    const bytes = (n: number): string => n.toLocaleString('en')
    const byFile = [...s.events].sort((a, b) =>
      'file' in a && 'file' in b ? a.file.localeCompare(b.file) : 0,
    )
    expect(byFile).toMatchObject([
      { kind: 'imported', file: 'a.bib', added: 1 },
      {
        kind: 'failed',
        file: 'huge.txt',
        reason: `huge.txt: ${bytes(MAX_DUMP_BYTES + 1)} bytes, more than the ${bytes(MAX_DUMP_BYTES)} one import may hold; split it into smaller files`,
        movedTo: 'failed/huge.txt',
      },
    ])
    expect(list(s.inbox)).toEqual(['failed', 'processed', ...others.slice(1)].sort())
  })

  it('imports one file at a time, oldest first, and never the same file twice', async () => {
    const calls: string[] = []
    let release: () => void = () => undefined
    const s = await setup((real) => async (source, bytes) => {
      calls.push(source)
      if (source === 'slow.txt') await new Promise<void>((r) => (release = r))
      return real(source, bytes)
    })
    writeFileSync(join(s.inbox, 'new.txt'), dump('Newest'))
    writeFileSync(join(s.inbox, 'slow.txt'), dump('Slow'))
    writeFileSync(join(s.inbox, 'old.txt'), dump('Oldest'))
    utimesSync(join(s.inbox, 'old.txt'), new Date('2026-01-01'), new Date('2026-01-01'))
    utimesSync(join(s.inbox, 'slow.txt'), new Date('2026-01-02'), new Date('2026-01-02'))
    await s.watcher.start()
    s.clock.advance(SETTLE_MS)
    // Scans asked for while one is importing wait for it; none imports a file a second time.
    const scans = [s.watcher.scanNow(), s.watcher.scanNow(), s.watcher.scanNow()]
    await until('the slow import to start', () => calls.includes('slow.txt'))
    expect(calls).toEqual(['old.txt', 'slow.txt'])
    release()
    await Promise.all(scans)
    expect(calls).toEqual(['old.txt', 'slow.txt', 'new.txt'])
    expect(s.events.map((e) => e.kind === 'imported' && e.file)).toEqual([
      'old.txt',
      'slow.txt',
      'new.txt',
    ])
    await s.settle()
    expect(calls).toHaveLength(3)
    expect(s.imports()).toBe(3)
  })

  // The folder that cannot be made is a link (Windows lets only Developer Mode make one).
  it.skipIf(!SYMLINKS)(
    'a file that cannot be moved is reported once and not imported again',
    async () => {
      const s = await setup()
      // processed/ cannot be made: a link to nowhere stands in its place (this fails for root too).
      symlinkSync(join(s.inbox, 'nowhere', 'at-all'), join(s.inbox, 'processed'))
      writeFileSync(join(s.inbox, 'a.txt'), dump('Stuck Paper'))
      await s.watcher.start()
      for (let i = 0; i < 5; i += 1) await s.settle()
      expect(s.events).toMatchObject([
        { kind: 'imported', file: 'a.txt', added: 1, movedTo: null },
        {
          kind: 'move-failed',
          file: 'a.txt',
          to: 'processed/',
          message: expect.stringMatching(/^E/),
        },
      ])
      expect(s.lines[1]).toMatch(/^could not move a\.txt to processed\/: E[A-Z]+; it stays/)
      expect(s.imports()).toBe(1)
      expect(existsSync(join(s.inbox, 'a.txt'))).toBe(true)

      // Changed, it is a new dump: imported (its paper is recognised) and reported again.
      appendFileSync(join(s.inbox, 'a.txt'), `\nAnother Paper\n\nAnd its abstract.\n`)
      await s.watcher.scanNow()
      await s.settle()
      expect(s.events.slice(2)).toMatchObject([
        { kind: 'imported', file: 'a.txt', added: 1, duplicates: 1 },
        { kind: 'move-failed', file: 'a.txt' },
      ])
      await s.settle()
      expect(s.events).toHaveLength(4)
    },
  )

  it('a file the library cannot take now stays in the inbox and is tried again later', async () => {
    let refuse = true
    const s = await setup(
      (real) =>
        async (source, bytes): Promise<ImportOutcome> =>
          refuse
            ? { ok: false, message: 'the library is damaged', retry: true }
            : real(source, bytes),
    )
    writeFileSync(join(s.inbox, 'a.txt'), dump('Patient Paper'))
    await s.watcher.start()
    await s.settle()
    await s.settle()
    expect(s.lines).toEqual([
      'not imported yet a.txt: the library is damaged; it stays in the inbox and is tried again',
    ])
    refuse = false
    await s.settle()
    expect(s.events).toHaveLength(1)
    s.clock.advance(60_000)
    await s.watcher.scanNow()
    expect(s.events[1]).toMatchObject({ kind: 'imported', file: 'a.txt', added: 1 })
  })

  it('an inbox that goes away is reported once, and watched again when it is back', async () => {
    const s = await setup()
    await s.watcher.start()
    rmSync(s.inbox, { recursive: true })
    await s.settle()
    await s.settle()
    expect(s.events).toMatchObject([{ kind: 'inbox-error' }])
    expect(s.lines).toEqual([expect.stringMatching(/^cannot read the inbox .*: ENOENT$/)])
    mkdirSync(s.inbox)
    writeFileSync(join(s.inbox, 'a.txt'), dump('Back Again'))
    await s.settle()
    await s.settle()
    expect(s.events.slice(1)).toMatchObject([{ kind: 'imported', file: 'a.txt', added: 1 }])
  })

  it('stop() waits for the import in flight and starts no other', async () => {
    const calls: string[] = []
    let release: () => void = () => undefined
    const s = await setup((real) => async (source, bytes) => {
      calls.push(source)
      await new Promise<void>((r) => (release = r))
      return real(source, bytes)
    })
    writeFileSync(join(s.inbox, 'a.txt'), dump('First'))
    writeFileSync(join(s.inbox, 'b.txt'), dump('Second'))
    utimesSync(join(s.inbox, 'a.txt'), new Date('2026-01-01'), new Date('2026-01-01'))
    await s.watcher.start()
    s.clock.advance(SETTLE_MS)
    void s.watcher.scanNow()
    await until('the import to start', () => calls.length === 1)
    let stopped = false
    const stopping = s.watcher.stop().then(() => (stopped = true))
    await new Promise((r) => setTimeout(r, 50))
    expect(stopped).toBe(false)
    release()
    await stopping
    expect(calls).toEqual(['a.txt'])
    expect(list(join(s.inbox, 'processed'))).toEqual(['a.txt'])
    expect(list(s.inbox)).toEqual(['b.txt', 'processed'])
    expect(s.papers()).toBe(1)
    await s.watcher.scanNow()
    expect(calls).toEqual(['a.txt'])
  })
})

describe('lectern import --watch', () => {
  it('refuses files, --dry-run and --format with --watch, and a folder that is not one', async () => {
    const dir = tempDir()
    const library = join(dir, 'library.sqlite')
    const inbox = join(dir, 'inbox')
    mkdirSync(inbox)
    for (const extra of [[SAMPLE_PATH], ['--dry-run'], ['--format', 'ris']]) {
      const r = await lectern('--library', library, 'import', '--watch', inbox, ...extra)
      expect(r.code, extra.join(' ')).toBe(2)
      expect(r.err).toContain('--watch')
    }
    const missing = await lectern('--library', library, 'import', '--watch', join(dir, 'nope'))
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('there is no folder at')
    // The library's own folder would have its files "imported" and moved away.
    const own = await lectern('--library', library, 'import', '--watch', dir)
    expect(own.code).toBe(1)
    expect(own.err).toContain("holds the library's own files")
    expect(existsSync(library)).toBe(false)
    expect((await lectern('--help')).out).toContain('--watch DIR')
  })

  // Windows has no SIGINT to send: kill() there ends the process at once, with no exit code 0.
  it.skipIf(process.platform === 'win32')(
    'imports what is saved into the folder until Ctrl+C, then exits 0',
    async () => {
      const dir = tempDir()
      const library = join(dir, 'library.sqlite')
      const inbox = join(dir, 'inbox')
      mkdirSync(inbox)
      writeFileSync(join(inbox, 'a.bib'), bibtex('Waiting Before The Start', 'Another One'))
      const child = spawn(
        process.execPath,
        cliProcessArgs('--library', library, 'import', '--watch', inbox, '--json'),
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      cleanups.push(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      })
      let out = ''
      let err = ''
      child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t))
      child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t))
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)))
      const events = (): { kind: string; file?: string }[] =>
        // Whole lines only: the last one may still be arriving.
        out
          .split('\n')
          .slice(0, -1)
          .map((l) => JSON.parse(l))
      const saw = (kind: string, file: string): boolean =>
        events().some((e) => e.kind === kind && e.file === file)

      await until(`a.bib to be imported (${out}${err})`, () => saw('imported', 'a.bib'))
      writeFileSync(
        join(inbox, 'b.ris'),
        'TY  - JOUR\nTI  - Saved While Watching\nAB  - Yes.\nER  - \n',
      )
      writeFileSync(join(inbox, 'c.json'), '[\n  {"title": "A",\n  "author": [}\n]\n')
      await until(
        `b.ris and c.json (${out}${err})`,
        () => saw('imported', 'b.ris') && saw('failed', 'c.json'),
      )
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(err).toBe('')
      expect(events()[0]).toMatchObject({ kind: 'watching', folder: inbox, library })
      expect(events().find((e) => e.file === 'a.bib')).toMatchObject({ added: 2, duplicates: 0 })
      expect(events().find((e) => e.file === 'c.json')).toMatchObject({
        reason: expect.stringContaining('c.json, line 3'),
        movedTo: 'failed/c.json',
      })
      expect(list(inbox)).toEqual(['failed', 'processed'])
      expect(list(join(inbox, 'processed'))).toEqual(['a.bib', 'b.ris'])

      // The lock was released: the library can be listed (and written) again.
      const listed = await lectern('--library', library, 'list', '--json')
      expect(listed.code).toBe(0)
      expect(
        JSON.parse(listed.out)
          .map((p: { title: string }) => p.title)
          .sort(),
      ).toEqual(['Another One', 'Saved While Watching', 'Waiting Before The Start'])
      expect((await lectern('--library', library, 'set', '1', '--status', 'read')).code).toBe(0)
    },
    90_000,
  )
})

describe('the inbox the settings switch on', () => {
  it('is watched while the setting is on, beside the library, and left alone once off', async () => {
    const dir = tempDir()
    const session = await LibrarySession.start(join(dir, 'library.sqlite'), { owner: 'the test' })
    const ctx = {
      session,
      samplePath: SAMPLE_PATH,
      localFiles: false,
      maxImportChars: MAX_DUMP_CHARS,
    }
    const lines: string[] = []
    const follower = followInboxSetting(
      ctx,
      { log: (line) => lines.push(line) },
      { intervalMs: 20 },
    )
    try {
      const inbox = join(dir, 'inbox')
      expect(session.get().settings()).toEqual({
        watchInbox: false,
        inboxFolder: inbox,
        savedSearches: [],
        backupEvery: 'daily',
        backupsKept: 7,
        backupsFolder: null,
      })
      session.get().updateSettings({ watchInbox: true })
      await until('the inbox to be watched', () => lines.includes(`watching ${inbox}`))
      writeFileSync(join(inbox, 'a.bib'), '@misc{a, title = {From The Inbox}}\n')
      await until('a.bib to be imported', () => existsSync(join(inbox, 'processed', 'a.bib')))
      expect(session.get().stats().total).toBe(1)

      session.get().updateSettings({ watchInbox: false })
      await until('the inbox to be let go', () => lines.includes(`stopped watching ${inbox}`))
      writeFileSync(join(inbox, 'b.bib'), '@misc{b, title = {Left Alone}}\n')
      // A few of the follower's turns (it reads the setting every 20 ms here).
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(session.get().stats().total).toBe(1)
      expect(existsSync(join(inbox, 'b.bib'))).toBe(true)
    } finally {
      await follower.stop()
      session.close()
    }
    // The setting is kept in the library.
    const again = await LibrarySession.start(join(dir, 'library.sqlite'), { owner: 'the test' })
    expect(again.get().settings().watchInbox).toBe(false)
    again.get().updateSettings({ watchInbox: true })
    again.close()
    const third = await LibrarySession.start(join(dir, 'library.sqlite'), { owner: 'the test' })
    expect(third.get().settings().watchInbox).toBe(true)
    third.close()
  })
})
