// One view in the sidebar: a mark, a name (cut short with an ellipsis, whole on hover) and how
// many papers it shows. The view on show says so (aria-current).
import type { ReactNode } from 'react'
import { classNames } from '../styles/classNames'
import styles from '../components/Sidebar.module.css'

interface Props {
  label: string
  /** How many papers the view shows; blank while unknown. */
  count?: ReactNode
  /** The mark before the name. */
  icon: ReactNode
  current: boolean
  /** The tooltip: the whole name and what the view shows. */
  title?: string
  id?: string
  onClick: () => void
}

export function ViewButton({ label, count, icon, current, title, id, onClick }: Props) {
  return (
    <button
      type="button"
      id={id}
      // Marks the buttons that choose what the table shows (a narrow window folds the sidebar
      // away after one, and not after the buttons that rename, move or delete).
      data-view=""
      className={classNames(styles.view, current && styles.active)}
      aria-current={current ? 'true' : undefined}
      title={title ?? label}
      onClick={onClick}
    >
      {icon}
      <span className={styles.label}>{label}</span>
      <span className={styles.count}>{count ?? ''}</span>
    </button>
  )
}
