// A <dialog> shown modal while its component is mounted, and closed when it goes.
import { useEffect, useRef } from 'react'
import type { RefObject } from 'react'

/**
 * Returns the ref for the <dialog>. `focus`, when given, takes the focus once the dialog is
 * open: showModal itself focuses the first focusable element, which is not always the one meant.
 */
export function useModalDialog(
  focus?: RefObject<HTMLElement | null>,
): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    dialog?.showModal()
    focus?.current?.focus()
    return () => dialog?.close()
  }, [focus])
  return ref
}
