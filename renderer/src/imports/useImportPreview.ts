// What importing the dumps would do, as the core reads them with the user's choices; asked again
// whenever a choice changes. Several dumps are previewed together (a paper in two of them is
// new once), and when that fails each is previewed alone, so the message shows beside the dump
// it is about and the others still show theirs.
import { useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { ImportPreview } from '../../../shared/domain'
import { ApiFailure, call } from '../api/client'
import { isLostUpload, requestDump } from './sendDumps'
import type { DumpChoice, RequestDump, SentDump } from './sendDumps'

export type DumpResult = { ok: true; preview: ImportPreview } | { ok: false; message: string }

export interface PreviewResult {
  /** One per dump previewed, in order. */
  dumps: DumpResult[]
  /** Why the dumps cannot go together when each is fine alone (their size together). */
  together: string | null
}

async function previewDumps(dumps: RequestDump[]): Promise<PreviewResult> {
  try {
    const previews = await call('previewImport', { dumps })
    return { dumps: previews.map((preview) => ({ ok: true, preview })), together: null }
  } catch (error) {
    if (!(error instanceof ApiFailure) || isLostUpload(error)) throw error
    if (dumps.length === 1)
      return { dumps: [{ ok: false, message: error.message }], together: null }
    const alone: DumpResult[] = []
    for (const dump of dumps) {
      try {
        const [preview] = await call('previewImport', { dumps: [dump] })
        alone.push({ ok: true, preview: preview! })
      } catch (e) {
        if (!(e instanceof ApiFailure) || isLostUpload(e)) throw e
        alone.push({ ok: false, message: e.message })
      }
    }
    return { dumps: alone, together: alone.every((r) => r.ok) ? error.message : null }
  }
}

/** A number per preview dialog: its dumps' texts are not part of the query's key. */
let sessions = 0

/** The dumps to preview with the user's choices for each; null while they are on their way. */
export function useImportPreview(items: { dump: SentDump; choice: DumpChoice }[] | null) {
  const [session] = useState(() => (sessions += 1))
  return useQuery({
    queryKey: [
      'importPreview',
      session,
      items?.map(({ dump, choice }) => [
        'upload' in dump.ref ? dump.ref.upload : dump.source,
        choice,
      ]),
    ],
    queryFn: () => previewDumps(items!.map(({ dump, choice }) => requestDump(dump, choice))),
    enabled: items !== null && items.length > 0,
    // The last preview stays on screen while the next is read (the columns stay to map).
    placeholderData: keepPreviousData,
    gcTime: 60_000,
  })
}
