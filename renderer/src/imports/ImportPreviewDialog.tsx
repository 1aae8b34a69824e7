// The step between choosing dumps and importing them: each dump is read by the core with the
// format and column mapping the user can change, shows what the import would do paper by paper,
// and the user picks the papers to bring in. Then the import runs in the background with a
// progress bar and can be cancelled. All dumps go in together or none does, as before.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ImportJob } from '../../../shared/domain'
import { useModalDialog } from '../hooks/useModalDialog'
import type { ImportOutcome } from '../hooks/useImporter'
import buttonStyles from '../styles/button.module.css'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import { DumpPreview } from './DumpPreview'
import { ImportProgress } from './ImportProgress'
import { isLostUpload, requestDump } from './sendDumps'
import type { DumpChoice, ImportSource } from './sendDumps'
import { isRunning, useImportJob } from './useImportJob'
import { useImportPreview } from './useImportPreview'
import { usePreparedDumps } from './usePreparedDumps'
import styles from './ImportPreviewDialog.module.css'

const numbers = new Intl.NumberFormat()

interface Props {
  sources: readonly ImportSource[]
  /** The import ended (done, failed or cancelled); the dialog is finished. */
  onEnd: (outcome: ImportOutcome) => void
  /** Closed without importing. */
  onClose: () => void
}

