// Files the system opens with the desktop app (a double-click on a .bib or .ris), which the
// preload gives as `window.lecternOpened`. In a browser (`lectern serve`) there is none, and this
// does nothing.
import { useEffect, useRef } from 'react'
import type { OpenedFile } from '../../../shared/openedFiles'

declare global {
  interface Window {
    lecternOpened?: {
      /** Calls `listener` with each group of files opened, those that came before it first. */
      onOpen: (listener: (files: OpenedFile[]) => void) => () => void
    }
  }
}

export function useOpenedFiles(open: (files: OpenedFile[]) => void): void {
  // One subscription for the page's life, calling the latest `open`.
  const latest = useRef(open)
  useEffect(() => {
    latest.current = open
  })
  useEffect(() => window.lecternOpened?.onOpen((files) => latest.current(files)), [])
}
