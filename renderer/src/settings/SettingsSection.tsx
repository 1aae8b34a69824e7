// One part of Settings: a heading and what it covers, a region named by the heading.
import { useId } from 'react'
import type { ReactNode } from 'react'
import styles from './SettingsDialog.module.css'

export function SettingsSection({ title, children }: { title: string; children: ReactNode }) {
  const id = useId()
  return (
    <section className={styles.section} aria-labelledby={id}>
      <h3 id={id} className={styles.heading}>
        {title}
      </h3>
      <div className={styles.body}>{children}</div>
    </section>
  )
}
