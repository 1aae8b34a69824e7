// The in-app manual (Help › Lectern Help) is the README's text for users: its title and the
// developers' sections left out, the rest kept word for word with each heading one level down
// (under the dialog's own title), and its links to its own headings still finding them. How the
// dialog shows it (cleaned as a note is, links, pictures) is tested in tests/e2e/help.spec.ts.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEVELOPER_SECTIONS, manualMarkdown, slugOf } from '../../renderer/src/help/manual'

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')

/** The headings of Markdown text outside its code blocks, as [level, text]. */
function headings(markdown: string): [number, string][] {
  const found: [number, string][] = []
  let inCode = false
  for (const line of markdown.split('\n')) {
    if (/^```/.test(line)) inCode = !inCode
    const heading = /^(#+) (.*)$/.exec(line)
    if (!inCode && heading) found.push([heading[1]!.length, heading[2]!])
  }
  return found
}

describe('the manual', () => {
  it('leaves out the title and the developers’ sections, and sets every heading one level down', () => {
    const readme = [
      '# Lectern',
      '',
      'An offline reading list.',
      '',
      '## Run it',
      '',
      '```sh',
      'npm start   # the app',
      '```',
      '',
      '### Inside a developer section',
      '',
      '## What it does',
      '',
      'Imports dumps.',
      '',
      '```md',
      '## A heading inside a code block',
      '# Lectern',
      '## Measure it',
      '```',
      '',
      '### Settings',
      '',
      'Keeps the theme.',
      '',
      '## Measure it',
      '',
      'Benchmarks.',
      '',
      '## Your data',
      '',
      'Where it lives.',
    ].join('\n')
    expect(manualMarkdown(readme).split('\n')).toEqual([
      '',
      'An offline reading list.',
      '',
      '### What it does',
      '',
      'Imports dumps.',
      '',
      // A code block is kept as it is, and does not start or end a section.
      '```md',
      '## A heading inside a code block',
      '# Lectern',
      '## Measure it',
      '```',
      '',
      '#### Settings',
      '',
      'Keeps the theme.',
      '',
      '### Your data',
      '',
      'Where it lives.',
    ])
    // Windows line endings read the same.
    expect(manualMarkdown(readme.replace(/\n/g, '\r\n'))).toBe(manualMarkdown(readme))
  })

  it('holds the README’s sections for users, and none of those for developers', () => {
    const sections = headings(README)
    // Each section left out is one the README has: a renamed one would slip into the manual.
    for (const name of DEVELOPER_SECTIONS) expect(sections).toContainEqual([2, name])
    const manual = headings(manualMarkdown(README))
    const top = manual.filter(([level]) => level === 3).map(([, text]) => text)
    expect(top).toEqual(
      sections
        .filter(([level, text]) => level === 2 && !DEVELOPER_SECTIONS.includes(text))
        .map(([, text]) => text),
    )
    // A section added to the README is for users or for developers: this says which it was.
    expect(top).toEqual([
      'What it does',
      'Formats',
      'Command line',
      'Your data',
      'Several computers',
    ])
    for (const part of ['Keyboard', 'Menus', 'Settings', 'Backups'])
      expect(manual).toContainEqual([4, part])
    expect(manual.map(([, text]) => text)).not.toContain('Lectern')
    expect(manual.map(([level]) => level).every((level) => level >= 3)).toBe(true)
  })

  it('its links to its own headings all find one, as GitHub names them', () => {
    expect(slugOf('The browser host (`lectern serve`)')).toBe('the-browser-host-lectern-serve')
    expect(slugOf('Import preview, progress, undo and export')).toBe(
      'import-preview-progress-undo-and-export',
    )
    expect(slugOf('Über 2 Zeilen')).toBe('über-2-zeilen')
    const manual = manualMarkdown(README)
    const slugs = new Set(headings(manual).map(([, text]) => slugOf(text)))
    const links = [...manual.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!)
    expect(links.length).toBeGreaterThan(0)
    // A link into a section the manual leaves out would read as plain text there.
    for (const link of links) expect(slugs, link).toContain(link)
  })
})
