// Unicode's bidirectional controls change the order in which text is displayed without showing
// themselves: `https://a.example/` + RIGHT-TO-LEFT OVERRIDE + `gpj.exe` reads as if it ended in
// `.jpg`. Where text is a URL or a link, they are written out instead of obeyed.

/**
 * A bidirectional control: the marks (LRM, RLM, ALM), the embeddings and overrides (LRE, RLE,
 * PDF, LRO, RLO) and the isolates (LRI, RLI, FSI, PDI).
 */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/

const ALL_BIDI_CONTROLS = new RegExp(BIDI_CONTROLS.source, 'g')

/** `text` with each bidirectional control written out as its code point, `[U+202E]`. */
export function revealBidi(text: string): string {
  return text.replace(
    ALL_BIDI_CONTROLS,
    (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`,
  )
}
