// CSL-JSON, the citation data that Zotero, Better BibTeX, pandoc and Crossref export: a list of
// items (or one item) with `title`, `abstract`, `author` as {family, given} or {literal},
// `issued` as {"date-parts": [[2020, 3]]}, `container-title`, `DOI`, `URL`, `keyword`, `note`.
// A reference list has no listing date: the year goes to `meta.year` and `dumpDate` is null.
import {
  CSL_KEYS,
  arxivIdIn,
  arxivIdInDoi,
  arxivIdInProse,
  arxivIdInUrl,
  authorList,
  cleanAbstract,
  cleanLine,
  cleanTitle,
  compactMeta,
  doiIn,
  firstArxivId,
  importJson,
  jsonStart,
  keywordList,
  member,
  namesIn,
  textOf,
  urlIn,
  yearIn,
} from './hfJson'
import type { RecordReader } from './hfJson'
import type { ArxivRef } from './hfJson'
import type { Importer } from './types'

/** The arXiv id in `number`, which Zotero fills with "arXiv:2408.01234" for a preprint. */
function arxivIdInNumber(value: unknown): ArxivRef | undefined {
  const text = textOf(value)?.trim()
  if (!text) return undefined
  // A bare "2408.01234" is an arXiv number; another number (an issue, a report) is not.
  return /arxiv/i.test(text) || /^\d{4}\.\d{4,5}(?:v\d+)?$/.test(text)
    ? (arxivIdInProse(text) ?? arxivIdIn(text))
    : undefined
}

const readCslItem: RecordReader = (item, { line }) => {
  const get = (key: string): unknown => member(item, key)
  const title = cleanTitle(get('title'))
  if (!title) return null
  const doi = doiIn(get('DOI') ?? get('doi'))
  const url = get('URL') ?? get('url')
  const arxiv = firstArxivId(
    arxivIdInUrl(url),
    arxivIdInNumber(get('number')),
    arxivIdInDoi(doi),
    arxivIdInProse(get('archive_location')),
    arxivIdInProse(get('note')),
    arxivIdInProse(get('extra')),
  )
  const urls: string[] = []
  const link = urlIn(url)
  if (link) urls.push(link)
  return {
    title,
    abstract: cleanAbstract(get('abstract')),
    authors: authorList(get('author') ?? get('authors')),
    dumpDate: null,
    dumpDateText: null,
    line,
    meta: compactMeta({
      year: yearIn(get('issued') ?? get('year')),
      arxivId: arxiv?.id,
      arxivVersion: arxiv?.version ?? undefined,
      doi,
      venue:
        cleanLine(get('container-title') ?? get('event-title') ?? textOf(get('event'))) ||
        undefined,
      keywords: keywordList(get('keyword') ?? get('keywords')),
      urls,
    }),
  }
}

/** CSL's item types (CSL 1.0.2), which an item's `type` names. */
const CSL_TYPES = new Set([
  'article',
  'article-journal',
  'article-magazine',
  'article-newspaper',
  'bill',
  'book',
  'broadcast',
  'chapter',
  'classic',
  'collection',
  'dataset',
  'document',
  'entry',
  'entry-dictionary',
  'entry-encyclopedia',
  'event',
  'figure',
  'graphic',
  'hearing',
  'interview',
  'legal_case',
  'legislation',
  'manuscript',
  'map',
  'motion_picture',
  'musical_score',
  'pamphlet',
  'paper-conference',
  'patent',
  'performance',
  'periodical',
  'personal_communication',
  'post',
  'post-weblog',
  'regulation',
  'report',
  'review',
  'review-book',
  'software',
  'song',
  'speech',
  'standard',
  'thesis',
  'treaty',
  'webpage',
])

/** Keys that Hugging Face's API writes and CSL never does. */
const HF_ONLY = ['upvotes', 'publishedAt', 'submittedOnDailyAt', 'ai_keywords', 'numComments']

function detectCslJson(head: string): number {
  const json = jsonStart(head)
  if (json === null) return 0
  if (/"paper"\s*:\s*\{/.test(json) || namesIn(json, HF_ONLY) > 0) return 0.05
  const type = /"type"\s*:\s*"([a-z_-]{1,30})"/.exec(json)
  const typed = type !== null && CSL_TYPES.has(type[1]!)
  // Strong signs: CSL's own member names, and CSL's upper-case DOI and URL.
  const signs =
    namesIn(json, CSL_KEYS) +
    (json.includes('"issued"') ? 1 : 0) +
    (typed ? 1 : 0) +
    (namesIn(json, ['DOI', 'URL', 'ISSN', 'ISBN']) > 0 ? 1 : 0)
  if (signs >= 3) return 0.95
  if (signs === 2) return 0.85
  if (signs === 1 && json.includes('"title"')) return 0.6
  return signs === 1 ? 0.35 : 0.05
}

export const cslJsonImporter: Importer = {
  format: 'csl-json',
  label: 'CSL-JSON',
  detect: detectCslJson,
  parse: (text, now) => importJson('csl-json', text, now, readCslItem),
}
