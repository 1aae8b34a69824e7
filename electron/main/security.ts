// The window's locks: no navigation away from the app, no new windows, no webviews, no
// permissions, and web links handed to the system browser.
import { shell } from 'electron'
import type { App, Session, WebContents } from 'electron'
import { isWebUrl } from '../../shared/links'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'

/** Hands a link to the system browser: http(s) only, never file:, smb:, javascript: or an app. */
export function openExternalSafely(url: string): void {
  if (isWebUrl(url)) void shell.openExternal(url) // eng-disable OPEN_EXTERNAL_JS_CHECK — http(s) only, checked on the left
}

/** Locks the session the window uses (`session.defaultSession`); a test passes a stand-in. */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  // On Windows and Linux an enabled spellchecker downloads Hunspell dictionaries from Google's
  // CDN, and Lectern promises that nothing leaves the computer. Off for the whole session, not
  // only in the window's preferences, so no dictionary is ever loaded.
  session.setSpellCheckerEnabled(false)
  session.webRequest.onHeadersReceived((details, callback) => {
    // The policy is shared/csp.ts's, which Electronegativity cannot read here; it reads the
    // same policy in renderer/index.html (tests/unit/electronegativity.test.ts). Prettier would
    // move the suppression off the line Electronegativity reports.
    // prettier-ignore
    callback({
      responseHeaders: { // eng-disable CSP_GLOBAL_CHECK — a constant, checked in index.html
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    })
  })
}

export function lockDownContents(contents: WebContents, appUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!appUrl(url)) {
      event.preventDefault()
      openExternalSafely(url)
    }
  })
  contents.on('will-redirect', (event, url) => {
    if (!appUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url)
    return { action: 'deny' }
  })
}

/**
 * Every WebContents the app makes, not only the window's (lockDownContents), refuses webviews.
 * The wiring calls it first, before any contents can be made.
 */
export function refuseWebviewsEverywhere(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}
