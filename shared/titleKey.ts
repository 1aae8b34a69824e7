// The identity a paper keeps across imports when no arXiv id or DOI is known: its title, with
// case, accents, LaTeX braces, punctuation and spacing folded away.
export function titleKey(title: string): string {
  return (
    title
      // LaTeX accents: Mat\'ern, \"{o}, {\'e} are the letters themselves.
      .replace(/\\[`'^"~=.]\{?([a-z])\}?/gi, '$1')
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/\\[a-z]+\s*/g, ' ')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  )
}
