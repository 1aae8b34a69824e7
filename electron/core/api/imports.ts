// Imports: dumps as text (the hosts read and decode the user's files), all or nothing; large
// ones sent in pieces and written in the background (jobs.ts); the history, and undoing one.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { decodeDump } from '../../../shared/decode'
import { checkImportSize } from './context'
import type { Handlers } from './context'
import {
  cancelImport,
  importJob,
  releaseUploads,
  resolveDumps,
  startImport,
  uploadText,
} from './jobs'

export const importHandlers: Handlers<
  | 'importText'
  | 'importTexts'
  | 'importSample'
  | 'previewImport'
  | 'uploadText'
  | 'startImport'
  | 'importJob'
  | 'cancelImport'
  | 'listImports'
  | 'undoImport'
> = {
  listImports: ({ session }) => session.get().imports(),
  importText: (ctx, r) => {
    checkImportSize(ctx, 'importText', [r])
    return ctx.session.get().importText(r.source, r.text, r.format)
  },
  importTexts: (ctx, r) => {
    checkImportSize(ctx, 'importTexts', r.dumps)
    return ctx.session.get().importTexts(r.dumps)
  },
  previewImport: (ctx, r) =>
    ctx.session.get().previewImportsOffThread(resolveDumps(ctx, 'previewImport', r.dumps)),
  uploadText: (ctx, r) => uploadText(ctx, r.upload, r.text),
  startImport: (ctx, r) => {
    const job = startImport(ctx, resolveDumps(ctx, 'startImport', r.dumps))
    releaseUploads(ctx, r.dumps)
    return job
  },
  importJob: (ctx, r) => importJob(ctx, r.id),
  cancelImport: (ctx, r) => cancelImport(ctx, r.id),
  undoImport: ({ session }, r) => session.get().undoImport(r.importId),
  importSample: ({ session, samplePath }) =>
    session.get().importText(basename(samplePath), decodeDump(readFileSync(samplePath))),
}
