import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NoteDrafts, RETRY_DELAY_MS, SAVE_DELAY_MS } from '../../renderer/src/notes/noteDrafts'
import type { Paper } from '../../shared/domain'

function paper(id: number, note: string): Paper {
  return { id, note } as Paper
}

describe('note drafts', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('saves the latest text once typing pauses, then shows the stored note again', async () => {
    const save = vi.fn(async (id: number, note: string) => paper(id, note))
    const saved: Paper[] = []
    const drafts = new NoteDrafts(save, (p) => saved.push(p))
    drafts.edit(1, 'a', '')
    drafts.edit(1, 'ab', '')
    expect(drafts.view(1, '')).toMatchObject({ text: 'ab', state: 'pending' })
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS)
    expect(save).toHaveBeenCalledTimes(1)
    expect(save).toHaveBeenCalledWith(1, 'ab')
    expect(saved.map((p) => p.note)).toEqual(['ab'])
    expect(drafts.view(1, 'ab')).toMatchObject({ text: 'ab', state: 'saved' })
    expect(drafts.hasUnsaved()).toBe(false)
  })

  it('coming back to a paper whose save is still on its way shows the new text, not the old', async () => {
    let finish: (() => void) | null = null
    const save = vi.fn(
      (id: number, note: string) =>
        new Promise<Paper>((resolve) => {
          finish = () => resolve(paper(id, note))
        }),
    )
    const drafts = new NoteDrafts(save, () => undefined)
    drafts.edit(7, 'typed before switching', 'old note')
    drafts.flush(7) // the editor unmounts
    await vi.advanceTimersByTimeAsync(0)
    expect(save).toHaveBeenCalledTimes(1)
    // The cache still says "old note" while the save is in flight.
    expect(drafts.view(7, 'old note')).toMatchObject({
      text: 'typed before switching',
      state: 'saving',
    })
    drafts.edit(7, 'typed before switching, and more', 'old note')
    finish!()
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS)
    expect(save).toHaveBeenLastCalledWith(7, 'typed before switching, and more')
    finish!()
    await vi.advanceTimersByTimeAsync(0)
    expect(drafts.hasUnsaved()).toBe(false)
  })

  it('a failed save keeps the text, reports the error and retries until it succeeds', async () => {
    let failures = 2
    const save = vi.fn(async (id: number, note: string) => {
      if (failures-- > 0) throw new Error('the disk is full (ENOSPC)')
      return paper(id, note)
    })
    const drafts = new NoteDrafts(save, () => undefined)
    drafts.edit(3, 'precious', '')
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS)
    expect(drafts.view(3, '')).toEqual({
      text: 'precious',
      state: 'error',
      error: 'the disk is full (ENOSPC)',
    })
    expect(drafts.hasUnsaved()).toBe(true)
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS)
    expect(save).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS)
    expect(save).toHaveBeenCalledTimes(3)
    expect(drafts.view(3, 'precious')).toMatchObject({ text: 'precious', state: 'saved' })
  })

  it('typing back to the stored text saves nothing', async () => {
    const save = vi.fn(async (id: number, note: string) => paper(id, note))
    const drafts = new NoteDrafts(save, () => undefined)
    drafts.edit(2, 'x', 'same')
    drafts.edit(2, 'same', 'same')
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS)
    expect(save).not.toHaveBeenCalled()
    expect(drafts.view(2, 'same')).toMatchObject({ text: 'same', state: 'saved' })
  })

  it('saveAll saves what waits now, waits for saves on their way, and says whether all are saved', async () => {
    const finishes: (() => void)[] = []
    const save = vi.fn(
      (id: number, note: string) =>
        new Promise<Paper>((resolve) => finishes.push(() => resolve(paper(id, note)))),
    )
    const drafts = new NoteDrafts(save, () => undefined)
    drafts.edit(1, 'on its way', '')
    drafts.flush(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(save).toHaveBeenCalledTimes(1)
    drafts.edit(1, 'typed meanwhile', '')
    drafts.edit(2, 'waiting for the pause', '')
    let done: boolean | null = null
    void drafts.saveAll().then((all) => (done = all))
    // No timer needed: paper 2 is saved at once; paper 1's newer text after its save on the way.
    await Promise.resolve()
    expect(save.mock.calls).toEqual([
      [1, 'on its way'],
      [2, 'waiting for the pause'],
    ])
    finishes.splice(0).forEach((f) => f())
    await vi.waitFor(() => expect(save).toHaveBeenCalledTimes(3))
    expect(done).toBeNull()
    expect(save.mock.calls[2]).toEqual([1, 'typed meanwhile'])
    finishes.splice(0).forEach((f) => f())
    await vi.waitFor(() => expect(done).toBe(true))
    expect(drafts.hasUnsaved()).toBe(false)
  })

  it('saveAll answers false when a note cannot be saved, and keeps it', async () => {
    const save = vi.fn(async () => {
      throw new Error('the disk is full (ENOSPC)')
    })
    const drafts = new NoteDrafts(save, () => undefined)
    drafts.edit(4, 'precious', '')
    expect(await drafts.saveAll()).toBe(false)
    expect(drafts.view(4, '')).toMatchObject({ text: 'precious', state: 'error' })
  })
})
