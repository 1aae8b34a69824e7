// The papers picked for an action on several at once: some, by id, or every paper of the view
// (Ctrl/⌘+A), whose ids are asked for when an action needs them.
export interface Picked {
  ids: ReadonlySet<number>
  /** Every paper the view shows (however many; `ids` is then empty). */
  all: boolean
}

export const NOTHING_PICKED: Picked = { ids: new Set(), all: false }

export function pickedCount(picked: Picked, total: number): number {
  return picked.all ? total : picked.ids.size
}

/** One paper more or less. */
export function togglePicked(picked: Picked, id: number, alsoSelected: number | null): Picked {
  const ids = new Set(picked.all ? [] : picked.ids)
  // The first Ctrl-click keeps the paper already selected: two papers are picked, as people expect.
  if (ids.size === 0 && alsoSelected !== null && alsoSelected !== id) ids.add(alsoSelected)
  if (ids.has(id)) ids.delete(id)
  else ids.add(id)
  return { ids, all: false }
}
