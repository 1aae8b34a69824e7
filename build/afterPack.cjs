// electron-builder's afterPack hook (electron-builder.yml): flips Electron's fuses in the packed
// app, before it is signed. Fuses are switches compiled into Electron's binary that only a
// rewrite of the binary can change, so nothing at run time (an environment variable, a command
// line flag, a file beside the app) can turn these back on.
//
// CommonJS on purpose: electron-builder requires the hook as it is, with no TypeScript step.
// @electron/fuses 2 is an ES module, which `require` loads from Node 20.19 and 22.12 on.
/* eslint-disable @typescript-eslint/no-require-imports */
const { join } = require('node:path')
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses')
const { Arch } = require('electron-builder')

/** Every fuse Electron has, each set here; none is left to Electron's default. */
const FUSES = {
  // `ELECTRON_RUN_AS_NODE=1 Lectern script.js` would run any script as Node with the app's
  // identity (and, on macOS, its permissions).
  [FuseV1Options.RunAsNode]: false,
  // The session's cookies encrypted on disk with the system's keys. Lectern sets none today;
  // this is a one-way switch best made before it ever does.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS (--require, --inspect…) would load code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect and friends would open a debugger on the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The asar is checked against the hash electron-builder writes into the app (Info.plist on
  // macOS, a resource in the .exe on Windows); Electron checks it on those two systems.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // The app runs from its asar only, never from an `app` folder someone put beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Lectern ships no snapshot of its own for the main process.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The page comes from app://lectern/ (electron/main/appProtocol.ts); file:// needs no powers
  // beyond a browser's.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // V8's signal handlers catch a WebAssembly access out of bounds instead of a check compiled
  // into every access: sql.js, the whole library, runs faster. Electron's default, kept.
  [FuseV1Options.WasmTrapHandlers]: true,
}

/**
 * The configuration for @electron/fuses. `strictlyRequireAllFuses` stops the build when an
 * Electron upgrade brings a fuse not set above, rather than ship it at its default unnoticed.
 */
function fuseConfig(context) {
  const mac = context.electronPlatformName === 'darwin'
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Rewriting the binary breaks its ad hoc signature, which Apple silicon will not run
    // without; the real signature, when there is one, is made after this hook.
    resetAdHocDarwinSignature:
      mac && (context.arch === Arch.arm64 || context.arch === Arch.universal),
    ...FUSES,
  }
}

/** The packed app's Electron, where electron-builder itself looks for it. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName: platform, packager } = context
  if (platform === 'darwin' || platform === 'mas')
    return join(appOutDir, `${packager.appInfo.productFilename}.app`)
  if (platform === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`)
  return join(appOutDir, packager.executableName)
}

async function afterPack(context) {
  await flipFuses(electronBinaryPath(context), fuseConfig(context))
}

module.exports = { FUSES, afterPack, electronBinaryPath, fuseConfig }
