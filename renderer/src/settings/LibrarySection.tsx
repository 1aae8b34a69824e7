// Where the library lives and what it holds; in the desktop app, opening another library, making
// a new one, or moving this one to another folder (native dialogs, then the window starts again
// on it). A browser tab is served one library by `lectern serve`, and a web page may not name
// folders on the computer, so there the section says which commands do these.
import { useState } from 'react'
import { formatBytes } from '../../../shared/domain'
import type { LibraryInfo, MoveResult } from '../../../shared/domain'
import type { DesktopResults } from '../../../shared/desktop'
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
  const [moved, setMoved] = useState<MoveResult | null>(null)

  const showProblem = (error: Error): void => setProblem(error.message)

  const open = async (how: LibrarySwitch): Promise<void> => {
    setBusy(true)
    setProblem(null)
    setMoved(null)
    try {
      // Once another library is open, the window starts again on it; nothing more to do here
      // but say where a move put it, for the moment before that.
      const answer = await switchLibrary(drafts, how)
      if (how === 'moveLibrary') setMoved((answer as DesktopResults['moveLibrary']).moved)
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
            <button
              type="button"
              disabled={busy || !info.writable}
              title={info.writable ? undefined : 'A read-only library cannot be moved'}
              onClick={() => void open('moveLibrary')}
            >
              {busy ? 'Working…' : 'Move…'}
            </button>
          </div>
          <p className={styles.help}>
            Lectern closes this library (nothing is lost) and opens the one you choose, and opens
            that one next time too. A new library goes in a folder of its own, with its backups and
            inbox beside it. Move… copies this library and the backups beside it to another folder,
            checks the copy and opens it there, and only then removes the old files.
          </p>
        </>
      ) : (
        <p className={styles.help}>
          This window is served by <code>lectern serve</code>, one library at a time. To work on
          another, stop it and start <code>lectern --library FILE serve</code> (a file that does not
          exist yet becomes a new, empty library). To move this one to another folder, stop it and
          run <code>lectern move-library FOLDER</code>.
        </p>
      )}
      {moved && (
        <p className="small" role="status">
          Moved to <code className={styles.inlinePath}>{moved.path}</code>
          {moved.backupsMoved > 0 && ` with ${plural(moved.backupsMoved, 'backup')}`}.
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
