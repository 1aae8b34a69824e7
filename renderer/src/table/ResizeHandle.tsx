// The handle at a column header's right edge: drag it (or focus it and use ←/→) to make the
// column narrower or wider; double-click it or press Home for the column's default width.
import { useRef, useState } from 'react'
import styles from './PaperTable.module.css'

interface Props {
  /** The column's name ("Venue"): the handle is "Resize Venue". */
  name: string
  /** The column's width now (px), and how narrow and wide it may be made. */
  width: number
  min: number
  max: number
  /** A new width; `keep` when the user has let go (the end of a drag, a key). */
  onResize: (width: number, keep: boolean) => void
  onReset: () => void
}

/** How far a key moves the edge (px). */
const STEP = 10

export function ResizeHandle({ name, width, min, max, onResize, onReset }: Props) {
  const drag = useRef<{ x: number; start: number; last: number; moved: boolean } | null>(null)
  const [dragging, setDragging] = useState(false)
  const clamp = (n: number) => Math.round(Math.min(max, Math.max(min, n)))
  // A press without a move (half of a double-click) changes nothing.
  const end = () => {
    if (drag.current?.moved) onResize(drag.current.last, true)
    drag.current = null
    setDragging(false)
  }
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${name}`}
      aria-valuenow={Math.round(width)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      title={`Drag to resize ${name.toLowerCase()}; double-click for its default width`}
      className={styles.resizeHandle}
      data-resizing={dragging || undefined}
      // Neither a sort (the header's click) nor the start of moving the column.
      onClick={(e) => e.stopPropagation()}
      onPointerDown={(e) => {
        if (e.button !== 0) return
        e.preventDefault()
        e.stopPropagation()
        e.currentTarget.setPointerCapture(e.pointerId)
        drag.current = { x: e.clientX, start: width, last: Math.round(width), moved: false }
        setDragging(true)
      }}
      onPointerMove={(e) => {
        if (!drag.current) return
        const next = clamp(drag.current.start + e.clientX - drag.current.x)
        if (next === drag.current.last) return
        drag.current.last = next
        drag.current.moved = true
        onResize(next, false)
      }}
      onPointerUp={end}
      onPointerCancel={end}
      onLostPointerCapture={end}
      onDoubleClick={(e) => {
        e.stopPropagation()
        onReset()
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          onResize(clamp(width + (e.key === 'ArrowLeft' ? -STEP : STEP)), true)
        } else if (e.key === 'Home') {
          onReset()
        } else {
          return
        }
        // The table's own keys (and the page's scroll) are not for this key.
        e.preventDefault()
        e.stopPropagation()
      }}
    />
  )
}
