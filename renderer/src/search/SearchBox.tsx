// The search box: the query goes to the table as you type (a moment after the last key), what
// it could not read is said under it, and a popover lists the syntax. `/` comes here from
// anywhere; Escape empties it, then leaves it.
import { forwardRef, useEffect, useId, useImperativeHandle, useRef, useState } from 'react'
import { SEARCH_SYNTAX } from '../../../shared/search'
import buttonStyles from '../styles/button.module.css'
import styles from './SearchBox.module.css'

/** How long typing pauses before the table is asked (ms): a query per word, not per letter. */
const SETTLE_MS = 140

interface Props {
  value: string
  onChange: (search: string) => void
  /** What the core could not read of the last query. */
  notes: string[]
  /** How many papers it found (shown for a query), null while unknown. */
  found: number | null
}

export interface SearchBoxHandle {
  focus: () => void
}

export const SearchBox = forwardRef<SearchBoxHandle, Props>(function SearchBox(
  { value, onChange, notes, found },
  ref,
) {
  const [text, setText] = useState(value)
  const [helpOpen, setHelpOpen] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const helpId = useId()
  const notesId = useId()
  useImperativeHandle(ref, () => ({
    focus: () => {
      input.current?.focus()
      input.current?.select()
    },
  }))
  // A view chosen elsewhere (the sidebar, a saved search) sets the box.
  const sent = useRef(value)
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value
      setText(value)
    }
  }, [value])
  useEffect(() => {
    if (text === sent.current) return
    const timer = window.setTimeout(() => {
      sent.current = text
      onChange(text)
    }, SETTLE_MS)
    return () => window.clearTimeout(timer)
  }, [text, onChange])

  return (
    <div className={styles.box} role="search">
      <div className={styles.field}>
        <span className={styles.glass} aria-hidden="true">
          ⌕
        </span>
        <input
          ref={input}
          type="search"
          className={styles.input}
          placeholder="Search papers, notes, tags  ( / )"
          aria-label="Search papers"
          aria-describedby={notes.length ? notesId : undefined}
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              if (text) {
                setText('')
                sent.current = ''
                onChange('')
              } else input.current?.blur()
            } else if (e.key === 'Enter') {
              // At once, and on to the results.
              sent.current = text
              onChange(text)
              document.querySelector<HTMLElement>('[data-testid="table-body"]')?.focus()
            }
          }}
        />
        {value && found !== null && (
          <span className={styles.count} role="status">
            {found.toLocaleString()} found
          </span>
        )}
        <button
          type="button"
          className={buttonStyles.icon}
          aria-expanded={helpOpen}
          aria-controls={helpId}
          title="Search syntax"
          aria-label="Search syntax"
          onClick={() => setHelpOpen((o) => !o)}
        >
          ?
        </button>
      </div>
      {notes.length > 0 && (
        <p id={notesId} className={styles.notes} data-testid="search-notes">
          {notes.join(' ')}
        </p>
      )}
      {helpOpen && (
        <div
          id={helpId}
          className={styles.help}
          role="dialog"
          aria-label="Search syntax"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation()
              setHelpOpen(false)
              input.current?.focus()
            }
          }}
        >
          <table className={styles.syntax}>
            <tbody>
              {SEARCH_SYNTAX.map((s) => (
                <tr key={s.example}>
                  <td>
                    <button
                      type="button"
                      className={styles.example}
                      title="Search for this"
                      onClick={() => {
                        setText(s.example)
                        sent.current = s.example
                        onChange(s.example)
                        setHelpOpen(false)
                      }}
                    >
                      <code>{s.example}</code>
                    </button>
                  </td>
                  <td>{s.meaning}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className={styles.helpFoot}>
            Combine them: <code>diffus* -survey year:&gt;=2023 is:starred</code>. Searches titles,
            abstracts, authors, notes and tags; best matches first.
          </p>
          <button type="button" onClick={() => setHelpOpen(false)}>
            Close
          </button>
        </div>
      )}
    </div>
  )
})
