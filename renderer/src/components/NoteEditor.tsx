// Markdown notes that save themselves: a short pause after typing, on leaving the field, and
// when the editor goes away. Saving lives in the note drafts store (notes/noteDrafts.ts), so a
// failed save keeps the text, says so and retries, even after the user has moved on.
import { useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react'
import type { Ref } from 'react'
import { flushSync } from 'react-dom'
import { noteHtml } from '../notes/noteHtml'
import { useNoteDraft, useNoteDrafts } from '../notes/useNoteDraft'
import { useReadOnly } from '../hooks/useReadOnly'
import { classNames } from '../styles/classNames'
import styles from './NoteEditor.module.css'

/** What the pane may ask of the editor (the `e` key). */
export interface NoteEditorHandle {
  /** Shows the text (leaving the preview) and puts the caret at its end. */
  focus: () => void
}

interface Props {
  paperId: number
  /** The note as the library last returned it. */
  initialNote: string
  ref?: Ref<NoteEditorHandle>
}

export function NoteEditor({ paperId, initialNote, ref }: Props) {
  const drafts = useNoteDrafts()
  const { text, state, error } = useNoteDraft(paperId, initialNote)
  const readOnly = useReadOnly()
  const [preview, setPreview] = useState(false)
  const field = useRef<HTMLTextAreaElement>(null)

  useImperativeHandle(
    ref,
    () => ({
      focus: () => {
        // The text area exists only in Write: show it before focusing it.
        flushSync(() => setPreview(false))
        const area = field.current
        if (!area) return
        area.focus()
        area.setSelectionRange(area.value.length, area.value.length)
      },
    }),
    [],
  )

  useEffect(() => () => drafts.flush(paperId), [drafts, paperId])

  const onChange = (value: string): void => drafts.edit(paperId, value, initialNote)

  const html = useMemo(() => (preview ? noteHtml(text) : ''), [preview, text])

  const label = readOnly
    ? 'Read-only'
    : state === 'saved'
      ? 'Saved'
      : state === 'saving'
        ? 'Saving…'
        : state === 'pending'
          ? 'Editing…'
          : `Not saved — retrying (${error ?? 'error'})`

  return (
    <section className={styles.editor} aria-label="Notes">
      <div className={styles.header}>
        <h3>Notes</h3>
        <div className={styles.tabs} role="tablist">
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
        <span
          className={classNames(
            styles.saveState,
            state === 'saved' && !readOnly && styles.saved,
            state === 'error' && styles.failed,
          )}
          data-testid="note-state"
          role="status"
        >
          {label}
        </span>
      </div>
      {preview ? (
        <div
          className={styles.preview}
          data-testid="note-preview"
          dangerouslySetInnerHTML={{ __html: html || '<p class="muted">Nothing written yet.</p>' }}
        />
      ) : (
        <textarea
          ref={field}
          className={styles.text}
          aria-label="Note"
          placeholder={
            readOnly
              ? 'No note. This library is read-only.'
              : 'Write notes in Markdown. They save as you type.'
          }
          readOnly={readOnly}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          onBlur={() => drafts.flush(paperId)}
          spellCheck
        />
      )}
    </section>
  )
}
