// Reads the search index's own tables (FTS4's segments, sizes and totals) in JavaScript, so that
// a search ranks its hits without SQLite calling into JavaScript once per hit: at 100,000 papers
// a common word has 70,000 hits, and each of those calls (matchinfo, BM25, the row out) cost
// about 6 µs, where reading the same hits from the index's doclists costs a fraction of one.
//
// The format is FTS4's, documented at the top of SQLite's ext/fts3/fts3.c: segments are b-trees
// of terms (leaves hold each term's doclist; interior nodes separate their children by term),
// listed in `<table>_segdir` with their root, the other nodes in `<table>_segments`. A doclist
// is, per document, a docid (as a delta) and its positions per column; a document whose list of
// positions is empty was deleted. Newer segments (lower level; higher idx within a level) replace
// what older ones say of a document. Anything this reader does not expect is an IndexFormatError,
// and the caller then asks SQLite instead (see ranking.ts): it never guesses.
import type { Statement } from 'sql.js'
import type { Db } from './database'

/** The index's columns (see search.ts FTS_COLUMNS); each column's hits are counted apart. */
export const COLUMNS = 5

/** Positions are kept as column × 2^24 + position: one number per hit, in order. */
const COLUMN_SHIFT = 2 ** 24

/** What the reader found that it does not read; the search then goes through SQLite. */
export class IndexFormatError extends Error {}

/** FTS3's varints: little-endian, seven bits a byte, up to 64 bits (read here as numbers). */
class Bytes {
  pos: number
  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos
  }

  varint(): number {
    const buf = this.buf
    let byte = buf[this.pos++]!
    if (byte < 0x80) return byte
    let value = byte & 0x7f
    let scale = 0x80
    for (let i = 1; i < 10; i += 1) {
      if (this.pos >= this.end) throw new IndexFormatError('a varint runs past its node')
      byte = buf[this.pos++]!
      value += (byte & 0x7f) * scale
      if (byte < 0x80) return value
      scale *= 0x80
    }
    throw new IndexFormatError('a varint longer than ten bytes')
  }
}

/** One segment: its age (0 the oldest) and where its nodes are. */
interface Segment {
  age: number
  root: Uint8Array
  firstLeaf: number
  lastLeaf: number
}

/** Byte order of two terms (FTS4 compares them with memcmp). */
function compareBytes(a: Uint8Array, aLen: number, b: Uint8Array): number {
  const n = Math.min(aLen, b.length)
  for (let i = 0; i < n; i += 1) {
    const d = a[i]! - b[i]!
    if (d !== 0) return d
  }
  return aLen - b.length
}

function startsWith(term: Uint8Array, termLen: number, prefix: Uint8Array): boolean {
  if (termLen < prefix.length) return false
  for (let i = 0; i < prefix.length; i += 1) if (term[i] !== prefix[i]) return false
  return true
}

/** A term's doclist as one segment holds it: bytes [start, end) of a node. */
interface Slice {
  age: number
  buf: Uint8Array
  start: number
  end: number
}

/**
 * One term's hits (or a prefix's, or a phrase's): documents in docid order, each with its hits
 * per column and, when asked for, its positions.
 */
export interface Hits {
  docids: Int32Array
  /** COLUMNS numbers per document: its hits in each column. */
  counts: Uint32Array
  /** Each document's positions, when kept. */
  positions: Positions | null
}

/** The positions of each document of some hits (column × 2^24 + position, ascending). */
export interface Positions {
  of(i: number): Int32Array
}

/**
 * Where each document's position list starts in its doclist: decoded only for the documents
 * that need them (a phrase's words in the same document), not for every document of a word.
 */
class PositionsInDoclists implements Positions {
  constructor(
    private readonly bufs: Uint8Array[],
    private readonly which: Int32Array,
    private readonly at: Int32Array,
  ) {}

  of(i: number): Int32Array {
    const bytes = new Bytes(this.bufs[this.which[i]!]!, this.at[i]!)
    const out: number[] = []
    let column = 0
    let position = 0
    for (;;) {
      const v = bytes.varint()
      if (v === 0) return Int32Array.from(out)
      if (v === 1) {
        column = bytes.varint()
        position = 0
        continue
      }
      position += v - 2
      out.push(column * COLUMN_SHIFT + position)
    }
  }
}

