// The Markdown export: a reading-notes document — exact text, and what a Markdown renderer
// (marked, CommonMark with GFM) makes of it.
import { marked } from 'marked'
import { describe, expect, it } from 'vitest'
import type { Paper } from '../../../shared/domain'
import { exportPapers } from '../../../shared/exporters'
import { AWKWARD, EXPORT_CONTEXT, makePaper } from '../../helpers/papers'

const markdown = (papers: Paper[]): string =>
  exportPapers('markdown', { ...EXPORT_CONTEXT, papers })
const html = (text: string): string => marked.parse(text, { async: false })
const sections = (text: string): string[] => text.split('\n\n---\n\n')

describe('Markdown export', () => {
  it('opens with a heading, the date and a count by status', () => {
    expect(sections(markdown(AWKWARD))[0]).toBe(
      '# Reading notes\n\nExported from Lectern on 2026-11-30. 4 papers: 1 new, 1 to read, 1 reading, 1 read.',
    )
    expect(markdown([AWKWARD[1]!])).toContain('1 paper: 1 to read.')
  })

  it('gives each paper its title, authors, year · venue, links, status, note and abstract', () => {
    expect(sections(markdown(AWKWARD))[1]).toBe(
      [
        '## Attention Is All You Need: {BERT} & 50% of $O(n^2)$ #1',
        '',
        'Ashish Vaswani, Łukasz Kaiser, Ludwig van Beethoven, Martin Luther King Jr.  ',
        '2017 · Advances in Neural Information Processing Systems',
        '',
        '[arXiv:1706.03762](https://arxiv.org/abs/1706.03762) · ' +
          '[doi:10.48550/arxiv.1706.03762](https://doi.org/10.48550/arxiv.1706.03762) · ' +
          '[github.com/tensorflow/tensor2tensor](https://github.com/tensorflow/tensor2tensor)',
        '',
        'Status: **Read**, since 2026-11-20',
        '',
        // The note as written (its trailing line break aside).
        '## Key idea',
        '',
        '*Self-attention* replaces recurrence — see `eq. 1`.',
        '',
        '- [ ] re-read §3.2',
        '',
        '> **Abstract.** The dominant "sequence transduction" models use 100% recurrence\\_or\\_convolution.',
        '>',
        '> We propose the Transformer: \\~2× faster, $\\mathcal{O}(1)$ per step & \\<i\\>parallel\\</i\\>.',
      ].join('\n'),
    )
  })

  it('writes the other versions of a note that sync kept, each after the note, with where and when', () => {
    const paper: Paper = {
      ...AWKWARD[1]!,
      note: 'shown version',
      noteConflicts: [
        {
          version: 'v1',
          device: '3f9c2a7b1d4e5f60',
          at: '2026-11-29T08:30:00.000Z',
          text: '```\nan open fence',
        },
      ],
    }
    const [, section] = sections(markdown([paper]))
    expect(section).toContain(
      [
        'shown version',
        '',
        '*Another version of the note, from device 3f9c2a7b · 2026-11-29 08:30 UTC:*',
        '',
        '```\nan open fence\n```',
      ].join('\n'),
    )
    // The fence closed: the abstract after it is still a quote.
    expect(html(section!)).toContain('<blockquote>')
  })

  it('writes papers without venue, year, authors or note with what they have', () => {
    const [, , schrodinger, scaling, divergences] = sections(markdown(AWKWARD))
    expect(schrodinger).toContain(
      '[doi:10.1002/andp.19263840404](https://doi.org/10.1002/andp.19263840404)\n\nStatus: **To read**, since 2026-11-03\n\n> **Abstract.** In this paper',
    )
    // The versioned abstract page is the arXiv link already; the PDF is another link.
    expect(scaling).toContain(
      'OpenAI\n\n[arXiv:2001.08361](https://arxiv.org/abs/2001.08361) · [arxiv.org/pdf/2001.08361v1](https://arxiv.org/pdf/2001.08361v1)\n\nStatus: **Reading**, since 2026-11-25',
    )
    expect(divergences).toBe(
      [
        // Math kept; "$5 to $10" is not math, so its dollars are escaped.
        '## $\\alpha$-Divergences from \\$5 to \\$10 -- ‘tilde’ \\~ caret ^ backslash \\\\ {unbalanced',
        '',
        '[example.org/a\\_b?c=1&d=2#frag](https://example.org/a_b?c=1&d=2#frag)',
        '',
        'Status: **New**, added 2026-11-01',
        '',
        '> **Abstract.** See <https://example.org/a_b?c=1&d=2#frag> for 100% of the code.',
        '',
      ].join('\n'),
    )
  })

  it('renders as one section a paper: metadata stays text, a note cannot swallow what follows', () => {
    const rendered = html(markdown(AWKWARD))
    expect(rendered.match(/<h2>/g)).toHaveLength(5) // four papers and the note's own heading
    expect(rendered).toContain(
      '<h2>Attention Is All You Need: {BERT} &amp; 50% of $O(n^2)$ #1</h2>',
    )
    // The note's unclosed code fence was closed: the next paper is a heading, not code.
    expect(rendered).toContain('<pre><code class="language-python">plot(N, L)\n</code></pre>')
    expect(rendered).toContain('<h2>$\\alpha$-Divergences from $5 to $10')
    expect(rendered).toContain('<em>Self-attention</em>')
    expect(rendered).toContain('&lt;i&gt;parallel&lt;/i&gt;')
  })

  it('escapes Markdown in titles, names and venues, wherever it would start a block', () => {
    const paper = makePaper({
      title: '*Not* _emphasis_ [not a link](x) <b>not html</b> Title #',
      authors: ['- Not A List'],
      venue: '1. Not a list either',
      year: null,
    })
    const text = markdown([paper])
    expect(text).toContain(
      '## \\*Not\\* \\_emphasis\\_ \\[not a link\\](x) \\<b\\>not html\\</b\\> Title \\#\n',
    )
    expect(text).toContain('\\- Not A List  \n1\\. Not a list either')
    const rendered = html(text)
    expect(rendered).toContain(
      '<h2>*Not* _emphasis_ [not a link](x) &lt;b&gt;not html&lt;/b&gt; Title #</h2>',
    )
    expect(rendered).toContain('<p>- Not A List<br>1. Not a list either</p>')
  })
})
