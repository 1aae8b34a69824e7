// Importing from any source the window offers — files (picker or drop), pasted text, the
// bundled sample — and keeping the last outcome to show.
import { useCallback, useState } from 'react'
import type { ImportSummary } from '../../../shared/domain'
import { decodeDump } from '../../../shared/decode'
import { ImportError, describeImportError } from '../../../shared/importers/types'
import { useImport } from './queries'

export type ImportOutcome =
  | { kind: 'done'; summaries: ImportSummary[] }
  | { kind: 'failed'; message: string; summaries: ImportSummary[] }

export function useImporter() {
  const mutation = useImport()
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null)
  const { mutateAsync } = mutation

  const run = useCallback(
    async (jobs: (() => Promise<{ source: string; text: string } | 'sample'>)[]) => {
      const summaries: ImportSummary[] = []
      for (const job of jobs) {
        try {
          summaries.push(await mutateAsync(await job()))
        } catch (error) {
          setOutcome({ kind: 'failed', message: (error as Error).message, summaries })
          return
        }
      }
      setOutcome({ kind: 'done', summaries })
    },
    [mutateAsync],
  )

  const importFiles = useCallback(
    (files: File[]) =>
      run(
        files.map((file) => async () => {
          let bytes: ArrayBuffer
          try {
            bytes = await file.arrayBuffer()
          } catch (error) {
            throw new Error(`${file.name}: cannot read it (${(error as Error).message})`)
          }
          // As bytes, not file.text(): that reads only UTF-8, and Windows saves UTF-16.
          try {
            return { source: file.name, text: decodeDump(new Uint8Array(bytes)) }
          } catch (error) {
            if (error instanceof ImportError) throw new Error(describeImportError(file.name, error))
            throw error
          }
        }),
      ),
    [run],
  )

  const importPasted = useCallback(
    (text: string) => run([async () => ({ source: 'pasted text', text })]),
    [run],
  )

  const importSample = useCallback(() => run([async () => 'sample' as const]), [run])

  return {
    importFiles,
    importPasted,
    importSample,
    busy: mutation.isPending,
    outcome,
    dismiss: () => setOutcome(null),
  }
}
