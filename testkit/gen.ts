// Deterministic generators for the crash test, the stress run and the benchmark: a seeded PRNG,
// paper titles and abstracts in the Daily Papers dump format, and awkward unicode notes.

/** mulberry32: small, fast and good enough to drive a test. Returns floats in [0, 1). */
export type Rng = () => number

export function makeRng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A seed derived from another seed and an index (e.g. one per crash iteration). */
export function deriveSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

export function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1))
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!
}

const ADJECTIVES = [
  'Adaptive',
  'Scalable',
  'Sparse',
  'Robust',
  'Efficient',
  'Causal',
  'Multimodal',
  'Contrastive',
  'Hierarchical',
  'Latent',
  'Federated',
  'Self-Supervised',
  'Über-Efficient',
  'Schrödinger-Inspired',
  'Zero-Shot',
  'Differentiable',
]
const NOUNS = [
  'Attention',
  'Diffusion',
  'Transformers',
  'Agents',
  'Retrieval',
  'Reasoning',
  'Tokenizers',
  'Reward Models',
  'World Models',
  'Graph Networks',
  'Mixture-of-Experts',
  'Vision Encoders',
  'Speech Models',
  'Protein Folding',
  'Code Generation',
  'Planning',
]
const TOPICS = [
  'Long Video Understanding',
  'Mathematical Reasoning',
  'Low-Resource Languages',
  'Robotic Manipulation',
  'Medical Imaging',
  'Weather Forecasting',
  'On-Device Inference',
  'Open-Domain Dialogue',
  'Chip Design',
  'Theorem Proving',
  '3D Scene Reconstruction',
  'Music Generation',
]
const SUBJECTS = [
  'We propose',
  'This paper introduces',
  'We present',
  'Our work studies',
  'We revisit',
  'We analyse',
]
const OBJECTS = [
  'a simple method that scales to billions of parameters',
  'a benchmark of carefully curated tasks drawn from real deployments',
  'a training recipe that removes the need for labelled data',
  'an architecture that reuses intermediate activations across layers',
  'a theoretical account of why the approach generalises',
  'a data pipeline that filters noisy samples with a learned critic',
]
const RESULTS = [
  'Experiments show consistent gains over strong baselines on five benchmarks.',
  'The resulting model matches much larger systems at a fraction of the cost.',
  'Ablations confirm that each component contributes to the final accuracy.',
  'We release code, weights and data to support future research.',
  'Human evaluators prefer our outputs in most pairwise comparisons.',
  'Surprisingly, the gains grow with model size rather than shrinking.',
]

/** A title that the Daily Papers reader takes as a title (no full stop, not a sentence). */
export function makeTitle(rng: Rng, unique: string): string {
  return `${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)} for ${pick(rng, TOPICS)} ${unique}`
}

/** A unique-enough token for titles: two PRNG draws in base 36. */
export function token(rng: Rng): string {
  return (
    Math.floor(rng() * 2 ** 32).toString(36) + Math.floor(rng() * 2 ** 32).toString(36)
  ).toUpperCase()
}

/** An abstract of two or more sentences, roughly `chars` long (at least two sentences). */
export function makeAbstract(rng: Rng, chars = 300): string {
  const sentences = [`${pick(rng, SUBJECTS)} ${pick(rng, OBJECTS)}.`, pick(rng, RESULTS)]
  let length = sentences[0]!.length + sentences[1]!.length
  while (length < chars) {
    const s = rng() < 0.5 ? pick(rng, RESULTS) : `In addition, we describe ${pick(rng, OBJECTS)}.`
    sentences.push(s)
    length += s.length + 1
  }
  return sentences.join(' ')
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export function makeDateLine(rng: Rng): string {
  return `${pick(rng, MONTHS)} ${int(rng, 1, 28)}`
}

/** A Daily Papers dump: date line, blank line, then title, blank, abstract, blank per paper. */
export function makeDump(dateLine: string, papers: { title: string; abstract: string }[]): string {
  let text = `${dateLine}\n\n`
  for (const p of papers) text += `${p.title}\n\n${p.abstract}\n\n`
  return text
}

// Unicode for notes: every plane, combining marks, ZWJ emoji, right-to-left text, controls.
function codePoint(rng: Rng): string {
  const r = rng()
  let cp: number
  if (r < 0.35) cp = int(rng, 0x20, 0x7e)
  else if (r < 0.45) cp = pick(rng, [0x0a, 0x0a, 0x09, 0x0d, 0x00, 0x2028, 0x2029, 0xfeff])
  else if (r < 0.55) cp = int(rng, 0xa0, 0x24f)
  else if (r < 0.6)
    cp = int(rng, 0x300, 0x36f) // combining marks on their own
  else if (r < 0.7) cp = int(rng, 0x4e00, 0x9fff)
  else if (r < 0.75)
    cp = int(rng, 0x590, 0x6ff) // Hebrew, Arabic
  else if (r < 0.85)
    cp = int(rng, 0x1f300, 0x1faff) // emoji (astral)
  else {
    // anything that is a Unicode scalar value (no lone surrogates)
    do cp = int(rng, 0, 0x10ffff)
    while (cp >= 0xd800 && cp <= 0xdfff)
  }
  return String.fromCodePoint(cp)
}

const PIECES = [
  '# Heading\n\n',
  '- [ ] todo\n',
  '**bold** and _italic_ ',
  '`code`',
  '👩\u200d💻',
  '🇫🇷',
  'e\u0301',
  'שלום',
  'مرحبا',
  '日本語のメモ',
  '"quotes" \'single\' \\backslash\\ ',
  '<script>alert(1)</script>',
  '\r\n',
  "'); DROP TABLE papers; --",
]

/** A note of about `length` UTF-16 code units (never splitting a surrogate pair). */
export function makeNote(rng: Rng, length: number): string {
  let s = ''
  while (s.length < length) {
    s += rng() < 0.1 ? pick(rng, PIECES) : codePoint(rng)
  }
  return s
}

/** Note length: a tenth empty, most short, some up to about 20 KB. */
export function noteLength(rng: Rng): number {
  const r = rng()
  if (r < 0.1) return 0
  if (r < 0.6) return int(rng, 1, 200)
  if (r < 0.9) return int(rng, 200, 3000)
  return int(rng, 3000, 20000)
}