/** Positions already decoded (a prefix's terms' positions put together). */
class HeldPositions implements Positions {
  constructor(private readonly lists: Int32Array[]) {}

  of(i: number): Int32Array {
    return this.lists[i]!
  }
}

const NO_HITS: Hits = { docids: new Int32Array(0), counts: new Uint32Array(0), positions: null }

/** A doclist read: every document in it, the deleted ones (no hits) included. */
interface Parsed {
  length: number
  docids: Int32Array
  counts: Uint32Array
  /** Where each document's position list starts in `buf`. */
  positionsAt: Int32Array
  buf: Uint8Array
}

/**
 * Calls `each` with every document of a doclist: its docid, where its position list starts, and
 * its hits per column (one array, reused from call to call). Read byte by byte, as FTS4's own
 * readers do: a position list ends at a byte 0 and a column follows a byte 1, each a varint of
 * its own (a varint's last byte is below 0x80); any other varint is one hit in the current
 * column, whatever its value.
 */
function eachDocument(
  slice: Slice,
  each: (docid: number, listAt: number, hits: Uint32Array) => void,
): void {
  const buf = slice.buf
  const end = slice.end
  const hits = new Uint32Array(COLUMNS)
  let pos = slice.start
  let docid = 0
  while (pos < end) {
    let byte = buf[pos++]!
    let delta = byte & 0x7f
    let scale = 0x80
    while (byte >= 0x80) {
      if (pos >= end || scale > 2 ** 63) throw new IndexFormatError('a docid runs past its doclist')
      byte = buf[pos++]!
      delta += (byte & 0x7f) * scale
      scale *= 0x80
    }
    docid += delta
    const listAt = pos
    hits.fill(0)
    let column = 0
    for (;;) {
      if (pos >= end) throw new IndexFormatError('a position list runs past its doclist')
      byte = buf[pos++]!
      if (byte === 0) break
      if (byte === 1) {
        if (pos >= end) throw new IndexFormatError('a position list runs past its doclist')
        column = buf[pos++]!
        if (column >= COLUMNS) throw new IndexFormatError(`a hit in column ${column}`)
        continue
      }
      hits[column]! += 1
      while (byte >= 0x80) {
        if (pos >= end) throw new IndexFormatError('a position list runs past its doclist')
        byte = buf[pos++]!
      }
    }
    each(docid, listAt, hits)
  }
}

function parseDoclist(slice: Slice): Parsed {
  // A document takes at least two bytes (its docid, the end of its positions).
  const most = Math.max(1, (slice.end - slice.start) >> 1)
  const docids = new Int32Array(most)
  const counts = new Uint32Array(most * COLUMNS)
  const positionsAt = new Int32Array(most)
  let n = 0
  eachDocument(slice, (docid, listAt, hits) => {
    docids[n] = docid
    positionsAt[n] = listAt
    counts.set(hits, n * COLUMNS)
    n += 1
  })
  return { length: n, docids, counts, positionsAt, buf: slice.buf }
}

/** Whether a parsed document has any hit (a deleted one has none). */
function live(counts: Uint32Array, i: number): boolean {
  const b = i * COLUMNS
  return counts[b]! + counts[b + 1]! + counts[b + 2]! + counts[b + 3]! + counts[b + 4]! > 0
}

/** Room for a merge's entries: a docid and where it came from, in one number. */
const ENTRY_SHIFT = 2 ** 21

/**
 * One term's doclists from every segment, with where each document's positions are: a
 * document's entry in a newer segment replaces (or, empty, deletes) what older ones say of it.
 */
