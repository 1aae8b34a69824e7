// A path on the computer as Settings shows it: whole (it wraps rather than hides its end), with
// a button that copies it and, in the desktop app, one that shows it in the file manager.
import { useRef, useState } from 'react'
import { SHOW_IN_FOLDER } from './desktopBridge'
import styles from './SettingsDialog.module.css'

interface Props {
  path: string
  /** What the path is, for the Copy button's name: "the library's path". */
  label: string
  /** Shows it in the file manager (the desktop app); absent in a browser. */
  onShow?: () => void
}

export function PathLine({ path, label, onShow }: Props) {
  const text = useRef<HTMLElement>(null)
  const [copied, setCopied] = useState<'copied' | 'selected' | null>(null)
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(path)
      setCopied('copied')
    } catch {
      // The clipboard refused (a browser without permission): the text is selected instead,
      // for the user's own Ctrl/⌘+C.
      const selection = window.getSelection()
      if (text.current && selection) {
        selection.selectAllChildren(text.current)
        setCopied('selected')
      }
    }
  }
  return (
    <div className={styles.pathLine}>
      <code ref={text} className={styles.path}>
        {path}
      </code>
      <span className={styles.pathButtons}>
        {onShow && (
          <button type="button" onClick={onShow}>
            {SHOW_IN_FOLDER}
          </button>
        )}
        <button
          type="button"
          onClick={() => void copy()}
          onBlur={() => setCopied(null)}
          aria-label={`Copy ${label}`}
        >
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </span>
      {copied === 'selected' && (
        <span className="small muted" role="status">
          Selected: press Ctrl+C (⌘C on a Mac) to copy it.
        </span>
      )}
    </div>
  )
}
