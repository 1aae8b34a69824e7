// Electronegativity (Doyensec's static checker for Electron's security checklist) over the main
// process, the preload and the core, and over the page's Content-Security-Policy. No finding may
// be left. A false positive is suppressed only next to the code that triggers it, with
// `eng-disable CHECK_ID — reason` on that line; this test also holds every suppression to a
// written reason.
//
// Offline: the one check that asks GitHub for Electron's releases is left out (below). The tool
// also tries, for one second, to fetch updated wording for its messages; that fails offline and
// changes no finding.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'

const ROOT = resolve(__dirname, '..', '..')
const require = createRequire(__filename)

interface Finding {
  id: string
  file: string
  location: { line: number; column: number }
  severity: { name: string }
  confidence: { name: string }
  description: string
  sample?: string
}

interface Scan {
  issues: Finding[]
  errors: { file: string; message: string; tolerable: boolean }[]
}

interface Options {
  input: string
  isRelative: boolean
  electronVersionOverride: string
  customScan?: string[]
  excludeFromScan?: string[]
  parserPlugins: string[]
}

const electronegativity = require('@doyensec/electronegativity') as (o: Options) => Promise<Scan>

/** The Electron the app is built with: the checks' defaults depend on it. */
const ELECTRON_VERSION = (require('electron/package.json') as { version: string }).version

/**
 * Checks left out, each with its reason. Only one: AvailableSecurityFixesGlobalCheck downloads
 * Electron's release list from GitHub to say whether a newer Electron fixes something, which a
 * test run cannot do offline; keeping Electron current is the release checklist's job.
 */
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck']

async function scan(
  input: string,
  only?: string[],
): Promise<{ findings: string[]; errors: string[] }> {
  const result = await electronegativity({
    input: join(ROOT, input),
    isRelative: true,
    electronVersionOverride: ELECTRON_VERSION,
    ...(only ? { customScan: only } : { excludeFromScan: EXCLUDED }),
    parserPlugins: [],
  })
  const where = (file: string) =>
    statSync(join(ROOT, input)).isDirectory() ? join(input, file) : input
  return {
    findings: result.issues.map(
      (i) =>
        `${i.id} ${where(i.file)}:${i.location.line} (${i.severity.name}) ${i.description}: ${(i.sample ?? '').trim()}`,
    ),
    // A file the tool could not parse is a file it did not check.
    errors: result.errors.map((e) => `${e.file}: ${e.message}`),
  }
}

/** Every source file under `dir`, with its lines. */
function sourceLines(dir: string): { file: string; line: string }[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|tsx|js|cjs|mjs|html)$/.test(name))
    .flatMap((name) =>
      readFileSync(join(ROOT, dir, name), 'utf8')
        .split('\n')
        .map((line) => ({ file: relative(ROOT, join(ROOT, dir, name)), line })),
    )
}

describe('Electronegativity', () => {
  it('finds nothing in electron/ (main process, preload, core, hosts)', async () => {
    const { findings, errors } = await scan('electron')
    expect(errors).toEqual([])
    expect(findings).toEqual([])
  }, 120_000)

  it('finds nothing in the page’s Content-Security-Policy', async () => {
    // The page's own checks (navigation, permissions) are the main process's, scanned above;
    // here only the policy written in the page is read.
    const { findings, errors } = await scan('renderer/index.html', [
      'CSPHTMLCheck',
      'CSPGlobalCheck',
    ])
    expect(errors).toEqual([])
    expect(findings).toEqual([])
  }, 120_000)

  it('reads in the page the policy the app serves', () => {
    // The main process and the browser host send shared/csp.ts's policy as a header, where the
    // scan cannot read it; the page carries the same policy in a meta tag, where it can. A meta
    // tag cannot hold frame-ancestors, which only the header can set.
    const page = readFileSync(join(ROOT, 'renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(page)?.[1]
    const served = CONTENT_SECURITY_POLICY.split('; ').filter(
      (d) => !d.startsWith('frame-ancestors'),
    )
    expect(meta?.split('; ')).toEqual(served)
  })

  it('is silenced only next to the code, with a reason', () => {
    const lines = [...sourceLines('electron'), ...sourceLines('renderer')]
    const suppressions = lines.flatMap(({ file, line }, i) =>
      // HTML's form ends the comment right after the names: the reason opens the next comment.
      line.includes('eng-disable') ? [{ file, text: `${line} ${lines[i + 1]?.line ?? ''}` }] : [],
    )
    expect(suppressions.length).toBeGreaterThan(0)
    for (const { file, text } of suppressions)
      expect(text, file).toMatch(/eng-disable(?: [A-Z_]+)+(?: --> <!--)? — \S.{20,}/)
  })
})
