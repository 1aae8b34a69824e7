// Markdown notes that save themselves: a short pause after typing, on leaving the field, and
// before switching papers. A failed save keeps the text on screen, says so, and retries.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import DOMPurify from 'dompurify'
import { marked } from 'marked'
import { useSetNote } from '../hooks/queries'

const SAVE_DELAY_MS = 400
const RETRY_DELAY_MS = 3000

type SaveState = 'saved' | 'pending' | 'saving' | 'error'

interface Props {
  paperId: number
  initialNote: string
}

export function NoteEditor({ paperId, initialNote }: Props) {
  const [text, setText] = useState(initialNote)
  const [state, setState] = useState<SaveState>('saved')
  const [error, setError] = useState<string | null>(null)
  const [preview, setPreview] = useState(false)
  const saved = useRef(initialNote)
  const latest = useRef(initialNote)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const { mutateAsync } = useSetNote()
  const flushLater = useRef<(delay: number) => void>(() => undefined)

  const flush = useCallback(async (): Promise<void> => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    const note = latest.current
    if (note === saved.current) return
    setState('saving')
    try {
      await mutateAsync({ id: paperId, note })
      saved.current = note
      setError(null)
      setState(latest.current === note ? 'saved' : 'pending')
      if (latest.current !== note) flushLater.current(SAVE_DELAY_MS)
    } catch (e) {
      setError((e as Error).message)
      setState('error')
      flushLater.current(RETRY_DELAY_MS)
    }
  }, [mutateAsync, paperId])

  useEffect(() => {
    flushLater.current = (delay: number) => {
      if (timer.current) clearTimeout(timer.current)
      timer.current = setTimeout(() => void flush(), delay)
    }
  }, [flush])

  // Whatever is unsaved is saved when the editor goes away (another paper, a reload).
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent): void => {
      if (latest.current !== saved.current) {
        void flush()
        event.preventDefault()
      }
    }
    window.addEventListener('beforeunload', beforeUnload)
    return () => {
      window.removeEventListener('beforeunload', beforeUnload)
      void flush()
    }
  }, [flush])

  const onChange = (value: string): void => {
    setText(value)
    latest.current = value
    setState(value === saved.current ? 'saved' : 'pending')
    flushLater.current(SAVE_DELAY_MS)
  }

  const html = useMemo(
    () => (preview ? DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true })) : ''),
    [preview, text],
  )

  const label =
    state === 'saved'
      ? 'Saved'
      : state === 'saving'
        ? 'Saving…'
        : state === 'pending'
          ? 'Editing…'
          : `Not saved — retrying (${error ?? 'error'})`

  return (
    <section className="note-editor" aria-label="Notes">
      <div className="note-header">
        <h3>Notes</h3>
        <div className="note-tabs" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={!preview}
            onClick={() => setPreview(false)}
          >
            Write
          </button>
          <button type="button" role="tab" aria-selected={preview} onClick={() => setPreview(true)}>
            Preview
          </button>
        </div>
        <span className={`save-state save-${state}`} data-testid="note-state" role="status">
          {label}
        </span>
      </div>
      {preview ? (
        <div
          className="note-preview markdown"
          data-testid="note-preview"
          dangerouslySetInnerHTML={{ __html: html || '<p class="muted">Nothing written yet.</p>' }}
        />
      ) : (
        <textarea
          className="note-text"
          aria-label="Note"
          placeholder="Write notes in Markdown. They save as you type."
          value={text}
          onChange={(e) => onChange(e.target.value)}
          onBlur={() => void flush()}
          spellCheck
        />
      )}
    </section>
  )
}
