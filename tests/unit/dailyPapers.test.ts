import { describe, expect, it } from 'vitest'
import { parseDump, ImportError } from '../../shared/importers'
import { SAMPLE } from '../helpers/fixtures'

const NOW = new Date('2026-11-30T12:00:00Z')

/** The reference dump's papers, read independently: title, blank line, abstract. */
function expectedPapers(text: string): { title: string; abstract: string }[] {
  const blocks = text.split('\n\n').slice(6)
  const out = []
  for (let i = 0; i < blocks.length; i += 2) {
    out.push({ title: blocks[i]!, abstract: blocks[i + 1]! })
  }
  return out
}

describe('Daily Papers text', () => {
  const expected = expectedPapers(SAMPLE)

  it('reads the reference dump: 95 papers, exact titles and abstracts, no furniture', () => {
    const result = parseDump(SAMPLE, NOW)
    expect(expected).toHaveLength(95)
    expect(result.papers).toHaveLength(95)
    expect(result.papers.map((p) => ({ title: p.title, abstract: p.abstract }))).toEqual(expected)
    expect(result.warnings).toEqual([])
    expect(result.skipped).toBe(0)
    const titles = result.papers.map((p) => p.title)
    for (const furniture of ['new', 'Subscribe', 'Daily Papers', 'Aug 19']) {
      expect(titles).not.toContain(furniture)
    }
  })

  it('keeps the date line as the dump date', () => {
    const result = parseDump(SAMPLE, NOW)
    expect(new Set(result.papers.map((p) => p.dumpDate))).toEqual(new Set(['2026-08-19']))
    expect(result.papers[0]!.dumpDateText).toBe('Aug 19')
    expect(result.papers[0]!.line).toBe(13)
  })

  it('reads the same papers with Windows line endings, a BOM and trailing spaces', () => {
    const variant = '\uFEFF' + SAMPLE.split('\n').join('  \r\n')
    const result = parseDump(variant, NOW)
    expect(result.papers.map((p) => ({ title: p.title, abstract: p.abstract }))).toEqual(expected)
  })

  it('joins wrapped abstracts and titles', () => {
    const text = [
      'Aug 19',
      '',
      'A Title That Was',
      'Wrapped Over Two Lines',
      '',
      'We study wrapping. This abstract was',
      'wrapped at a fixed width by an email client',
      'and must be read as one paragraph.',
    ].join('\n')
    const [paper] = parseDump(text, NOW).papers
    expect(paper!.title).toBe('A Title That Was Wrapped Over Two Lines')
    expect(paper!.abstract).toBe(
      'We study wrapping. This abstract was wrapped at a fixed width by an email client and must be read as one paragraph.',
    )
  })

  it('imports a title without an abstract, with a warning naming its line', () => {
    const text = [
      'Aug 19',
      '',
      'Lonely Title',
      '',
      'Second Paper',
      '',
      'An abstract that is long enough to be prose. It has two sentences.',
    ].join('\n')
    const result = parseDump(text, NOW)
    expect(result.papers.map((p) => [p.title, p.abstract])).toEqual([
      ['Lonely Title', ''],
      ['Second Paper', 'An abstract that is long enough to be prose. It has two sentences.'],
    ])
    expect(result.warnings).toEqual([{ line: 3, message: expect.stringContaining('no abstract') }])
  })

  it('gives each paper the date of the page it was pasted under', () => {
    const page = (date: string, title: string): string =>
      `Daily Papers\n\n${date}\n\n${title}\n\nWe propose a method. It works well on benchmarks.\n`
    const result = parseDump(page('Aug 19', 'First') + '\n' + page('Aug 20', 'Second'), NOW)
    expect(result.papers.map((p) => [p.title, p.dumpDate])).toEqual([
      ['First', '2026-08-19'],
      ['Second', '2026-08-20'],
    ])
  })

  it('places a yearless date in the past, never the future', () => {
    const text = 'Dec 30\n\nA Paper\n\nWe do a thing. It is good.'
    expect(parseDump(text, new Date('2027-01-02T00:00:00Z')).papers[0]!.dumpDate).toBe('2026-12-30')
  })

  it('skips a paragraph with no title, saying where', () => {
    const text =
      'Aug 19\n\nThis paragraph has no title before it and goes on for a while. It is prose.\n\nT\n\nAn abstract is here. More text follows it.'
    const result = parseDump(text, NOW)
    expect(result.skipped).toBe(1)
    expect(result.warnings[0]).toMatchObject({ line: 3 })
    expect(result.papers.map((p) => p.title)).toEqual(['T'])
  })

  it('reads long titles that contain a question or "vs." as titles, by their position', () => {
    const question =
      'What Do Language Models Know? A Benchmark for Probing Factual Knowledge in Large Models'
    const versus =
      'Machine vs. Human Evaluation of Summaries: A Large Scale Study Across Ten Languages'
    const abstract1 = 'We probe what models know. Probing shows gaps in their factual knowledge.'
    const abstract2 = 'We compare metrics with people. Metrics agree with them less than reported.'
    const text = ['Aug 19', question, abstract1, versus, abstract2].join('\n\n')
    const result = parseDump(text, NOW)
    expect(result.papers.map((p) => [p.title, p.abstract, p.line])).toEqual([
      [question, abstract1, 3],
      [versus, abstract2, 7],
    ])
    expect(result.warnings).toEqual([])
    expect(result.skipped).toBe(0)
  })

  it('takes a short one-sentence paragraph after a title as its abstract', () => {
    const text = [
      'Aug 19',
      'A Dataset of Things',
      'We release the dataset.',
      'Another Paper',
      'We propose a method. It works well.',
      'The Last Paper',
      'We release the code.',
    ].join('\n\n')
    const result = parseDump(text, NOW)
    expect(result.papers.map((p) => [p.title, p.abstract])).toEqual([
      ['A Dataset of Things', 'We release the dataset.'],
      ['Another Paper', 'We propose a method. It works well.'],
      ['The Last Paper', 'We release the code.'],
    ])
    expect(result.warnings).toEqual([])
  })

  it('imports a title with no abstract and the paper after it, whatever its title looks like', () => {
    const question =
      'What Do Language Models Know? A Benchmark for Probing Factual Knowledge in Large Models'
    const text = [
      'Aug 19',
      'A Paper Whose Abstract Is Missing',
      question,
      'We probe what models know. Probing shows gaps in their factual knowledge.',
      'A Third Paper Without One',
      'Another Fourth Paper',
      'We release the dataset.',
    ].join('\n\n')
    const result = parseDump(text, NOW)
    expect(result.papers.map((p) => [p.title, p.abstract])).toEqual([
      ['A Paper Whose Abstract Is Missing', ''],
      [question, 'We probe what models know. Probing shows gaps in their factual knowledge.'],
      ['A Third Paper Without One', ''],
      ['Another Fourth Paper', 'We release the dataset.'],
    ])
    expect(result.warnings).toEqual([
      { line: 3, message: expect.stringContaining('has no abstract') },
      { line: 9, message: expect.stringContaining('has no abstract') },
    ])
    expect(result.skipped).toBe(0)
  })

  it('skips an introduction before the first paper, long or short, saying where', () => {
    const long =
      'Every day we pick the papers the community found most interesting. ' +
      'This page lists them with their abstracts, and you can upvote the ones you like. ' +
      'Papers are submitted by their authors or by readers, and each one links to its page ' +
      'on arXiv, its code and its models. Subscribe to get them in your inbox every morning.'
    expect(long.length).toBeGreaterThan(300)
    const text = [
      'Daily Papers',
      'Aug 19',
      long,
      'Here are the papers for today.',
      'The First Paper',
      'We propose a method. It works well on benchmarks.',
    ].join('\n\n')
    const result = parseDump(text, NOW)
    expect(result.papers.map((p) => [p.title, p.abstract, p.line])).toEqual([
      ['The First Paper', 'We propose a method. It works well on benchmarks.', 9],
    ])
    expect(result.skipped).toBe(2)
    expect(result.warnings).toEqual([
      { line: 5, message: expect.stringContaining('no title before it') },
      { line: 7, message: expect.stringContaining('no title before it') },
    ])
  })

  it('refuses what is not a dump, with a reason', () => {
    expect(() => parseDump('', NOW)).toThrow(ImportError)
    expect(() => parseDump('   \n\n', NOW)).toThrow(/empty/)
    expect(() => parseDump('[{"title": "A",', NOW)).toThrow(/not valid JSON/)
    expect(() => parseDump('ok\n\u0000\u0001', NOW)).toThrow(/NUL/)
    expect(() => parseDump('Daily Papers\n\nSubscribe\n\nAug 19\n', NOW)).toThrow(/no papers/)
  })
})

describe('page text that starts like a table', () => {
  it('is read as Daily Papers text when its first title has commas and an element name', () => {
    const text =
      'Ti, Zr and Hf Doping of Perovskite Solar Cells\n\nWe dope perovskites with Ti, Zr and Hf.\n\n' +
      'Title, Abstract, and Keyword Generation with LLMs\n\nWe generate titles.\n'
    const result = parseDump(text, NOW)
    expect(result.format).toBe('daily-papers')
    expect(result.papers.map((p) => p.title)).toEqual([
      'Ti, Zr and Hf Doping of Perovskite Solar Cells',
      'Title, Abstract, and Keyword Generation with LLMs',
    ])
  })
})
