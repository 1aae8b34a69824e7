import { MAX_PAGE_ROWS } from '../../../shared/api'
import type { Paper, PaperQuery, PaperRow, Sort, SortField } from '../../../shared/domain'
import { DEFAULT_QUERY, SORT_FIELDS, sortKeysProblem } from '../../../shared/domain'
import { UsageError, flag, stringOption, toId } from '../command'
import type { Command } from '../command'
import { json, rowLine } from '../print'

/**
 * `FIELD[:asc|desc][,FIELD[:asc|desc]]…`: the sort, then the keys that order the papers it leaves
 * equal (`year:desc,title`). A key that cannot be is refused here, naming the option.
 */
export function parseSort(value: string | undefined): Pick<PaperQuery, 'sort' | 'thenBy'> {
  if (!value) return { sort: DEFAULT_QUERY.sort }
  const keys = value.split(',').map((part): Sort => {
    const key = part.trim()
    if (!key) throw new UsageError(`--sort: an empty key in "${value}"; write FIELD[:asc|desc],…`)
    const [field = '', direction = 'asc', ...more] = key.split(':')
    if (!(SORT_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(
        `--sort: "${field}" is not a field to sort by; expected one of ${SORT_FIELDS.join(', ')}`,
      )
    }
    if (more.length > 0 || (direction !== 'asc' && direction !== 'desc')) {
      throw new UsageError(`--sort: "${key}": the direction is asc or desc`)
    }
    return { field: field as SortField, direction }
  })
  const problem = sortKeysProblem(keys)
  if (problem) throw new UsageError(`--sort: ${problem}`)
  const [sort, ...thenBy] = keys as [Sort, ...Sort[]]
  return thenBy.length > 0 ? { sort, thenBy } : { sort }
}

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return Infinity
  const limit = Number(value)
  if (!/^\d+$/.test(value) || limit < 1) {
    throw new UsageError(`--limit: expected a positive whole number, got "${value}"`)
  }
  return limit
}

/** Every matching paper, a page at a time (the contract caps a page), up to `limit`. */
export async function* pages<T>(
  fetch: (offset: number, limit: number) => Promise<T[]>,
  limit: number,
): AsyncGenerator<T[]> {
  for (let offset = 0; offset < limit;) {
    const size = Math.min(MAX_PAGE_ROWS, limit - offset)
    const rows = await fetch(offset, size)
    if (rows.length > 0) yield rows
    if (rows.length < size) return
    offset += rows.length
  }
}

export const listCommand: Command = {
  name: 'list',
  synopsis:
    '[--status S] [--import N] [--tag T] [--starred] [--search Q] [--sort FIELD[:asc|desc][,FIELD[:asc|desc]]…] [--limit N] [--json]',
  summary: 'list papers (whole papers, notes included, with --json)',
  options: {
    status: { type: 'string' },
    import: { type: 'string' },
    tag: { type: 'string' },
    starred: { type: 'boolean' },
    search: { type: 'string' },
    sort: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  access: 'read',
  async run(ctx) {
    const status = stringOption(ctx, 'status')
    const query: PaperQuery = {
      ...parseSort(stringOption(ctx, 'sort')),
      // An unknown status goes to the contract as it is, which names the ones it knows.
      status: status === undefined ? null : (status as PaperQuery['status']),
    }
    const importId = stringOption(ctx, 'import')
    if (importId !== undefined) query.importId = toId(importId)
    const tag = stringOption(ctx, 'tag')
    if (tag !== undefined) query.tag = tag
    if (flag(ctx, 'starred')) query.starred = true
    const search = stringOption(ctx, 'search')
    if (search !== undefined) query.search = search
    const limit = parseLimit(stringOption(ctx, 'limit'))
    if (flag(ctx, 'json')) {
      // One array, written as it is read, so a 100k-paper library is never held whole; its
      // opening bracket waits for the first page, so a library that cannot be read prints none.
      let pending: string | null = null
      let opened = false
      const fetch = (offset: number, size: number): Promise<Paper[]> =>
        ctx.call('listFullPapers', { ...query, offset, limit: size })
      for await (const papers of pages(fetch, limit)) {
        if (!opened) ctx.io.out('[')
        opened = true
        for (const p of papers) {
          if (pending !== null) ctx.io.out(`${pending},`)
          pending = json(p, 2).replace(/^/gm, '  ')
        }
      }
      if (pending !== null) ctx.io.out(pending)
      ctx.io.out(opened ? ']' : '[]')
      return
    }
    const fetch = async (offset: number, size: number): Promise<PaperRow[]> =>
      (await ctx.call('listPapers', { ...query, offset, limit: size })).rows
    for await (const rows of pages(fetch, limit)) for (const p of rows) ctx.io.out(rowLine(p))
  },
}
