import { useCallback, useEffect, useRef, useState } from 'react'
import { DEFAULT_QUERY } from '../../shared/domain'
import type { PaperQuery, Status } from '../../shared/domain'
import { BackupsDialog } from './components/BackupsDialog'
import { ConfirmDeleteDialog } from './components/ConfirmDeleteDialog'
import { DetailPane } from './components/DetailPane'
import { EmptyState } from './components/EmptyState'
import { ImportResult } from './components/ImportResult'
import { PasteDialog } from './components/PasteDialog'
import { RecoveryScreen } from './components/RecoveryScreen'
import { Sidebar } from './components/Sidebar'
import { UndoToast } from './components/UndoToast'
import {
  useDeletePapers,
  useLibraryStatus,
  useRestoreDeleted,
  useSetStatus,
  useStats,
} from './hooks/queries'
import { useImporter } from './hooks/useImporter'
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

function Library() {
  const stats = useStats()
  const [query, setQuery] = useState<PaperQuery>(DEFAULT_QUERY)
  const [selection, setSelection] = useState<Selection>(NO_SELECTION)
  const [confirmDelete, setConfirmDelete] = useState<{ id: number; index: number | null } | null>(
    null,
  )
  const [toast, setToast] = useState<Toast | null>(null)
  // The last deletion not yet undone: Ctrl/⌘+Z undoes it even once its message is dismissed.
  const [lastDeletion, setLastDeletion] = useState<number | null>(null)
  const [pasting, setPasting] = useState(false)
  const [showBackups, setShowBackups] = useState(false)
  const [dragging, setDragging] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const importer = useImporter()
  const { mutate: mutateStatus } = useSetStatus()
  const deletePapers = useDeletePapers()
  const restoreDeleted = useRestoreDeleted()

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
        fileInput.current?.click()
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
          <button type="button" onClick={() => setShowBackups(true)}>
            Backups…
          </button>
          {importer.busy && (
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
              onQueryChange={setQuery}
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
