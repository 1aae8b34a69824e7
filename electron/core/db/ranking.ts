// A search's ranking computed from the index's own doclists (ftsIndex.ts) instead of one
// SQLite row per hit: the same hits, the same BM25 as `lectern_bm25` over matchinfo('pcnalx')
// (search.ts), the same order. SQLite stays the reference: whatever this cannot read exactly —
// words its reading of the index does not cover, an index it does not expect — goes through
// SQLite (queries.ts rankingSql), and a test holds the two to the same result.
import type { Db } from './database'
import {
  COLUMNS as INDEX_COLUMNS,
  IndexFormatError,
  IndexReader,
  inColumn,
  indexTotals,
  phraseHits,
  readSizes,
} from './ftsIndex'
import type { Hits } from './ftsIndex'
import { bm25Weights } from './search'
import type { MatchPhrase, MatchTree } from './search'

const TABLE = 'papers_fts'
/** Read once: in a CommonJS build an import is a getter, called at every use in a loop. */
const COLUMNS = INDEX_COLUMNS

/**
 * Every paper's length in tokens per column (FTS4's `docsize`), kept between searches: read
 * once (about a second at a million papers), then only the papers whose text changed. The
 * library says what changed after every change it makes (see Library.apply); a change it did
 * not describe makes this read everything again.
 */
export class DocSizes {
  private sizes = new Uint32Array(0)
  private known = new Uint8Array(0)
  private complete = false
  private stale = new Set<number>()
  /** The library's count of text changes this reflects. */
  private textSeq = 0
  /** Every paper, newest first (then by id): how a ranking orders equal scores. */
  private newest: Int32Array | null = null

  /** The text of these papers changed (or of every one): their lengths are read again. */
  touched(ids: readonly number[] | 'all', textSeq: number): void {
    if (this.textSeq !== textSeq - 1 || ids === 'all') {
      // Papers may have come or gone: their order is read again too.
      this.complete = false
      this.newest = null
    } else {
      for (const id of ids) this.stale.add(id)
    }
    this.textSeq = textSeq
  }

  /** Every paper's id, newest first and then by id (the order of papers_by_added). */
  newestFirst(db: Db, textSeq: number): Int32Array {
    if (textSeq !== this.textSeq) this.read(db, textSeq, new Int32Array(0))
    this.newest ??= Int32Array.from(
      db.numbers('SELECT id FROM papers ORDER BY added_at DESC, id ASC'),
    )
    return this.newest
  }

  /** The lengths, read where they are not known; at `id * COLUMNS`. */
  read(db: Db, textSeq: number, ids: Int32Array): Uint32Array {
    if (textSeq !== this.textSeq) {
      this.complete = false
      this.newest = null
      this.textSeq = textSeq
    }
    if (!this.complete) {
      this.readAll(db)
    } else if (this.stale.size > 0) {
      this.readSome(db, [...this.stale])
    }
    let missing: number[] | null = null
    for (const id of ids) {
      if (id >= this.known.length || this.known[id] === 0) (missing ??= []).push(id)
    }
    if (missing) this.readSome(db, missing)
    return this.sizes
  }

  private grow(maxId: number): void {
    if (maxId < this.known.length) return
    const room = Math.max(maxId + 1, Math.ceil(this.known.length * 1.25))
    const sizes = new Uint32Array(room * COLUMNS)
    sizes.set(this.sizes)
    const known = new Uint8Array(room)
    known.set(this.known)
    this.sizes = sizes
    this.known = known
  }

  private readAll(db: Db): void {
    const maxId = Number(db.value(`SELECT MAX(docid) FROM ${TABLE}_docsize`) ?? 0)
    this.sizes = new Uint32Array(0)
    this.known = new Uint8Array(0)
    this.grow(maxId)
    db.with(`SELECT docid, size FROM ${TABLE}_docsize`, (stmt) => {
      while (stmt.step()) {
        const [id, size] = stmt.get() as [number, Uint8Array]
        this.put(id, size)
      }
    })
    this.stale.clear()
    this.complete = true
  }

  private readSome(db: Db, ids: number[]): void {
    for (const id of ids) {
      if (id >= this.known.length) this.grow(Math.max(...ids))
      this.known[id] = 0
      this.sizes.fill(0, id * COLUMNS, id * COLUMNS + COLUMNS)
    }
    for (let i = 0; i < ids.length; i += 10_000) {
      const part = ids.slice(i, i + 10_000)
      db.with(
        `SELECT docid, size FROM ${TABLE}_docsize WHERE docid IN (${part.map(() => '?').join(',')})`,
        (stmt) => {
          stmt.bind(part)
          while (stmt.step()) {
            const [id, size] = stmt.get() as [number, Uint8Array]
            this.put(id, size)
          }
        },
      )
    }
    // A paper with no row has no text: its lengths are 0, and known.
    for (const id of ids) this.known[id] = 1
    this.stale.clear()
  }

