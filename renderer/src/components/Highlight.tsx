// Plain text with the words a search looks for in `<mark>`, matched as the index matches them
// (search/highlight.ts: case and accents ignored, prefixes as prefixes).
import { Fragment } from 'react'
import { markWords } from '../search/highlight'
import type { termsOf } from '../search/highlight'
import styles from './Highlight.module.css'

export type HighlightTerms = ReturnType<typeof termsOf>

export function Highlight({ text, terms }: { text: string; terms: HighlightTerms }) {
  if (terms.length === 0) return <>{text}</>
  return (
    <>
      {markWords(text, terms).map((part, i) =>
        part.hit ? (
          <mark key={i} className={styles.mark}>
            {part.text}
          </mark>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </>
  )
}
