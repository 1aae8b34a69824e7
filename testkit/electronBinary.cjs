// Where the Electron binary is, without triggering electron's own lazy download (which
// `require('electron')` does, and which hangs or fails where GitHub is unreachable).
// CommonJS on purpose: plain Node (`npm start`) and Playwright's loader (the Electron spec) both
// load it as it is; Playwright rewrites an .mjs into CommonJS that Node then refuses to run.
/* eslint-disable @typescript-eslint/no-require-imports */
const { existsSync, readFileSync } = require('node:fs')
const { dirname, join } = require('node:path')

function electronPackageDir() {
  return dirname(require.resolve('electron/package.json'))
}

/** The binary's path, or null when it has not been downloaded. */
function electronBinary() {
  const dir = electronPackageDir()
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

module.exports = { electronBinary, electronPackageDir }
