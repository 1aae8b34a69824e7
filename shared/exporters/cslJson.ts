// CSL-JSON, the citation data of citeproc (pandoc, Zotero, Mendeley's styles): a list of items
// as CSL 1.0.2's schema describes them. Item ids are the BibTeX export's citation keys, so a
// document cites a paper by the same key with either file.
//
// A paper with a venue is an "article-journal"; one without is an "article" (CSL's type for a
// preprint), with its arXiv id as Zotero writes a preprint's: number "arXiv:2408.01234",
// publisher "arXiv". CSL's rich text reads "<i>" and "&amp;" as markup, so text that holds them
// as text has "&" and "<" written as entities.
import type { Paper } from '../domain'
import { cleanAbstract, cleanLine } from '../importers/hfJson'
import { citationKeys, splitName } from './names'
import { escapeHtml, guardHtml } from './text'

type CslName =
  | { family: string; given?: string; 'non-dropping-particle'?: string; suffix?: string }
  | { literal: string }

export interface CslItem {
  type: 'article-journal' | 'article'
  id: string
  title: string
  author?: CslName[]
  issued?: { 'date-parts': [[number]] }
  'container-title'?: string
  publisher?: string
  number?: string
  DOI?: string
  URL?: string
  abstract?: string
  keyword?: string
}

const line = (text: string): string => guardHtml(text, cleanLine)

/**
 * {given, non-dropping-particle, family, suffix}, which citeproc formats by the style; a
 * one-word name ("OpenAI") or one with a comma is a literal, printed as written.
 */
function cslName(name: string): CslName {
  const { given, particle, family, suffix } = splitName(name)
  if (given === '' || name.includes(',')) return { literal: line(name) }
  // The importer joins the parts before it cleans them: "<X" and ">" are a tag together.
  const part = guardHtml(name, cleanLine) === name ? (p: string) => p : escapeHtml
  const out: CslName = { family: part(family), given: part(given) }
  if (particle) out['non-dropping-particle'] = part(particle)
  if (suffix) out.suffix = part(suffix)
  return out
}

function item(paper: Paper, id: string): CslItem {
  const out: CslItem = {
    type: paper.venue ? 'article-journal' : 'article',
    id,
    title: line(paper.title),
  }
  if (paper.authors.length > 0) out.author = paper.authors.map(cslName)
  if (paper.year !== null) out.issued = { 'date-parts': [[paper.year]] }
  if (paper.venue) out['container-title'] = line(paper.venue)
  if (paper.arxivId) {
    out.number = `arXiv:${paper.arxivId}`
    if (!paper.venue) out.publisher = 'arXiv'
  }
  if (paper.doi) out.DOI = paper.doi
  if (paper.urls[0]) out.URL = paper.urls[0]
  if (paper.abstract) out.abstract = guardHtml(paper.abstract, cleanAbstract)
  // CSL's `keyword` is one string, read comma-separated. Not guarded: the importer splits it at
  // commas and semicolons before it reads entities ("&lt;" would split there).
  if (paper.keywords.length > 0) out.keyword = paper.keywords.join(', ')
  return out
}

export function exportCslJson(papers: readonly Paper[]): string {
  const keys = citationKeys(papers)
  return `${JSON.stringify(
    papers.map((paper, i) => item(paper, keys[i]!)),
    null,
    2,
  )}\n`
}