function mergeSlices(slices: Slice[]): Hits {
  if (slices.length === 0) return NO_HITS
  const parsed = slices
    .slice()
    .sort((a, b) => b.age - a.age)
    .map((s) => parseDoclist(s))
  let total = 0
  let maxId = 0
  for (const p of parsed) {
    total += p.length
    if (p.length > 0) maxId = Math.max(maxId, p.docids[p.length - 1]!)
  }
  if (parsed.length === 1) return liveOnly(parsed[0]!)
  // Newest first: the first segment to speak of a document decides it. Where the term's
  // entries are many for the library's size, by docid in arrays as long as the library
  // (then read out in order); else in a set, then sorted.
  const dense = total * 8 >= maxId
  const winner = dense ? new Int32Array(maxId + 1).fill(-1) : null
  const decided = dense ? null : new Set<number>()
  const keys: number[] = []
  const sources = new Int32Array(total)
  let offset = 0
  parsed.forEach((p, s) => {
    for (let i = 0; i < p.length; i += 1) {
      const docid = p.docids[i]!
      sources[offset + i] = s
      if (winner) {
        if (winner[docid] === -1) winner[docid] = offset + i
      } else if (!decided!.has(docid)) {
        decided!.add(docid)
        keys.push(docid * ENTRY_SHIFT + offset + i)
      }
    }
    offset += p.length
  })
  if (total >= ENTRY_SHIFT) throw new IndexFormatError('a term in over two million entries')
  const starts: number[] = []
  let at = 0
  for (const p of parsed) {
    starts.push(at)
    at += p.length
  }
  const entries: number[] = []
  if (winner) {
    for (let d = 0; d <= maxId; d += 1) if (winner[d]! >= 0) entries.push(winner[d]!)
  } else {
    for (const key of Float64Array.from(keys).sort()) entries.push(key % ENTRY_SHIFT)
  }
  const docids = new Int32Array(entries.length)
  const counts = new Uint32Array(entries.length * COLUMNS)
  const which = new Int32Array(entries.length)
  const listAt = new Int32Array(entries.length)
  let k = 0
  for (const entry of entries) {
    const s = sources[entry]!
    const p = parsed[s]!
    const i = entry - starts[s]!
    if (!live(p.counts, i)) continue
    docids[k] = p.docids[i]!
    counts.set(p.counts.subarray(i * COLUMNS, i * COLUMNS + COLUMNS), k * COLUMNS)
    which[k] = s
    listAt[k] = p.positionsAt[i]!
    k += 1
  }
  return {
    docids: docids.subarray(0, k),
    counts: counts.subarray(0, k * COLUMNS),
    positions: new PositionsInDoclists(
      parsed.map((p) => p.buf),
      which,
      listAt,
    ),
  }
}

/** A doclist's live documents (a deleted one has no hits). */
function liveOnly(p: Parsed): Hits {
  const docids = new Int32Array(p.length)
  const counts = new Uint32Array(p.length * COLUMNS)
  const at = new Int32Array(p.length)
  let k = 0
  for (let i = 0; i < p.length; i += 1) {
    if (!live(p.counts, i)) continue
    docids[k] = p.docids[i]!
    counts.set(p.counts.subarray(i * COLUMNS, i * COLUMNS + COLUMNS), k * COLUMNS)
    at[k] = p.positionsAt[i]!
    k += 1
  }
  return {
    docids: docids.subarray(0, k),
    counts: counts.subarray(0, k * COLUMNS),
    positions: new PositionsInDoclists([p.buf], new Int32Array(k), at),
  }
}

/** The union of several terms' hits with positions (the terms a prefix stands for): hits add up. */
function unionHits(all: Hits[]): Hits {
  const some = all.filter((h) => h.docids.length > 0)
  if (some.length === 0) return NO_HITS
  if (some.length === 1) return some[0]!
  let maxId = 0
  for (const h of some) maxId = Math.max(maxId, h.docids[h.docids.length - 1]!)
  // Added up by docid in arrays as long as the library, then read out in order.
  const sums = new Uint32Array((maxId + 1) * COLUMNS)
  const present = new Uint8Array(maxId + 1)
  const parts: number[][] = []
  for (const h of some) {
    for (let i = 0; i < h.docids.length; i += 1) {
      const d = h.docids[i]!
      present[d] = 1
      for (let c = 0; c < COLUMNS; c += 1) sums[d * COLUMNS + c]! += h.counts[i * COLUMNS + c]!
      ;(parts[d] ??= []).push(...h.positions!.of(i))
    }
  }
  let n = 0
  for (let d = 0; d <= maxId; d += 1) n += present[d]!
  const docids = new Int32Array(n)
  const counts = new Uint32Array(n * COLUMNS)
  const lists = new Array<Int32Array>(n)
  let k = 0
  for (let d = 0; d <= maxId; d += 1) {
    if (present[d] === 0) continue
    docids[k] = d
    counts.set(sums.subarray(d * COLUMNS, d * COLUMNS + COLUMNS), k * COLUMNS)
    lists[k] = Int32Array.from(parts[d]!).sort()
    k += 1
  }
  return { docids, counts, positions: new HeldPositions(lists) }
}

const encoder = new TextEncoder()

