// The answer of arXiv's API (export.arxiv.org/api/query) saved to a file: an Atom feed with one
// <entry> per paper — its id (the abstract page's address, with the version), title, summary,
// authors, and arXiv's own elements (arxiv:doi, arxiv:journal_ref, arxiv:comment, categories).
// arXiv's announcement feeds (rss.arxiv.org/atom/cs.CL) are read too: the same Atom, but a dated
// listing, with the authors in one dc:creator and a routing line before each abstract.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { parseDumpDate } from '../dates'
import { splitLinks } from '../links'
import { normaliseText } from '../text'
import { cleanUrl, normaliseDoi, splitArxivId, unwrap, yearOf } from './fields'
import { ImportError } from './types'
import { mergeCopies, warningsOf } from './copies'
import type { Note } from './copies'
import type { Importer, PaperMeta, ParsedPaper, ParseResult } from './types'

/** Paragraphs kept apart by a blank line; the hard wraps inside each joined. */
export function paragraphsOf(text: string): string {
  const paragraphs: string[] = []
  let current: string[] = []
  for (const line of text.split('\n')) {
    if (line.trim() !== '') {
      current.push(line)
    } else if (current.length > 0) {
      paragraphs.push(unwrap(current.join('\n')))
      current = []
    }
  }
  if (current.length > 0) paragraphs.push(unwrap(current.join('\n')))
  return paragraphs.join('\n\n')
}

// ---------------------------------------------------------------------------------------------
// XML

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const ENTITY_REFERENCE = /&(#[xX]0*[0-9a-fA-F]{1,6}|#0*\d{1,7}|amp|lt|gt|quot|apos);/g

/** A character XML 1.0 allows; a reference to any other is left as written. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  )
}

function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(ENTITY_REFERENCE, (whole, name: string) => {
    if (name[0] !== '#') return XML_ENTITIES[name] ?? whole
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1))
    return isXmlChar(code) ? String.fromCodePoint(code) : whole
  })
}

/**
 * XML's five entities and character references, and nothing else: entities a DOCTYPE declares
 * are never expanded, so no "billion laughs" can grow a small file into gigabytes. (The parser's
 * own decoder expands them, within limits, and leaves character references alone.)
 */
const ENTITY_DECODER = {
  setExternalEntities: (): void => {},
  addInputEntities: (): void => {},
  reset: (): void => {},
  setXmlVersion: (): void => {},
  decode: decodeXmlText,
}

const REPEATED = new Set(['feed', 'entry', 'author', 'link', 'category'])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // arxiv:doi, opensearch:totalResults and an atom: prefix on Atom's own elements all lose it;
  // no two of the names we read collide once it is gone.
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Untrimmed, so that the spaces around a CDATA section stay; fields are unwrapped later.
  trimValues: false,
  // Every element an object, so that each <entry> carries where it starts.
  alwaysCreateTextNode: true,
  captureMetaData: true,
  entityDecoder: ENTITY_DECODER,
  isArray: (name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) =>
    !isAttribute && REPEATED.has(name),
})

const META = XMLParser.getMetaDataSymbol() as unknown as symbol

type XmlNode = Record<string, unknown>

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function children(node: XmlNode, name: string): XmlNode[] {
  const value = Object.hasOwn(node, name) ? node[name] : undefined
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).filter(isNode)
}

function child(node: XmlNode, name: string): XmlNode | undefined {
  return children(node, name)[0]
}

function textOf(node: XmlNode | undefined): string {
  const value = node?.['#text']
  return typeof value === 'string' ? value : ''
}

function attribute(node: XmlNode, name: string): string {
  const value = node[`@_${name}`]
  return typeof value === 'string' ? value : ''
}

/** Where the element starts in the text the parser was given. */
function startOf(node: XmlNode): number | null {
  const meta = (node as Record<symbol, unknown>)[META]
  if (typeof meta !== 'object' || meta === null) return null
  const start = (meta as { startIndex?: unknown }).startIndex
  return typeof start === 'number' ? start : null
}

