import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { DEFAULT_QUERY, STATUS_LABELS, sizeWarning } from '../../shared/domain'
import type {
  ImportRecord,
  PaperQuery,
  PaperRow,
  Status,
  UndoImportSummary,
} from '../../shared/domain'
import { ApiFailure, call } from './api/client'
import { SearchBox } from './search/SearchBox'
import type { SearchBoxHandle } from './search/SearchBox'
import { ShortcutSheet } from './components/ShortcutSheet'
import { BulkBar } from './table/BulkBar'
import { NOTHING_PICKED, pickedCount, togglePicked } from './table/picked'
import type { Picked } from './table/picked'
import { usePaperActions } from './undo/usePaperActions'
import type { PaperChange } from './undo/usePaperActions'
import { useUndoStack } from './undo/useUndoStack'
import buttonStyles from './styles/button.module.css'
import { Splitter } from './layout/Splitter'
import { PANE_BOUNDS, usePaneSizes } from './layout/usePaneSizes'
import { usePanes } from './layout/usePanes'
import { themeStore } from './theme/theme'
import { BackupsDialog } from './components/BackupsDialog'
import { useRememberedQuery, useRememberedSelection } from './table/useRememberedQuery'
import { SettingsDialog } from './settings/SettingsDialog'
import { ReadOnlyContext } from './hooks/useReadOnly'
import { useNoteDrafts } from './notes/useNoteDraft'
import { switchLibrary } from './settings/switchLibrary'
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
  useLibraryInfo,
  useLibraryStatus,
  useFollowLibrary,
  usePaper,
  useStats,
  useUndoImport,
} from './hooks/queries'
import { useImporter } from './hooks/useImporter'
import { useMenuCommands } from './menu/useMenuCommands'
import { useOpenedFiles } from './imports/useOpenedFiles'
import { ImportPreviewDialog } from './imports/ImportPreviewDialog'
import { PaperTable } from './table/PaperTable'
import { NO_SELECTION, typingInField } from './table/useKeyboardTriage'
import type { Selection, TriageAction } from './table/useKeyboardTriage'
import { filtersOf, withSearchOrder } from './sidebar/viewFilters'
import { classNames } from './styles/classNames'
import styles from './App.module.css'

// The Statistics view and its chart library load the first time the view is opened.
const StatsView = lazy(() => import('./stats/StatsView').then((m) => ({ default: m.StatsView })))
// The manual (the README's text) and what renders it load the first time Help is opened.
const HelpDialog = lazy(() => import('./help/HelpDialog').then((m) => ({ default: m.HelpDialog })))

/** What the toolbar's titles and the menu show for the key with Ctrl, or ⌘ on a Mac. */
const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl'

