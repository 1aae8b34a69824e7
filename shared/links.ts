// Finding links in abstracts. A full stop, comma or closing bracket right after a URL usually
// ends the sentence, not the URL.

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string }

export interface LinkOptions {
  /**
   * Also what a reader takes for a link though it names no scheme: `www.example.org/x`,
   * `arXiv:2401.01234` and `doi:10.1000/xyz`. Off for the importers, which keep only the URLs a
   * source wrote out.
   */
  identifiers?: boolean
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi

/**
 * A web URL; or, for `identifiers`, a `www.` host (not one inside a longer name or a path), an
 * arXiv identifier (new style `2401.01234v2`, old style `hep-th/9901001`, `math.GT/0309136`)
 * or a DOI, each after its prefix.
 */
const LINK_PATTERN = new RegExp(
  [
    /(?<url>\bhttps?:\/\/[^\s<>"'`]+)/.source,
    /(?<www>(?<![\w.@/-])www\.[a-z\d-]+(?:\.[a-z\d-]+)+(?:[/?#:][^\s<>"'`]*)?)/.source,
    /(?<![\w/.-])arxiv:[ ]?(?<arxiv>\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z-]*(?:\.[a-z]{2})?\/\d{7}(?:v\d+)?)(?![\w/])/
      .source,
    /(?<![\w/.-])doi:[ ]?(?<doi>10\.\d{4,9}\/[^\s<>"'`]+)/.source,
  ].join('|'),
  'gi',
)

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

/** A DOI as the path of a doi.org link: only what a URL would read otherwise is escaped. */
function doiUrl(doi: string): string {
  return `https://doi.org/${doi.replace(/[%#?\s"<>^`{|}\\]/g, (c) => encodeURIComponent(c))}`
}

function urlLink(url: string): { text: string; url: string } {
  const text = trimTrailing(url)
  return { text, url: text }
}

/** The link `match` of LINK_PATTERN names, its text as written, or null if nothing is left. */
function linkOf(match: RegExpExecArray | RegExpMatchArray): { text: string; url: string } | null {
  const { url, www, arxiv, doi } = match.groups ?? {}
  if (url !== undefined) return urlLink(url)
  if (www !== undefined) {
    const text = trimTrailing(www)
    return /^www\.[a-z\d-]+(?:\.[a-z\d-]+)+/i.test(text) ? { text, url: `https://${text}` } : null
  }
  if (arxiv !== undefined) return { text: match[0], url: `https://arxiv.org/abs/${arxiv}` }
  if (doi === undefined) return null
  const id = trimTrailing(doi)
  if (!/^10\.\d{4,9}\/./.test(id)) return null
  return { text: match[0].slice(0, match[0].length - doi.length + id.length), url: doiUrl(id) }
}

export function splitLinks(text: string, options: LinkOptions = {}): Segment[] {
  const segments: Segment[] = []
  let last = 0
  for (const match of text.matchAll(options.identifiers ? LINK_PATTERN : URL_PATTERN)) {
    const link = options.identifiers ? linkOf(match) : urlLink(match[0])
    if (link === null) continue
    const start = match.index
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) })
    segments.push({ kind: 'link', ...link })
    last = start + link.text.length
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
