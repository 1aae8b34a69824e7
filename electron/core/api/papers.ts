// Papers: reading them a page at a time or whole, changing status and note, deleting and undoing.
import type { PaperState } from '../../../shared/domain'
import type { Handlers } from './context'

/** A change to many papers as the contract gives it: their ids, and what changed on each. */
function changedPapers(before: PaperState[]): { ids: number[]; before: PaperState[] } {
  return { ids: before.map((p) => p.id), before }
}

export const paperHandlers: Handlers<
  | 'listPapers'
  | 'listFullPapers'
  | 'getPaper'
  | 'stats'
  | 'readingStats'
  | 'revision'
  | 'setStatus'
  | 'setNote'
  | 'updatePaper'
  | 'updatePapers'
  | 'restorePapers'
  | 'listTags'
  | 'paperIds'
  | 'renameTag'
  | 'deleteTag'
  | 'similarPapers'
  | 'deletePapers'
  | 'restoreDeleted'
> = {
  listPapers: ({ session }, r) => session.get().listPapers(r),
  listFullPapers: ({ session }, r) => session.get().listFullPapers(r),
  getPaper: ({ session }, r) => session.get().getPaper(r.id),
  stats: ({ session }) => session.get().stats(),
  readingStats: ({ session }, r) => session.get().readingStats(r.weeks ?? 26),
  revision: ({ session }) => ({ revision: session.get().revision }),
  setStatus: ({ session }, r) => session.get().setStatus(r.id, r.status),
  setNote: ({ session }, r) => session.get().setNote(r.id, r.note),
  updatePaper: ({ session }, r) => session.get().update(r.id, { status: r.status, note: r.note }),
  updatePapers: ({ session }, r) => ({ before: session.get().updatePapers(r) }),
  restorePapers: ({ session }, r) => ({ restored: session.get().restorePapers(r.papers) }),
  listTags: ({ session }) => session.get().tags(),
  paperIds: ({ session }, r) => ({ ids: session.get().paperIds(r) }),
  renameTag: ({ session }, r) => changedPapers(session.get().renameTag(r.from, r.to)),
  deleteTag: ({ session }, r) => changedPapers(session.get().deleteTag(r.name)),
  similarPapers: ({ session }, r) => session.get().similarPapers(r.id, r.limit ?? 20),
  deletePapers: ({ session }, r) => session.get().deletePapers(r.ids),
  restoreDeleted: ({ session }, r) => session.get().restoreDeleted(r.deletionId ?? null),
}
