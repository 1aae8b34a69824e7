import { splitLinks } from '../../../shared/links'
import { classNames } from '../styles/classNames'
import styles from './Abstract.module.css'

/** Abstract text with its links clickable; they open outside the app. */
export function Abstract({ text }: { text: string }) {
  if (!text)
    return (
      <p className={classNames(styles.abstract, styles.empty)}>
        This paper came without an abstract.
      </p>
    )
  return (
    <p className={styles.abstract}>
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
