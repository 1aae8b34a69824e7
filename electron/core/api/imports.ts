// Imports: dumps as text (the hosts read and decode the user's files), all or nothing.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { decodeDump } from '../../../shared/decode'
import { checkImportSize } from './context'
import type { Handlers } from './context'

export const importHandlers: Handlers<
  'importText' | 'importTexts' | 'importSample' | 'previewImport' | 'listImports'
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
  previewImport: (ctx, r) => {
    checkImportSize(ctx, 'previewImport', r.dumps)
    return ctx.session.get().previewImports(r.dumps)
  },
  importSample: ({ session, samplePath }) =>
    session.get().importText(basename(samplePath), decodeDump(readFileSync(samplePath))),
}
