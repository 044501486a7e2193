import type { ArgumentSpec } from './arguments.js'
import type { ParsedArgs } from './argv.js'
import { unpackArgument } from '../args/unpack.js'

/**
 * The call's parameters from the parsed arguments: every model member given on the command line,
 * unpacked and typed by its shape (unpack.ts), in the argument table's (the model's) member order.
 */
export function buildParameters(args: ParsedArgs, specs: readonly ArgumentSpec[]): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  for (const spec of specs) {
    if (!spec.member || !spec.shapeName) continue
    const raw = args.get(spec.name)
    if (raw === undefined || raw === true) continue
    params[spec.member] = unpackArgument(`--${spec.name}`, spec.shapeName, raw)
  }
  return params
}
