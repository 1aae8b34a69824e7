// The desktop shell's entry: the real Electron and the real process, handed to the wiring
// (wiring.ts), which a unit test runs on stand-ins instead.
import * as electron from 'electron'
import { userDataDir } from '../core/paths'
import { wireApp } from './wiring'

void wireApp(electron, {
  platform: process.platform,
  argv: process.argv,
  cwd: process.cwd(),
  env: process.env,
  dataDir: userDataDir(),
  // The bundle's own folder (out/main): the preload, the page and, in development, the
  // resources are found from it.
  mainDir: __dirname,
  resourcesPath: process.resourcesPath,
})
