import styles from './StatsEmpty.module.css'

/** The Statistics view of an empty library: what will show there, and how to begin. */
export function StatsEmpty() {
  return (
    <div className={styles.empty} data-testid="stats-empty">
      <h3>Nothing to count yet</h3>
      <p>
        Statistics fill in as you use your library: how many papers you import, triage and read each
        week, how long papers wait between being imported and being read, how far they get, and the
        tags you use most.
      </p>
      <p>Import a dump, then triage its papers with the keyboard or the status buttons.</p>
    </div>
  )
}
