// The window's locks: no navigation away from the app, no new windows, no webviews, no
// permissions, and web links handed to the system browser.
import { app, session, shell } from 'electron'
import type { WebContents } from 'electron'
import { isWebUrl } from '../../shared/links'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'

export function openExternalSafely(url: string): void {
  if (isWebUrl(url)) void shell.openExternal(url)
}

export function lockDownSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
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

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault())
})
