// The dumps of one preview on their way to the core: each is read, then sent (inline or as an
// upload), one after another so that only one large text is in memory at a time.
import { useCallback, useEffect, useState } from 'react'
import { headOf, readSource, sendsInline, uploadText } from './sendDumps'
import type { ImportSource, SentDump } from './sendDumps'

export type DumpState =
  | { phase: 'reading'; source: string }
  | { phase: 'sending'; source: string; chars: number; sent: number }
  | { phase: 'ready'; source: string; dump: SentDump }
  | { phase: 'failed'; source: string; message: string }

export function usePreparedDumps(sources: readonly ImportSource[]) {
  const [states, setStates] = useState<DumpState[]>(() =>
    sources.map((s) => ({ phase: 'reading', source: s.source })),
  )
  // Bumped to send everything again (the core forgets an upload left idle for long).
  const [round, setRound] = useState(0)

  useEffect(() => {
    let stopped = false
    const set = (index: number, state: DumpState): void => {
      if (!stopped) setStates((all) => all.map((s, i) => (i === index ? state : s)))
    }
    void (async () => {
      let inline = 0
      for (const [index, source] of sources.entries()) {
        if (stopped) return
        set(index, { phase: 'reading', source: source.source })
        try {
          const text = await readSource(source)
          const head = headOf(text)
          let dump: SentDump
          if (sendsInline(text.length, inline)) {
            inline += text.length
            dump = { source: source.source, chars: text.length, head, ref: { text } }
          } else {
            const chars = text.length
            set(index, { phase: 'sending', source: source.source, chars, sent: 0 })
            const upload = await uploadText(
              text,
              (sent) => set(index, { phase: 'sending', source: source.source, chars, sent }),
              () => stopped,
            )
            dump = { source: source.source, chars, head, ref: { upload } }
          }
          set(index, { phase: 'ready', source: source.source, dump })
        } catch (error) {
          if (stopped) return
          set(index, { phase: 'failed', source: source.source, message: (error as Error).message })
        }
      }
    })()
    return () => {
      stopped = true
    }
  }, [sources, round])

  const resend = useCallback(() => setRound((r) => r + 1), [])
  const ready = states.every((s) => s.phase === 'ready')
  return { states, ready, resend }
}
