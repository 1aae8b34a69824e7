// `npm start`: build, then open the desktop app. Where Electron's binary cannot be downloaded
// (offline machines), say so in one line and point to the browser host.
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import electronBinaryModule from '../testkit/electronBinary.cjs'

const { electronBinary, electronPackageDir } = electronBinaryModule

const root = fileURLToPath(new URL('..', import.meta.url))

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: 'inherit',
  },
)
if (build.status !== 0) process.exit(build.status ?? 1)

let binary = electronBinary()
if (!binary) {
  // Electron downloads its binary on first use; try once, quietly, with a time limit.
  spawnSync(process.execPath, [join(electronPackageDir(), 'install.js')], {
    cwd: root,
    stdio: 'ignore',
    timeout: 180_000,
  })
  binary = electronBinary()
}
if (!binary) {
  process.stderr.write(
    'Lectern: the Electron binary is not installed and could not be downloaded on this machine; run "npm run web" to use Lectern in your browser.\n',
  )
  process.exit(1)
}
const child = spawn(binary, [root], { stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 0))
