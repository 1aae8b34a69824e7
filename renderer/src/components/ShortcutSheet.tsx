// Every key the window answers to (`?`). Each action also has a visible control. The letters
// and `?` never fire while typing in a field; the keys with Ctrl/⌘, and F1, do.
import { useRef } from 'react'
import { useModalDialog } from '../hooks/useModalDialog'
import { classNames } from '../styles/classNames'
import dialogStyles from '../styles/dialog.module.css'
import styles from './ShortcutSheet.module.css'

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl'

export const SHORTCUTS: { group: string; keys: [string, string][] }[] = [
  {
    group: 'Move',
    keys: [
      ['↓ or j', 'next paper'],
      ['↑ or k', 'previous paper'],
      ['Enter', 'open the paper (to the detail pane)'],
      ['/', 'search'],
      ['Esc', 'leave: empty the search, pick none, close'],
      ['Tab', 'from the search to the papers, the detail pane…'],
    ],
  },
  {
    group: 'Triage',
    keys: [
      ['1 – 5', 'status: New, To read, Reading, Read, Skipped'],
      ['s', 'star or unstar'],
      ['t', 'add a tag'],
      ['e', 'edit the note'],
      ['Delete', 'delete (asks first)'],
    ],
  },
  {
    group: 'Pick several',
    keys: [
      ['x or Space', 'pick or unpick the paper'],
      [`${MOD}+click`, 'pick one more'],
      ['Shift+click', 'pick a range'],
      [`${MOD}+A`, 'pick every paper of the view'],
    ],
  },
  {
    group: 'Everything else',
    keys: [
      [`${MOD}+Z`, 'undo'],
      [`Shift+${MOD}+Z`, 'redo'],
      [`${MOD}+O`, 'import a dump'],
      ['Shift+click', 'on a header: sort by that column as well (up to 3); Shift+Enter too'],
      ['← →', "on a column's edge: narrower, wider (Home: its default width)"],
    ],
  },
  {
    group: 'Window',
    keys: [
      [`${MOD}+B`, 'hide or show the sidebar'],
      [`${MOD}+J`, 'hide or show the detail pane'],
      [`${MOD}+,`, 'settings'],
      ['?', 'this list'],
      ['F1', 'the manual (Lectern Help)'],
    ],
  },
]

export function ShortcutSheet({ onClose, onHelp }: { onClose: () => void; onHelp: () => void }) {
  const close = useRef<HTMLButtonElement>(null)
  const ref = useModalDialog(close)
  return (
    <dialog
      ref={ref}
      className={classNames(dialogStyles.dialog, styles.sheet)}
      aria-label="Keyboard shortcuts"
      onClose={onClose}
    >
      <h2>Keyboard shortcuts</h2>
      <div className={styles.groups}>
        {SHORTCUTS.map((g) => (
          <section key={g.group}>
            <h3>{g.group}</h3>
            <dl className={styles.keys}>
              {g.keys.map(([key, what]) => (
                <div key={key} className={styles.entry}>
                  <dt>
                    <kbd>{key}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <div className={dialogStyles.buttons}>
        <button type="button" onClick={onHelp}>
          Lectern Help…
        </button>
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
