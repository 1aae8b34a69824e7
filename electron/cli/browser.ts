// Opening the app in the user's browser without a secret on any command line: every user of the
// computer can read a process's arguments (`ps`, /proc/PID/cmdline), so the browser is given the
// path of a page that only this user can read, and that page sends it on to a one-time address.
// Jupyter opens its notebooks the same way. The page goes once its address is used, or when the
// server stops.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The command by which the system opens `target` with its default application. */
export function openCommand(target: string, platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [target]]
  if (platform === 'win32') return ['cmd', ['/c', 'start', '', target]]
  return ['xdg-open', [target]]
}

/** Opens `target` with the system's default application, if there is one. */
export function openWithSystem(target: string): void {
  const [command, args] = openCommand(target)
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true })
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // No browser to open: the address is printed anyway.
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export interface OpenPage {
  file: string
  remove: () => void
}

/** Writes a page that only this user can read, which takes its browser on to `url`. */
export function writeOpenPage(url: string): OpenPage {
  // A folder of its own, which mkdtemp makes readable by its owner alone (on Windows the temporary
  // folder is the user's own).
  const dir = mkdtempSync(join(tmpdir(), 'lectern-open-'))
  const file = join(dir, 'open.html')
  const href = escapeHtml(url)
  writeFileSync(
    file,
    `<!doctype html>
<meta charset="utf-8" />
<meta name="referrer" content="no-referrer" />
<meta http-equiv="refresh" content="0;url=${href}" />
<title>Opening Lectern…</title>
<p>Opening <a href="${href}">Lectern</a>…</p>
`,
    { mode: 0o600 },
  )
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