/** 1-based line of each index (ascending), in one pass over `text`, whose breaks are all "\n". */
function linesAt(text: string, indices: number[]): number[] {
  const lines: number[] = []
  let line = 1
  let at = 0
  for (const index of indices) {
    for (; at < index && at < text.length; at += 1) if (text.charCodeAt(at) === 0x0a) line += 1
    lines.push(line)
  }
  return lines
}

function lineAt(text: string, index: number): number {
  return linesAt(text, [index])[0]!
}

/** Parser messages can quote a megabyte of the input back. */
function shortMessage(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim()
  return oneLine.length > 160 ? `${oneLine.slice(0, 157)}…` : oneLine
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

/** One answer of the API, as an XML document, and where it starts in the text. */
interface Answer {
  start: number
  xml: string
}

/**
 * The answers in the text, usually one. Pages of an API answer saved one after another into one file
 * each begin with an XML declaration, which XML allows only at the very start of a document: the
 * text is cut before each declaration, and the declarations are blanked out (they say nothing
 * once the text is decoded), so that lines and offsets stay where they were.
 */
function answersOf(text: string): Answer[] {
  let xml = ''
  const cuts = [0]
  let from = 0
  for (;;) {
    const at = text.indexOf('<?xml', from)
    if (at === -1) break
    const end = text.indexOf('?>', at + 5)
    // An unclosed one is the validator's to report.
    if (end === -1) break
    const next = text.charCodeAt(at + 5)
    // "<?xml-stylesheet …?>" is another instruction.
    if (next === 0x20 || next === 0x09 || next === 0x0a || next === 0x3f) {
      xml += text.slice(from, at) + text.slice(at, end + 2).replace(/[^\n]/g, ' ')
      if (at > 0) cuts.push(at)
    } else {
      xml += text.slice(from, end + 2)
    }
    from = end + 2
  }
  xml += text.slice(from)
  cuts.push(xml.length)
  const answers: Answer[] = []
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const part = xml.slice(cuts[i], cuts[i + 1])
    if (/\S/.test(part)) answers.push({ start: cuts[i]!, xml: part })
  }
  return answers
}

/** The validator's complaint, in words a researcher can act on, at the line it names. */
function malformed(
  text: string,
  answer: Answer,
  err: { code: string; msg: string; line: number },
): ImportError {
  const first = lineAt(text, answer.start)
  // Several elements left open: the validator names them all, at line 1.
  if (err.code === 'InvalidXml' && err.msg.startsWith("Invalid '[")) {
    return new ImportError(
      'this XML ends before its elements are closed; was the file cut short?',
      lineAt(text, answer.start + answer.xml.trimEnd().length),
    )
  }
  if (err.msg === 'Start tag expected.') {
    return new ImportError('this XML has no elements: an arXiv API answer has a <feed>', first)
  }
  const line = err.line >= 1 ? first + err.line - 1 : null
  return new ImportError(`this is not well-formed XML: ${shortMessage(err.msg)}`, line)
}

// ---------------------------------------------------------------------------------------------
// Entries

