// The header cells' widths as laid out (px), by column, followed as they change: a column that
// takes a share of the room has no width of its own to say until the grid gives it one.
import { useEffect, useState } from 'react'
import type { RefObject } from 'react'

export function useMeasuredWidths(
  rowRef: RefObject<HTMLElement | null>,
  /** Changes when the cells do (which columns show, in what order). */
  columnsKey: string,
): Record<string, number> {
  const [widths, setWidths] = useState<Record<string, number>>({})
  useEffect(() => {
    const row = rowRef.current
    if (!row) return
    const observer = new ResizeObserver((entries) => {
      setWidths((current) => {
        let next = current
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.column
          const width = Math.round(entry.borderBoxSize[0]?.inlineSize ?? entry.contentRect.width)
          if (!id || current[id] === width) continue
          if (next === current) next = { ...current }
          next[id] = width
        }
        return next
      })
    })
    for (const cell of row.querySelectorAll<HTMLElement>('[role="columnheader"][data-column]')) {
      observer.observe(cell)
    }
    return () => observer.disconnect()
  }, [rowRef, columnsKey])
  return widths
}
