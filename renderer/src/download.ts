// Saving text the core produced (an export) as a file: a download of a Blob. The same in the
// browser host and in Electron (which offers its save dialog), with no file path crossing the
// contract.

/** How long the Blob's URL outlives the click: the browser reads it after the click returns. */
const KEEP_URL_MS = 60_000

export function saveFile(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS)
}