function urlsOf(entry: XmlNode, comment: string): string[] {
  const urls = new Set<string>()
  const add = (url: string): void => {
    const clean = cleanUrl(url)
    if (/^https?:\/\//i.test(clean)) urls.add(clean)
  }
  const links = children(entry, 'link')
  for (const link of links) if (attribute(link, 'rel') === 'alternate') add(attribute(link, 'href'))
  for (const link of links) {
    if (attribute(link, 'title') === 'pdf' || attribute(link, 'type') === 'application/pdf') {
      add(attribute(link, 'href'))
    }
  }
  // Comments name the code and the project page ("Code: https://github.com/…"), and a comment
  // has no field of its own.
  for (const segment of splitLinks(comment)) if (segment.kind === 'link') add(segment.url)
  return [...urls]
}

function doiOfEntry(entry: XmlNode): string | null {
  const own = normaliseDoi(textOf(child(entry, 'doi')))
  if (own) return own
  for (const link of children(entry, 'link')) {
    if (attribute(link, 'title') === 'doi') {
      const doi = normaliseDoi(attribute(link, 'href'))
      if (doi) return doi
    }
  }
  return null
}

function metaOf(entry: XmlNode, id: string): PaperMeta {
  const meta: PaperMeta = {}
  const year = yearOf(textOf(child(entry, 'published'))) ?? yearOf(textOf(child(entry, 'updated')))
  if (year !== null) meta.year = year
  const arxiv = splitArxivId(id)
  if (arxiv) {
    meta.arxivId = arxiv.id
    if (arxiv.version !== null) meta.arxivVersion = arxiv.version
  }
  const doi = doiOfEntry(entry)
  if (doi) meta.doi = doi
  const venue = unwrap(textOf(child(entry, 'journal_ref')))
  if (venue) meta.venue = venue
  const categories = new Set<string>()
  const primary = child(entry, 'primary_category')
  for (const node of [...(primary ? [primary] : []), ...children(entry, 'category')]) {
    const term = attribute(node, 'term').trim()
    if (term) categories.add(term)
  }
  if (categories.size > 0) meta.keywords = [...categories]
  const urls = urlsOf(entry, unwrap(textOf(child(entry, 'comment'))))
  if (urls.length > 0) meta.urls = urls
  return meta
}

function authorsOf(entry: XmlNode): string[] {
  const named = children(entry, 'author')
    .map((author) => unwrap(textOf(child(author, 'name'))))
    .filter((name) => name !== '')
  if (named.length > 0) return named
  // The announcement feeds name everyone in one dc:creator: "Ada Lovelace, Charles Babbage".
  return children(entry, 'creator')
    .flatMap((creator) => unwrap(textOf(creator)).split(','))
    .map((name) => name.trim().replace(/^and\s+/, ''))
    .filter((name) => name !== '')
}

/**
 * "arXiv:2408.01234v1 Announce Type: new \nAbstract: …", before each abstract of a listing. The
 * runs are bounded: with `\s*` on both sides of an optional word, a megabyte of spaces would be
 * retried at every split.
 */
const ANNOUNCEMENT =
  /^\s*arXiv:\S{1,40}\s{1,10}Announce Type:[ \t]{0,10}[\w-]{0,30}\s{0,10}Abstract:\s*/

function isErrorEntry(id: string): boolean {
  return /^https?:\/\/(?:export\.)?arxiv\.org\/api\/errors/i.test(id)
}

// ---------------------------------------------------------------------------------------------

export function parseArxivAtom(input: string, now: Date): ParseResult {
  const text = normaliseText(input)
  const first = text.search(/\S/)
  if (first === -1) throw new ImportError('the file is empty')
  if (text[first] !== '<') {
    throw new ImportError(
      'this is not XML: an arXiv API answer starts with <?xml or <feed',
      lineAt(text, first),
    )
  }
  // Never expanded (see ENTITY_DECODER), but a feed that declares entities is not arXiv's, and
  // its text would keep "&name;" where the entity was meant.
  const entity = text.indexOf('<!ENTITY')
  if (entity !== -1) {
    throw new ImportError(
      'this XML declares its own entities (<!ENTITY …>), which Lectern does not expand; arXiv’s API never sends them',
      lineAt(text, entity),
    )
  }
  const feeds: XmlNode[] = []
  // Where each feed's answer starts, to place its entries in the whole text.
  const offsets = new Map<XmlNode, number>()
  for (const answer of answersOf(text)) {
    let root: unknown
    try {
      const valid = XMLValidator.validate(answer.xml)
      if (valid !== true) throw malformed(text, answer, valid.err)
      root = parser.parse(answer.xml)
    } catch (error) {
      if (error instanceof ImportError) throw error
      const message = error instanceof Error ? error.message : String(error)
      throw new ImportError(`this XML could not be read: ${shortMessage(message)}`)
    }
    for (const feed of isNode(root) ? children(root, 'feed') : []) {
      feeds.push(feed)
      offsets.set(feed, answer.start)
    }
  }
  if (feeds.length === 0) {
    throw new ImportError(
      'this XML is not an Atom feed (it has no <feed> element)',
      lineAt(text, first),
    )
  }

  const entries = feeds.flatMap((feed) =>
    children(feed, 'entry').map((entry) => ({ entry, feed, offset: offsets.get(feed)! })),
  )
  if (entries.length === 0) {
    const total = feeds.map((feed) => textOf(child(feed, 'totalResults')).trim()).find(Boolean)
    throw new ImportError(
      total === '0'
        ? 'no papers: arXiv found nothing for this query (totalResults is 0)'
        : 'no papers: the feed has no <entry> elements',
    )
  }
  const lines = linesAt(
    text,
    entries.map(({ entry, offset }) => offset + (startOf(entry) ?? 0)),
  )

  const notes: Note[] = []
  const papers: ParsedPaper[] = []
  let skipped = 0
  entries.forEach(({ entry, feed }, i) => {
    const line = lines[i]!
    const id = unwrap(textOf(child(entry, 'id')))
    if (isErrorEntry(id)) {
      const message =
        unwrap(textOf(child(entry, 'summary'))) || unwrap(textOf(child(entry, 'title')))
      throw new ImportError(
        `arXiv’s API answered with an error, not papers: “${shortMessage(message)}”`,
        line,
      )
    }
    const title = unwrap(textOf(child(entry, 'title')))
    if (title === '') {
      skipped += 1
      notes.push({
        line,
        message: () =>
          id
            ? `the entry ${shorten(id)} has no title; skipped`
            : 'an entry with no title was skipped',
      })
      return
    }
    const summary = textOf(child(entry, 'summary'))
    const routing = ANNOUNCEMENT.exec(summary)
    // An API answer is a search, not a dated listing: the paper's own date is its year. An
    // announcement feed is the listing of a day.
    const listed = routing !== null || textOf(child(entry, 'announce_type')).trim() !== ''
    const date = listed
      ? unwrap(textOf(child(entry, 'published')) || textOf(child(feed, 'updated')))
      : ''
    const dumpDate = date ? parseDumpDate(date.slice(0, 10), now) : null
    papers.push({
      title,
      abstract: paragraphsOf(routing ? summary.slice(routing[0].length) : summary),
      authors: authorsOf(entry),
      dumpDate,
      dumpDateText: dumpDate ? date : null,
      line,
      meta: metaOf(entry, id),
    })
  })

  const kept = mergeCopies(papers, notes)
  if (kept.length === 0) {
    throw new ImportError(
      `no papers: none of the ${entries.length} entries has a title`,
      lines[0] ?? null,
    )
  }
  for (const paper of kept) {
    if (paper.abstract === '') {
      notes.push({
        line: paper.line,
        message: () => `“${shorten(paper.title)}” has no summary; imported with the title only`,
      })
    }
  }
  return { format: 'arxiv-atom', papers: kept, warnings: warningsOf(notes).list(), skipped }
}

/** `<feed` or `<atom:feed`, as an element, not `<feedback`. */
const FEED_TAG = /<(?:[\w.-]+:)?feed[\s>/]/

/**
 * Sure only of an Atom feed that names arXiv: the namespace arXiv declares, its API's address
 * or its abstract pages. Other Atom is possible but doubtful; other XML is not ours.
 */
export function detectArxivAtom(head: string): number {
  const start = head.search(/\S/)
  if (start === -1 || head[start] !== '<') return 0
  const feed = FEED_TAG.test(head)
  const atom = head.includes('http://www.w3.org/2005/Atom')
  const arxiv =
    head.includes('arxiv.org/schemas/atom') ||
    head.includes('arxiv.org/api/') ||
    head.includes('arxiv.org/abs/')
  if (feed && atom && arxiv) return 0.98
  if (feed && arxiv) return 0.9
  if (feed && atom) return 0.6
  if (feed || head.includes('<entry')) return 0.3
  return 0.05
}

export const arxivAtomImporter: Importer = {
  format: 'arxiv-atom',
  label: 'arXiv API (Atom)',
  detect: detectArxivAtom,
  parse: parseArxivAtom,
}
