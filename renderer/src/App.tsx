import { useCallback, useEffect, useRef, useState } from 'react'
import type { Sort, Status } from '../../shared/domain'
import type { VisibleRow } from './components/PaperTable'
import { STATUSES } from '../../shared/domain'
import { DetailPane } from './components/DetailPane'
import { EmptyState } from './components/EmptyState'
import { ImportResult } from './components/ImportResult'
import { PaperTable } from './components/PaperTable'
import { PasteDialog } from './components/PasteDialog'
import { Sidebar } from './components/Sidebar'
import { useLibraryStatus, useSetStatus, useStats } from './hooks/queries'
import { BackupsDialog } from './components/BackupsDialog'
import { RecoveryScreen } from './components/RecoveryScreen'
import { useImporter } from './hooks/useImporter'

const DEFAULT_SORT: Sort = { field: 'addedAt', direction: 'desc' }

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))
}

export function App() {
  const status = useLibraryStatus()
  if (status.isError) {
    return (
      <p className="error banner" role="alert">
        Lectern is not answering: {status.error.message}
      </p>
    )
  }
  if (!status.data) return <div className="app" data-ready="false" />
  if (status.data.state === 'damaged') {
    return (
      <div className="app" data-ready="true">
        <RecoveryScreen status={status.data} />
      </div>
    )
  }
  return <Library />
}

function Library() {
  const stats = useStats()
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT)
  const [status, setStatus] = useState<Status | null>(null)
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const [pasting, setPasting] = useState(false)
  const [showBackups, setShowBackups] = useState(false)
  const [dragging, setDragging] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const visibleRows = useRef<VisibleRow[]>([])
  const selectedIndex = useRef<number | null>(null)
  const scrollToIndex = useRef<((index: number) => void) | null>(null)
  const importer = useImporter()
  const setPaperStatus = useSetStatus()

  const total = stats.data ? (status ? stats.data.byStatus[status] : stats.data.total) : 0
  const onVisibleRows = useCallback((rows: VisibleRow[]) => {
    visibleRows.current = rows
  }, [])
  const select = useCallback((id: number, index: number) => {
    setSelectedId(id)
    selectedIndex.current = index
  }, [])

  const openPicker = (): void => fileInput.current?.click()

  // Keyboard triage: move with ↑/↓ or j/k, set the status with 1–5, import with Ctrl/⌘+O.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'o') {
        event.preventDefault()
        openPicker()
        return
      }
      if (typingInField(event.target) || event.ctrlKey || event.metaKey || event.altKey) return
      // A dialog (paste, backups) has the keyboard.
      if (document.querySelector('dialog[open]')) return
      const rows = visibleRows.current
      const at = rows.findIndex((r) => r.paper.id === selectedId)
      const move = (delta: number): void => {
        let next: VisibleRow | undefined
        if (at !== -1) next = rows[at + delta]
        else if (selectedIndex.current !== null) {
          // The selected paper left this view (its status changed): stay where it was.
          const target = selectedIndex.current + (delta > 0 ? 0 : -1)
          next = rows.find((r) => r.index === target) ?? rows.find((r) => r.index > target)
        } else next = rows.find((r) => r.visible)
        if (next) {
          setSelectedId(next.paper.id)
          selectedIndex.current = next.index
          scrollToIndex.current?.(next.index)
        }
      }
      if (event.key === 'ArrowDown' || event.key === 'j') {
        event.preventDefault()
        move(1)
      } else if (event.key === 'ArrowUp' || event.key === 'k') {
        event.preventDefault()
        move(-1)
      } else if (/^[1-5]$/.test(event.key) && selectedId !== null) {
        setPaperStatus.mutate({ id: selectedId, status: STATUSES[Number(event.key) - 1]! })
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [selectedId, setPaperStatus])

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
      className="app"
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
      <header className="toolbar">
        <h1 className="brand">Lectern</h1>
        <div className="toolbar-actions">
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
            <span className="busy" role="status">
              Importing…
            </span>
          )}
        </div>
        <input
          ref={fileInput}
          type="file"
          accept=".txt,.text,.md,text/plain"
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
        <p className="error banner" role="alert">
          Cannot read the library: {stats.error.message}
        </p>
      )}
      <div className="workspace">
        <Sidebar stats={stats.data} status={status} onStatus={setStatus} />
        <main className="main">
          {libraryEmpty ? (
            <EmptyState
              onSample={() => void importer.importSample()}
              onImport={openPicker}
              onPaste={() => setPasting(true)}
              busy={importer.busy}
            />
          ) : (
            <PaperTable
              sort={sort}
              onSortChange={setSort}
              status={status}
              total={total}
              selectedId={selectedId}
              onSelect={select}
              onVisibleRows={onVisibleRows}
              scrollToIndexRef={scrollToIndex}
            />
          )}
        </main>
        <DetailPane id={selectedId} />
      </div>
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
            setSelectedId(null)
          }}
        />
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop dumps to import them
        </div>
      )}
    </div>
  )
}
