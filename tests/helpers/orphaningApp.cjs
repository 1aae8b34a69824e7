// A stand-in for an app killed while its backup's process works (tests/unit/backupProcess.test.ts):
// starts the process with the job it is given, says its id, and, as soon as the process says it
// has read the library's files, kills itself, leaving the process to run on alone.
const { fork } = require('node:child_process')

const [file, execArgv, job] = process.argv.slice(2)
const child = fork(file, [], {
  execArgv: JSON.parse(execArgv),
  serialization: 'advanced',
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
})
process.stdout.write(`backup ${child.pid}\n`)
child.on('message', (message) => {
  if (message.kind === 'read') process.kill(process.pid, 'SIGKILL')
})
child.send(JSON.parse(job))
