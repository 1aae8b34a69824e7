// Papers: reading them a page at a time or whole, changing status and note, deleting and undoing.
import type { Handlers } from './context'

export const paperHandlers: Handlers<
  | 'listPapers'
  | 'listFullPapers'
  | 'getPaper'
  | 'stats'
  | 'revision'
  | 'setStatus'
  | 'setNote'
  | 'updatePaper'
  | 'deletePapers'
  | 'restoreDeleted'
> = {
  listPapers: ({ session }, r) => session.get().listPapers(r),
  listFullPapers: ({ session }, r) => session.get().listFullPapers(r),
  getPaper: ({ session }, r) => session.get().getPaper(r.id),
  stats: ({ session }) => session.get().stats(),
  revision: ({ session }) => ({ revision: session.get().revision }),
  setStatus: ({ session }, r) => session.get().setStatus(r.id, r.status),
  setNote: ({ session }, r) => session.get().setNote(r.id, r.note),
  updatePaper: ({ session }, r) => session.get().update(r.id, { status: r.status, note: r.note }),
  deletePapers: ({ session }, r) => session.get().deletePapers(r.ids),
  restoreDeleted: ({ session }, r) => session.get().restoreDeleted(r.deletionId ?? null),
}
