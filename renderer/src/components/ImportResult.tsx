import { placeIn } from '../../../shared/importers/types'
import type { ImportOutcome } from '../hooks/useImporter'
import buttonStyles from '../styles/button.module.css'
import { classNames } from '../styles/classNames'
import styles from './ImportResult.module.css'

const MAX_WARNINGS_SHOWN = 20

export function ImportResult({
  outcome,
  onDismiss,
}: {
  outcome: ImportOutcome
  onDismiss: () => void
}) {
  const summaries = outcome.kind === 'done' ? outcome.summaries : []
  const warnings = summaries.flatMap((s) =>
    s.warnings.map((w) => `${placeIn(s.source, w.line)}: ${w.message}`),
  )
  return (
    <div
      className={classNames(styles.result, outcome.kind === 'failed' && styles.failed)}
      role={outcome.kind === 'failed' ? 'alert' : 'status'}
      data-testid="import-result"
    >
      <div className={styles.body}>
        {summaries.map((s, i) => (
          <p key={i}>
            <strong>{s.source}</strong>: {s.added} added, {s.duplicates} already in the library
            {s.updated > 0 && `, ${s.updated} given missing details`}
            {s.skipped > 0 && `, ${s.skipped} skipped`}.
          </p>
        ))}
        {outcome.kind === 'cancelled' && <p>Import cancelled; nothing was added.</p>}
        {outcome.kind === 'failed' && (
          <p>
            <strong>Import failed.</strong> {outcome.message}{' '}
            {outcome.files > 1
              ? `Nothing from these ${outcome.files} files was added.`
              : 'Nothing from this file was added.'}
          </p>
        )}
        {warnings.length > 0 && (
          <details>
            <summary>
              {warnings.length} {warnings.length === 1 ? 'line' : 'lines'} to look at
            </summary>
            <ul>
              {warnings.slice(0, MAX_WARNINGS_SHOWN).map((w, i) => (
                <li key={i}>{w}</li>
              ))}
              {warnings.length > MAX_WARNINGS_SHOWN && (
                <li>…and {warnings.length - MAX_WARNINGS_SHOWN} more</li>
              )}
            </ul>
          </details>
        )}
      </div>
      <button type="button" className={buttonStyles.icon} aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  )
}
