// The marks before the sidebar's names: a status's dot, a glyph, a small drawing.
import type { ReactNode } from 'react'
import { classNames } from '../styles/classNames'
import styles from '../components/Sidebar.module.css'

/** The mark of a status view (its colour) or of all papers (the accent). */
export function Dot({ className }: { className?: string | false }) {
  return <span className={classNames(styles.dot, className)} aria-hidden="true" />
}

/** A text or drawn mark: ★ for stars, # for tags, a lens for smart views. */
export function Glyph({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <span className={classNames(styles.glyph, className)} aria-hidden="true">
      {children}
    </span>
  )
}

export function LensIcon() {
  return (
    <svg viewBox="0 0 12 12" fill="none" stroke="currentColor" strokeWidth="1.5">
      <circle cx="5" cy="5" r="3.5" />
      <path d="M7.6 7.6 11 11" strokeLinecap="round" />
    </svg>
  )
}

export function ChartIcon() {
  return (
    <svg viewBox="0 0 12 12" fill="currentColor">
      <rect x="1" y="6" width="2.5" height="5" rx="0.5" />
      <rect x="4.75" y="2" width="2.5" height="9" rx="0.5" />
      <rect x="8.5" y="4" width="2.5" height="7" rx="0.5" />
    </svg>
  )
}