export function ImportPreviewDialog({ sources, onEnd, onClose }: Props) {
  // The heading takes the focus at first (the buttons are not ready), the Import button once
  // there is something to import, so that Enter imports.
  const heading = useRef<HTMLHeadingElement>(null)
  const ref = useModalDialog(heading)
  const importButton = useRef<HTMLButtonElement>(null)
  const prepared = usePreparedDumps(sources)
  const [choices, setChoices] = useState<DumpChoice[]>(() => sources.map(() => ({})))
  const [excluded, setExcluded] = useState<ReadonlySet<number>[]>(() =>
    sources.map(() => new Set<number>()),
  )
  const [problem, setProblem] = useState<string | null>(null)

  // Once every dump is read (or could not be), those that could are previewed together.
  const settled = prepared.states.every((s) => s.phase === 'ready' || s.phase === 'failed')
  const items = useMemo(
    () =>
      settled
        ? prepared.states.flatMap((s, index) =>
            s.phase === 'ready' ? [{ index, dump: s.dump, choice: choices[index] ?? {} }] : [],
          )
        : null,
    [settled, prepared.states, choices],
  )
  const preview = useImportPreview(items)
  const resultOf = (index: number) => {
    const at = items?.findIndex((i) => i.index === index) ?? -1
    return at === -1 ? undefined : preview.data?.dumps[at]
  }

  const { resend } = prepared
  useEffect(() => {
    if (preview.error && isLostUpload(preview.error)) resend()
  }, [preview.error, resend])

  const onJobEnd = useCallback(
    (job: ImportJob) => {
      if (job.state === 'done') onEnd({ kind: 'done', summaries: job.summaries ?? [] })
      else if (job.state === 'cancelled') onEnd({ kind: 'cancelled' })
      else {
        onEnd({
          kind: 'failed',
          message: job.error?.message ?? 'the import stopped',
          files: sources.length,
        })
      }
    },
    [onEnd, sources.length],
  )
  const job = useImportJob(onJobEnd)
  const running = job.job !== null && isRunning(job.job)

  const chosen = (index: number): number => {
    const r = resultOf(index)
    return r?.ok ? r.preview.papers.length - (excluded[index]?.size ?? 0) : 0
  }
  const total = items?.reduce((n, i) => n + chosen(i.index), 0) ?? 0
  const fresh = preview.data !== undefined && !preview.isPlaceholderData && !preview.isFetching
  const allRead =
    settled &&
    prepared.states.every((s) => s.phase === 'ready') &&
    fresh &&
    preview.data!.dumps.every((r) => r.ok) &&
    preview.data!.together === null
  const canImport = allRead && total > 0 && !job.starting && job.job === null

  // Unless the user has moved it, the focus goes to the Import button once it can be pressed.
  useEffect(() => {
    if (!canImport) return
    const active = document.activeElement
    if (
      active === null ||
      active === document.body ||
      active === ref.current ||
      active === heading.current
    ) {
      importButton.current?.focus()
    }
  }, [canImport, ref])

  const startImport = (): void => {
    if (!canImport || !items) return
    setProblem(null)
    const dumps = items.map(({ index, dump, choice }) => {
      const out = excluded[index]
      const r = resultOf(index)
      const only =
        out && out.size > 0 && r?.ok
          ? r.preview.papers.flatMap((_, i) => (out.has(i) ? [] : [i]))
          : undefined
      return requestDump(dump, choice, only)
    })
    job.start(dumps).catch((error: unknown) => {
      if (isLostUpload(error)) {
        resend()
        setProblem(
          'Lectern had let go of the files while they waited, and they are being sent again; choose Import once the preview is back.',
        )
      } else setProblem((error as Error).message)
    })
  }

  const choose = (index: number, choice: DumpChoice): void => {
    setChoices((all) => all.map((c, i) => (i === index ? choice : c)))
    // Another reading gives other papers: the choice of papers starts again.
    setExcluded((all) => all.map((e, i) => (i === index ? new Set<number>() : e)))
  }

  const waiting = prepared.states.some((s) => s.phase === 'sending')
    ? 'Sending the files to the library…'
    : !settled
      ? 'Reading the files…'
      : preview.isFetching
        ? 'Reading the papers…'
        : null
  const failedCount =
    prepared.states.filter((s) => s.phase === 'failed').length +
    (preview.data?.dumps.filter((r) => !r.ok).length ?? 0)

  const message =
    problem ??
    job.error ??
    preview.data?.together ??
    (preview.error && !isLostUpload(preview.error) ? preview.error.message : null)

  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.dialog)}
      aria-label={job.job ? 'Importing' : 'Import preview'}
      onClose={onClose}
      onCancel={(e) => {
        // Escape does not walk away from a running import: "Cancel import" stops it.
        if (job.job !== null || job.starting) e.preventDefault()
      }}
    >
      <form
        method="dialog"
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault()
          startImport()
        }}
      >
        <h2 ref={heading} tabIndex={-1}>
          {job.job ? 'Importing' : 'Import preview'}
        </h2>
        {job.job ? (
          <ImportProgress
            job={job.job}
            rate={job.rate}
            onCancel={() => void job.cancel()}
            cancelling={job.cancelling || !running}
          />
        ) : (
          <div className={styles.dumps}>
            {prepared.states.map((state, index) => (
              <DumpPreview
                key={index}
                state={state}
                result={resultOf(index)}
                stale={preview.isPlaceholderData || (preview.isFetching && settled)}
                choice={choices[index] ?? {}}
                onChoice={(choice) => choose(index, choice)}
                excluded={excluded[index] ?? new Set<number>()}
                onExcluded={(set) =>
                  setExcluded((all) => all.map((e, i) => (i === index ? set : e)))
                }
              />
            ))}
          </div>
        )}
        {message && (
          <p className={classNames('error', styles.problem)} role="alert">
            {message}
          </p>
        )}
        {!job.job && (
          <div className={classNames(dialogStyles.buttons, styles.footer)}>
            <span className={classNames('muted', styles.note)} aria-live="polite">
              {waiting ??
                (failedCount > 0
                  ? `Nothing can be imported until ${failedCount === 1 ? 'the file above can be read' : 'every file above can be read'}: all go in together, or none.`
                  : sources.length > 1
                    ? `All ${sources.length} files go in together, or none.`
                    : '')}
            </span>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              ref={importButton}
              className={buttonStyles.primary}
              disabled={!canImport}
            >
              {allRead
                ? `Import ${numbers.format(total)} ${total === 1 ? 'paper' : 'papers'}`
                : 'Import'}
            </button>
          </div>
        )}
      </form>
    </dialog>
  )
}
