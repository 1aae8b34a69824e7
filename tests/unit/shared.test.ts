import { describe, expect, it } from 'vitest'
import { isWebUrl, splitLinks } from '../../shared/links'
import { titleKey } from '../../shared/titleKey'
import { parseDumpDate } from '../../shared/dates'
import { SECURE_WEB_PREFERENCES } from '../../electron/main/webPreferences'
import { libraryPath, userDataDir } from '../../electron/core/paths'

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
  it('keeps the window locked down', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    })
  })

  it('puts the library where the desktop app keeps its data', () => {
    expect(userDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Lectern')
    expect(libraryPath(undefined, { XDG_CONFIG_HOME: '/cfg' })).toMatch(
      /Lectern[/\\]library\.sqlite$/,
    )
    expect(libraryPath(undefined, { LECTERN_LIBRARY: '/x/y.sqlite' })).toBe('/x/y.sqlite')
  })
})
