import { splitLinks } from '../../../shared/links'

/** Abstract text with its links clickable; they open outside the app. */
export function Abstract({ text }: { text: string }) {
  if (!text) return <p className="abstract empty">This paper came without an abstract.</p>
  return (
    <p className="abstract">
      {splitLinks(text).map((segment, i) =>
        segment.kind === 'link' ? (
          <a key={i} href={segment.url} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          <span key={i}>{segment.text}</span>
        ),
      )}
    </p>
  )
}
