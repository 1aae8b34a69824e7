// Search, stars and tags from the command line.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lectern } from '../helpers/cli'
import { SAMPLE_PATH, tempDir } from '../helpers/fixtures'

async function sampleLibrary(): Promise<string> {
  const library = join(tempDir(), 'library.sqlite')
  expect((await lectern('--library', library, 'import', SAMPLE_PATH)).code).toBe(0)
  return library
}

describe('lectern search, star, tag, tags', () => {
  it('searches, best first, with snippets; --json adds score and snippet to whole papers', async () => {
    const library = await sampleLibrary()
    const text = await lectern('--library', library, 'search', 'model*', '--limit', '3')
    expect(text.code).toBe(0)
    const lines = text.out.trim().split('\n')
    expect(lines.length).toBeGreaterThan(1)
    expect(text.out).toMatch(/\[model\w*\]/i)
    const json = JSON.parse((await lectern('--library', library, 'search', 'model*', '--json')).out)
    expect(json.length).toBeGreaterThan(1)
    expect(json).toHaveLength(20)
    expect(json[0]).toMatchObject({ abstract: expect.any(String), tags: [], starred: false })
    expect(json[0].score).toBeGreaterThanOrEqual(json[1].score)
    // In the same order as the text output.
    expect(lines[0]).toContain(json[0].title)
    const none = await lectern('--library', library, 'search', 'zzzzqqq')
    expect(none).toMatchObject({ code: 0, out: '', err: 'no paper matches\n' })
    const odd = await lectern('--library', library, 'search', 'status:maybe', 'video')
    expect(odd.err).toContain('status: is one of')
  })

  it('stars and tags papers; lists by tag and star; renames and deletes tags', async () => {
    const library = await sampleLibrary()
    expect((await lectern('--library', library, 'star', '1', '2')).out).toBe('2 papers starred\n')
    const tagged = await lectern(
      '--library',
      library,
      'tag',
      '2',
      '3',
      '--add',
      'video',
      '--add',
      'To Read Later',
    )
    expect(tagged.out).toContain('2: video, To Read Later')
    const starredVideo = await lectern(
      '--library',
      library,
      'list',
      '--tag',
      'VIDEO',
      '--starred',
      '--json',
    )
    expect(JSON.parse(starredVideo.out).map((p: { id: number }) => p.id)).toEqual([2])
    expect((await lectern('--library', library, 'list', '--starred')).out).toMatch(/★/)
    expect((await lectern('--library', library, 'tags')).out).toBe(
      '     2  To Read Later\n     2  video\n',
    )
    await lectern('--library', library, 'tags', '--rename', 'video', 'Video models')
    expect(JSON.parse((await lectern('--library', library, 'tags', '--json')).out)).toEqual([
      { name: 'To Read Later', count: 2 },
      { name: 'Video models', count: 2 },
    ])
    await lectern('--library', library, 'tag', '3', '--remove', 'to read later')
    await lectern('--library', library, 'tags', '--delete', 'Video models')
    expect(JSON.parse((await lectern('--library', library, 'tags', '--json')).out)).toEqual([
      { name: 'To Read Later', count: 1 },
    ])
    expect((await lectern('--library', library, 'star', '1', '--off')).out).toBe(
      '1 paper unstarred\n',
    )
    const bad = await lectern('--library', library, 'tag', '1')
    expect(bad.code).toBe(2)
    const missing = await lectern('--library', library, 'star', '99999')
    expect(missing).toMatchObject({ code: 1, err: expect.stringContaining('99999') })
  })
})

describe('tags that are not tags', () => {
  it('refuses a blank tag, naming the field, and changes nothing', async () => {
    const library = await sampleLibrary()
    const blank = await lectern('--library', library, 'tag', '1', '--add', '   ')
    expect(blank.code).toBe(2)
    expect(blank.err).toContain('addTags.0: a tag needs a name')
    const rename = await lectern('--library', library, 'tags', '--rename', 'x', '  ')
    expect(rename.err).toContain('to: a tag needs a name')
    // Spaces around a tag are not part of it.
    await lectern('--library', library, 'tag', '1', '--add', '  reading   group ')
    expect(
      JSON.parse(
        (await lectern('--library', library, 'list', '--tag', ' reading group ', '--json')).out,
      ),
    ).toHaveLength(1)
  })
})
