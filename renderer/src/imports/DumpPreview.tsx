// One dump in the import preview: its name and format, the CSV column mapping, what the import
// would do (counts, warnings) and its papers to choose from — or why it cannot be read, with the
// format and mapping still there to change.
import { useId, useMemo } from 'react'
import { CSV_FIELDS, FORMATS } from '../../../shared/importers/types'
import type { ImportSummary } from '../../../shared/domain'
import { classNames } from '../styles/classNames'
import { csvHeaderCells, looksLikeCsv } from './csvHeader'
import { CSV_FIELD_LABELS, formatLabel } from './formatLabels'
import { PreviewPaperList } from './PreviewPaperList'
import type { DumpChoice } from './sendDumps'
import type { DumpState } from './usePreparedDumps'
import type { DumpResult } from './useImportPreview'
import styles from './DumpPreview.module.css'

const numbers = new Intl.NumberFormat()

function plural(n: number, one: string, many = `${one}s`): string {
  return `${numbers.format(n)} ${n === 1 ? one : many}`
}

/** "12 new · 3 already in the library (2 by arXiv id, 1 by title) · 1 will gain missing fields". */
export function countsLine(s: ImportSummary): string {
  const by = [
    s.matchedBy.arxivId > 0 && `${numbers.format(s.matchedBy.arxivId)} by arXiv id`,
    s.matchedBy.doi > 0 && `${numbers.format(s.matchedBy.doi)} by DOI`,
    s.matchedBy.title > 0 && `${numbers.format(s.matchedBy.title)} by title`,
  ].filter(Boolean)
  return [
    `${numbers.format(s.added)} new`,
    s.duplicates > 0 &&
      `${numbers.format(s.duplicates)} already in the library${by.length ? ` (${by.join(', ')})` : ''}`,
    s.updated > 0 && `${numbers.format(s.updated)} will gain missing fields`,
    s.skipped > 0 && `${plural(s.skipped, 'record')} skipped`,
    s.warnings.length > 0 && plural(s.warnings.length, 'warning'),
  ]
    .filter(Boolean)
    .join(' · ')
}

interface Props {
  state: DumpState
  /** Its preview; undefined while it is being read. */
  result: DumpResult | undefined
  /** True while the preview shown is for choices the user has since changed. */
  stale: boolean
  choice: DumpChoice
  onChoice: (choice: DumpChoice) => void
  excluded: ReadonlySet<number>
  onExcluded: (excluded: Set<number>) => void
}

export function DumpPreview({
  state,
  result,
  stale,
  choice,
  onChoice,
  excluded,
  onExcluded,
}: Props) {
  const { source } = state
  const id = useId()
  const preview = result?.ok ? result.preview : null
  const format = choice.format ?? preview?.summary.format ?? ''
  const head = state.phase === 'ready' ? state.dump.head : ''
  const formats = useMemo(() => {
    const first = preview?.candidates ?? []
    return [...first, ...FORMATS.filter((f) => !first.includes(f))]
  }, [preview])
  // A preview that failed sends no columns: the header row is read here, and only then.
  const showMapping =
    state.phase === 'ready' &&
    (format === 'csv' ||
      (format === '' &&
        result !== undefined &&
        !result.ok &&
        (/\.(csv|tsv|tab)$/i.test(source) || looksLikeCsv(head))))
  const columns = useMemo(() => {
    if (!showMapping) return []
    if (preview?.columns) return preview.columns
    return csvHeaderCells(head).map((header) => ({ header, field: choice.mapping?.[header] ?? '' }))
  }, [showMapping, preview, head, choice.mapping])

  return (
    <section className={styles.dump} aria-label={source}>
      <div className={styles.heading}>
        <h3 className={styles.name} title={source}>
          {source}
        </h3>
        {state.phase === 'ready' && (
          <label className={styles.format}>
            Format
            <select
              value={format}
              onChange={(e) => onChoice({ ...choice, format: e.target.value || undefined })}
            >
              {format === '' && <option value="">Recognised from the content</option>}
              {formats.map((f) => (
                <option key={f} value={f}>
                  {formatLabel(f)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      {state.phase === 'reading' && <p className="muted">Reading the file…</p>}
      {state.phase === 'sending' && (
        <div className={styles.sending}>
          <span className="muted">
            Sending it to the library… {Math.floor((100 * state.sent) / Math.max(1, state.chars))}%
          </span>
          <div
            className={styles.bar}
            role="progressbar"
            aria-label={`Sending ${source}`}
            aria-valuemin={0}
            aria-valuemax={state.chars}
            aria-valuenow={state.sent}
          >
            <div
              className={styles.fill}
              style={{ width: `${(100 * state.sent) / Math.max(1, state.chars)}%` }}
            />
          </div>
        </div>
      )}
      {state.phase === 'failed' && (
        <p className={classNames('error', styles.problem)} role="alert">
          {state.message}
        </p>
      )}
      {state.phase === 'ready' && result === undefined && (
        <p className="muted">Reading the papers…</p>
      )}
      {result && !result.ok && (
        <p className={classNames('error', styles.problem)} role="alert">
          {result.message}
        </p>
      )}

      {showMapping && columns.length > 0 && (
        <div className={styles.columns}>
          <p className="muted" id={`${id}-columns`}>
            Columns: what each is read as
          </p>
          <div className={styles.mapping} role="group" aria-labelledby={`${id}-columns`}>
            {columns.map((c) => (
              <div key={c.header} className={styles.column}>
                <span className={styles.header} title={c.header}>
                  {c.header}
                </span>
                <select
                  aria-label={c.header}
                  value={c.field}
                  onChange={(e) =>
                    onChoice({
                      ...choice,
                      format: 'csv',
                      mapping: { ...choice.mapping, [c.header]: e.target.value },
                    })
                  }
                >
                  {c.field === '' && <option value="">—</option>}
                  {CSV_FIELDS.map((f) => (
                    <option key={f} value={f}>
                      {CSV_FIELD_LABELS[f]}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
        </div>
      )}

      {preview && (
        <div className={classNames(styles.result, stale && styles.stale)} aria-busy={stale}>
          <p className={styles.counts} data-testid="preview-counts">
            {countsLine(preview.summary)}
          </p>
          {preview.summary.warnings.length > 0 && (
            <details className={styles.warnings} open={preview.summary.warnings.length <= 3}>
              <summary>{plural(preview.summary.warnings.length, 'warning')}</summary>
              <ul>
                {preview.summary.warnings.map((w, i) => (
                  <li key={i}>{w.line !== null ? `line ${w.line}: ${w.message}` : w.message}</li>
                ))}
              </ul>
            </details>
          )}
          <PreviewPaperList
            source={source}
            papers={preview.papers}
            excluded={excluded}
            onExcluded={onExcluded}
          />
        </div>
      )}
    </section>
  )
}