  private put(id: number, size: Uint8Array): void {
    if (id >= this.known.length) this.grow(id)
    if (size instanceof Uint8Array) readSizes(size, this.sizes, id * COLUMNS)
    this.known[id] = 1
  }
}

/** Words the index holds as they are written: its tokenizer changes nothing in them. */
const PLAIN_WORD = /^[a-z0-9]+$/

/** A ranking: ids best first, and their scores. */
export interface IndexRanking {
  ids: number[]
  scores: Float64Array
}

/**
 * The hits of a MATCH tree ranked by BM25, best first (newest first among equals, then by id), or
 * null where this cannot read the index exactly and SQLite must.
 */
export function rankInIndex(
  db: Db,
  tree: MatchTree,
  sizes: DocSizes,
  textSeq: number,
): IndexRanking | null {
  const scored = scoreInIndex(db, tree, sizes, textSeq)
  return scored && order(scored.docs, scored.scores, sizes.newestFirst(db, textSeq))
}

/**
 * Every hit of a MATCH tree with its BM25 score, in docid order; null where this cannot read the
 * index exactly and SQLite must.
 */
export function scoreInIndex(
  db: Db,
  tree: MatchTree,
  sizes: DocSizes,
  textSeq: number,
): { docs: Int32Array; scores: Float64Array } | null {
  const phrases = [...tree.groups.flat(), ...tree.excluded]
  // Words with letters beyond a–z: the tokenizer folds them (accents, case) in ways only it
  // knows; SQLite reads those queries.
  if (phrases.some((p) => p.words.length === 0 || !p.words.every((w) => PLAIN_WORD.test(w)))) {
    return null
  }
  if (db.inTransaction) return null // an open transaction's changes are not in the segments yet
  let reader: IndexReader | null = null
  try {
    reader = new IndexReader(db, TABLE)
    const hitsOf = new Map<string, Hits>()
    const phraseOf = (p: MatchPhrase): Hits => {
      const key = JSON.stringify(p)
      let hits = hitsOf.get(key)
      if (!hits) {
        const multi = p.words.length > 1
        const words = p.words.map((w, i) =>
          reader!.hits(w, p.prefix && i === p.words.length - 1, multi),
        )
        hits = phraseHits(words)
        if (p.column !== null) hits = inColumn(hits, p.column)
        hitsOf.set(key, hits)
      }
      return hits
    }
    const found = tree.groups.map((group) => union(group.map(phraseOf)))
    let docs = found.reduce(intersect)
    for (const p of tree.excluded) docs = difference(docs, phraseOf(p).docids)
    const totals = indexTotals(db, TABLE)
    const lengths = sizes.read(db, textSeq, docs)
    return { docs, scores: scoreAll(docs, phrases.map(phraseOf), totals, lengths) }
  } catch (error) {
    if (error instanceof IndexFormatError) return null
    throw error
  } finally {
    reader?.close()
  }
}

/** The sorted docids in any of these hits. */
function union(all: Hits[]): Int32Array {
  if (all.length === 1) return all[0]!.docids
  const set = new Set<number>()
  for (const h of all) for (const d of h.docids) set.add(d)
  return Int32Array.from(set).sort()
}

function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = []
  let j = 0
  for (let i = 0; i < a.length; i += 1) {
    const d = a[i]!
    while (j < b.length && b[j]! < d) j += 1
    if (b[j] === d) out.push(d)
  }
  return Int32Array.from(out)
}

function difference(a: Int32Array, b: Int32Array): Int32Array {
  if (b.length === 0) return a
  const out: number[] = []
  let j = 0
  for (let i = 0; i < a.length; i += 1) {
    const d = a[i]!
    while (j < b.length && b[j]! < d) j += 1
    if (b[j] !== d) out.push(d)
  }
  return Int32Array.from(out)
}

/**
 * BM25 of each document, as `bm25` (search.ts) computes it from matchinfo: the same terms added
 * in the same order, so that the same document gets the same score to the last bit.
 */
function scoreAll(
  docs: Int32Array,
  phrases: Hits[],
  totals: { documents: number; tokens: number[] },
  lengths: Uint32Array,
): Float64Array {
  const rows = totals.documents
  // FTS4's average ('a'): tokens (their low 32 bits) over documents, rounded, as an integer.
  const average = totals.tokens.map((t) =>
    rows === 0 ? 0 : Math.floor(((t % 2 ** 32) + Math.floor(rows / 2)) / rows),
  )
  const weights = bm25Weights()
  const idf = phrases.map((p) => {
    const withHits = new Uint32Array(COLUMNS)
    for (let i = 0; i < p.docids.length; i += 1) {
      for (let c = 0; c < COLUMNS; c += 1) if (p.counts[i * COLUMNS + c]! > 0) withHits[c]! += 1
    }
    return Array.from(withHits, (n) => Math.log(1 + (rows - n + 0.5) / (n + 0.5)))
  })
  const heads = new Int32Array(phrases.length)
  const scores = new Float64Array(docs.length)
  for (let i = 0; i < docs.length; i += 1) {
    const docid = docs[i]!
    let score = 0
    for (let p = 0; p < phrases.length; p += 1) {
      const hits = phrases[p]!
      let h = heads[p]!
      while (h < hits.docids.length && hits.docids[h]! < docid) h += 1
      heads[p] = h
      if (hits.docids[h] !== docid) continue
      for (let c = 0; c < COLUMNS; c += 1) {
        const here = hits.counts[h * COLUMNS + c]!
        if (here === 0) continue
        const avg = average[c] || 1
        const length = lengths[docid * COLUMNS + c]!
        const tf =
          (here * (weights.k1 + 1)) /
          (here + weights.k1 * (1 - weights.b + (weights.b * length) / avg))
        score += idf[p]![c]! * tf * weights.columns[c]!
      }
    }
    scores[i] = score
  }
  return scores
}

