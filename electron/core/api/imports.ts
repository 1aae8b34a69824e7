// Imports: dumps as text (the hosts read and decode the user's files), all or nothing.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { decodeDump } from '../../../shared/decode'
import type { Handlers } from './context'

export const importHandlers: Handlers<'importText' | 'importTexts' | 'importSample'> = {
  importText: ({ session }, r) => session.get().importText(r.source, r.text),
  importTexts: ({ session }, r) => session.get().importTexts(r.dumps),
  importSample: ({ session, samplePath }) =>
    session.get().importText(basename(samplePath), decodeDump(readFileSync(samplePath))),
}
