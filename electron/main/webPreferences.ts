// The window's web preferences, apart from Electron so that a unit test can hold them to the
// security checklist.
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  // Electron's spellchecker fetches its dictionaries from Google on Windows and Linux.
  spellcheck: false,
} as const

/** The window's preferences: the secure ones, and developer tools only in a development build. */
export function windowWebPreferences(isPackaged: boolean) {
  return { ...SECURE_WEB_PREFERENCES, devTools: !isPackaged }
}
