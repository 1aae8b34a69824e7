// The desktop app's own actions (shared/desktop.ts), which its preload gives the page as
// `window.lecternDesktop`. In a browser (`lectern serve`) there are none, and Settings offers
// what a browser can do instead: copy a path, and the command that opens another library.
import type { Envelope } from '../../../shared/api'
import type { DesktopBridge } from '../../../shared/desktop'
import { ApiFailure } from '../api/client'

declare global {
  interface Window {
    lecternDesktop?: DesktopBridge
  }
}

/** The desktop app's actions, or null in a browser. */
export function desktopBridge(): DesktopBridge | null {
  return window.lecternDesktop ?? null
}

/** An action's answer, or its refusal as an ApiFailure (as the contract's calls give them). */
export async function answer<T>(reply: Promise<Envelope<T>>): Promise<T> {
  const envelope = await reply
  if (!envelope.ok) throw new ApiFailure(envelope.error)
  return envelope.value
}

/** What the system calls showing a file in its file manager. */
export const SHOW_IN_FOLDER = /Mac/.test(navigator.platform)
  ? 'Show in Finder'
  : /Win/.test(navigator.platform)
    ? 'Show in Explorer'
    : 'Show in Folder'