export function App() {
  const status = useLibraryStatus()
  if (status.isError) {
    // In a browser, a tab without the server's token (a new tab, a server started again).
    const refused = status.error instanceof ApiFailure && status.error.error.code === 'forbidden'
    return (
      <p className={classNames('error', styles.banner)} role="alert">
        {refused ? 'Lectern cannot open here' : 'Lectern is not answering'}: {status.error.message}
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

/** The paper shown takes the focus, from the table's Enter. */
function focusDetailTitle(): void {
  document.querySelector<HTMLElement>('[data-testid="detail"] h2')?.focus()
}

function Library() {
  const stats = useStats()
  // A library whose files are read-only, opened only to read: what would change it is disabled.
  const info = useLibraryInfo()
  const readOnly = info.data?.writable === false
  useFollowLibrary()
  const [query, setQuery, askAhead] = useRememberedQuery()
  const [selection, setSelection] = useRememberedSelection()
  const [picked, setPicked] = useState<Picked>(NOTHING_PICKED)
  const [found, setFound] = useState<{ total: number; notes: string[] } | null>(null)
  const [confirmDelete, setConfirmDelete] = useState<{
    ids: number[]
    index: number | null
  } | null>(null)
  const [toast, setToast] = useState<Toast | null>(null)
  const [pasting, setPasting] = useState(false)
  const [showBackups, setShowBackups] = useState(false)
  const [showSettings, setShowSettings] = useState(false)
  const [showShortcuts, setShowShortcuts] = useState(false)
  const [showHelp, setShowHelp] = useState(false)
  const [showStatistics, setShowStatistics] = useState(false)
  // The export dialog, for the view (paper null), for one paper, or for the papers picked.
  const [exporting, setExporting] = useState<{
    paper: { id: number; title: string } | null
    picked?: number[] | null
  } | null>(null)
  const [undoingImport, setUndoingImport] = useState<ImportRecord | null>(null)
  const [dragging, setDragging] = useState(false)
  const [acting, setActing] = useState(false)
  const [panes, setPanes, narrow] = usePaneSizes()
  // Which panes are on screen; on a narrow window the sidebar folds away, opened over the table.
  const shownPanes = usePanes(narrow)
  const { toggle: togglePane, showDetail } = shownPanes
  const detailShown = shownPanes.shown.detail
  const focusDetailOnShow = useRef(false)
  useEffect(() => {
    if (!detailShown || !focusDetailOnShow.current) return
    focusDetailOnShow.current = false
    focusDetailTitle()
  }, [detailShown])
  const fileInput = useRef<HTMLInputElement>(null)
  const searchBox = useRef<SearchBoxHandle>(null)
  // Where a Shift-click range starts: the paper last clicked or moved to.
  const anchor = useRef<number | null>(null)
  const importer = useImporter()
  const drafts = useNoteDrafts()
  // A file opened with the app goes to the same preview as one dropped on the window.
  useOpenedFiles(importer.importOpened)
  const undoImport = useUndoImport()
  // A paper remembered from last time, or selected, that is gone now (deleted elsewhere, the
  // library restored from a backup): the selection moves to whatever took its place.
  const shown = usePaper(selection.id)
  // Only an answer of now: a paper deleted, then put back by an undo and selected again, still
  // has the "not found" of its deletion in the cache until it is asked for again.
  const gone =
    shown.isError &&
    !shown.isFetching &&
    shown.error instanceof ApiFailure &&
    shown.error.error.code === 'not-found'
  useEffect(() => {
    if (gone) setSelection((s) => ({ id: null, index: s.index }))
  }, [gone, setSelection])
  const history = useUndoStack()
  const actions = usePaperActions(
    history,
    useCallback(
      (ids: number[]) => {
        if (ids.length > 0) setSelection({ id: ids[0]!, index: null })
      },
      [setSelection],
    ),
  )

  const openPicker = (): void => fileInput.current?.click()

  /** The ids an action applies to: the picked papers, else the selected one. */
  const targets = useCallback(async (): Promise<number[]> => {
    if (picked.all) return (await call('paperIds', query)).ids
    if (picked.ids.size > 0) return [...picked.ids]
    return selection.id === null ? [] : [selection.id]
  }, [picked, query, selection.id])

  /** Runs a change, says what it did (with Undo when it was on several), or why it failed. */
  const act = useCallback(
    async (work: () => Promise<string | null>, bulk: boolean): Promise<void> => {
      setActing(true)
      // A toast's Undo would take back this change, not the one it names.
      if (!bulk) setToast((t) => (t?.undoable ? null : t))
      try {
        const message = await work()
        if (message && bulk) {
          setToast({ message, undoable: true })
          // Done to the papers picked: the next key acts on one paper again (a view of all
          // picked that the change emptied must not stay picked for papers still to come).
          setPicked(NOTHING_PICKED)
        }
      } catch (error) {
        // The banner says why a read-only library refuses; the toast need not spell out its path.
        const readOnlyRefusal = error instanceof ApiFailure && error.error.code === 'read-only'
        setToast({
          message: readOnlyRefusal
            ? 'Not done: this library is read-only.'
            : `Not done: ${(error as Error).message}`,
        })
      } finally {
        setActing(false)
      }
    },
    [],
  )

  const changePapers = useCallback(
    (change: Omit<PaperChange, 'ids'>, describe: (n: number) => string, ids?: number[]) =>
      act(
        async () => {
          const on = ids ?? (await targets())
          if (on.length === 0) return null
          const label = describe(on.length)
          await actions.change({ ...change, ids: on }, label)
          return `${label}.`
        },
        !ids && (picked.all || picked.ids.size > 0),
      ),
    [act, actions, targets, picked],
  )

  const setStatusOf = useCallback(
    (status: Status, ids?: number[]) =>
      changePapers(
        { status },
        (n) =>
          `${n === 1 ? 'Status' : `Status of ${plural(n, 'paper')}`} → ${STATUS_LABELS[status]}`,
        ids,
      ),
    [changePapers],
  )

  const starOf = useCallback(
    (starred: boolean, ids?: number[]) =>
      changePapers(
        { starred },
        (n) => `${starred ? 'Starred' : 'Unstarred'} ${plural(n, 'paper')}`,
        ids,
      ),
    [changePapers],
  )

  const askDelete = useCallback(async () => {
    const ids = await targets()
    if (ids.length > 0) setConfirmDelete({ ids, index: selection.index })
  }, [targets, selection.index])

  const doDelete = (ids: number[], index: number | null): void => {
    setConfirmDelete(null)
    void act(async () => {
      const result = await actions.remove(
        ids,
        ids.length === 1 ? 'Delete a paper' : `Delete ${plural(ids.length, 'paper')}`,
      )
      // The next paper takes the deleted one's place in the selection.
      setSelection((s) => (s.id !== null && ids.includes(s.id) ? { id: null, index } : s))
      setPicked(NOTHING_PICKED)
      setToast({
        message:
          result.deleted === 1
            ? `Deleted “${result.titles[0] ?? 'a paper'}”.`
            : `Deleted ${plural(result.deleted, 'paper')}.`,
        undoable: true,
      })
      return null
    }, false)
  }

  const doUndoImport = (record: ImportRecord): void => {
    undoImport.mutate(record.id, {
      onSuccess: (result) => {
        setUndoingImport(null)
        // The paper on show may be one the undo removed; the import's own result is history.
        setSelection(NO_SELECTION)
        setPicked(NOTHING_PICKED)
        importer.dismiss()
        setToast({ message: undoneMessage(result) })
      },
    })
  }

  const walk = useCallback(
    (direction: 'undo' | 'redo') => {
      if (history.busy) return
      ;(direction === 'undo' ? history.undo() : history.redo()).then(
        (message) => {
          if (message) setToast({ message })
        },
        (error: Error) => setToast({ message: `Could not ${direction}: ${error.message}` }),
      )
    },
    [history],
  )

  const onAction = useCallback(
    (action: TriageAction) => {
      switch (action.kind) {
        case 'status':
          void setStatusOf(action.status)
          break
        case 'star': {
          if (picked.all || picked.ids.size > 0) {
            void starOf(true)
            break
          }
          if (selection.id === null) break
          const id = selection.id
          void call('getPaper', { id }).then((p) => starOf(!p.starred, [id]))
          break
        }
        case 'delete':
          void askDelete()
          break
        case 'pick':
          if (selection.id !== null) setPicked((p) => togglePicked(p, selection.id!, null))
          break
        case 'pickAll':
          setPicked({ ids: new Set(), all: true })
          break
        case 'open':
          // A hidden detail pane comes back for the paper opened, and takes the focus once shown.
          if (detailShown) focusDetailTitle()
          else {
            focusDetailOnShow.current = true
            showDetail()
          }
          break
      }
    },
    [setStatusOf, starOf, askDelete, picked, selection.id, detailShown, showDetail],
  )

  const onRowClick = useCallback(
    (paper: PaperRow, index: number, how: 'plain' | 'range' | 'toggle') => {
      if (how === 'toggle') {
        setPicked((p) => togglePicked(p, paper.id, selection.id))
        setSelection({ id: paper.id, index })
        anchor.current = index
        return
      }
      if (how === 'range' && anchor.current !== null) {
        const from = Math.min(anchor.current, index)
        const to = Math.max(anchor.current, index)
        setSelection({ id: paper.id, index })
        void call('paperIds', query).then(
          ({ ids }) => setPicked({ ids: new Set(ids.slice(from, to + 1)), all: false }),
          (error: Error) => setToast({ message: `Could not pick: ${error.message}` }),
        )
        return
      }
      setPicked(NOTHING_PICKED)
      setSelection({ id: paper.id, index })
      anchor.current = index
    },
    [query, selection.id, setSelection],
  )

  const onSelect = useCallback(
    (next: Selection) => {
      setSelection(next)
      anchor.current = next.index
    },
    [setSelection],
  )

  const changeQuery = useCallback(
    (change: (q: PaperQuery) => PaperQuery) => {
      setPicked(NOTHING_PICKED)
      setShowStatistics(false)
      // A range starts in the view it is picked in.
      anchor.current = null
      setQuery(change)
    },
    [setQuery],
  )

  const onSearch = useCallback(
    (search: string) =>
      changeQuery((q) => {
        const was = !!q.search?.trim()
        const now = !!search.trim()
        // Searching sorts by relevance; leaving the search goes back to the usual order.
        let sort = q.sort
        if (now && !was) sort = { field: 'relevance', direction: 'desc' }
        if (!now && q.sort.field === 'relevance') sort = DEFAULT_QUERY.sort
        return { ...q, search, sort }
      }),
    [changeQuery],
  )

  // What the sidebar and the detail pane are given stays the same while it does not change:
  // both are memoised, and a new sort draws neither (nor a row picked the sidebar).
  const { status: viewStatus, starred: viewStarred, tag: viewTag, importId: viewImport } = query
  const viewSearch = query.search
  const filters = useMemo(
    () =>
      filtersOf({
        sort: DEFAULT_QUERY.sort,
        status: viewStatus,
        starred: viewStarred,
        tag: viewTag,
        search: viewSearch,
        importId: viewImport,
      }),
    [viewStatus, viewStarred, viewTag, viewSearch, viewImport],
  )
  const onView = useCallback(
    (change: Partial<PaperQuery>) => changeQuery((q) => ({ ...q, ...withSearchOrder(q, change) })),
    [changeQuery],
  )
  const resetUndoImport = undoImport.reset
  const onUndoImportAsked = useCallback(
    (record: ImportRecord) => {
      resetUndoImport()
      setUndoingImport(record)
    },
    [resetUndoImport],
  )
  const onStatistics = useCallback(() => setShowStatistics(true), [])
  const selectionIndex = selection.index
  const onDeleteShown = useCallback(
    (id: number) => setConfirmDelete({ ids: [id], index: selectionIndex }),
    [selectionIndex],
  )
  const onExportShown = useCallback(
    (paper: { id: number; title: string }) => setExporting({ paper }),
    [],
  )
  const changeWithUndo = actions.change
  const onChangeShown = useCallback(
    (change: PaperChange, label: string) =>
      void act(async () => {
        await changeWithUndo(change, label)
        return null
      }, false),
    [act, changeWithUndo],
  )
  const onOpenPaper = useCallback((id: number) => setSelection({ id, index: null }), [setSelection])

  // Keys of the whole window: Ctrl/⌘+O imports, Ctrl/⌘+Z undoes and Shift+Ctrl/⌘+Z (or
  // Ctrl+Y) redoes (a field keeps its own undo); Ctrl/⌘+B and Ctrl/⌘+J hide or show the sidebar
  // and the detail pane; / searches; ? lists the keys; F1 opens the manual; Esc leaves.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const dialogOpen = !!document.querySelector('dialog[open]')
      if (event.key === 'F1' && !event.ctrlKey && !event.metaKey && !event.altKey) {
        // Also from a text field (F1 types nothing), never over a dialog, as Ctrl/⌘+, is.
        event.preventDefault()
        if (!dialogOpen) setShowHelp(true)
        return
      }
      if (event.ctrlKey || event.metaKey) {
        if (event.altKey) return
        const key = event.key.toLowerCase()
        // The panes' keys, also in a text field and over a dialog, as the View menu's items are
        // (a pane opens nothing). With Shift they stay the browser's (Ctrl+Shift+J: its console).
        if ((key === 'b' || key === 'j') && !event.shiftKey) {
          event.preventDefault()
          togglePane(key === 'b' ? 'sidebar' : 'detail')
          return
        }
        if (key === 'o') {
          event.preventDefault()
          // Not over a dialog: an import preview open would be replaced by the new files.
          if (!dialogOpen && !readOnly) fileInput.current?.click()
        } else if (key === ',') {
          // Settings, as the menu's item (which leaves this key to the page).
          event.preventDefault()
          if (!dialogOpen) setShowSettings(true)
        } else if ((key === 'z' || key === 'y') && !typingInField(event.target) && !dialogOpen) {
          event.preventDefault()
          walk(key === 'y' || event.shiftKey ? 'redo' : 'undo')
        }
        return
      }
      if (typingInField(event.target) || dialogOpen || event.altKey) return
      if (event.key === '/') {
        event.preventDefault()
        searchBox.current?.focus()
      } else if (event.key === '?') {
        event.preventDefault()
        setShowShortcuts(true)
      } else if (event.key === 'Escape') {
        if (picked.all || picked.ids.size > 0) setPicked(NOTHING_PICKED)
        else if (showStatistics) setShowStatistics(false)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [walk, picked, showStatistics, readOnly, togglePane])

  const onDrop = (event: React.DragEvent): void => {
    event.preventDefault()
    setDragging(false)
    const files = [...event.dataTransfer.files]
    if (files.length === 0) return
    if (readOnly)
      setToast({ message: 'This library is read-only: nothing can be imported into it.' })
    else void importer.importFiles(files)
  }

  const ready = stats.isSuccess
  const libraryEmpty = ready && stats.data.total === 0
  // The application menu (desktop only) reaches what the toolbar and the keys reach.
  useMenuCommands({
    undo: () => walk('undo'),
    redo: () => walk('redo'),
    newLibrary: () =>
      void switchLibrary(drafts, 'newLibrary').catch((e: Error) =>
        setToast({ message: e.message }),
      ),
    openLibrary: () =>
      void switchLibrary(drafts, 'openLibrary').catch((e: Error) =>
        setToast({ message: e.message }),
      ),
    import: () => {
      if (!importer.busy && !readOnly) openPicker()
    },
    paste: () => {
      if (!importer.busy && !readOnly) setPasting(true)
    },
    export: () => {
      if (ready && stats.data.total > 0) setExporting({ paper: null })
    },
    backups: () => setShowBackups(true),
    settings: () => setShowSettings(true),
    find: () => searchBox.current?.focus(),
    stats: () => setShowStatistics(true),
    shortcuts: () => setShowShortcuts(true),
    toggleSidebar: () => togglePane('sidebar'),
    toggleDetail: () => togglePane('detail'),
    // Through the store Settings uses, which tells the main process the choice (theme/theme.ts).
    themeSystem: () => themeStore.choose('system'),
    themeLight: () => themeStore.choose('light'),
    themeDark: () => themeStore.choose('dark'),
    help: () => setShowHelp(true),
  })

  return (
    <ReadOnlyContext.Provider value={readOnly}>
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
          <button
            type="button"
            className={buttonStyles.icon}
            aria-expanded={shownPanes.shown.sidebar}
            aria-controls="sidebar"
            aria-label="Views"
            title={`${shownPanes.shown.sidebar ? 'Hide' : 'Show'} the views, tags and imports (${MOD}+B)`}
            onClick={() => togglePane('sidebar')}
          >
            ☰
          </button>
          <h1 className={styles.brand}>Lectern</h1>
          <SearchBox
            ref={searchBox}
            value={query.search ?? ''}
            onChange={onSearch}
            notes={found?.notes ?? []}
            found={found?.total ?? null}
          />
          <div className={styles.actions}>
            <button
              type="button"
              className={buttonStyles.icon}
              onClick={() => walk('undo')}
              disabled={!history.canUndo || history.busy || readOnly}
              aria-label="Undo"
              title={history.nextUndo ? `Undo: ${history.nextUndo} (Ctrl+Z)` : 'Nothing to undo'}
            >
              ↶
            </button>
            <button
              type="button"
              className={buttonStyles.icon}
              onClick={() => walk('redo')}
              disabled={!history.canRedo || history.busy || readOnly}
              aria-label="Redo"
              title={
                history.nextRedo ? `Redo: ${history.nextRedo} (Shift+Ctrl+Z)` : 'Nothing to redo'
              }
            >
              ↷
            </button>
            <button
              type="button"
              onClick={openPicker}
              disabled={importer.busy || readOnly}
              title="Import a dump (Ctrl+O)"
            >
              Import…
            </button>
            <button
              type="button"
              onClick={() => setPasting(true)}
              disabled={importer.busy || readOnly}
            >
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
            <button type="button" onClick={() => setShowSettings(true)} title="Settings (Ctrl+,)">
              Settings…
            </button>
            <button
              type="button"
              className={buttonStyles.icon}
              onClick={() => setShowShortcuts(true)}
              aria-label="Keyboard shortcuts"
              title="Keyboard shortcuts (?)"
            >
              ⌨
            </button>
            <button type="button" onClick={() => setShowHelp(true)} title="Lectern Help (F1)">
              Help
            </button>
            {importer.importingSample && (
              <span className={styles.busy} role="status">
                Importing…
              </span>
            )}
          </div>
          <button
            type="button"
            className={classNames(buttonStyles.icon, styles.detailToggle)}
            aria-pressed={shownPanes.shown.detail}
            aria-label="Detail pane"
            title={`${shownPanes.shown.detail ? 'Hide' : 'Show'} the detail pane (${MOD}+J)`}
            onClick={() => togglePane('detail')}
          >
            ◨
          </button>
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
        {importer.outcome && (
          <ImportResult outcome={importer.outcome} onDismiss={importer.dismiss} />
        )}
        {stats.isError && (
          <p className={classNames('error', styles.banner)} role="alert">
            Cannot read the library: {stats.error.message}
          </p>
        )}
        {readOnly && (
          <p
            className={classNames(styles.banner, styles.readOnly)}
            role="status"
            data-testid="read-only"
          >
            <strong>Read-only.</strong> This library’s files cannot be written, so it can be
            browsed, searched, exported and backed up, but not changed.{' '}
            <button
              type="button"
              className={styles.bannerLink}
              onClick={() => setShowSettings(true)}
            >
              Settings…
            </button>
          </p>
        )}
        {stats.data && sizeWarning(stats.data.size) && (
          <p
            className={classNames(styles.banner, styles.warning)}
            role="status"
            data-testid="size-warning"
          >
            {sizeWarning(stats.data.size)}
          </p>
        )}
        <div
          className={classNames(
            styles.workspace,
            !narrow && !shownPanes.shown.sidebar && styles.noSidebar,
            !shownPanes.shown.detail && styles.noDetail,
          )}
          style={
            {
              '--sidebar-width': `${panes.sidebar}px`,
              '--detail-width': `${panes.detail}px`,
            } as React.CSSProperties
          }
        >
          <div
            id="sidebar"
            className={classNames(
              styles.sidebar,
              narrow && styles.folded,
              shownPanes.shown.sidebar && styles.open,
            )}
            onClick={(e) => {
              // A view chosen on a narrow window folds the sidebar away again.
              if (narrow && (e.target as HTMLElement).closest('[data-view]')) shownPanes.fold()
            }}
          >
            <Sidebar
              filters={filters}
              onView={onView}
              onUndoImport={onUndoImportAsked}
              onStatistics={onStatistics}
              statisticsOpen={showStatistics}
              history={history}
            />
          </div>
          {!narrow && shownPanes.shown.sidebar && (
            <Splitter
              label="Resize the sidebar"
              value={panes.sidebar}
              {...PANE_BOUNDS.sidebar}
              direction={1}
              onChange={(sidebar) => setPanes({ sidebar })}
              className={styles.sidebarSplitter}
            />
          )}
          <main className={styles.main}>
            {showStatistics ? (
              <Suspense fallback={null}>
                <StatsView onClose={() => setShowStatistics(false)} />
              </Suspense>
            ) : libraryEmpty ? (
              <EmptyState
                onSample={() => void importer.importSample()}
                onImport={openPicker}
                onPaste={() => setPasting(true)}
                busy={importer.busy || readOnly}
              />
            ) : (
              <>
                {(picked.all || picked.ids.size > 0) && (
                  <BulkBar
                    count={pickedCount(picked, found?.total ?? 0)}
                    busy={acting}
                    readOnly={readOnly}
                    onStatus={(status) => void setStatusOf(status)}
                    onStar={(starred) => void starOf(starred)}
                    onTag={(tag, add) =>
                      void changePapers(
                        add ? { addTags: [tag] } : { removeTags: [tag] },
                        (n) => `${add ? 'Tagged' : 'Untagged'} ${plural(n, 'paper')} “${tag}”`,
                      )
                    }
                    onDelete={() => void askDelete()}
                    onExport={() =>
                      void targets().then((ids) => setExporting({ paper: null, picked: ids }))
                    }
                    onClear={() => setPicked(NOTHING_PICKED)}
                  />
                )}
                <PaperTable
                  query={query}
                  onQueryChange={(q) => changeQuery(() => q)}
                  onQueryAhead={askAhead}
                  selection={selection}
                  onSelect={onSelect}
                  picked={picked}
                  onRowClick={onRowClick}
                  onAction={onAction}
                  onStar={readOnly ? undefined : (paper) => void starOf(!paper.starred, [paper.id])}
                  onFound={setFound}
                />
              </>
            )}
          </main>
          {shownPanes.shown.detail && (
            <>
              <Splitter
                label="Resize the paper pane"
                value={panes.detail}
                {...PANE_BOUNDS.detail}
                direction={-1}
                onChange={(detail) => setPanes({ detail })}
                className={styles.detailSplitter}
              />
              <DetailPane
                id={selection.id}
                search={query.search ?? ''}
                onDelete={onDeleteShown}
                onExport={onExportShown}
                onChangePapers={onChangeShown}
                onOpenPaper={onOpenPaper}
              />
            </>
          )}
        </div>
        {toast && (
          <UndoToast
            message={toast.message}
            onUndo={
              toast.undoable && history.canUndo
                ? () => {
                    setToast(null)
                    walk('undo')
                  }
                : undefined
            }
            busy={history.busy}
            onDismiss={() => setToast(null)}
          />
        )}
        {confirmDelete && (
          <ConfirmDeleteDialog
            ids={confirmDelete.ids}
            onConfirm={() => doDelete(confirmDelete.ids, confirmDelete.index)}
            onClose={() => setConfirmDelete(null)}
          />
        )}
        {showShortcuts && (
          <ShortcutSheet
            onClose={() => setShowShortcuts(false)}
            onHelp={() => {
              setShowShortcuts(false)
              setShowHelp(true)
            }}
          />
        )}
        {showHelp && (
          <Suspense fallback={null}>
            <HelpDialog onClose={() => setShowHelp(false)} />
          </Suspense>
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
            picked={exporting.picked ?? null}
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
        {showSettings && (
          <SettingsDialog
            onClose={() => setShowSettings(false)}
            onBackups={() => {
              setShowSettings(false)
              setShowBackups(true)
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
            {readOnly ? 'This library is read-only' : 'Drop dumps to import them'}
          </div>
        )}
      </div>
    </ReadOnlyContext.Provider>
  )
}
