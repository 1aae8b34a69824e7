import { useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import DOMPurify from 'dompurify'
import 'temml/dist/Temml-Local.css'
import { revealBidi } from '../../../shared/bidi'
import { texSegments } from '../../../shared/tex'
import type { TexSegment } from '../../../shared/tex'
import { classNames } from '../styles/classNames'
import { Highlight } from './Highlight'
import type { HighlightTerms } from './Highlight'
import styles from './Abstract.module.css'

/**
 * Math is typeset by Temml as MathML, which the browser lays out itself: no fonts to ship, no
 * inline styles for the CSP to refuse. Abstracts are other people's text: nothing in them may
 * link, load or run anything (`trust: false` refuses `\href`, `\url`, `\includegraphics`,
 * `\class`, `\style`), and sizes and macro expansion are bounded.
 */
const TEMML_OPTIONS = {
  throwOnError: true,
  trust: false,
  strict: false,
  maxSize: [8, 80] as [number, number],
  maxExpand: 200,
}

type Temml = typeof import('temml').default

let temml: Temml | null = null
/**
 * Temml is a fifth of the renderer's code: it loads beside the app's first chunk, as soon as this
 * module does, so the table paints without waiting for it and math is ready long before anyone
 * opens a paper. Until then math is shown as written.
 */
const temmlLoaded: Promise<Temml | null> = import('temml').then(
  (module) => (temml = module.default),
  () => null,
)

/** What Temml writes, less what MathML in an abstract never needs: links, ids, styles. */
const SANITIZE = {
  USE_PROFILES: { mathMl: true },
  ADD_ATTR: ['class'],
  FORBID_TAGS: ['a'],
  FORBID_ATTR: ['href', 'id', 'style', 'xlink:href'],
}

/** The MathML for `tex`, or null when it is not math Temml can read. */
function mathMarkup(typeset: Temml, tex: string, display: boolean): string | null {
  try {
    const markup = typeset.renderToString(tex, { ...TEMML_OPTIONS, displayMode: display })
    // Style attributes go before DOMPurify parses the markup: the CSP refuses them there too,
    // and says so on the console. Temml escapes quotes in text, so none ends a match early.
    return DOMPurify.sanitize(markup.replace(/\sstyle="[^"]*"/g, ''), SANITIZE)
  } catch {
    return null
  }
}

type Part = TexSegment | { kind: 'rendered'; source: string; display: boolean; markup: string }

function parts(text: string, typeset: Temml | null): Part[] {
  return texSegments(text).map((segment) => {
    if (segment.kind !== 'math' || typeset === null) return segment
    const markup = mathMarkup(typeset, segment.tex, segment.display)
    return markup === null
      ? segment
      : { kind: 'rendered', source: segment.source, display: segment.display, markup }
  })
}

function renderPart(part: Part, key: number, typesetting: boolean, highlight: HighlightTerms) {
  switch (part.kind) {
    case 'rendered':
      return (
        <span
          key={key}
          className={part.display ? styles.displayMath : styles.math}
          data-tex={part.source}
          dangerouslySetInnerHTML={{ __html: part.markup }}
        />
      )
    case 'math':
      // Math Temml could not read, or before Temml is loaded, is shown as it was written.
      return (
        <span
          key={key}
          className={styles.mathSource}
          title={typesetting ? 'Math that could not be typeset' : undefined}
        >
          {part.source}
        </span>
      )
    case 'link':
      return (
        <a key={key} href={part.url} target="_blank" rel="noopener noreferrer">
          {revealBidi(part.text)}
        </a>
      )
    case 'text': {
      // Only prose is marked: a word inside a formula or a link is not what was searched for.
      let shown: ReactNode = <Highlight text={part.text} terms={highlight} />
      if (part.bold) shown = <strong>{shown}</strong>
      if (part.italic) shown = <em>{shown}</em>
      return <span key={key}>{shown}</span>
    }
  }
}

const NO_TERMS: HighlightTerms = []

/**
 * Abstract text as a reader wants it: its LaTeX typeset (math, accents, quotes, dashes) and its
 * links clickable; they open outside the app, their bidirectional controls written out. The stored text is not changed. The words of
 * `highlight` (the search's) are marked in its prose.
 */
export function Abstract({
  text,
  highlight = NO_TERMS,
}: {
  text: string
  highlight?: HighlightTerms
}) {
  const [typeset, setTypeset] = useState(temml)
  useEffect(() => {
    if (typeset !== null) return
    let mounted = true
    void temmlLoaded.then((loaded) => {
      if (mounted && loaded !== null) setTypeset(() => loaded)
    })
    return () => {
      mounted = false
    }
  }, [typeset])
  const rendered = useMemo(() => parts(text, typeset), [text, typeset])
  if (!text)
    return (
      <p className={classNames(styles.abstract, styles.empty)}>
        This paper came without an abstract.
      </p>
    )
  return (
    <p className={styles.abstract} data-testid="abstract">
      {rendered.map((part, i) => renderPart(part, i, typeset !== null, highlight))}
    </p>
  )
}