/**
 * The index of one table, read for one search: its segments are listed once, nodes are read as
 * needed. Not kept between searches: any change to the library may rewrite the segments.
 */
export class IndexReader {
  private readonly segments: Segment[]
  private readonly block: Statement
  private readonly blocks: Statement

  constructor(db: Db, table: string) {
    const rows = db.all<{
      level: number
      idx: number
      start: number
      leaves: number
      root: Uint8Array
    }>(
      `SELECT level, idx, start_block AS start, leaves_end_block AS leaves, root
       FROM ${table}_segdir ORDER BY level DESC, idx ASC`,
    )
    this.segments = rows.map((r, age) => {
      // Levels of 1024 and over belong to prefix indexes or other language ids: not this one's.
      if (r.level >= 1024) throw new IndexFormatError(`a segment at level ${r.level}`)
      if (!(r.root instanceof Uint8Array)) throw new IndexFormatError('a segment without a root')
      return { age, root: r.root, firstLeaf: Number(r.start), lastLeaf: Number(r.leaves) }
    })
    this.block = db.prepare(`SELECT block FROM ${table}_segments WHERE blockid = ?`)
    this.blocks = db.prepare(
      `SELECT block FROM ${table}_segments WHERE blockid BETWEEN ? AND ? ORDER BY blockid`,
    )
  }

  close(): void {
    this.block.free()
    this.blocks.free()
  }

  private node(blockid: number): Uint8Array {
    this.block.bind([blockid])
    try {
      if (!this.block.step()) throw new IndexFormatError(`no node ${blockid}`)
      const value = this.block.get()[0]
      if (!(value instanceof Uint8Array))
        throw new IndexFormatError(`node ${blockid} is not a blob`)
      return value
    } finally {
      this.block.reset()
    }
  }

  /**
   * The leaf of a segment where `target` would be (the first that can hold terms from it on),
   * and its block id (0 for a root that is a leaf).
   */
  private leafFor(segment: Segment, target: Uint8Array): { leaf: Uint8Array; blockid: number } {
    let node = segment.root
    let blockid = 0
    const term = new Uint8Array(256)
    let termBuf = term
    for (let depth = 0; depth < 48; depth += 1) {
      const bytes = new Bytes(node)
      const height = bytes.varint()
      if (height === 0) return { leaf: node, blockid }
      let child = bytes.varint()
      let chosen = child
      let termLen = 0
      let first = true
      while (bytes.pos < node.length) {
        const prefix = first ? 0 : bytes.varint()
        const suffix = bytes.varint()
        first = false
        if (prefix > termLen || bytes.pos + suffix > node.length) {
          throw new IndexFormatError('an interior node whose terms do not add up')
        }
        if (prefix + suffix > termBuf.length) {
          const bigger = new Uint8Array(2 * (prefix + suffix))
          bigger.set(termBuf.subarray(0, prefix))
          termBuf = bigger
        }
        termBuf.set(node.subarray(bytes.pos, bytes.pos + suffix), prefix)
        bytes.pos += suffix
        termLen = prefix + suffix
        child += 1
        if (compareBytes(termBuf, termLen, target) <= 0) chosen = child
        else break
      }
      blockid = chosen
      node = this.node(blockid)
    }
    throw new IndexFormatError('a segment deeper than 48 levels')
  }

  /**
   * The doclists of the terms equal to `term` (prefix false) or starting with it (true), from
   * every segment, keyed by term.
   */
  private slices(term: Uint8Array, prefix: boolean): Map<string, Slice[]> {
    const found = new Map<string, Slice[]>()
    for (const segment of this.segments) {
      let { leaf, blockid } = this.leafFor(segment, term)
      // A prefix's terms can run on into the following leaves (they are in order, contiguous).
      const more: Uint8Array[] = []
      let moreFrom = blockid + 1
      for (;;) {
        const done = this.scanLeaf(leaf, term, prefix, segment.age, found)
        if (done || blockid === 0 || !prefix) break
        if (more.length === 0) {
          if (moreFrom > segment.lastLeaf) break
          const to = Math.min(segment.lastLeaf, moreFrom + 15)
          this.blocks.bind([moreFrom, to])
          try {
            while (this.blocks.step()) more.push(this.blocks.get()[0] as Uint8Array)
          } finally {
            this.blocks.reset()
          }
          if (more.length !== to - moreFrom + 1) throw new IndexFormatError('a leaf is missing')
          moreFrom = to + 1
        }
        leaf = more.shift()!
        blockid += 1
      }
    }
    return found
  }

