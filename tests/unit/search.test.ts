// Search: the query language, ranking and snippets, tags and stars; and the index kept exactly
// in step with the papers through every kind of change (compared with a plain scan).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { highlightTerms, parseSearch, searchWords } from '../../shared/search'
import type { SearchAtom } from '../../shared/search'
import type { Paper, Sort } from '../../shared/domain'
import { compileSearch } from '../../electron/core/db/search'
import { rankingSql } from '../../electron/core/db/queries'
import type { Db } from '../../electron/core/db/database'
import { expectedIds } from '../../testkit/crash/searchIndex'
import { Library } from '../../electron/core/store/library'
import { openTempLibrary } from '../helpers/library'

const byId: Sort = { field: 'addedAt', direction: 'asc' }
const relevance: Sort = { field: 'relevance', direction: 'desc' }

function bib(papers: { title: string; abstract: string; authors?: string[]; year?: number }[]) {
  return papers
    .map(
      (p, i) =>
        `@misc{k${i}, title = {${p.title}}, abstract = {${p.abstract}}${
          p.authors ? `, author = {${p.authors.join(' and ')}}` : ''
        }${p.year ? `, year = {${p.year}}` : ''}}`,
    )
    .join('\n')
}

/** The ids a search finds: in rank order by relevance, else by id. */
function ids(lib: Library, search: string, sort: Sort = byId): number[] {
  const found = lib.listPapers({ sort, search, offset: 0, limit: -1 }).rows.map((r) => r.id)
  return sort.field === 'relevance' ? found : found.sort((a, b) => a - b)
}

describe('reading a query', () => {
  it('reads words, phrases, prefixes, exclusions, OR and fields', () => {
    const parsed = parseSearch(
      'diffusion "flow matching" diffus* -survey vision OR language title:BERT',
    )
    const atoms = parsed.groups.map((g) => g.map((a: SearchAtom) => a))
    expect(atoms).toHaveLength(6)
    expect(atoms[0]![0]!.term).toEqual({
      kind: 'text',
      field: null,
      words: ['diffusion'],
      prefix: false,
    })
    expect(atoms[1]![0]!.term).toMatchObject({ words: ['flow', 'matching'] })
    expect(atoms[2]![0]!.term).toMatchObject({ words: ['diffus'], prefix: true })
    expect(atoms[3]![0]).toMatchObject({ negated: true, term: { words: ['survey'] } })
    expect(atoms[4]!.map((a) => a.term)).toMatchObject([
      { words: ['vision'] },
      { words: ['language'] },
    ])
    expect(atoms[5]![0]!.term).toMatchObject({ field: 'title', words: ['bert'] })
    expect(parsed.notes).toEqual([])
  })

  it('reads filters: status, year, tag, has, is', () => {
    const terms = parseSearch(
      'status:to-read year:2020..2024 year:>=2021 tag:robotics tag:ml* has:note is:starred -is:read',
    ).groups.map((g) => g[0])
    expect(terms).toMatchObject([
      { term: { kind: 'status', status: 'to-read' } },
      { term: { kind: 'year', from: 2020, to: 2024 } },
      { term: { kind: 'year', from: 2021, to: null } },
      { term: { kind: 'tag', name: 'robotics', prefix: false } },
      { term: { kind: 'tag', name: 'ml', prefix: true } },
      { term: { kind: 'has', what: 'note' } },
      { term: { kind: 'starred' } },
      { negated: true, term: { kind: 'status', status: 'read' } },
    ])
  })

  it('gently explains what it could not read, and never throws', () => {
    expect(parseSearch('status:maybe "open quote').notes).toEqual([
      'A quote was not closed; it was closed at the end.',
      expect.stringContaining('status: is one of'),
    ])
    expect(parseSearch('year:soon').notes[0]).toContain('year: takes a year')
    expect(parseSearch('OR').notes).toContain('OR needs something on each side.')
    // An unknown field is words: "BERT: pre-training" searches bert, pre, training.
    expect(
      parseSearch('BERT: pre-training')
        .groups.flat()
        .map((a) => a.term),
    ).toMatchObject([{ words: ['bert'] }, { words: ['pre', 'training'] }])
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (q) => {
        const parsed = parseSearch(q)
        compileSearch(q)
        highlightTerms(parsed)
      }),
    )
  })

  it('splits words as the index does (case ignored; the index folds accents itself)', () => {
    expect(searchWords('Schrödinger’s CAT-like, 3D')).toEqual([
      'schrödinger',
      's',
      'cat',
      'like',
      '3d',
    ])
  })
})

