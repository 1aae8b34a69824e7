// Finding links in abstracts. A full stop, comma or closing bracket right after a URL usually
// ends the sentence, not the URL.

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string }

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi

const OPENER: Partial<Record<string, string>> = { ')': '(', ']': '[', '}': '{' }

function trimTrailing(url: string): string {
  // Brackets are counted once and the counts kept as the end moves: recounting the URL for each
  // bracket trimmed is quadratic on "https://x)))))…".
  const counts = new Map<string, number>()
  for (const ch of url) if ('()[]{}'.includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let end = url.length
  for (;;) {
    const last = url[end - 1]
    if (last === undefined) return ''
    if ('.,;:!?\'"'.includes(last)) {
      end -= 1
      continue
    }
    const open = OPENER[last]
    const closes = counts.get(last) ?? 0
    if (open !== undefined && (counts.get(open) ?? 0) < closes) {
      counts.set(last, closes - 1)
      end -= 1
      continue
    }
    return url.slice(0, end)
  }
}

export function splitLinks(text: string): Segment[] {
  const segments: Segment[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trimTrailing(match[0])
    const start = match.index
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) })
    segments.push({ kind: 'link', text: url, url })
    last = start + url.length
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) })
  return segments
}

/** Only web links may leave the app. */
export function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
  } catch {
    return false
  }
}
