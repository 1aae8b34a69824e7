// Electron's fuses, flipped in every packaged app by electron-builder's afterPack hook: no running
// as plain Node, no NODE_OPTIONS, no --inspect, the app only from its asar and that asar checked
// against the hash built into the binary, cookies encrypted, no extra powers for file://.
//
// Electron's binary cannot be downloaded here, so the hook runs on a stand-in: a file holding
// the fuse wire as Electron lays it out (a sentinel, the wire's version and length, one byte per
// fuse), read back with @electron/fuses itself.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses'
import { Arch } from 'electron-builder'
import { parse } from 'yaml'
import { afterEach, describe, expect, it } from 'vitest'
import type { PackContext } from '../../build/afterPack.cjs'
import { afterPack, electronBinaryPath, fuseConfig } from '../../build/afterPack.cjs'

const ROOT = resolve(__dirname, '..', '..')

/** Where @electron/fuses finds the wire: the sentinel before it is fixed by Electron. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const ENABLE = 0x31
const DISABLE = 0x30

/**
 * The fuses as Electron 45 ships them, in wire order (FuseV1Options): nine since Electron 42
 * added WasmTrapHandlers (electron#48983), on by default.
 */
const SHIPPED = [
  ENABLE, // RunAsNode
  DISABLE, // EnableCookieEncryption
  ENABLE, // EnableNodeOptionsEnvironmentVariable
  ENABLE, // EnableNodeCliInspectArguments
  DISABLE, // EnableEmbeddedAsarIntegrityValidation
  DISABLE, // OnlyLoadAppFromAsar
  DISABLE, // LoadBrowserProcessSpecificV8Snapshot
  ENABLE, // GrantFileProtocolExtraPrivileges
  ENABLE, // WasmTrapHandlers
]

/** What a packaged Lectern must have. */
const WANTED: Record<keyof typeof FuseV1Options, boolean> = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
  WasmTrapHandlers: true,
}

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A packed app's folder for `platform`, with a stand-in binary where Electron's would be. */
function packed(
  platform: string,
  arch: Arch = Arch.x64,
  wire: number[] = SHIPPED,
): { context: PackContext; binary: string } {
  const appOutDir = mkdtempSync(join(tmpdir(), 'lectern-fuses-'))
  dirs.push(appOutDir)
  const context: PackContext = {
    appOutDir,
    electronPlatformName: platform,
    arch,
    packager: { executableName: 'lectern', appInfo: { productFilename: 'Lectern' } },
  }
  const binary =
    platform === 'darwin'
      ? join(
          appOutDir,
          'Lectern.app/Contents/Frameworks/Electron Framework.framework/Electron Framework',
        )
      : join(appOutDir, platform === 'win32' ? 'Lectern.exe' : 'lectern')
  mkdirSync(dirname(binary), { recursive: true })
  writeFileSync(
    binary,
    Buffer.concat([
      Buffer.from('MZ…machine code…'),
      Buffer.from(SENTINEL),
      Buffer.from([1, wire.length, ...wire]),
      Buffer.from('…more machine code'),
    ]),
  )
  return { context, binary }
}

async function fusesOf(path: string): Promise<Record<string, boolean>> {
  const wire = await getCurrentFuseWire(path)
  return Object.fromEntries(
    Object.keys(WANTED).map((name) => {
      const state = wire[FuseV1Options[name as keyof typeof FuseV1Options]] as unknown as number
      return [name, state === ENABLE]
    }),
  )
}

describe('Electron’s fuses', () => {
  it('are flipped by electron-builder’s afterPack hook, and only there', () => {
    const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(config.afterPack).toBe('./build/afterPack.cjs')
    // electron-builder's own fuse option would flip them a second time, with other settings.
    expect(config).not.toHaveProperty('electronFuses')
    expect(typeof afterPack).toBe('function')
  })

  it('every fuse is set, none left to Electron’s default', () => {
    const config = fuseConfig(packed('linux').context)
    expect(config.version).toBe(FuseVersion.V1)
    expect(config.strictlyRequireAllFuses).toBe(true)
    for (const [name, value] of Object.entries(WANTED))
      expect(config[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(value)
  })

  it.each(['linux', 'win32', 'darwin'])('on %s, the packed binary gets them', async (platform) => {
    const { context, binary } = packed(platform)
    // On macOS the fuses live in the Electron Framework inside the .app, which @electron/fuses
    // finds from the .app's path.
    const app = electronBinaryPath(context)
    expect(app).toBe(platform === 'darwin' ? join(context.appOutDir, 'Lectern.app') : binary)
    // Before: Electron's defaults, run-as-node and the inspector on, asar unchecked.
    expect(await fusesOf(app)).toMatchObject({ RunAsNode: true, OnlyLoadAppFromAsar: false })
    await afterPack(context)
    expect(await fusesOf(app)).toEqual(WANTED)
  })

  it('re-signs ad hoc only where macOS needs it: Apple silicon, and universal apps', () => {
    const reset = (platform: string, arch: Arch) =>
      fuseConfig(packed(platform, arch).context).resetAdHocDarwinSignature
    expect(reset('darwin', Arch.arm64)).toBe(true)
    expect(reset('darwin', Arch.universal)).toBe(true)
    expect(reset('darwin', Arch.x64)).toBe(false)
    expect(reset('mas', Arch.arm64)).toBe(false)
    expect(reset('linux', Arch.arm64)).toBe(false)
    expect(reset('win32', Arch.arm64)).toBe(false)
  })

  it('stop the build when Electron has a fuse this hook does not know', async () => {
    const { context } = packed('linux', Arch.x64, [...SHIPPED, DISABLE])
    await expect(afterPack(context)).rejects.toThrow(/strictlyRequireAllFuses/)
  })

  it('stop the build when the binary is not where it should be', async () => {
    const { context } = packed('linux')
    await expect(
      afterPack({ ...context, packager: { ...context.packager, executableName: 'x' } }),
    ).rejects.toThrow()
  })
})
