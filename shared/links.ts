// Finding links in abstracts. A full stop, comma or closing bracket right after a URL usually
// ends the sentence, not the URL.

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string }

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi

function trimTrailing(url: string): string {
  let end = url.length
  for (;;) {
    const last = url[end - 1]
    if (last && '.,;:!?\'"'.includes(last)) {
      end -= 1
      continue
    }
    if (last === ')' || last === ']' || last === '}') {
      const open = last === ')' ? '(' : last === ']' ? '[' : '{'
      const body = url.slice(0, end)
      if (body.split(open).length - 1 < body.split(last).length - 1) {
        end -= 1
        continue
      }
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