/**
 * Best first; among equal scores the newest paper first, then the lower id (as rankingSql).
 * Equal scores are the rule, not the exception (one word's hits differ only by how often it
 * occurs and how long the text is), so the hits are put in the papers' own order, newest first,
 * then sorted stably by score.
 */
function order(docs: Int32Array, scores: Float64Array, newest: Int32Array): IndexRanking {
  const n = docs.length
  if (n === 0) return { ids: [], scores: new Float64Array(0) }
  let maxId = 0
  for (let i = 0; i < n; i += 1) maxId = Math.max(maxId, docs[i]!)
  const slot = new Int32Array(maxId + 1).fill(-1)
  for (let i = 0; i < n; i += 1) slot[docs[i]!] = i
  // The hits, newest first.
  const byAge = new Int32Array(n)
  let k = 0
  for (let j = 0; j < newest.length && k < n; j += 1) {
    const id = newest[j]!
    if (id <= maxId && slot[id]! >= 0) {
      byAge[k] = slot[id]!
      k += 1
    }
  }
  if (k !== n) {
    // A hit with no paper (the index and the papers disagree): as SQLite's join, left out.
    return order(
      Int32Array.from(byAge.subarray(0, k), (i) => docs[i]!),
      Float64Array.from(byAge.subarray(0, k), (i) => scores[i]!),
      newest,
    )
  }
  const best = byScoreStably(byAge, scores)
  const ids = new Array<number>(n)
  const out = new Float64Array(n)
  for (let j = 0; j < n; j += 1) {
    ids[j] = docs[best[j]!]!
    out[j] = scores[best[j]!]!
  }
  return { ids, scores: out }
}

/**
 * `hits` (indexes into `scores`) sorted by score, highest first, keeping the order of equal
 * ones: a radix sort over the scores' 64 bits, 16 at a time, least significant first (a
 * comparison sort of 100k hits costs several times as much in JavaScript).
 */
export function byScoreStably(hits: Int32Array, scores: Float64Array): Int32Array {
  const n = hits.length
  if (n < 512) {
    return Int32Array.from(
      Array.from(hits).sort((a, b) =>
        scores[b]! > scores[a]! ? 1 : scores[b]! < scores[a]! ? -1 : 0,
      ),
    )
  }
  // Each score's bits made into a key that orders as the scores do, highest first: positive
  // doubles order as their bits; negative ones reversed.
  const keys = new Uint32Array(n * 2)
  const view = new DataView(new ArrayBuffer(8))
  for (let j = 0; j < n; j += 1) {
    view.setFloat64(0, scores[hits[j]!]! + 0, true) // + 0: -0 is 0
    let lo = view.getUint32(0, true)
    let hi = view.getUint32(4, true)
    if (hi >= 0x80000000) {
      hi = ~hi >>> 0
      lo = ~lo >>> 0
    } else {
      hi = (hi | 0x80000000) >>> 0
    }
    keys[2 * j] = ~lo >>> 0
    keys[2 * j + 1] = ~hi >>> 0
  }
  let from = new Int32Array(n)
  for (let j = 0; j < n; j += 1) from[j] = j
  let to = new Int32Array(n)
  const starts = new Int32Array(0x10001)
  for (let pass = 0; pass < 4; pass += 1) {
    const word = pass >> 1
    const shift = (pass & 1) * 16
    starts.fill(0)
    for (let j = 0; j < n; j += 1)
      starts[((keys[2 * from[j]! + word]! >>> shift) & 0xffff) + 1]! += 1
    // A digit every key shares changes nothing.
    let shared = false
    for (let d = 1; d <= 0x10000 && !shared; d += 1) shared = starts[d] === n
    if (shared) continue
    for (let d = 0; d < 0x10000; d += 1) starts[d + 1]! += starts[d]!
    for (let j = 0; j < n; j += 1) {
      const d = (keys[2 * from[j]! + word]! >>> shift) & 0xffff
      to[starts[d]!] = from[j]!
      starts[d]! += 1
    }
    const swap = from
    from = to
    to = swap
  }
  for (let j = 0; j < n; j += 1) to[j] = hits[from[j]!]!
  return to
}
