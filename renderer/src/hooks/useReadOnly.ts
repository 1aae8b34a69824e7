// Whether the library on show can be changed. A library whose files the user made read-only is
// opened only to read (the desktop app asks first; `lectern serve` says so): every change is
// refused by the library, and the controls that would ask for one are disabled or left out, so
// the window does not offer what it cannot do.
import { createContext, useContext } from 'react'

export const ReadOnlyContext = createContext(false)

export function useReadOnly(): boolean {
  return useContext(ReadOnlyContext)
}
