// Moving a column by dragging its header: past a few pixels a press becomes a move, a line shows
// where the column will go, and letting go puts it there (that press is then not a click: the
// sort stays as it was). Esc while dragging leaves the columns as they were.
import { useEffect, useRef, useState } from 'react'
import type { PointerEvent, RefObject, SyntheticEvent } from 'react'

/** How far (px) a press moves before it is a drag rather than a click. */
const THRESHOLD = 6

export type ColumnDrop = { before: string } | { after: string }

export interface ColumnDrag {
  /** The column being moved. */
  id: string
  /** Where it would go, from the header row's left edge (px); null where it would not move. */
  line: number | null
}

export function useColumnDrag(
  rowRef: RefObject<HTMLElement | null>,
  /** The columns that may be moved, as shown (left to right). */
  movable: readonly string[],
  onMove: (id: string, to: ColumnDrop) => void,
) {
  const press = useRef<{ id: string; x: number; pointerId: number; started: boolean } | null>(null)
  const target = useRef<ColumnDrop | null>(null)
  const swallowClick = useRef(false)
  const [drag, setDrag] = useState<ColumnDrag | null>(null)

  const cancel = (): void => {
    press.current = null
    target.current = null
    setDrag(null)
  }

  useEffect(() => {
    if (!drag) return
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return
      event.preventDefault()
      event.stopPropagation()
      // The press goes on until the button is let go; it moves nothing now.
      if (press.current) press.current.id = ''
      target.current = null
      setDrag(null)
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [drag])

  /** Where a column dropped at `x` (client px) goes, and where the line is drawn. */
  const dropAt = (x: number, id: string): { line: number | null; to: ColumnDrop | null } => {
    const row = rowRef.current
    if (!row) return { line: null, to: null }
    const left = row.getBoundingClientRect().left
    const cells = movable.flatMap((c) => {
      const el = row.querySelector(`[role="columnheader"][data-column="${c}"]`)
      return el ? [{ id: c, rect: el.getBoundingClientRect() }] : []
    })
    const at = cells.findIndex((c) => x < c.rect.left + c.rect.width / 2)
    const gap = at === -1 ? cells.length : at
    const from = cells.findIndex((c) => c.id === id)
    if (cells.length === 0 || gap === from || gap === from + 1) return { line: null, to: null }
    if (at !== -1) return { line: cells[at]!.rect.left - left, to: { before: cells[at]!.id } }
    const last = cells[cells.length - 1]!
    return { line: last.rect.right - left, to: { after: last.id } }
  }

  const headerProps = (id: string) => ({
    onPointerDown: (e: PointerEvent<HTMLElement>) => {
      swallowClick.current = false
      if (e.button !== 0 || !movable.includes(id)) return
      press.current = { id, x: e.clientX, pointerId: e.pointerId, started: false }
    },
    onPointerMove: (e: PointerEvent<HTMLElement>) => {
      const p = press.current
      if (!p || p.pointerId !== e.pointerId || !p.id) return
      if (!p.started) {
        if (Math.abs(e.clientX - p.x) < THRESHOLD) return
        p.started = true
        e.currentTarget.setPointerCapture(e.pointerId)
      }
      const { line, to } = dropAt(e.clientX, p.id)
      target.current = to
      setDrag((d) => (d?.id === p.id && d.line === line ? d : { id: p.id, line }))
    },
    onPointerUp: () => {
      const p = press.current
      const to = target.current
      cancel()
      if (!p?.started) return
      // The click that follows this press is the end of the drag, not a sort.
      swallowClick.current = true
      window.setTimeout(() => (swallowClick.current = false), 0)
      if (p.id && to) onMove(p.id, to)
    },
    onPointerCancel: cancel,
    onClickCapture: (e: SyntheticEvent) => {
      if (!swallowClick.current) return
      swallowClick.current = false
      e.stopPropagation()
      e.preventDefault()
    },
  })

  return { drag, headerProps }
}
