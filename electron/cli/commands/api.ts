import { METHODS, METHOD_ACCESS, isMethod } from '../../../shared/methods'
import { decodeDump } from '../../../shared/decode'
import { UsageError, printJson, readStdin } from '../command'
import type { Command } from '../command'

/**
 * Any method of the contract, by name, with its request as JSON: the same table the window and
 * the browser host use, for scripts that need a method no other command wraps.
 */
export const apiCommand: Command = {
  name: 'api',
  synopsis: 'METHOD [JSON|-]',
  summary: 'call any method of the API with a JSON request ("-" reads it from stdin)',
  options: {},
  access: (args) => (args[0] && isMethod(args[0]) ? METHOD_ACCESS[args[0]] : 'none'),
  async run(ctx) {
    const [method, body] = ctx.args
    if (!method || !isMethod(method)) {
      throw new UsageError(
        `api: name a method: ${METHODS.join(', ')}${method ? ` ("${method}" is not one)` : ''}`,
      )
    }
    let request: unknown = {}
    if (body !== undefined) {
      const input = body === '-' ? await readStdin(ctx.io) : body
      const text = typeof input === 'string' ? input : decodeDump(input)
      try {
        request = JSON.parse(text)
      } catch (error) {
        throw new UsageError(`api: the request is not JSON (${(error as Error).message})`)
      }
    }
    printJson(ctx, await ctx.call(method, request as never))
  },
}
