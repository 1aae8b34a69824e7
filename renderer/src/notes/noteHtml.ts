// A note's Markdown as the HTML its preview shows. Notes are the user's own, but often pasted
// from elsewhere, and Markdown passes HTML through; the preview does not leave it to the CSP to
// neutralise what DOMPurify's defaults keep. It keeps an allow-list:
//
// - text, headings, lists, quotes, code, tables and links; no style, forms, inputs, buttons,
//   frames, objects, media, SVG or MathML, and no attribute beyond the few these need (no
//   handlers, styles, classes or ids, which could dress a note up as the app);
// - images only from data: URLs; a remote image becomes a link to it, fetched only if followed;
// - links only to http(s), each opening outside the app (a new tab in the browser host, the
//   system browser in the desktop app, whose window-open handler sends it there); any other
//   link is its text;
// - bidirectional controls in a link's text and title written out (shared/bidi.ts).
//
// The in-app manual (help/manualHtml.ts) is Markdown too, and goes through the same cleaning; it
// keeps one thing more, links within the page (`#settings`) to its own headings.
import DOMPurify from 'dompurify'
import { Marked } from 'marked'
import { revealBidi } from '../../../shared/bidi'
import { isWebUrl } from '../../../shared/links'

const ALLOWED_TAGS = [
  'a',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'img',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
]

/** A table cell's alignment and a list's first number are all Markdown needs beyond links. */
const ALLOWED_ATTR = ['href', 'title', 'src', 'alt', 'align', 'start']

/** The images a note may show: pictures inlined as data, never SVG (a document of its own). */
const DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp|avif);/i

const markdown = new Marked({
  gfm: true,
  // A task list's boxes as marks: a checkbox in the preview would be an input that does nothing.
  renderer: { checkbox: ({ checked }) => (checked ? '☑ ' : '☐ ') },
})

/** DOMPurify of its own, so that nothing set here changes how abstracts' math is cleaned. */
let purify: ReturnType<typeof DOMPurify> | null = null

export interface CleanOptions {
  /** Keeps links to a place in the page (`#name`) for the caller to resolve; a note has none. */
  pageLinks?: boolean
}

/** Markdown as a fragment of elements that are safe to show in the app's page. */
export function cleanMarkdown(
  text: string,
  { pageLinks = false }: CleanOptions = {},
): DocumentFragment {
  purify ??= DOMPurify(window)
  const fragment = purify.sanitize(markdown.parse(text, { async: false }), {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    // http(s) for links; data: images pass DOMPurify's own rule for img and are checked below.
    ALLOWED_URI_REGEXP: pageLinks ? /^(?:https?:|#)/i : /^https?:/i,
    RETURN_DOM_FRAGMENT: true,
  })
  for (const image of fragment.querySelectorAll('img')) {
    const src = image.getAttribute('src') ?? ''
    if (DATA_IMAGE.test(src)) continue
    if (isWebUrl(src)) {
      const link = document.createElement('a')
      link.setAttribute('href', src)
      link.textContent = image.getAttribute('alt') || src
      image.replaceWith(link)
    } else image.remove()
  }
  for (const link of fragment.querySelectorAll('a')) {
    const href = link.getAttribute('href')
    const inPage = pageLinks && href?.startsWith('#') === true
    if (!inPage && (href === null || !isWebUrl(href))) {
      link.replaceWith(...link.childNodes)
      continue
    }
    if (!inPage) {
      link.setAttribute('target', '_blank')
      link.setAttribute('rel', 'noopener noreferrer')
    }
    const title = link.getAttribute('title')
    if (title !== null) link.setAttribute('title', revealBidi(title))
    const texts = document.createTreeWalker(link, NodeFilter.SHOW_TEXT)
    for (let node = texts.nextNode(); node; node = texts.nextNode())
      node.textContent = revealBidi(node.textContent ?? '')
  }
  return fragment
}

/** The note's Markdown as HTML that is safe to show in the app's page. */
export function noteHtml(text: string): string {
  const holder = document.createElement('div')
  holder.append(cleanMarkdown(text))
  return holder.innerHTML
}
