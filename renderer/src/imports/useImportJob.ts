// An import running in the core's background: started, watched every quarter second for the
// progress bar, cancelled on request. `onEnd` hears the job once it is done, failed or cancelled
// (the library's queries are refreshed first).
import { useCallback, useEffect, useRef, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { ImportJob } from '../../../shared/domain'
import { call } from '../api/client'
import { invalidateLibrary } from '../hooks/queries'
import type { RequestDump } from './sendDumps'

const POLL_MS = 250

export function isRunning(job: ImportJob): boolean {
  return job.state === 'reading' || job.state === 'writing'
}

export function useImportJob(onEnd: (job: ImportJob) => void) {
  const client = useQueryClient()
  const [job, setJob] = useState<ImportJob | null>(null)
  const [starting, setStarting] = useState(false)
  const [cancelling, setCancelling] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // Where the writing was first seen: the rate counts from there, not from the reading.
  const [writingFrom, setWritingFrom] = useState<{ elapsedMs: number; done: number } | null>(null)
  const ended = useRef(onEnd)
  useEffect(() => {
    ended.current = onEnd
  }, [onEnd])

  const start = useCallback(async (dumps: RequestDump[]): Promise<void> => {
    setStarting(true)
    setError(null)
    try {
      setJob(await call('startImport', { dumps }))
    } finally {
      setStarting(false)
    }
  }, [])

  // One look at the job per answer, a quarter second after the last one came back.
  useEffect(() => {
    if (!job) return
    if (!isRunning(job)) {
      let gone = false
      void invalidateLibrary(client).finally(() => {
        if (!gone) ended.current(job)
      })
      return () => {
        gone = true
      }
    }
    let gone = false
    const timer = setTimeout(() => {
      call('importJob', { id: job.id }).then(
        (next) => {
          if (gone) return
          if (next.state === 'writing') {
            setWritingFrom((from) => from ?? { elapsedMs: next.elapsedMs, done: next.done })
          }
          setJob(next)
        },
        (e: Error) => {
          if (!gone) setError(`Cannot follow the import: ${e.message}`)
        },
      )
    }, POLL_MS)
    return () => {
      gone = true
      clearTimeout(timer)
    }
  }, [job, client])

  const cancel = useCallback(async (): Promise<void> => {
    if (!job) return
    setCancelling(true)
    try {
      const next = await call('cancelImport', { id: job.id })
      // The poll may have heard the end already; an answer about a running job changes nothing.
      setJob((current) => (current && isRunning(current) ? next : current))
    } catch (e) {
      setError(`Could not cancel: ${(e as Error).message}`)
    } finally {
      setCancelling(false)
    }
  }, [job])

  /** Papers written per second since the writing began; null until it can be told. */
  const rate =
    job && writingFrom && job.elapsedMs > writingFrom.elapsedMs
      ? ((job.done - writingFrom.done) * 1000) / (job.elapsedMs - writingFrom.elapsedMs)
      : null

  return { job, rate, start, starting, cancel, cancelling, error }
}
