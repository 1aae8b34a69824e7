#!/usr/bin/env node
// The `lectern` command: runs the built command line (out/main/cli.js).
const { existsSync } = require('node:fs')
const { join } = require('node:path')

const cli = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  process.stderr.write('lectern: the command line is not built yet; run "npm run build" first\n')
  process.exit(1)
}
require(cli)
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code
  })
  .catch((error) => {
    process.stderr.write(
      `lectern: unexpected error: ${error && error.message ? error.message : error}\n`,
    )
    process.exitCode = 1
  })
