// Where the library lives and what it holds; in the desktop app, opening another library or
// making a new one (native dialogs, then the window starts again on it). A browser tab is served
// one library by `lectern serve`, so there the section says how to serve another.
import { useState } from 'react'
import { formatBytes } from '../../../shared/domain'
import type { LibraryInfo } from '../../../shared/domain'
import { useNoteDrafts } from '../notes/useNoteDraft'
import { answer, desktopBridge } from './desktopBridge'
import { switchLibrary } from './switchLibrary'
import type { LibrarySwitch } from './switchLibrary'
import { PathLine } from './PathLine'
import { SettingsSection } from './SettingsSection'
import styles from './SettingsDialog.module.css'

function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`
}

export function LibrarySection({ info }: { info: LibraryInfo }) {
  const desktop = desktopBridge()
  const drafts = useNoteDrafts()
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  const showProblem = (error: Error): void => setProblem(error.message)

  const open = async (how: LibrarySwitch): Promise<void> => {
    setBusy(true)
    setProblem(null)
    try {
      // Once another library is open, the window starts again on it; nothing more to do here.
      await switchLibrary(drafts, how)
    } catch (error) {
      setProblem((error as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <SettingsSection title="Library">
      <PathLine
        path={info.path}
        label="the library’s path"
        onShow={desktop ? () => void answer(desktop.showLibrary()).catch(showProblem) : undefined}
      />
      <p data-testid="library-facts">
        {plural(info.papers, 'paper')} · {formatBytes(info.bytes)} on disk
        {!info.writable && ' · read-only'}
      </p>
      {!info.writable && info.readOnlyFile && (
        <p className={styles.note}>
          This library is read-only:{' '}
          {info.readOnlyFile === info.path ? (
            'its file'
          ) : (
            <code className={styles.inlinePath}>{info.readOnlyFile}</code>
          )}{' '}
          cannot be written. You can browse, search, export and back it up; every change is refused.
          To change it, make its files writable and open it again.
        </p>
      )}
      {desktop ? (
        <>
          <div className={styles.buttons}>
            <button type="button" disabled={busy} onClick={() => void open('openLibrary')}>
              Open Another Library…
            </button>
            <button type="button" disabled={busy} onClick={() => void open('newLibrary')}>
              New Library…
            </button>
          </div>
          <p className={styles.help}>
            Lectern closes this library (nothing is lost) and opens the one you choose, and opens
            that one next time too. A new library goes in a folder of its own, with its backups and
            inbox beside it.
          </p>
        </>
      ) : (
        <p className={styles.help}>
          This window is served by <code>lectern serve</code>, one library at a time. To work on
          another, stop it and start <code>lectern --library FILE serve</code> (a file that does not
          exist yet becomes a new, empty library).
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </SettingsSection>
  )
}
