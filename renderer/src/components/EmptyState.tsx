import buttonStyles from '../styles/button.module.css'
import styles from './EmptyState.module.css'

interface Props {
  onSample: () => void
  onImport: () => void
  onPaste: () => void
  busy: boolean
}

/** First run: nothing in the library yet. */
export function EmptyState({ onSample, onImport, onPaste, busy }: Props) {
  return (
    <div className={styles.emptyState} data-testid="empty-state">
      <h2>Your library is empty</h2>
      <p>
        Import a Hugging Face Daily Papers page, an arXiv digest or listing, or a BibTeX, RIS, CSV
        or JSON export — drop files anywhere in this window, choose them, or paste the text. Or
        start with a sample of 95 papers.
      </p>
      <div className={styles.actions}>
        <button type="button" className={buttonStyles.primary} onClick={onSample} disabled={busy}>
          Load the sample dump
        </button>
        <button type="button" onClick={onImport} disabled={busy}>
          Import…
        </button>
        <button type="button" onClick={onPaste} disabled={busy}>
          Paste…
        </button>
      </div>
    </div>
  )
}