describe('searching a library', () => {
  async function library() {
    const { lib } = await openTempLibrary()
    lib.importText(
      'papers.bib',
      bib([
        {
          title: 'Diffusion Policy for Robot Manipulation',
          abstract: 'We learn visuomotor policies with denoising diffusion models.',
          authors: ['Cheng Chi', 'Shuran Song'],
          year: 2023,
        },
        {
          title: 'A Survey of Diffusion Models',
          abstract: 'A broad survey of diffusion and score-based generative models.',
          year: 2022,
        },
        {
          title: 'Flow Matching for Generative Modeling',
          abstract: 'Flow matching trains continuous normalizing flows without simulation.',
          authors: ['Yaron Lipman'],
          year: 2022,
        },
        {
          title: 'Vision Transformers Need Registers',
          abstract: 'Attention maps of vision transformers show artifacts.',
          year: 2024,
        },
      ]),
    )
    return lib
  }

  it('finds by words, phrases, prefixes, exclusion, OR and fields, ranked', async () => {
    const lib = await library()
    expect(ids(lib, 'diffusion')).toEqual([1, 2])
    expect(ids(lib, 'diffusion -survey')).toEqual([1])
    expect(ids(lib, '"flow matching"')).toEqual([3])
    expect(ids(lib, '"matching flow"')).toEqual([])
    expect(ids(lib, 'transform*')).toEqual([4])
    expect(ids(lib, 'registers OR lipman')).toEqual([3, 4])
    expect(ids(lib, 'author:song')).toEqual([1])
    expect(ids(lib, 'title:survey')).toEqual([2])
    expect(ids(lib, 'abstract:survey')).toEqual([2])
    expect(ids(lib, 'year:2022')).toEqual([2, 3])
    expect(ids(lib, '-diffusion')).toEqual([3, 4])
    expect(ids(lib, 'year:>2022 OR lipman')).toEqual([1, 3, 4])
    // Relevance: the title counts for most.
    expect(ids(lib, 'survey diffusion OR generative', relevance)[0]).toBe(2)
    lib.close()
  })

  it('marks the hits in a snippet of the abstract, and says what it did not understand', async () => {
    const lib = await library()
    const page = lib.listPapers({
      sort: relevance,
      search: 'denoising status:nope',
      offset: 0,
      limit: 10,
    })
    expect(page.rows).toHaveLength(1)
    expect(page.rows[0]!.snippet).toContainEqual({ text: 'denoising', hit: true })
    expect(page.searchNotes![0]).toContain('status: is one of')
    // A title-only match has no abstract snippet.
    const title = lib.listPapers({ sort: byId, search: 'registers', offset: 0, limit: 10 })
    expect(title.rows[0]!.snippet).toBeNull()
    lib.close()
  })

  it('stars and tags papers, filters by them, and searches tags and notes', async () => {
    const lib = await library()
    const before = lib.updatePapers({
      ids: [1, 3],
      starred: true,
      addTags: ['Generative', 'robotics'],
    })
    expect(before.map((b) => b.starred)).toEqual([false, false])
    lib.updatePapers({ ids: [2], addTags: ['generative'] })
    lib.setNote(4, 'Registers remove the artifacts; compare with DINOv2.')
    expect(lib.tags()).toEqual([
      { name: 'Generative', count: 3 },
      { name: 'robotics', count: 2 },
    ])
    expect(lib.getPaper(2).tags).toEqual(['Generative'])
    expect(ids(lib, 'tag:generative')).toEqual([1, 2, 3])
    expect(ids(lib, 'is:starred -tag:robotics')).toEqual([])
    expect(ids(lib, 'robotics')).toEqual([1, 3])
    expect(ids(lib, 'note:dinov2')).toEqual([4])
    expect(ids(lib, 'has:note')).toEqual([4])
    expect(
      lib.listPapers({ sort: byId, starred: true, tag: 'robotics', offset: 0, limit: 9 }).total,
    ).toBe(2)
    lib.renameTag('robotics', 'Robots')
    expect(ids(lib, 'tag:robots')).toEqual([1, 3])
    expect(ids(lib, 'robotics')).toEqual([])
    lib.restorePapers(before)
    // The tag renamed since is the user's later work: it stays.
    expect(lib.getPaper(1)).toMatchObject({ starred: false, tags: ['Robots'] })
    expect(ids(lib, 'is:starred')).toEqual([])
    lib.deleteTag('generative')
    expect(lib.tags()).toEqual([{ name: 'Robots', count: 2 }])
    lib.close()
  })

  it('renames a tag to another spelling of itself (only its case)', async () => {
    const lib = await library()
    lib.updatePapers({ ids: [1, 2], addTags: ['ml'] })
    const renamed = lib.renameTag('ml', 'ML')
    expect(renamed.map((p) => p.id)).toEqual([1, 2])
    expect(lib.tags()).toEqual([{ name: 'ML', count: 2 }])
    expect(lib.getPaper(1).tags).toEqual(['ML'])
    // Undone: its old spelling back on both, not the new one the other paper still had.
    lib.restorePapers(renamed)
    expect(lib.tags()).toEqual([{ name: 'ml', count: 2 }])
    lib.close()
  })

  it('finds words after a NUL that came in escaped in an import', async () => {
    const { lib } = await openTempLibrary()
    const csl = JSON.stringify([
      {
        id: 'a',
        type: 'article',
        title: 'Zebra\u0000 stripes',
        abstract: 'First\u0000 then okapi.',
      },
    ])
    lib.importText('refs.json', csl, 'csl-json')
    expect(lib.getPaper(1)).toMatchObject({ title: 'Zebra stripes', abstract: 'First then okapi.' })
    expect(ids(lib, 'okapi')).toEqual([1])
    expect(ids(lib, 'title:stripes')).toEqual([1])
    lib.close()
  })

  it('undoes several changes of one paper together, each in turn', async () => {
    const lib = await library()
    const a = lib.updatePapers({ ids: [1], status: 'read', addTags: ['x'] })
    const b = lib.updatePapers({ ids: [1], status: 'skipped', addTags: ['y'] })
    lib.restorePapers([...b, ...a])
    expect(lib.getPaper(1)).toMatchObject({ status: 'new', tags: [] })
    expect(lib.getPaper(1).statusHistory).toEqual([])
    lib.close()
  })

  it('keeps one tag of spellings that differ beyond A to Z, and finds it by any prefix', async () => {
    const lib = await library()
    lib.updatePapers({ ids: [1, 2], addTags: ['über'] })
    const respelled = lib.renameTag('über', 'Über')
    lib.updatePapers({ ids: [3], addTags: ['über'] })
    // Undone: papers 1 and 2 spell it “über” again; paper 3 kept “Über”. Still one tag.
    lib.restorePapers(respelled)
    expect(lib.tags()).toEqual([{ name: 'über', count: 3 }])
    expect(ids(lib, 'tag:ÜBER')).toEqual([1, 2, 3])
    expect(lib.deleteTag('über').map((p) => p.id)).toEqual([1, 2, 3])
    expect(lib.tags()).toEqual([])
    lib.updatePapers({ ids: [1], addTags: ['Über🙂x'] })
    lib.updatePapers({ ids: [2], addTags: ['ΦΥΣΙΚΗΣ'] })
    expect(ids(lib, 'tag:über🙂*')).toEqual([1])
    expect(ids(lib, 'tag:ΦΥΣ*')).toEqual([2])
    expect(ids(lib, 'tag:φυσικης')).toEqual([2])
    lib.updatePapers({ ids: [3], addTags: ['φυσικής'] })
    expect(lib.getPaper(3).tags).toEqual(['φυσικής'])
    lib.close()
  })

  it('ranks a search in a view by reading the index once, not once per paper of the view', async () => {
    // SQLite, left to choose, walked the view's papers (by the status index) and ran the whole
    // MATCH again for each: a search in the Inbox of 100,000 papers took over three minutes.
    const lib = await library()
    const db = (lib as unknown as { db: Db }).db
    const filter = { sql: 'WHERE status = ? AND starred = 1', params: [0] }
    const plan = db
      .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${rankingSql(filter.sql)}`, [
        'diffusion',
        ...filter.params,
      ])
      .map((r) => r.detail)
    expect(plan[0]).toMatch(/^SCAN papers_fts VIRTUAL TABLE/)
    expect(plan[1]).toMatch(/^SEARCH papers USING INTEGER PRIMARY KEY/)
    lib.close()
  })

  it('keeps a ranking across a status or star change, and ranks again when the text changes', async () => {
    const lib = await library()
    const inbox = (search: string) =>
      lib
        .listPapers({ sort: relevance, status: 'new', search, offset: 0, limit: 10 })
        .rows.map((r) => r.id)
    expect(inbox('diffusion models')).toEqual([2, 1])
    // Triage in the search: the paper leaves the Inbox at once, the others keep their order.
    lib.setStatus(2, 'read')
    expect(inbox('diffusion models')).toEqual([1])
    lib.updatePapers({ ids: [1], starred: true })
    expect(
      lib
        .listPapers({ sort: relevance, starred: true, search: 'diffusion', offset: 0, limit: 9 })
        .rows.map((r) => r.id),
    ).toEqual([1])
    // A note with the words: now a hit, ranked with the rest.
    lib.setNote(3, 'diffusion models, diffusion models, diffusion models')
    expect(inbox('diffusion models')).toEqual([3, 1])
    // A tag is indexed text too.
    lib.updatePapers({ ids: [4], addTags: ['diffusion models'] })
    expect(inbox('diffusion models')).toContain(4)
    expect(lib.paperIds({ sort: relevance, status: 'new', search: 'diffusion models' })).toEqual(
      inbox('diffusion models'),
    )
    lib.close()
  })

  it('finds every word of a note, also one after a NUL character in it', async () => {
    const lib = await library()
    lib.setNote(2, 'pasted from a PDF\u0000 then ablation details')
    // The NUL is not kept: nothing shows it, and the index would stop reading there.
    expect(lib.getPaper(2).note).toBe('pasted from a PDF then ablation details')
    expect(ids(lib, 'note:ablation')).toEqual([2])
    expect(ids(lib, 'pasted ablation')).toEqual([2])
    lib.setNote(2, '')
    expect(ids(lib, 'ablation')).toEqual([])
    lib.close()
  })

  it('ignores the case of tags in every script, not only A to Z', async () => {
    const lib = await library()
    lib.updatePapers({ ids: [1], addTags: ['Über', 'Σύνοψη'] })
    lib.updatePapers({ ids: [2], addTags: ['über', 'σύνοψη'] })
    // One tag each, spelled as the library first spelled it.
    expect(lib.tags()).toEqual([
      { name: 'Über', count: 2 },
      { name: 'Σύνοψη', count: 2 },
    ])
    expect(lib.getPaper(2).tags).toEqual(['Über', 'Σύνοψη'])
    expect(ids(lib, 'tag:ÜBER')).toEqual([1, 2])
    expect(ids(lib, 'tag:σύν*')).toEqual([1, 2])
    expect(ids(lib, '-tag:über')).toEqual([3, 4])
    expect(lib.listPapers({ sort: byId, tag: 'über', offset: 0, limit: 9 }).total).toBe(2)
    lib.updatePapers({ ids: [1], removeTags: ['ÜBER'] })
    expect(lib.getPaper(1).tags).toEqual(['Σύνοψη'])
    expect(lib.renameTag('σύνοψη', 'Survey').map((p) => p.id)).toEqual([1, 2])
    expect(lib.deleteTag('ÜBER').map((p) => p.id)).toEqual([2])
    expect(lib.tags()).toEqual([{ name: 'Survey', count: 2 }])
    lib.close()
  })

  it('undoes the rename or deletion of a tag exactly, merges included', async () => {
    const lib = await library()
    lib.updatePapers({ ids: [1, 2], addTags: ['a', 'b'] })
    lib.updatePapers({ ids: [3], addTags: ['b'] })
    lib.updatePapers({ ids: [4], addTags: ['a'] })
    const merged = lib.renameTag('a', 'b')
    expect(lib.tags()).toEqual([{ name: 'b', count: 4 }])
    lib.restorePapers(merged)
    // Each paper as it was, the order of its tags too.
    expect([1, 2, 3, 4].map((id) => lib.getPaper(id).tags)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['b'],
      ['a'],
    ])
    const deleted = lib.deleteTag('b')
    expect(deleted.map((p) => p.id)).toEqual([1, 2, 3])
    lib.restorePapers(deleted)
    expect(lib.tags()).toEqual([
      { name: 'a', count: 3 },
      { name: 'b', count: 3 },
    ])
    expect(lib.getPaper(1).tags).toEqual(['a', 'b'])
    lib.updatePapers({ ids: [1], addTags: ['c'] })
    const removed = lib.updatePapers({ ids: [1], removeTags: ['a'] })
    lib.restorePapers(removed)
    expect(lib.getPaper(1).tags).toEqual(['a', 'b', 'c'])
    lib.close()
  })

  it('undoing a star or a tag leaves alone what the change did not touch, or what changed since', async () => {
    const lib = await library()
    lib.setStatus(1, 'reading')
    const star = lib.updatePapers({ ids: [1], starred: true })
    // Changed outside the undo: the status, and a tag added by someone else.
    lib.setStatus(1, 'read')
    const tag = lib.updatePapers({ ids: [1, 2], addTags: ['keep-me'] })
    lib.updatePapers({ ids: [1], addTags: ['later'] })
    lib.restorePapers(tag)
    expect(lib.getPaper(1).tags).toEqual(['later'])
    expect(lib.getPaper(2).tags).toEqual([])
    lib.restorePapers(star)
    const paper = lib.getPaper(1)
    expect(paper).toMatchObject({ starred: false, status: 'read' })
    expect(paper.statusHistory.map((h) => h.status)).toEqual(['reading', 'read'])
    // A status undone after the paper's status changed again is left as it is now.
    const read = lib.updatePapers({ ids: [2], status: 'read' })
    lib.setStatus(2, 'skipped')
    lib.restorePapers(read)
    expect(lib.getPaper(2).status).toBe('skipped')
    expect(lib.getPaper(2).statusHistory.map((h) => h.status)).toEqual(['read', 'skipped'])
    lib.close()
  })

  it('undoes a status change with its history', async () => {
    const lib = await library()
    lib.setStatus(1, 'to-read')
    const before = lib.updatePapers({ ids: [1, 2], status: 'read' })
    expect(lib.getPaper(1).statusHistory.map((h) => h.status)).toEqual(['to-read', 'read'])
    lib.restorePapers(before)
    expect(lib.getPaper(1)).toMatchObject({ status: 'to-read' })
    expect(lib.getPaper(1).statusHistory.map((h) => h.status)).toEqual(['to-read'])
    expect(lib.getPaper(2)).toMatchObject({ status: 'new', statusHistory: [] })
    lib.close()
  })

  it('never fails: many exclusions, odd filter values, words in any script', async () => {
    const lib = await library()
    lib.setNote(
      3,
      'Notes in 한국어, ガウス過程, हिन्दी, Ελληνικά and ﬁnite Ａｔｔｅｎｔｉｏｎ, after Schrödinger.',
    )
    const many = ['flow', ...'abcdefghijklmnopqrstu'.split('').map((c) => `-${c}${c}zz`)].join(' ')
    expect(ids(lib, many)).toEqual([3])
    expect(ids(lib, 'has:constructor flow')).toEqual([3])
    expect(ids(lib, 'status:constructor flow')).toEqual([3])
    expect(ids(lib, 'is:__proto__ flow')).toEqual([3])
    for (const word of [
      '한국어',
      'ガウス過程',
      'हिन्दी',
      'Ελληνικά',
      'ﬁnite',
      'Ａｔｔｅｎｔｉｏｎ',
      'schrodinger',
      'SCHRÖDINGER',
    ]) {
      expect(ids(lib, word), word).toEqual([3])
    }
    lib.close()
  })

  it('finds more like this from the words that say most about a paper', async () => {
    const { lib } = await openTempLibrary()
    const topics = [
      ['diffusion', 'denoising', 'score', 'sampler'],
      ['graph', 'neural', 'message', 'passing'],
      ['reinforcement', 'reward', 'policy', 'agent'],
    ]
    const papers = Array.from({ length: 30 }, (_, i) => {
      const words = topics[i % 3]!
      return {
        title: `Study ${i} of ${words[i % 4]} ${words[(i + 1) % 4]}`,
        abstract: `We study ${words.join(' ')} and ${words[i % 4]} in setting ${i}.`,
      }
    })
    lib.importText('t.bib', bib(papers))
    const like = lib.similarPapers(1, 9)
    expect(like.rows.map((r) => r.id)).not.toContain(1)
    expect(like.rows.every((r) => (r.id - 1) % 3 === 0)).toBe(true)
    expect(like.terms).toEqual(expect.arrayContaining(['diffusion']))
    lib.close()
  })
})

// The brute force: what each query should find, computed from the papers alone.
const bruteForce = (papers: Paper[], query: string): number[] => expectedIds(papers, query)

const VOCAB = ['alpha', 'beta', 'gamma', 'delta', 'alphabet', 'betamax', 'gam']
const TAGS = ['ml', 'ML-ops', 'robotics', 'Reading group']

describe('the index is in step with the papers', () => {
  const text = fc
    .array(fc.constantFrom(...VOCAB), { minLength: 1, maxLength: 6 })
    .map((w) => w.join(' '))
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('import' as const),
      papers: fc.array(fc.tuple(text, text, fc.option(fc.integer({ min: 2019, max: 2025 }))), {
        minLength: 1,
        maxLength: 5,
      }),
    }),
    fc.record({
      kind: fc.constant('note' as const),
      pick: fc.nat(),
      note: fc.oneof(text, fc.constant('')),
    }),
    fc.record({
      kind: fc.constant('tag' as const),
      pick: fc.nat(),
      add: fc.subarray(TAGS),
      remove: fc.subarray(TAGS),
      starred: fc.option(fc.boolean(), { nil: undefined }),
      status: fc.option(fc.constantFrom('read' as const, 'to-read' as const), { nil: undefined }),
    }),
    fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('restore' as const) }),
    fc.record({ kind: fc.constant('undoImport' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('undoUpdate' as const) }),
    fc.record({
      kind: fc.constant('rename' as const),
      from: fc.constantFrom(...TAGS),
      to: fc.constantFrom(...TAGS, 'renamed'),
    }),
  )
  const query = fc.oneof(
    fc
      .array(
        fc.oneof(
          fc.constantFrom(...VOCAB),
          fc.constantFrom(...VOCAB).map((w) => `${w.slice(0, 3)}*`),
          fc.constantFrom(...VOCAB).map((w) => `-${w}`),
          fc
            .tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...VOCAB))
            .map(([a, b]) => `"${a} ${b}"`),
          fc
            .tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...VOCAB))
            .map(([a, b]) => `${a} OR ${b}`),
          fc
            .constantFrom('title:', 'abstract:', 'note:')
            .chain((f) => fc.constantFrom(...VOCAB).map((w) => f + w)),
          // A phrase in one field (read from the index's lists, or by SQLite in a change).
          fc
            .tuple(
              fc.constantFrom('title:', 'abstract:', 'note:', '-title:', '-note:'),
              fc.constantFrom(...VOCAB),
              fc.constantFrom(...VOCAB),
              fc.boolean(),
            )
            .map(([f, a, b, prefix]) => `${f}"${a} ${prefix ? `${b.slice(0, 3)}*` : b}"`),
          fc.constantFrom(
            'tag:ml',
            'tag:ml*',
            '-tag:robotics',
            'tag:"reading group"',
            'is:starred',
            'has:note',
            'status:read',
            '-status:to-read',
            'year:2020..2022',
            'year:>=2024',
            'has:tags',
          ),
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((parts) => parts.join(' ')),
  )

  it('after any sequence of changes, and after the journal is replayed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 14 }),
        fc.array(query, { minLength: 4, maxLength: 8 }),
        async (ops, queries) => {
          const { lib, path } = await openTempLibrary()
          let library = lib
          const undo: ReturnType<Library['updatePapers']>[] = []
          let n = 0
          const present = () =>
            library.listPapers({ sort: byId, offset: 0, limit: -1 }).rows.map((r) => r.id)
          const pick = (i: number) => {
            const all = present()
            return all.length ? all[i % all.length]! : null
          }
          for (const o of ops) {
            try {
              switch (o.kind) {
                case 'import':
                  library.importText(
                    `d${n++}.bib`,
                    bib(
                      o.papers.map(([title, abstract, year]) => ({
                        title: `${title} ${n}`,
                        abstract,
                        year: year ?? undefined,
                      })),
                    ),
                  )
                  break
                case 'note': {
                  const id = pick(o.pick)
                  if (id) library.setNote(id, o.note)
                  break
                }
                case 'tag': {
                  const id = pick(o.pick)
                  if (
                    id &&
                    (o.add.length || o.remove.length || o.starred !== undefined || o.status)
                  ) {
                    undo.push(
                      library.updatePapers({
                        ids: [id],
                        addTags: o.add,
                        removeTags: o.remove,
                        starred: o.starred,
                        status: o.status,
                      }),
                    )
                  }
                  break
                }
                case 'delete': {
                  const id = pick(o.pick)
                  if (id) library.deletePapers([id])
                  break
                }
                case 'restore':
                  library.restoreDeleted(null)
                  break
                case 'undoImport': {
                  const imports = library.imports().filter((i) => i.undoneAt === null)
                  if (imports.length) library.undoImport(imports[o.pick % imports.length]!.id)
                  break
                }
                case 'undoUpdate': {
                  const last = undo.pop()
                  if (last) library.restorePapers(last)
                  break
                }
                case 'rename':
                  library.renameTag(o.from, o.to)
                  break
              }
            } catch (error) {
              // Refusals (nothing to restore, no such tag) are part of the game; others are not.
              if (!(error instanceof Error) || !/no |not |already/.test(error.message)) throw error
            }
          }
          const check = () => {
            const papers = library.listFullPapers({ sort: byId, offset: 0, limit: -1 })
            for (const q of queries) {
              const expected = bruteForce(papers, q)
              expect(ids(library, q), q).toEqual(expected)
              // The count of a page's query is counted apart from its rows (an exclusion alone is
              // counted as the rest less the excluded hits): the same number, in a view too.
              for (const status of [null, 'new' as const]) {
                const kept = status
                  ? bruteForce(papers, q).filter(
                      (id) => papers.find((p) => p.id === id)!.status === status,
                    )
                  : expected
                const page = { sort: byId, search: q, status, offset: 0, limit: 2 }
                expect(library.listPapers(page).total, `${q} (${status ?? 'all'})`).toBe(
                  kept.length,
                )
              }
              expect(new Set(ids(library, q, relevance)), q).toEqual(new Set(bruteForce(papers, q)))
            }
            const tagCounts = new Map<string, number>()
            for (const p of papers)
              for (const t of p.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1)
            expect(
              library
                .tags()
                .map((t) => [t.name, t.count])
                .sort(),
            ).toEqual([...tagCounts].sort())
          }
          check()
          // Closed without a final snapshot (as a crash would): reopened, the journal replays.
          ;(library as unknown as { checkpoint: () => void }).checkpoint = () => {}
          library.close()
          library = await Library.open(path)
          check()
          library.close()
        },
      ),
      { numRuns: 40 },
    )
  }, 120_000)
})
