// Lectern Help: the manual (the README's sections for users, help/manual.ts) in a dialog, opened
// from the Help menu, F1, the toolbar's Help and the shortcut sheet. A modal <dialog>, as every
// other: Esc closes it and the keyboard stays inside it. The manual takes the focus, so that
// the arrow keys and Page Down scroll it at once; its contents and its own links move within
// it, and its web links open outside the app as a note's do.
import { useMemo, useRef } from 'react'
import readme from '../../../README.md?raw'
import { useModalDialog } from '../hooks/useModalDialog'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import { manualMarkdown } from './manual'
import { manualHtml } from './manualHtml'
import styles from './HelpDialog.module.css'

/** The manual's headings listed in its contents: the README's sections and their parts. */
const CONTENTS_DEPTH = 4

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const article = useRef<HTMLElement>(null)
  const ref = useModalDialog(article)
  const manual = useMemo(() => manualHtml(manualMarkdown(readme)), [])
  const contents = manual.headings.filter((h) => h.level <= CONTENTS_DEPTH)

  // A link to a heading scrolls the manual there and takes the focus with it, so that the next
  // Tab goes on from the section read; the page's own address stays as it is.
  const follow = (event: React.MouseEvent): void => {
    const link = (event.target as Element).closest('a')
    const href = link?.getAttribute('href')
    if (!href?.startsWith('#')) return
    event.preventDefault()
    const heading = article.current?.querySelector<HTMLElement>(`#${CSS.escape(href.slice(1))}`)
    heading?.focus({ preventScroll: true })
    heading?.scrollIntoView({ block: 'start' })
  }

  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.help)}
      aria-label="Lectern Help"
      onClose={onClose}
    >
      <h2 className={styles.title}>Lectern Help</h2>
      <div className={styles.body} onClick={follow}>
        <nav className={styles.contents} aria-label="Contents">
          <ul>
            {contents.map((h) => (
              <li key={h.id} className={h.level === CONTENTS_DEPTH ? styles.part : undefined}>
                <a href={`#${h.id}`}>{h.text}</a>
              </li>
            ))}
          </ul>
        </nav>
        <article
          ref={article}
          className={styles.manual}
          tabIndex={-1}
          aria-label="Manual"
          data-testid="manual"
          dangerouslySetInnerHTML={{ __html: manual.html }}
        />
      </div>
      <div className={dialogStyles.buttons}>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
