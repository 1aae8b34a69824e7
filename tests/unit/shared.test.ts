import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDump } from '../../shared/importers'
import { isWebUrl, splitLinks } from '../../shared/links'
import { titleKey } from '../../shared/titleKey'
import { parseDumpDate } from '../../shared/dates'
import {
  cleanUrl,
  normaliseDoi,
  splitArxivId,
  stripHtml,
  unwrap,
  yearOf,
} from '../../shared/importers/fields'
import {
  CHOSEN_LIBRARY_FILE,
  chosenLibrary,
  libraryPath,
  userDataDir,
} from '../../electron/core/paths'
import { rememberLibrary } from '../../electron/core/safety/remembered'
import { tempDir } from '../helpers/fixtures'

describe('links in abstracts', () => {
  it('leaves a sentence-ending full stop out of the URL', () => {
    expect(splitLinks('Code: https://github.com/Hao840/ADEM-VL. Next.')).toEqual([
      { kind: 'text', text: 'Code: ' },
      {
        kind: 'link',
        text: 'https://github.com/Hao840/ADEM-VL',
        url: 'https://github.com/Hao840/ADEM-VL',
      },
      { kind: 'text', text: '. Next.' },
    ])
  })

  it('keeps balanced brackets and drops an unbalanced closing one', () => {
    const [, link] = splitLinks('see https://en.wikipedia.org/wiki/Foo_(bar) now')
    expect(link).toMatchObject({ url: 'https://en.wikipedia.org/wiki/Foo_(bar)' })
    const [, inParens] = splitLinks('(at https://x.org/a),')
    expect(inParens).toMatchObject({ url: 'https://x.org/a' })
  })

  it('lets only web links out', () => {
    expect(isWebUrl('https://arxiv.org/abs/1')).toBe(true)
    expect(isWebUrl('javascript:alert(1)')).toBe(false)
    expect(isWebUrl('file:///etc/passwd')).toBe(false)
  })
})

describe('paper identity', () => {
  it('folds case, accents, LaTeX and punctuation', () => {
    expect(titleKey("Mat\\'ern Kernels: A Study")).toBe(titleKey('matern kernels — a study'))
    expect(titleKey('Thyme: Think Beyond Images')).toBe('thyme think beyond images')
  })
})

describe('dump dates', () => {
  const now = new Date('2026-11-30T00:00:00Z')
  it('reads the forms dumps use', () => {
    expect(parseDumpDate('Aug 19', now)).toBe('2026-08-19')
    expect(parseDumpDate('August 19, 2025', now)).toBe('2025-08-19')
    expect(parseDumpDate('Tue, Aug 19, 2025', now)).toBe('2025-08-19')
    expect(parseDumpDate('2025-08-19', now)).toBe('2025-08-19')
    expect(parseDumpDate('Feb 30', now)).toBeNull()
    expect(parseDumpDate('Augmented reality', now)).toBeNull()
    expect(parseDumpDate('May 5 things', now)).toBeNull()
  })
})

describe('desktop shell settings', () => {
  it('puts the library where the desktop app keeps its data', () => {
    expect(userDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Lectern')
    expect(libraryPath(undefined, { XDG_CONFIG_HOME: '/cfg' })).toMatch(
      /Lectern[/\\]library\.sqlite$/,
    )
    expect(libraryPath(undefined, { LECTERN_LIBRARY: '/x/y.sqlite' })).toBe('/x/y.sqlite')
  })

  it('the library opened from the app’s Settings is the app’s (and the command line’s) next time', () => {
    const data = join(tempDir(), 'Lectern')
    const other = join(tempDir(), 'papers', 'library.sqlite')
    expect(libraryPath(undefined, {}, data)).toBe(join(data, 'library.sqlite'))
    expect(chosenLibrary(data)).toBeNull()
    rememberLibrary(other, data)
    expect(chosenLibrary(data)).toBe(other)
    expect(libraryPath(undefined, {}, data)).toBe(other)
    // LECTERN_LIBRARY and --library still say which, over the choice.
    expect(libraryPath(undefined, { LECTERN_LIBRARY: join(data, 'env.sqlite') }, data)).toBe(
      join(data, 'env.sqlite'),
    )
    expect(libraryPath(join(data, 'x.sqlite'), {}, data)).toBe(join(data, 'x.sqlite'))
    // Nothing usable in the file: the default library, as before any choice.
    for (const text of ['{"library": "relative/library.sqlite"}', 'not json', '{}', 'null']) {
      writeFileSync(join(data, CHOSEN_LIBRARY_FILE), text)
      expect(libraryPath(undefined, {}, data), text).toBe(join(data, 'library.sqlite'))
    }
    expect(readdirSync(data)).toEqual([CHOSEN_LIBRARY_FILE])
  })
})

describe('metadata normal forms', () => {
  it('normalise DOIs, arXiv ids, wrapped text, HTML and URLs', () => {
    expect(normaliseDoi('https://doi.org/10.1000/ABC.def).')).toBe('10.1000/abc.def')
    expect(normaliseDoi('doi: 10.48550/arXiv.2408.01234')).toBe('10.48550/arxiv.2408.01234')
    expect(normaliseDoi('not a doi 10.12/x')).toBeNull()
    expect(splitArxivId('arXiv:2408.01234v2')).toEqual({ id: '2408.01234', version: 2 })
    expect(splitArxivId('https://arxiv.org/abs/hep-th/9901001v1')).toEqual({
      id: 'hep-th/9901001',
      version: 1,
    })
    expect(splitArxivId('math.AG/0601001')).toEqual({ id: 'math/0601001', version: null })
    expect(splitArxivId('https://arxiv.org/abs/hep-ex/0307015')).toEqual({
      id: 'hep-ex/0307015',
      version: null,
    })
    expect(splitArxivId('10.48550/arXiv.2408.01234')).toEqual({ id: '2408.01234', version: null })
    expect(splitArxivId('version 12345')).toBeNull()
    expect(unwrap('A title wrapped\n  over two lines')).toBe('A title wrapped over two lines')
    expect(stripHtml('H<SUB>2</SUB>O &lt;3 &#233;t&eacute;<BR />x')).toBe('H2O <3 ét&eacute; x')
    expect(cleanUrl('https://github.com/x/y).')).toBe('https://github.com/x/y')
    expect(yearOf('2020///')).toBe(2020)
  })

  it('stay linear on long runs (no regex backtracking)', () => {
    const runs = ['-', '.', ' ', 'a', '1', ')'].map((c) => c.repeat(200_000))
    for (const run of runs) {
      normaliseDoi(`10.1000/${run}x`)
      splitArxivId(`${run}/1234567`)
      unwrap(`${run}x\n${run}`)
      cleanUrl(`https://x/${run}x`)
      stripHtml(`<${run}`)
    }
  })
})

describe('links named in an abstract', () => {
  const now = new Date('2026-11-30T12:00:00Z')

  it('are kept with the paper’s links, trailing punctuation removed, each once', () => {
    const [paper] = parseDump(
      'Aug 19\n\nA Paper With Code\n\nCode is at https://github.com/lab/repo. Project page: (https://lab.example/p).\n',
      now,
    ).papers
    expect(paper!.meta?.urls).toEqual(['https://github.com/lab/repo', 'https://lab.example/p'])
    const [bib] = parseDump(
      '@article{k, title = {T}, url = {https://github.com/lab/repo}, abstract = {See https://github.com/lab/repo, and https://data.example/set.}}',
      now,
    ).papers
    expect(bib!.meta?.urls).toEqual(['https://github.com/lab/repo', 'https://data.example/set'])
  })
})
