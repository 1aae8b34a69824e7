// Unsaved notes live here, not in the editor: a note typed on one paper keeps saving (and
// retrying) after the user has moved to another, and coming back shows the newest text even
// while its save is still on the way. The editor only displays and edits a draft.
import type { Paper } from '../../../shared/domain'

export type DraftState = 'saved' | 'pending' | 'saving' | 'error'

export interface DraftView {
  text: string
  state: DraftState
  error: string | null
}

interface Draft extends DraftView {
  /** What the library last confirmed. */
  saved: string
  timer: ReturnType<typeof setTimeout> | null
  inFlight: boolean
  /** The save on its way, or the last one: settled when it has ended. */
  flight: Promise<void>
}

export const SAVE_DELAY_MS = 400
export const RETRY_DELAY_MS = 3000

export class NoteDrafts {
  private drafts = new Map<number, Draft>()
  private views = new Map<number, DraftView>()
  private listeners = new Set<() => void>()

  constructor(
    private readonly save: (id: number, note: string) => Promise<Paper>,
    private readonly onSaved: (paper: Paper) => void,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The draft of a paper, or its stored note when nothing is pending. Stable between changes. */
  view(id: number, stored: string): DraftView {
    const draft = this.drafts.get(id)
    if (!draft) {
      const cached = this.views.get(id)
      if (cached && cached.text === stored && cached.state === 'saved') return cached
      const fresh: DraftView = { text: stored, state: 'saved', error: null }
      this.views.set(id, fresh)
      return fresh
    }
    return this.views.get(id)!
  }

  hasUnsaved(): boolean {
    return [...this.drafts.values()].some((d) => d.text !== d.saved)
  }

  edit(id: number, text: string, stored: string): void {
    const draft = this.drafts.get(id) ?? {
      text: stored,
      saved: stored,
      state: 'saved' as DraftState,
      error: null,
      timer: null,
      inFlight: false,
      flight: Promise.resolve(),
    }
    draft.text = text
    if (!draft.inFlight) draft.state = text === draft.saved ? 'saved' : 'pending'
    this.drafts.set(id, draft)
    this.schedule(id, draft, SAVE_DELAY_MS)
    this.changed(id)
  }

  /** Saves now whatever is pending (leaving the field, switching papers, closing). */
  flush(id: number): void {
    const draft = this.drafts.get(id)
    if (draft && draft.text !== draft.saved) this.schedule(id, draft, 0)
  }

  /**
   * Starts every pending save right now, synchronously, for a page that is going away: a timer
   * would never fire. (The HTTP client sends these with keepalive, so they outlive the page.)
   */
  flushAllNow(): void {
    for (const [id, draft] of this.drafts) {
      if (draft.text === draft.saved) continue
      if (draft.timer) clearTimeout(draft.timer)
      draft.timer = null
      void this.run(id)
    }
  }

  /**
   * Saves every pending note now, and waits for it and for the saves already on their way.
   * True when nothing is left unsaved: what must hold before the library is closed for another.
   */
  async saveAll(): Promise<boolean> {
    // A second round for text typed while a save was on its way (that save saves it next).
    for (let round = 0; round < 2 && this.hasUnsaved(); round += 1) {
      await Promise.all(
        [...this.drafts].map(([id, draft]) => {
          if (draft.timer) clearTimeout(draft.timer)
          draft.timer = null
          return this.run(id)
        }),
      )
    }
    return !this.hasUnsaved()
  }

  private schedule(id: number, draft: Draft, delay: number): void {
    if (draft.timer) clearTimeout(draft.timer)
    draft.timer = setTimeout(() => void this.run(id), delay)
  }

  private run(id: number): Promise<void> {
    const draft = this.drafts.get(id)
    // A save already on its way: its end is this one's (it saves again if the text moved on).
    if (draft?.inFlight) return draft.flight
    const flight = this.attempt(id)
    if (draft) draft.flight = flight
    return flight
  }

  private async attempt(id: number): Promise<void> {
    const draft = this.drafts.get(id)
    if (!draft) return
    draft.timer = null
    if (draft.inFlight) return // the save under way reschedules itself when it ends
    const note = draft.text
    if (note === draft.saved) return this.settle(id, draft)
    draft.inFlight = true
    draft.state = 'saving'
    this.changed(id)
    try {
      const paper = await this.save(id, note)
      draft.saved = note
      draft.error = null
      this.onSaved(paper)
    } catch (error) {
      draft.error = (error as Error).message
    } finally {
      draft.inFlight = false
    }
    if (draft.error !== null && draft.text !== draft.saved) {
      draft.state = 'error'
      this.schedule(id, draft, RETRY_DELAY_MS)
    } else if (draft.text !== draft.saved) {
      draft.state = 'pending'
      this.schedule(id, draft, SAVE_DELAY_MS)
    } else {
      return this.settle(id, draft)
    }
    this.changed(id)
  }

  /** Nothing left to save: the stored note is the truth again. */
  private settle(id: number, draft: Draft): void {
    this.drafts.delete(id)
    this.views.set(id, { text: draft.saved, state: 'saved', error: null })
    this.changed(id, false)
  }

  private changed(id: number, fromDraft = true): void {
    const draft = this.drafts.get(id)
    if (fromDraft && draft) {
      this.views.set(id, { text: draft.text, state: draft.state, error: draft.error })
    }
    for (const listener of this.listeners) listener()
  }
}
