import { Library } from './electron/core/store/library'
import { searchQueries, rareWordOf } from './scripts/bench'
const path = '/tmp/lectern-search-library-100000-v1/library.sqlite'
async function main() {
  const lib = await Library.open(path, { owner: 'scratch', readOnly: true } as never)
  const rare = rareWordOf(lib.getPaper(Math.ceil(lib.stats().total / 2)).title)
  for (let round = 0; round < 2; round++) {
  for (const q of searchQueries(rare)) {
    const t = performance.now()
    const page = lib.listPapers({ search: q.query, sort: { field: 'relevance', direction: 'desc' }, offset: 0, limit: 100 } as never)
    const ms = performance.now() - t
    // defeat cache: different query next
    lib.listPapers({ search: 'zzzqqq' + round, sort: { field: 'relevance', direction: 'desc' }, offset: 0, limit: 100 } as never)
    if (round === 1) console.log(q.kind.padEnd(32), String(page.total).padStart(7), ms.toFixed(1))
  }}
  lib.close()
}
main()
