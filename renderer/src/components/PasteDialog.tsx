import { useState } from 'react'
import { useModalDialog } from '../hooks/useModalDialog'
import buttonStyles from '../styles/button.module.css'
import dialogStyles from '../styles/dialog.module.css'
import styles from './PasteDialog.module.css'

interface Props {
  onImport: (text: string) => void
  onClose: () => void
}

/** Paste a dump straight from the clipboard. */
export function PasteDialog({ onImport, onClose }: Props) {
  const [text, setText] = useState('')
  const ref = useModalDialog()
  return (
    <dialog ref={ref} className={dialogStyles.dialog} aria-label="Paste a dump" onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault()
          if (text.trim()) onImport(text)
        }}
      >
        <h2>Paste a dump</h2>
        <p className="muted">
          Copy a Daily Papers page, an arXiv listing or digest, or BibTeX, RIS, CSV or JSON, and
          paste it here. Papers already in your library are recognised and left as they are.
        </p>
        <textarea
          className={styles.text}
          aria-label="Dump text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoFocus
          rows={14}
        />
        <div className={dialogStyles.buttons}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={buttonStyles.primary} disabled={!text.trim()}>
            Import
          </button>
        </div>
      </form>
    </dialog>
  )
}
