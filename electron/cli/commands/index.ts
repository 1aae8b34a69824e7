// Every command of the command line, in the order the usage lists them.
import type { Command } from '../command'
import { apiCommand } from './api'
import { backupCommand, backupsCommand, recoverCommand, restoreCommand } from './backups'
import { deleteCommand, undeleteCommand } from './delete'
import { importCommand } from './import'
import { importsCommand, undoImportCommand } from './imports'
import { exportCommand } from './export'
import { listCommand } from './list'
import { moveLibraryCommand } from './move'
import { serveCommand } from './serve'
import { settingsCommand } from './settings'
import { setCommand } from './set'
import { showCommand } from './show'
import { statsCommand } from './stats'
import { syncCommand } from './sync'
import { searchCommand, starCommand, tagCommand, tagsCommand } from './triage'

export const COMMANDS: readonly Command[] = [
  importCommand,
  importsCommand,
  undoImportCommand,
  exportCommand,
  listCommand,
  searchCommand,
  showCommand,
  setCommand,
  starCommand,
  tagCommand,
  tagsCommand,
  deleteCommand,
  undeleteCommand,
  statsCommand,
  backupCommand,
  backupsCommand,
  restoreCommand,
  recoverCommand,
  settingsCommand,
  moveLibraryCommand,
  syncCommand,
  serveCommand,
  apiCommand,
]
