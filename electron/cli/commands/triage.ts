// Finding and sorting papers from the command line: search, stars and tags.
import type { Paper, PaperRow } from '../../../shared/domain'
import { SEARCH_SYNTAX } from '../../../shared/search'
import { UsageError, flag, printJson, stringOption, toId } from '../command'
import type { Command, CommandRun } from '../command'
import { inline, rowLine } from '../print'
import { pages, parseLimit } from './list'

/** A snippet with its hits in [brackets], on one line. */
function snippetText(snippet: PaperRow['snippet']): string {
  return inline(
    (snippet ?? [])
      .map((p) => (p.hit ? `[${p.text}]` : p.text))
      .join('')
      .replace(/\s+/g, ' ')
      .trim(),
  )
}

function ids(ctx: CommandRun): number[] {
  if (ctx.args.length === 0) throw new UsageError('name at least one paper (its id)')
  return ctx.args.map(toId)
}

/** Repeated options (`--add a --add b`), or a single comma-free one. */
function list(ctx: CommandRun, name: string): string[] {
  const value = ctx.values[name] as unknown
  if (Array.isArray(value)) return value.map(String)
  return typeof value === 'string' ? [value] : []
}

export const searchCommand: Command = {
  name: 'search',
  synopsis: 'QUERY [--limit N] [--json]',
  summary: `search titles, abstracts, authors, notes and tags, best match first (${SEARCH_SYNTAX.slice(
    0,
    5,
  )
    .map((s) => s.example)
    .join(', ')}, title: tag: status: year: has:note is:starred …)`,
  options: { limit: { type: 'string' }, json: { type: 'boolean' } },
  access: 'read',
  async run(ctx) {
    const search = ctx.args.join(' ').trim()
    if (!search) throw new UsageError('give something to search for')
    const limit = parseLimit(stringOption(ctx, 'limit') ?? '20')
    const query = { sort: { field: 'relevance', direction: 'desc' } as const, status: null, search }
    const json = flag(ctx, 'json')
    const found: (Paper & Pick<PaperRow, 'score' | 'snippet'>)[] = []
    let notes: string[] = []
    const fetch = async (offset: number, size: number): Promise<PaperRow[]> => {
      const page = await ctx.call('listPapers', { ...query, offset, limit: size })
      notes = page.searchNotes ?? []
      if (!json) return page.rows
      // The same ranking (kept between calls), whole papers this time.
      const whole = await ctx.call('listFullPapers', { ...query, offset, limit: size })
      page.rows.forEach((row, i) => {
        const paper = whole[i]
        if (paper?.id === row.id) found.push({ ...paper, score: row.score, snippet: row.snippet })
      })
      return page.rows
    }
    let shown = 0
    for await (const rows of pages(fetch, limit)) {
      if (json) continue
      for (const row of rows) {
        ctx.io.out(rowLine(row))
        const snippet = snippetText(row.snippet)
        if (snippet) ctx.io.out(`        ${snippet}`)
        shown += 1
      }
    }
    for (const note of notes) ctx.io.err(inline(note))
    if (json) printJson(ctx, found)
    else if (shown === 0) ctx.io.err('no paper matches')
  },
}

export const starCommand: Command = {
  name: 'star',
  synopsis: 'ID... [--off]',
  summary: 'star papers (--off takes the star away)',
  options: { off: { type: 'boolean' } },
  access: 'write',
  async run(ctx) {
    const off = flag(ctx, 'off')
    const { before } = await ctx.call('updatePapers', { ids: ids(ctx), starred: !off })
    ctx.io.out(
      `${before.length} ${before.length === 1 ? 'paper' : 'papers'} ${off ? 'unstarred' : 'starred'}`,
    )
  },
}

export const tagCommand: Command = {
  name: 'tag',
  synopsis: 'ID... [--add T]... [--remove T]...',
  summary: 'add tags to papers or take them off',
  options: {
    add: { type: 'string', multiple: true },
    remove: { type: 'string', multiple: true },
  },
  access: 'write',
  async run(ctx) {
    const addTags = list(ctx, 'add')
    const removeTags = list(ctx, 'remove')
    if (addTags.length === 0 && removeTags.length === 0) {
      throw new UsageError('say which tags to --add or --remove')
    }
    const { before } = await ctx.call('updatePapers', { ids: ids(ctx), addTags, removeTags })
    for (const b of before) {
      const paper = await ctx.call('getPaper', { id: b.id })
      ctx.io.out(
        `${paper.id}: ${paper.tags.length ? inline(paper.tags.join(', ')) : '(no tags)'} — ${inline(paper.title)}`,
      )
    }
  },
}

export const tagsCommand: Command = {
  name: 'tags',
  synopsis: '[--rename OLD NEW | --delete T] [--json]',
  summary: 'list tags with their counts; rename or delete one on every paper',
  options: {
    rename: { type: 'string' },
    delete: { type: 'string' },
    json: { type: 'boolean' },
  },
  access: (_args, values) =>
    values.rename !== undefined || values.delete !== undefined ? 'write' : 'read',
  async run(ctx) {
    const from = stringOption(ctx, 'rename')
    const remove = stringOption(ctx, 'delete')
    if (from !== undefined) {
      const to = ctx.args[0]
      if (!to) throw new UsageError('--rename OLD NEW: give the new name')
      const { ids } = await ctx.call('renameTag', { from, to })
      ctx.io.out(
        `“${inline(from)}” is now “${inline(to)}” on ${ids.length} ${ids.length === 1 ? 'paper' : 'papers'}`,
      )
      return
    }
    if (remove !== undefined) {
      const { ids } = await ctx.call('deleteTag', { name: remove })
      ctx.io.out(
        `“${inline(remove)}” taken off ${ids.length} ${ids.length === 1 ? 'paper' : 'papers'}`,
      )
      return
    }
    const tags = await ctx.call('listTags', {})
    if (flag(ctx, 'json')) printJson(ctx, tags)
    else if (tags.length === 0) ctx.io.err('no tags yet: lectern tag ID --add NAME')
    else for (const t of tags) ctx.io.out(`${String(t.count).padStart(6)}  ${inline(t.name)}`)
  },
}