  /**
   * Adds a leaf's doclists of the wanted terms to `found`; true once a term past them is seen
   * (nothing further can match).
   */
  private scanLeaf(
    leaf: Uint8Array,
    target: Uint8Array,
    prefix: boolean,
    age: number,
    found: Map<string, Slice[]>,
  ): boolean {
    const bytes = new Bytes(leaf)
    if (bytes.varint() !== 0) throw new IndexFormatError('a leaf that is not at height 0')
    let termBuf = new Uint8Array(256)
    let termLen = 0
    let first = true
    while (bytes.pos < leaf.length) {
      const shared = first ? 0 : bytes.varint()
      const suffix = bytes.varint()
      first = false
      if (shared > termLen || bytes.pos + suffix > leaf.length) {
        throw new IndexFormatError('a leaf whose terms do not add up')
      }
      if (shared + suffix > termBuf.length) {
        const bigger = new Uint8Array(2 * (shared + suffix))
        bigger.set(termBuf.subarray(0, shared))
        termBuf = bigger
      }
      termBuf.set(leaf.subarray(bytes.pos, bytes.pos + suffix), shared)
      bytes.pos += suffix
      termLen = shared + suffix
      const length = bytes.varint()
      const start = bytes.pos
      bytes.pos += length
      if (bytes.pos > leaf.length) throw new IndexFormatError('a doclist runs past its leaf')
      const order = compareBytes(termBuf, termLen, target)
      if (prefix ? startsWith(termBuf, termLen, target) : order === 0) {
        const key = String.fromCharCode(...termBuf.subarray(0, termLen))
        const list = found.get(key)
        const slice = { age, buf: leaf, start, end: start + length }
        if (list) list.push(slice)
        else found.set(key, [slice])
      } else if (order > 0) {
        return true
      }
    }
    return false
  }

  /** Every document with this term (or, `prefix`, a term starting with it), with its hits. */
  hits(word: string, prefix: boolean, withPositions: boolean): Hits {
    const found = this.slices(encoder.encode(word), prefix)
    if (!withPositions) return countHits([...found.values()])
    return unionHits([...found.values()].map(mergeSlices))
  }
}

/**
 * The documents of some terms' doclists with their hits per column added up over the terms,
 * without positions: one pass over each doclist straight into counts by docid (a prefix's
 * hundreds of terms make no list of their own). Within a term the newest segment to speak of a
 * document decides (an entry with no hits deletes it); `seen` marks, per term, who has spoken.
 */
function countHits(terms: Slice[][]): Hits {
  let room = 1024
  let sums = new Uint32Array(room * COLUMNS)
  let seen = new Int32Array(room)
  let maxId = -1
  terms.forEach((slices, t) => {
    const mark = t + 1
    const newestFirst = slices.length === 1 ? slices : slices.slice().sort((a, b) => b.age - a.age)
    for (const slice of newestFirst) {
      eachDocument(slice, (docid, _listAt, here) => {
        if (docid >= room) {
          room = Math.max(docid + 1, room * 2)
          const moreSums = new Uint32Array(room * COLUMNS)
          moreSums.set(sums)
          sums = moreSums
          const moreSeen = new Int32Array(room)
          moreSeen.set(seen)
          seen = moreSeen
        }
        if (seen[docid] === mark) return // a newer segment has spoken of it for this term
        seen[docid] = mark
        const base = docid * COLUMNS
        for (let c = 0; c < COLUMNS; c += 1) sums[base + c]! += here[c]!
        if (docid > maxId) maxId = docid
      })
    }
  })
  let n = 0
  for (let d = 0; d <= maxId; d += 1) if (live(sums, d)) n += 1
  const docids = new Int32Array(n)
  const counts = new Uint32Array(n * COLUMNS)
  let k = 0
  for (let d = 0; d <= maxId; d += 1) {
    if (!live(sums, d)) continue
    docids[k] = d
    counts.set(sums.subarray(d * COLUMNS, d * COLUMNS + COLUMNS), k * COLUMNS)
    k += 1
  }
  return { docids, counts, positions: null }
}

/**
 * The documents where a phrase's words follow one another, each with how many times it does so
 * in each column (FTS4 counts a phrase's hits so: one per place it starts).
 */
