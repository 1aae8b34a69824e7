// The in-app manual is the README, bundled with the page at build time: the app is offline, so
// Help cannot open the README on the web, and one text kept in one place cannot drift from the
// app. The README also speaks to those who build Lectern; the manual keeps what is for its users.

/** The README's sections written for developers: left out of the manual. */
export const DEVELOPER_SECTIONS = [
  'Run it',
  'Measure it',
  'Security',
  'Build installers',
  'How it is built',
]

const FENCE = /^\s{0,3}(```|~~~)/
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/

/**
 * The README as the manual shows it: without its title (the dialog has its own) and the
 * developers' sections, every other heading one level down, under the dialog's h2.
 */
export function manualMarkdown(readme: string): string {
  const kept: string[] = []
  let fence: string | null = null
  let skipping = false
  for (const line of readme.split(/\r?\n/)) {
    // A `#` at the start of a line inside a code block is code (a shell comment), not a heading.
    const opens = FENCE.exec(line)?.[1]
    if (fence === null && opens) fence = opens
    else if (fence !== null && opens === fence) fence = null
    else if (fence === null) {
      const heading = HEADING.exec(line)
      if (heading) {
        const level = heading[1]!.length
        if (level === 1) continue
        if (level === 2) skipping = DEVELOPER_SECTIONS.includes(heading[2]!)
        if (!skipping) kept.push(level < 6 ? `#${line}` : line)
        continue
      }
    }
    if (!skipping) kept.push(line)
  }
  return kept.join('\n')
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slugOf(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}
