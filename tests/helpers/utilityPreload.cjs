// Loaded first in a process that tests' stand-in for Electron's utilityProcess.fork starts
// (utilityProcess.ts): the process gets the `process.parentPort` an Electron utility process
// has, over Node's IPC channel, so that the code under test takes its utility-process path.
const { EventEmitter } = require('node:events')

const port = new EventEmitter()
port.postMessage = (message) => process.send(message)
process.on('message', (data) => port.emit('message', { data, ports: [] }))
// A utility process ends with the app that started it.
process.on('disconnect', () => process.exit(0))
process.parentPort = port