export function phraseHits(words: Hits[]): Hits {
  if (words.length === 1) return { ...words[0]!, positions: null }
  const docids: number[] = []
  const counts: number[] = []
  const heads = new Int32Array(words.length)
  const first = words[0]!
  outer: for (let i = 0; i < first.docids.length; i += 1) {
    const docid = first.docids[i]!
    for (let w = 1; w < words.length; w += 1) {
      const list = words[w]!.docids
      let h = heads[w]!
      while (h < list.length && list[h]! < docid) h += 1
      heads[w] = h
      if (list[h] !== docid) continue outer
    }
    const here = [0, 0, 0, 0, 0]
    let any = false
    const later = words.map((word, w) => (w === 0 ? null : word.positions!.of(heads[w]!)))
    for (const start of first.positions!.of(i)) {
      let follows = true
      for (let w = 1; w < words.length && follows; w += 1) {
        follows = includes(later[w]!, start + w)
      }
      // A phrase does not run from one column into the next.
      if (
        follows &&
        Math.floor((start + words.length - 1) / COLUMN_SHIFT) === Math.floor(start / COLUMN_SHIFT)
      ) {
        here[Math.floor(start / COLUMN_SHIFT)]! += 1
        any = true
      }
    }
    if (!any) continue
    docids.push(docid)
    counts.push(...here)
  }
  return { docids: Int32Array.from(docids), counts: Uint32Array.from(counts), positions: null }
}

/** Whether a sorted list holds a value (binary search). */
function includes(sorted: Int32Array, value: number): boolean {
  let lo = 0
  let hi = sorted.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = sorted[mid]!
    if (v === value) return true
    if (v < value) lo = mid + 1
    else hi = mid - 1
  }
  return false
}

/** Only the hits in one column (a phrase FTS4 is told to look for in that column only). */
export function inColumn(hits: Hits, column: number): Hits {
  const docids: number[] = []
  const counts: number[] = []
  for (let i = 0; i < hits.docids.length; i += 1) {
    const n = hits.counts[i * COLUMNS + column]!
    if (n === 0) continue
    docids.push(hits.docids[i]!)
    for (let c = 0; c < COLUMNS; c += 1) counts.push(c === column ? n : 0)
  }
  return { docids: Int32Array.from(docids), counts: Uint32Array.from(counts), positions: null }
}

/** The index's totals: how many documents, and the tokens in each column of all of them. */
export function indexTotals(db: Db, table: string): { documents: number; tokens: number[] } {
  const blob = db.value(`SELECT value FROM ${table}_stat WHERE id = 0`) as unknown
  if (!(blob instanceof Uint8Array)) return { documents: 0, tokens: [0, 0, 0, 0, 0] }
  const bytes = new Bytes(blob)
  const documents = bytes.varint()
  const tokens: number[] = []
  for (let c = 0; c < COLUMNS; c += 1) tokens.push(bytes.pos < blob.length ? bytes.varint() : 0)
  return { documents, tokens }
}

/** A document's length in tokens per column, from `<table>_docsize`'s blob. */
export function readSizes(blob: Uint8Array, out: Uint32Array, at: number): void {
  const bytes = new Bytes(blob)
  for (let c = 0; c < COLUMNS; c += 1) out[at + c] = bytes.pos < blob.length ? bytes.varint() : 0
}

/**
 * Merges some of the index's segments: at most about `blocks` leaves written, on a level that
 * holds `segments` or more. FTS4 otherwise merges a level only when it has sixteen, all at once,
 * in whatever change adds the sixteenth: at 100,000 papers that change (a step of an import, or
 * a note saved) took a second. Merged a little at a time, no level gets there. Whether there is
 * more to merge: FTS4 counts two changes or more for a merge that did some work.
 */
export function mergeSomeSegments(
  db: Db,
  table: string,
  blocks: number,
  segments: number,
): boolean {
  const before = Number(db.value('SELECT total_changes()'))
  db.run(`INSERT INTO ${table}(${table}) VALUES('merge=${blocks},${segments}')`)
  return Number(db.value('SELECT total_changes()')) - before >= 2
}

/** A level of the index: how many segments it holds and their leaves' bytes. */
export interface IndexLevel {
  level: number
  segments: number
  bytes: number
  /** Its last segment is a merge's output still being written (its size kept negative). */
  growing: boolean
}

