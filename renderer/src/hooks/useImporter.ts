// Importing from any source the window offers. Files (picker or drop) and pasted text go through
// the import preview first (imports/ImportPreviewDialog), where the user checks the format and
// the papers; the bundled sample is imported at once. Keeps the last outcome to show. Several
// files are one import, all or nothing, exactly as `lectern import a.txt b.txt` is.
import { useCallback, useState } from 'react'
import type { ImportSummary } from '../../../shared/domain'
import type { ImportSource } from '../imports/sendDumps'
import { useImportSample } from './queries'

export type ImportOutcome =
  | { kind: 'done'; summaries: ImportSummary[] }
  | { kind: 'failed'; message: string; files: number }
  | { kind: 'cancelled' }

export function useImporter() {
  const sample = useImportSample()
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null)
  // The dumps the preview dialog shows, while it is open; each preview is a dialog of its own.
  const [previewing, setPreviewing] = useState<{
    id: number
    sources: readonly ImportSource[]
  } | null>(null)
  const { mutateAsync } = sample

  const importFiles = useCallback((files: File[]) => {
    setOutcome(null)
    setPreviewing((p) => ({
      id: (p?.id ?? 0) + 1,
      sources: files.map((file) => ({ source: file.name, file })),
    }))
  }, [])

  // Files the system opened with the app (desktop only): previewed as files dropped are, their
  // text already read by the main process (electron/main/openedFiles.ts).
  const importOpened = useCallback((files: { name: string; text: string }[]) => {
    setOutcome(null)
    setPreviewing((p) => ({
      id: (p?.id ?? 0) + 1,
      sources: files.map(({ name, text }) => ({ source: name, text })),
    }))
  }, [])

  const importPasted = useCallback((text: string) => {
    setOutcome(null)
    setPreviewing((p) => ({ id: (p?.id ?? 0) + 1, sources: [{ source: 'pasted text', text }] }))
  }, [])

  const importSample = useCallback(async () => {
    try {
      setOutcome({ kind: 'done', summaries: [await mutateAsync()] })
    } catch (error) {
      setOutcome({ kind: 'failed', message: (error as Error).message, files: 1 })
    }
  }, [mutateAsync])

  /** The preview's import ended (done, failed or cancelled). */
  const endPreview = useCallback((result: ImportOutcome) => {
    setPreviewing(null)
    setOutcome(result)
  }, [])

  const closePreview = useCallback(() => setPreviewing(null), [])

  return {
    importFiles,
    importOpened,
    importPasted,
    importSample,
    previewing,
    endPreview,
    closePreview,
    /** The toolbar's import buttons wait while this is true. */
    busy: sample.isPending || previewing !== null,
    /** The sample is being imported (a dialog shows every other import's progress). */
    importingSample: sample.isPending,
    outcome,
    dismiss: () => setOutcome(null),
  }
}
