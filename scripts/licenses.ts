// `npm run licenses`: what ships with Lectern — its runtime dependencies and theirs, as installed
// — with the license each package declares. Read from node_modules alone, so it works offline
// (`npm audit` and license services need a registry this project cannot always reach).
//
// One line per package (`name@version  license`), then how many packages carry each license.
// A package that declares none is listed as UNKNOWN and the script exits 1, so someone looks.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

interface Manifest {
  name: string
  version: string
  license?: string | { type?: string }
  licenses?: { type?: string }[]
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

const ROOT = resolve(__dirname, '..')

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest
}

/** Where `name` is installed for the package in `from`: Node's lookup, up the node_modules. */
function installedDir(name: string, from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(dir) === dir) return null
  }
}

/** The license a manifest declares, in SPDX form where the package gave one. */
function licenseOf(manifest: Manifest): string {
  const { license, licenses } = manifest
  if (typeof license === 'string' && license.trim()) return license.trim()
  if (license && typeof license === 'object' && license.type) return license.type
  // The old `licenses` array means any one of them.
  const types = (licenses ?? []).map((l) => l.type).filter((t): t is string => Boolean(t))
  if (types.length === 1) return types[0]!
  if (types.length > 1) return `(${types.join(' OR ')})`
  return 'UNKNOWN'
}

interface Shipped {
  name: string
  version: string
  license: string
}

/** Every package installed for the root's runtime dependencies, followed through theirs. */
function shippedPackages(root: string): { packages: Shipped[]; missing: string[] } {
  const seen = new Map<string, Shipped>()
  const missing: string[] = []
  const queue: { name: string; from: string; optional: boolean }[] = []
  const enqueue = (manifest: Manifest, from: string) => {
    for (const name of Object.keys(manifest.dependencies ?? {}))
      queue.push({ name, from, optional: false })
    // An optional dependency that is not installed (another platform's binary) does not ship.
    for (const name of Object.keys(manifest.optionalDependencies ?? {}))
      queue.push({ name, from, optional: true })
  }
  enqueue(readManifest(root), root)
  for (let next = queue.shift(); next; next = queue.shift()) {
    const dir = installedDir(next.name, next.from)
    if (dir === null) {
      if (!next.optional) missing.push(`${next.name} (needed by ${next.from})`)
      continue
    }
    if (seen.has(dir)) continue
    const manifest = readManifest(dir)
    seen.set(dir, { name: manifest.name, version: manifest.version, license: licenseOf(manifest) })
    enqueue(manifest, dir)
  }
  const packages = [...seen.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  )
  return { packages, missing }
}

function main(): number {
  const { packages, missing } = shippedPackages(ROOT)
  const width = Math.max(...packages.map((p) => `${p.name}@${p.version}`.length))
  for (const p of packages) console.log(`${`${p.name}@${p.version}`.padEnd(width)}  ${p.license}`)
  const counts = new Map<string, number>()
  for (const p of packages) counts.set(p.license, (counts.get(p.license) ?? 0) + 1)
  const summary = [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([license, n]) => `${license} ${n}`)
  console.log(`\n${packages.length} packages: ${summary.join(', ')}`)
  for (const name of missing) console.error(`not installed: ${name} (run npm install)`)
  return missing.length > 0 || counts.has('UNKNOWN') ? 1 : 0
}

process.exitCode = main()
