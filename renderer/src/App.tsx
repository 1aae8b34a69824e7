import { useCallback, useEffect, useRef, useState } from 'react'
import type { ImportRecord, Status, UndoImportSummary } from '../../shared/domain'
import { BackupsDialog } from './components/BackupsDialog'
import { useRememberedQuery } from './table/useRememberedQuery'
import { SettingsDialog } from './components/SettingsDialog'
import { ConfirmDeleteDialog } from './components/ConfirmDeleteDialog'
import { DetailPane } from './components/DetailPane'
import { EmptyState } from './components/EmptyState'
import { ExportDialog } from './components/ExportDialog'
import { ImportResult } from './components/ImportResult'
import { PasteDialog } from './components/PasteDialog'
import { RecoveryScreen } from './components/RecoveryScreen'
import { Sidebar } from './components/Sidebar'
import { UndoImportDialog } from './components/UndoImportDialog'
import { UndoToast } from './components/UndoToast'
import {
  useDeletePapers,
  useLibraryStatus,
  useRestoreDeleted,
  useSetStatus,
  useFollowLibrary,
  useStats,
  useUndoImport,
} from './hooks/queries'
import { useImporter } from './hooks/useImporter'
import { ImportPreviewDialog } from './imports/ImportPreviewDialog'
import { PaperTable } from './table/PaperTable'
import { NO_SELECTION, typingInField } from './table/useKeyboardTriage'
import type { Selection } from './table/useKeyboardTriage'
import { classNames } from './styles/classNames'
import styles from './App.module.css'

export function App() {
  const status = useLibraryStatus()
  if (status.isError) {
    return (
      <p className={classNames('error', styles.banner)} role="alert">
        Lectern is not answering: {status.error.message}
      </p>
    )
  }
  if (!status.data) return <div className={styles.app} data-testid="app" data-ready="false" />
  if (status.data.state === 'damaged') {
    return (
      <div className={styles.app} data-testid="app" data-ready="true">
        <RecoveryScreen status={status.data} />
      </div>
    )
  }
  return <Library />
}

