// Export: a format and which papers (this paper, the view the table shows, or everything), then
// the file is saved as a download.
import { useRef, useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { EXPORT_FORMATS, EXPORT_LABELS } from '../../../shared/domain'
import type { ExportFormat, ExportResult, PaperQuery } from '../../../shared/domain'
import { saveFile } from '../download'
import { pageQuery, useExportPapers, useStats } from '../hooks/queries'
import { useModalDialog } from '../hooks/useModalDialog'
import buttonStyles from '../styles/button.module.css'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import styles from './ExportDialog.module.css'

const numbers = new Intl.NumberFormat()

function papers(n: number | undefined): string {
  return n === undefined ? '…' : `${numbers.format(n)} ${n === 1 ? 'paper' : 'papers'}`
}

type Scope = 'paper' | 'picked' | 'view' | 'all'

interface Props {
  /** What the table shows: "This view" exports it, in its order. */
  query: PaperQuery
  /** The paper the dialog was opened for ("Export this paper"), if any. */
  paper: { id: number; title: string } | null
  /** The papers picked in the table, if several are ("These N papers"). */
  picked?: number[] | null
  onExported: (result: ExportResult) => void
  onClose: () => void
}

export function ExportDialog({ query, paper, picked = null, onExported, onClose }: Props) {
  const confirm = useRef<HTMLButtonElement>(null)
  const ref = useModalDialog(confirm)
  const [format, setFormat] = useState<ExportFormat>('bibtex')
  const [scope, setScope] = useState<Scope>(paper ? 'paper' : picked ? 'picked' : 'view')
  const stats = useStats()
  // The table's first page carries the view's count (usually already in the cache).
  const view = useQuery(pageQuery(query, 0))
  const exporting = useExportPapers()

  const run = (): void => {
    const request =
      scope === 'paper' && paper
        ? { format, ids: [paper.id] }
        : scope === 'picked' && picked
          ? { format, ids: picked }
          : scope === 'view'
            ? {
                format,
                query: {
                  sort: query.sort,
                  status: query.status,
                  importId: query.importId ?? null,
                  tag: query.tag ?? null,
                  starred: query.starred ?? false,
                  search: query.search ?? '',
                },
              }
            : { format, query: { sort: query.sort } }
    exporting.mutate(request, {
      onSuccess: (result) => {
        saveFile(result.fileName, result.mimeType, result.text)
        onExported(result)
      },
    })
  }

  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.dialog)}
      aria-label="Export"
      onClose={onClose}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault()
          run()
        }}
      >
        <h2>Export</h2>
        <label className={styles.format}>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {EXPORT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <fieldset className={styles.scope}>
          <legend>Papers</legend>
          {paper && (
            <label>
              <input
                type="radio"
                name="scope"
                checked={scope === 'paper'}
                onChange={() => setScope('paper')}
              />
              <span className={styles.paperTitle}>This paper ({paper.title})</span>
            </label>
          )}
          {picked && (
            <label>
              <input
                type="radio"
                name="scope"
                checked={scope === 'picked'}
                onChange={() => setScope('picked')}
              />
              The papers picked ({papers(picked.length)})
            </label>
          )}
          <label>
            <input
              type="radio"
              name="scope"
              checked={scope === 'view'}
              onChange={() => setScope('view')}
            />
            This view ({papers(view.data?.total)})
          </label>
          <label>
            <input
              type="radio"
              name="scope"
              checked={scope === 'all'}
              onChange={() => setScope('all')}
            />
            Everything ({papers(stats.data?.total)})
          </label>
        </fieldset>
        {exporting.isError && (
          <p className="error" role="alert">
            Not exported: {exporting.error.message}
          </p>
        )}
        <div className={dialogStyles.buttons}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            ref={confirm}
            className={buttonStyles.primary}
            disabled={exporting.isPending}
          >
            {exporting.isPending ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
    </dialog>
  )
}
