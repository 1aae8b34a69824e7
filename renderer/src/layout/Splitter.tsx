// A divider between two panes that the user drags (or moves with the arrow keys) to give one
// more room; the size is the caller's to keep.
import { useRef } from 'react'
import { classNames } from '../styles/classNames'
import styles from './Splitter.module.css'

interface Props {
  /** What it resizes, for assistive technology ("Resize the paper pane"). */
  label: string
  /** The size it controls, in pixels, and its bounds. */
  value: number
  min: number
  max: number
  /** +1 when dragging right grows the size (a pane to the left), -1 when it shrinks it. */
  direction: 1 | -1
  onChange: (size: number) => void
  className?: string
}

const STEP = 24

export function Splitter({ label, value, min, max, direction, onChange, className }: Props) {
  const drag = useRef<{ x: number; start: number } | null>(null)
  const clamp = (n: number) => Math.round(Math.min(max, Math.max(min, n)))
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      className={classNames(styles.splitter, className)}
      onPointerDown={(e) => {
        e.preventDefault()
        e.currentTarget.setPointerCapture(e.pointerId)
        drag.current = { x: e.clientX, start: value }
      }}
      onPointerMove={(e) => {
        if (!drag.current) return
        onChange(clamp(drag.current.start + direction * (e.clientX - drag.current.x)))
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
      onKeyDown={(e) => {
        const delta =
          e.key === 'ArrowLeft'
            ? -STEP
            : e.key === 'ArrowRight'
              ? STEP
              : e.key === 'Home'
                ? -1e6
                : e.key === 'End'
                  ? 1e6
                  : 0
        if (delta === 0) return
        e.preventDefault()
        onChange(clamp(value + direction * delta))
      }}
    />
  )
}
