// The manual's Markdown as the Help dialog shows it: cleaned exactly as a note's preview is
// (notes/noteHtml.ts: the same allow-list, web links opening outside the app), and then made
// into a document one can move through. Each heading gets an id from its text, as GitHub makes
// them (so the README's own links, `[Settings](#settings)`, find their heading), prefixed so
// that no id of the manual's can be one of the app's. A link to a heading the manual left out
// becomes its text. The README's pictures are files beside it (docs/*.png), which the page does
// not carry: they are left out, with the paragraph that held only them.
import { cleanMarkdown } from '../notes/noteHtml'
import { slugOf } from './manual'

export const ID_PREFIX = 'help-'

export interface ManualHeading {
  id: string
  level: number
  text: string
}

/** The name a `#name` link points to, as written or percent-encoded. */
function fragmentName(href: string): string {
  try {
    return decodeURIComponent(href.slice(1))
  } catch {
    return href.slice(1)
  }
}

export function manualHtml(markdown: string): { html: string; headings: ManualHeading[] } {
  const fragment = cleanMarkdown(markdown, { pageLinks: true })
  const headings: ManualHeading[] = []
  const taken = new Map<string, number>()
  for (const heading of fragment.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const text = heading.textContent ?? ''
    const slug = slugOf(text)
    // A second heading of the same text is `name-1`, as on GitHub.
    const seen = taken.get(slug) ?? 0
    taken.set(slug, seen + 1)
    const id = `${ID_PREFIX}${seen === 0 ? slug : `${slug}-${seen}`}`
    heading.id = id
    // Focusable from script only: a link to it moves the focus there (HelpDialog.tsx).
    heading.setAttribute('tabindex', '-1')
    headings.push({ id, level: Number(heading.tagName.slice(1)), text })
  }
  const ids = new Set(headings.map((h) => h.id))
  for (const link of fragment.querySelectorAll('a[href^="#"]')) {
    const target = `${ID_PREFIX}${fragmentName(link.getAttribute('href')!)}`
    if (ids.has(target)) link.setAttribute('href', `#${target}`)
    else link.replaceWith(...link.childNodes)
  }
  for (const paragraph of fragment.querySelectorAll('p')) {
    if (paragraph.childElementCount === 0 && !paragraph.textContent?.trim()) paragraph.remove()
  }
  const holder = document.createElement('div')
  holder.append(fragment)
  return { html: holder.innerHTML, headings }
}
