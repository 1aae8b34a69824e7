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
  /** Each paper's place, newest first (then by id): how a ranking orders equal scores. */
  private ages: Ages | null = null
  /** The next docid readAhead reads from (0: it starts afresh). */
  private aheadFrom = 0
  /** The papers' order as far as readAhead has read it: the last paper read, and each's place. */
  private agesSoFar: { place: Int32Array; papers: number; at: string | null; id: number } | null =
    null

  /** The text of these papers changed (or of every one): their lengths are read again. */
  touched(ids: readonly number[] | 'all', textSeq: number): void {
    // Papers may come back with a change (an undone deletion): the order is read again.
    this.agesSoFar = null
    if (this.textSeq !== textSeq - 1 || ids === 'all') {
      // Papers may have come or gone: their order is read again too.
      this.complete = false
      this.ages = null
      this.aheadFrom = 0
    } else {
      for (const id of ids) this.stale.add(id)
    }
    this.textSeq = textSeq
  }

  /** Each paper's place among all, newest first and then by id (the order of papers_by_added). */
  agesOf(db: Db, textSeq: number): Ages {
    if (textSeq !== this.textSeq) this.read(db, textSeq, new Int32Array(0))
    if (!this.ages) {
      this.agesSoFar = null
      const newest = db.numbers('SELECT id FROM papers ORDER BY added_at DESC, id ASC')
      let maxId = 0
      for (const id of newest) maxId = Math.max(maxId, id)
      const place = new Int32Array(maxId + 1).fill(-1)
      newest.forEach((id, i) => {
        place[id] = i
      })
      this.ages = { place, papers: newest.length }
    }
    return this.ages
  }

  /** The lengths, read where they are not known; at `id * COLUMNS`. */
  read(db: Db, textSeq: number, ids: Int32Array): Uint32Array {
    this.follow(textSeq)
    if (!this.complete) {
      // The rest of what readAhead began, or all.
      if (this.aheadFrom > 0) this.readAhead(db, textSeq, Number.MAX_SAFE_INTEGER)
      else this.readAll(db)
    }
    // Papers changed since their lengths were read (readAll leaves none; readAhead may).
    if (this.stale.size > 0) this.readSome(db, [...this.stale])
    let missing: number[] | null = null
    for (const id of ids) {
      if (id >= this.known.length || this.known[id] === 0) (missing ??= []).push(id)
    }
    if (missing) this.readSome(db, missing)
    return this.sizes
  }

  /**
   * Reads ahead of the first search, a step of at most `rows` papers at a time: their lengths,
   * then their order by age. That search would otherwise read both whole (0.1 s at 100,000
   * papers, a second at a million). Whether anything is left to read.
   */
  readAhead(db: Db, textSeq: number, rows: number): boolean {
    this.follow(textSeq)
    if (!this.complete) {
      if (this.aheadFrom === 0) {
        this.start(db)
        this.aheadFrom = 1
      }
      let read = 0
      db.with(
        `SELECT docid, size FROM ${TABLE}_docsize WHERE docid >= ? ORDER BY docid LIMIT ?`,
        (stmt) => {
          stmt.bind([this.aheadFrom, rows])
          while (stmt.step()) {
            const [id, size] = stmt.get() as [number, Uint8Array]
            this.put(id, size)
            this.aheadFrom = id + 1
            read += 1
          }
        },
      )
      if (read === rows) return true
      // Every paper's lengths read: those whose text changed meanwhile are `stale`, read again
      // at the next search.
      this.complete = true
      this.aheadFrom = 0
      return true
    }
    return !this.ages && !this.agesAhead(db, rows)
  }

  /**
   * A step of reading the papers' order ahead (see agesOf): `rows` more of them, along the index
   * papers_by_added from the last one read; whether the order is whole.
   */
  private agesAhead(db: Db, rows: number): boolean {
    if (!this.agesSoFar) {
      const maxId = Number(db.value('SELECT COALESCE(MAX(id), 0) FROM papers'))
      this.agesSoFar = { place: new Int32Array(maxId + 1).fill(-1), papers: 0, at: null, id: 0 }
    }
    const soFar = this.agesSoFar
    let read = 0
    let outgrown = false
    const take = (where: string, params: (string | number)[]): void => {
      if (outgrown) return
      db.with(
        `SELECT id, added_at FROM papers INDEXED BY papers_by_added ${where}
         ORDER BY added_at DESC, id ASC LIMIT ?`,
        (stmt) => {
          stmt.bind([...params, rows - read])
          while (stmt.step()) {
            const [id, at] = stmt.get() as [number, string]
            if (id >= soFar.place.length) {
              outgrown = true // a paper added since the reading began: begun again
              return
            }
            soFar.place[id] = soFar.papers
            soFar.papers += 1
            soFar.at = at
            soFar.id = id
            read += 1
          }
        },
      )
    }
    // The rest of the papers added at the same moment as the last one read, then the older.
    if (soFar.at !== null) take('WHERE added_at = ? AND id > ?', [soFar.at, soFar.id])
    if (read < rows)
      take(soFar.at === null ? '' : 'WHERE added_at < ?', soFar.at === null ? [] : [soFar.at])
    if (outgrown) this.agesSoFar = null
    if (outgrown || read === rows) return false
    this.ages = { place: soFar.place, papers: soFar.papers }
    this.agesSoFar = null
    return true
  }

  /** Forgets what was read for another state of the text than the library's `textSeq`. */
  private follow(textSeq: number): void {
    if (textSeq === this.textSeq) return
    this.complete = false
    this.ages = null
    this.agesSoFar = null
    this.aheadFrom = 0
    this.textSeq = textSeq
  }

  /** Empty arrays for every paper the index has lengths for. */
  private start(db: Db): void {
    const maxId = Number(db.value(`SELECT MAX(docid) FROM ${TABLE}_docsize`) ?? 0)
    this.sizes = new Uint32Array(0)
    this.known = new Uint8Array(0)
    this.grow(maxId)
    this.stale.clear()
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
    this.start(db)
    db.with(`SELECT docid, size FROM ${TABLE}_docsize`, (stmt) => {
      while (stmt.step()) {
        const [id, size] = stmt.get() as [number, Uint8Array]
        this.put(id, size)
      }
    })
    this.stale.clear()
    this.complete = true
    this.aheadFrom = 0
  }

  private readSome(db: Db, ids: number[]): void {
    // The highest id by a loop: a long list spread into Math.max overflows the stack (review).
    let maxId = 0
    for (const id of ids) if (id > maxId) maxId = id
    this.grow(maxId)
    for (const id of ids) {
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

/** Each paper's place newest first (-1 for an id with no paper), and how many papers there are. */
export interface Ages {
  place: Int32Array
  papers: number
}

/**
 * The hits of a MATCH tree ranked by BM25 (best first; newest first among equals, then by id),
 * or null where this cannot read the index exactly and SQLite must.
 */
export function rankInIndex(
  db: Db,
  tree: MatchTree,
  sizes: DocSizes,
  textSeq: number,
): Ranking | null {
  const scored = scoreInIndex(db, tree, sizes, textSeq)
  return scored && Ranking.of(scored.docs, scored.scores, sizes.agesOf(db, textSeq))
}

/** Ids best first and their scores: a ranking, or the first part of one. */
export interface Ranked {
  ids: number[]
  scores: Float64Array
}

/** Fewer hits than this are put in order whole: choosing the best first would save nothing. */
const ORDERED_WHOLE = 2_048

/** The least a first part of a ranking holds: a page or a few, so that scrolling reuses it. */
const FIRST_PART = 500

/**
 * A search's hits with their scores, put in order only as far as asked: the first page of
 * 70,000 hits needs their best few hundred in order, not all of them (the whole order cost more
 * than reading the hits from the index, at 100,000 papers). The order is always the same:
 * best first, then newest first, then the lower id (as rankingSql).
 */
export class Ranking {
  /** The ranking's first part, in order (the whole of it when `whole`). */
  private part: Ranked = { ids: [], scores: new Float64Array(0) }
  private whole = false
  private marks: Uint8Array | null = null

  private constructor(
    private readonly docs: Int32Array,
    private readonly scores: Float64Array,
    private readonly ages: Ages | null,
  ) {}

  /** A ranking already in its order (as SQLite gives it). */
  static ordered(ids: number[], scores: Float64Array): Ranking {
    const ranking = new Ranking(new Int32Array(0), new Float64Array(0), null)
    ranking.part = { ids, scores }
    ranking.whole = true
    return ranking
  }

  /**
   * Hits in any order, with their scores; those with no paper (the index and the papers
   * disagree) are left out, as SQLite's join leaves them.
   */
  static of(docs: Int32Array, scores: Float64Array, ages: Ages): Ranking {
    return new Ranking(docs, scores, ages).filter((id) => (ages.place[id] ?? -1) >= 0)
  }

  get size(): number {
    return this.whole ? this.part.ids.length : this.docs.length
  }

  /** Whether each id is a hit (1) or not, by id: made once (see queries.pageOfKept). */
  members(): Uint8Array {
    if (this.marks) return this.marks
    const ids = this.whole ? this.part.ids : this.docs
    let max = 0
    for (const id of ids) if (id > max) max = id
    const marks = new Uint8Array(max + 1)
    for (const id of ids) marks[id] = 1
    this.marks = marks
    return marks
  }

  /** Every hit's id, in no particular order. */
  anyOrder(): number[] {
    return this.whole ? this.part.ids : Array.from(this.docs)
  }

  /** At least the first `count` (all there are, if fewer), in order. */
  first(count: number): Ranked {
    if (this.whole || this.part.ids.length >= Math.min(count, this.docs.length)) return this.part
    const n = this.docs.length
    const wanted = Math.max(count, FIRST_PART, this.part.ids.length * 2)
    if (n < ORDERED_WHOLE || wanted * 8 > n) return this.all()
    this.part = this.read(bestOf(this.scores, this.ages!.place, this.docs, wanted))
    return this.part
  }

  /** The whole ranking, in order. */
  all(): Ranked {
    if (this.whole) return this.part
    this.part = this.read(byScoreStably(byAge(this.docs, this.ages!), this.scores))
    this.whole = true
    return this.part
  }

  /** The hits `keep` keeps, in the same order. */
  filter(keep: (id: number) => boolean): Ranking {
    if (this.whole) {
      const ids: number[] = []
      const scores: number[] = []
      this.part.ids.forEach((id, i) => {
        if (!keep(id)) return
        ids.push(id)
        scores.push(this.part.scores[i]!)
      })
      return Ranking.ordered(ids, Float64Array.from(scores))
    }
    let kept = 0
    for (let i = 0; i < this.docs.length; i += 1) if (keep(this.docs[i]!)) kept += 1
    if (kept === this.docs.length) return this
    const docs = new Int32Array(kept)
    const scores = new Float64Array(kept)
    for (let i = 0, k = 0; i < this.docs.length; i += 1) {
      if (!keep(this.docs[i]!)) continue
      docs[k] = this.docs[i]!
      scores[k] = this.scores[i]!
      k += 1
    }
    return new Ranking(docs, scores, this.ages)
  }

  /** The ids and scores of these hits (indexes into docs), in the order given. */
  private read(order: Int32Array): Ranked {
    const ids = new Array<number>(order.length)
    const scores = new Float64Array(order.length)
    for (let j = 0; j < order.length; j += 1) {
      ids[j] = this.docs[order[j]!]!
      scores[j] = this.scores[order[j]!]!
    }
    return { ids, scores }
  }
}

/**
 * The first `count` hits in order (indexes into docs): those scoring above the `count`-th best
 * score, and of those equal to it the newest, as many as are wanted; then only these are sorted.
 * What is taken is exactly the whole order's first part.
 */
function bestOf(
  scores: Float64Array,
  place: Int32Array,
  docs: Int32Array,
  count: number,
): Int32Array {
  const cut = countthLargest(scores, count)
  let above = 0
  let equal = 0
  for (let i = 0; i < scores.length; i += 1) {
    if (scores[i]! > cut) above += 1
    else if (scores[i] === cut) equal += 1
  }
  // Of the hits at the cut, the newest (lowest places) fill what is left.
  const places = new Int32Array(equal)
  for (let i = 0, k = 0; i < scores.length; i += 1) {
    if (scores[i] === cut) {
      places[k] = place[docs[i]!]!
      k += 1
    }
  }
  const lastPlace = places.sort()[count - above - 1]!
  const best = new Int32Array(count)
  for (let i = 0, k = 0; i < scores.length; i += 1) {
    const s = scores[i]!
    if (s > cut || (s === cut && place[docs[i]!]! <= lastPlace)) {
      best[k] = i
      k += 1
    }
  }
  return best.sort((a, b) =>
    scores[a] !== scores[b]
      ? scores[b]! > scores[a]!
        ? 1
        : -1
      : place[docs[a]!]! - place[docs[b]!]!,
  )
}

/** The `count`-th largest of these scores (count ≤ their number), kept in a heap of the best. */
function countthLargest(scores: Float64Array, count: number): number {
  // A min-heap of the `count` best so far: its root is the least of them.
  const heap = new Float64Array(count)
  let size = 0
  for (let i = 0; i < scores.length; i += 1) {
    const s = scores[i]!
    if (size < count) {
      let at = size
      size += 1
      while (at > 0) {
        const up = (at - 1) >> 1
        if (heap[up]! <= s) break
        heap[at] = heap[up]!
        at = up
      }
      heap[at] = s
    } else if (s > heap[0]!) {
      let at = 0
      for (;;) {
        const left = 2 * at + 1
        if (left >= count) break
        const right = left + 1
        const child = right < count && heap[right]! < heap[left]! ? right : left
        if (heap[child]! >= s) break
        heap[at] = heap[child]!
        at = child
      }
      heap[at] = s
    }
  }
  return heap[0]!
}

/**
 * Whether scoreInIndex can read a tree's hits. Words with letters beyond a–z it cannot: the
 * tokenizer folds them (accents, case) in ways only it knows; SQLite reads those queries.
 */
export function readsInIndex(tree: MatchTree): boolean {
  return [...tree.groups.flat(), ...tree.excluded].every(
    (p) => p.words.length > 0 && p.words.every((w) => PLAIN_WORD.test(w)),
  )
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
  if (!readsInIndex(tree)) return null
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
 * The hits (indexes into docs), newest first, then by id. Equal scores are the rule, not the
 * exception (one word's hits differ only by how often it occurs and how long the text is), so
 * the hits are put in the papers' own order, then sorted stably by score.
 */
function byAge(docs: Int32Array, ages: Ages): Int32Array {
  const n = docs.length
  // Each paper's place holds its hit; read out in order of place.
  const at = new Int32Array(ages.papers).fill(-1)
  for (let i = 0; i < n; i += 1) at[ages.place[docs[i]!]!] = i
  const out = new Int32Array(n)
  let k = 0
  for (let j = 0; j < at.length && k < n; j += 1) {
    if (at[j]! >= 0) {
      out[k] = at[j]!
      k += 1
    }
  }
  return out
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