/**
 * The index's levels. FTS4 keeps each segment's leaf bytes after its last block in `end_block`
 * ("end bytes"; negative while a merge still writes it); a segment whose size it did not keep
 * (a bare block number) counts as large.
 */
export function indexLevels(db: Db, table: string): IndexLevel[] {
  const rows = db.all<{ level: number; end: string | number }>(
    `SELECT level, end_block AS "end" FROM ${table}_segdir ORDER BY level, idx`,
  )
  const levels = new Map<number, IndexLevel>()
  for (const row of rows) {
    const told = typeof row.end === 'string' ? Number(row.end.split(' ')[1]) : NaN
    const bytes = Number.isFinite(told) ? Math.abs(told) : Infinity
    const level = levels.get(row.level) ?? {
      level: row.level,
      segments: 0,
      bytes: 0,
      growing: false,
    }
    level.segments += 1
    level.bytes += bytes
    level.growing = told < 0
    levels.set(row.level, level)
  }
  return [...levels.values()]
}

/** A merge under way: the level it merges, and how many of its segments. */
export interface MergeUnderWay {
  level: number
  segments: number
}

/**
 * The merges under way: FTS4 keeps them in `<table>_stat` (id 1) as a stack of varint pairs
 * (level, segments), the last the one it goes on with. Empty when there is none; null when the
 * record cannot be read.
 */
export function mergesUnderWay(db: Db, table: string): MergeUnderWay[] | null {
  const blob = db.value(`SELECT value FROM ${table}_stat WHERE id = 1`) as unknown
  if (blob === null || blob === undefined) return []
  if (!(blob instanceof Uint8Array)) return null
  try {
    const bytes = new Bytes(blob)
    const merges: MergeUnderWay[] = []
    while (bytes.pos < blob.length) merges.push({ level: bytes.varint(), segments: bytes.varint() })
    return merges
  } catch {
    return null
  }
}

/**
 * The level the next call of mergeSomeSegments with a single block does work on, as FTS4 picks
 * it (sqlite3Fts3Incrmerge): the last merge under way, where no lower level holds `segments`,
 * else the lowest level that does. A merge under way is dropped, and the next one looked at in
 * the same call, where its level has fewer segments than it had (FTS4 merged that level whole
 * meanwhile) or its output above is no longer being written. The first level that does work
 * spends the single block, and the call ends. Null: no work; undefined: not known (the record
 * of merges under way cannot be read).
 */
export function nextMergeLevel(
  levels: IndexLevel[],
  underWay: MergeUnderWay[] | null,
  segments: number,
): number | null | undefined {
  if (underWay === null) return undefined
  const byLevel = new Map(levels.map((l) => [l.level, l]))
  const due = levels.filter((l) => l.segments >= segments)
  const lowest = due.length > 0 ? due.reduce((a, b) => (b.level < a.level ? b : a)) : null
  const stack = [...underWay]
  for (;;) {
    const hint = stack.at(-1)
    if (!hint || (lowest && lowest.level < hint.level)) return lowest?.level ?? null
    stack.pop()
    const wanted = Math.min(Math.max(segments, lowest?.segments ?? -1), hint.segments)
    const level = byLevel.get(hint.level)
    if ((level?.segments ?? 0) >= wanted && byLevel.get(hint.level + 1)?.growing) {
      return hint.level
    }
  }
}

/**
 * Whether a call of mergeSomeSegments with a single block may run while the app is idle: when
 * the level it works on (nextMergeLevel) holds at most `maxBytes`. One step merges a word's whole
 * list of papers, whatever the number of blocks asked for: on a level of hundreds of megabytes
 * (a million papers: common words listed in most of them) a step took 2–3 s, on one of 32 MB
 * 0.6–0.9 s. With the small levels kept merged FTS4 seldom merges a large level whole (it does
 * when every level below it holds sixteen segments, after many changes with no pause between);
 * the large ones are merged between an import's steps, and grow until then.
 */
export function idleMergeAllowed(
  levels: IndexLevel[],
  underWay: MergeUnderWay[] | null,
  segments: number,
  maxBytes: number,
): boolean {
  const next = nextMergeLevel(levels, underWay, segments)
  if (next === undefined) return false
  if (next === null) return true
  return (levels.find((l) => l.level === next)?.bytes ?? Infinity) <= maxBytes
}