/** What just happened, as the toast shows it; `undoable` when it offers Undo. */
interface Toast {
  message: string
  undoable?: boolean
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** "Removed 12 papers from a.bib; kept 2 you had used." */
function undoneMessage(r: UndoImportSummary): string {
  let message = `Removed ${plural(r.removed, 'paper')} from ${r.source}`
  if (r.reverted > 0) message += ` and took back what it had filled in on ${r.reverted}`
  if (r.keptCount > 0) {
    // Listed reasons are at most 20: the wording is exact only when all are listed.
    const again = r.kept.filter((k) => k.reason === 'later-import').length
    const all = r.kept.length === r.keptCount
    message +=
      all && again === 0
        ? `; kept ${r.keptCount} you had used`
        : all && again === r.keptCount
          ? `; kept ${r.keptCount} a later import also brought`
          : `; kept ${r.keptCount} you had used or imported again`
  }
  return `${message}.`
}

function Library() {
  const stats = useStats()
  useFollowLibrary()
  const [query, setQuery] = useRememberedQuery()
  const [selection, setSelection] = useState<Selection>(NO_SELECTION)
  const [confirmDelete, setConfirmDelete] = useState<{ id: number; index: number | null } | null>(
    null,
  )
  const [toast, setToast] = useState<Toast | null>(null)
  // The last deletion not yet undone: Ctrl/⌘+Z undoes it even once its message is dismissed.
  const [lastDeletion, setLastDeletion] = useState<number | null>(null)
  const [pasting, setPasting] = useState(false)
  const [showBackups, setShowBackups] = useState(false)
  const [showSettings, setShowSettings] = useState(false)
  // The export dialog, for the view (paper null) or for one paper.
  const [exporting, setExporting] = useState<{
    paper: { id: number; title: string } | null
  } | null>(null)
  const [undoingImport, setUndoingImport] = useState<ImportRecord | null>(null)
  const [dragging, setDragging] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const importer = useImporter()
  const { mutate: mutateStatus } = useSetStatus()
  const deletePapers = useDeletePapers()
  const restoreDeleted = useRestoreDeleted()
  const undoImport = useUndoImport()

  const openPicker = (): void => fileInput.current?.click()

  const onStatus = useCallback(
    (id: number, status: Status) => mutateStatus({ id, status }),
    [mutateStatus],
  )
  const askDelete = useCallback(
    (id: number, index: number | null) => setConfirmDelete({ id, index }),
    [],
  )

  const doDelete = (id: number, index: number | null): void => {
    setConfirmDelete(null)
    deletePapers.mutate([id], {
      onSuccess: (result) => {
        // The next paper takes the deleted one's place in the selection.
        setSelection((s) => (s.id === id ? { id: null, index } : s))
        setLastDeletion(result.deletionId)
        setToast({
          message: `Deleted “${result.titles[0] ?? plural(result.deleted, 'paper')}”.`,
          undoable: true,
        })
      },
      onError: (error) => setToast({ message: `Not deleted: ${error.message}` }),
    })
  }

  const doUndoImport = (record: ImportRecord): void => {
    undoImport.mutate(record.id, {
      onSuccess: (result) => {
        setUndoingImport(null)
        // The paper on show may be one the undo removed; the import's own result is history.
        setSelection(NO_SELECTION)
        importer.dismiss()
        setToast({ message: undoneMessage(result) })
      },
    })
  }

  const { mutate: restore, isPending: restoring } = restoreDeleted
  const undo = useCallback(() => {
    if (lastDeletion === null || restoring) return
    restore(lastDeletion, {
      onSuccess: (result) => {
        setLastDeletion(null)
        setToast({ message: `Restored ${plural(result.restored, 'paper')}.` })
        if (result.ids.length > 0) setSelection({ id: result.ids[0]!, index: null })
      },
      onError: (error) => setToast({ message: `Could not undo: ${error.message}` }),
    })
  }, [lastDeletion, restore, restoring])

  // Ctrl/⌘+O imports; Ctrl/⌘+Z undoes the last deletion (a field keeps its own undo).
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return
      const key = event.key.toLowerCase()
      if (key === 'o') {
        event.preventDefault()
        // Not over a dialog: an import preview open would be replaced by the new files.
        if (!document.querySelector('dialog[open]')) fileInput.current?.click()
      } else if (key === 'z' && !event.shiftKey && !typingInField(event.target)) {
        if (document.querySelector('dialog[open]')) return
        event.preventDefault()
        undo()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [undo])

  const onDrop = (event: React.DragEvent): void => {
    event.preventDefault()
    setDragging(false)
    const files = [...event.dataTransfer.files]
    if (files.length) void importer.importFiles(files)
  }

  const ready = stats.isSuccess
  const libraryEmpty = ready && stats.data.total === 0

  return (
    <div
      className={styles.app}
      data-testid="app"
      data-ready={ready ? 'true' : 'false'}
      onDragOver={(e) => {
        if ([...e.dataTransfer.types].includes('Files')) {
          e.preventDefault()
          setDragging(true)
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false)
      }}
      onDrop={onDrop}
    >
      <header className={styles.toolbar}>
        <h1 className={styles.brand}>Lectern</h1>
        <div className={styles.actions}>
          <button
            type="button"
            onClick={openPicker}
            disabled={importer.busy}
            title="Import a dump (Ctrl+O)"
          >
            Import…
          </button>
          <button type="button" onClick={() => setPasting(true)} disabled={importer.busy}>
            Paste…
          </button>
          <button
            type="button"
            onClick={() => setExporting({ paper: null })}
            disabled={!ready || stats.data.total === 0}
            title="Export the papers of this view, or all of them"
          >
            Export…
          </button>
          <button type="button" onClick={() => setShowBackups(true)}>
            Backups…
          </button>
          <button type="button" onClick={() => setShowSettings(true)}>
            Settings…
          </button>
          {importer.importingSample && (
            <span className={styles.busy} role="status">
              Importing…
            </span>
          )}
        </div>
        <input
          ref={fileInput}
          type="file"
          accept=".txt,.text,.md,.eml,.bib,.bibtex,.ris,.json,.jsonl,.xml,.atom,.csv,.tsv,.tab,text/plain"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])]
            e.target.value = ''
            if (files.length) void importer.importFiles(files)
          }}
        />
      </header>
      {importer.outcome && <ImportResult outcome={importer.outcome} onDismiss={importer.dismiss} />}
      {stats.isError && (
        <p className={classNames('error', styles.banner)} role="alert">
          Cannot read the library: {stats.error.message}
        </p>
      )}
      <div className={styles.workspace}>
        <Sidebar
          stats={stats.data}
          status={query.status}
          onStatus={(status) => setQuery((q) => ({ ...q, status }))}
          importId={query.importId ?? null}
          onImport={(importId) => setQuery((q) => ({ ...q, importId }))}
          onUndoImport={(record) => {
            undoImport.reset()
            setUndoingImport(record)
          }}
        />
        <main className={styles.main}>
          {libraryEmpty ? (
            <EmptyState
              onSample={() => void importer.importSample()}
              onImport={openPicker}
              onPaste={() => setPasting(true)}
              busy={importer.busy}
            />
          ) : (
            <PaperTable
              query={query}
              onQueryChange={(q) => setQuery(() => q)}
              selection={selection}
              onSelect={setSelection}
              onStatus={onStatus}
              onDelete={askDelete}
            />
          )}
        </main>
        <DetailPane
          id={selection.id}
          onDelete={(id) => askDelete(id, selection.id === id ? selection.index : null)}
          onExport={(paper) => setExporting({ paper })}
        />
      </div>
      {toast && (
        <UndoToast
          message={toast.message}
          onUndo={toast.undoable && lastDeletion !== null ? undo : undefined}
          busy={restoring}
          onDismiss={() => setToast(null)}
        />
      )}
      {confirmDelete && (
        <ConfirmDeleteDialog
          id={confirmDelete.id}
          onConfirm={() => doDelete(confirmDelete.id, confirmDelete.index)}
          onClose={() => setConfirmDelete(null)}
        />
      )}
      {pasting && (
        <PasteDialog
          onClose={() => setPasting(false)}
          onImport={(text) => {
            setPasting(false)
            void importer.importPasted(text)
          }}
        />
      )}
      {importer.previewing && (
        <ImportPreviewDialog
          key={importer.previewing.id}
          sources={importer.previewing.sources}
          onEnd={importer.endPreview}
          onClose={importer.closePreview}
        />
      )}
      {exporting && (
        <ExportDialog
          query={query}
          paper={exporting.paper}
          onClose={() => setExporting(null)}
          onExported={(result) => {
            setExporting(null)
            setToast({
              message: `Exported ${plural(result.papers, 'paper')} to ${result.fileName}.`,
            })
          }}
        />
      )}
      {undoingImport && (
        <UndoImportDialog
          record={undoingImport}
          busy={undoImport.isPending}
          error={undoImport.error?.message ?? null}
          onConfirm={() => doUndoImport(undoingImport)}
          onClose={() => setUndoingImport(null)}
        />
      )}
      {showSettings && <SettingsDialog onClose={() => setShowSettings(false)} />}
      {showBackups && (
        <BackupsDialog
          onClose={() => {
            setShowBackups(false)
            setSelection(NO_SELECTION)
          }}
        />
      )}
      {dragging && (
        <div className={styles.dropOverlay} aria-hidden="true">
          Drop dumps to import them
        </div>
      )}
    </div>
  )
}
