// The deletions a library holds and has not undone, read from its own tables (there is no
// library call that lists them). The harness checks them against its model after each kill, so
// that a deletion is shown to be kept whole before anyone undoes it; the worker starts its undo
// stack from them, and both start their count of ids given out from them.
import { STATUSES } from '../../shared/domain'
import type { Status } from '../../shared/domain'
import { loadEngine } from '../../electron/core/db/database'
import type { Library } from '../../electron/core/store/library'

export interface TrashedPaper {
  id: number
  title: string
  key: string
  note: string
  status: Status
  /** Its status history, oldest first. */
  history: Status[]
  starred: boolean
  /** As the paper had them, in order. */
  tags: string[]
}

export interface TrashedDeletion {
  deletionId: number
  /** By id, ascending. */
  papers: TrashedPaper[]
}

export interface Trash {
  /** Oldest first: the last one is what `restoreDeleted(null)` undoes. */
  deletions: TrashedDeletion[]
  /** The highest id among the papers deleted and not restored; 0 when there are none. */
  maxPaperId: number
  /** Rows of `deleted_papers` that belong to no deletion still to undo (should be 0). */
  leftover: number
  /**
   * The highest id of a copy an undo removed (the library keeps it from being given again);
   * 0 when there is none. Only the library's own record: the harness's model keeps its own.
   */
  retiredPaperId: number
}

function status(code: unknown): Status {
  const s = STATUSES[Number(code)]
  if (!s) throw new Error(`unknown status code ${String(code)} in deleted_papers`)
  return s
}

/** Reads a copy of the library as it is in memory (its journal replayed), not the file. */
export async function readTrash(lib: Library): Promise<Trash> {
  const SQL = await loadEngine()
  const db = new SQL.Database(lib.exportBytes())
  try {
    const deletions: TrashedDeletion[] = (
      db.exec('SELECT id FROM deletions WHERE restored_at IS NULL ORDER BY id')[0]?.values ?? []
    ).map(([id]) => ({ deletionId: Number(id), papers: [] }))
    const byId = new Map(deletions.map((d) => [d.deletionId, d]))
    let maxPaperId = 0
    let leftover = 0
    const rows =
      db.exec(
        'SELECT deletion_id, paper_id, paper, history FROM deleted_papers ORDER BY deletion_id, paper_id',
      )[0]?.values ?? []
    for (const [deletionId, paperId, paperJson, historyJson] of rows) {
      // Rows of an undone deletion should be gone; while they are there, they still hold their
      // id back from reuse.
      maxPaperId = Math.max(maxPaperId, Number(paperId))
      const deletion = byId.get(Number(deletionId))
      if (!deletion) {
        leftover += 1
        continue
      }
      const paper = JSON.parse(String(paperJson)) as Record<string, unknown>
      const history = JSON.parse(String(historyJson)) as Record<string, unknown>[]
      deletion.papers.push({
        id: Number(paperId),
        title: String(paper.title),
        key: String(paper.title_key),
        note: String(paper.note),
        status: status(paper.status),
        history: history.map((h) => status(h.status)),
        // A row kept before stars and tags existed (schema 8) has neither.
        starred: Number(paper.starred ?? 0) === 1,
        tags: JSON.parse(String(paper.tags ?? '[]')) as string[],
      })
    }
    const retired = db.exec(`SELECT value FROM meta WHERE key = 'retired_paper_id'`)[0]?.values
    return { deletions, maxPaperId, leftover, retiredPaperId: Number(retired?.[0]?.[0] ?? 0) }
  } finally {
    db.close()
  }
}
