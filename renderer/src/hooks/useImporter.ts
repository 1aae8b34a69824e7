// Importing from any source the window offers — files (picker or drop), pasted text, the
// bundled sample — and keeping the last outcome to show. Several files are one import, all or
// nothing, exactly as `lectern import a.txt b.txt` is: a file that cannot be read or parsed
// leaves the library as it was.
import { useCallback, useState } from 'react'
import type { ImportSummary } from '../../../shared/domain'
import { decodeDump } from '../../../shared/decode'
import { ImportError, describeImportError } from '../../../shared/importers/types'
import { useImport } from './queries'

export type ImportOutcome =
  { kind: 'done'; summaries: ImportSummary[] } | { kind: 'failed'; message: string; files: number }

type Dumps = { source: string; text: string }[] | 'sample'

/** A file's text, decoded from its bytes; a message naming the file when it cannot be. */
async function readDump(file: File): Promise<{ source: string; text: string }> {
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
}

export function useImporter() {
  const mutation = useImport()
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null)
  const { mutateAsync } = mutation

  const run = useCallback(
    async (files: number, prepare: () => Promise<Dumps>) => {
      try {
        setOutcome({ kind: 'done', summaries: await mutateAsync(await prepare()) })
      } catch (error) {
        setOutcome({ kind: 'failed', message: (error as Error).message, files })
      }
    },
    [mutateAsync],
  )

  const importFiles = useCallback(
    (files: File[]) => run(files.length, () => Promise.all(files.map(readDump))),
    [run],
  )

  const importPasted = useCallback(
    (text: string) => run(1, async () => [{ source: 'pasted text', text }]),
    [run],
  )

  const importSample = useCallback(() => run(1, async () => 'sample' as const), [run])

  return {
    importFiles,
    importPasted,
    importSample,
    busy: mutation.isPending,
    outcome,
    dismiss: () => setOutcome(null),
  }
}
