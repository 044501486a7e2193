import { randomUUID } from 'node:crypto'
import { Command, Flags } from '@oclif/core'
import type { OperationSpec } from '../model/index.js'
import { structureShape } from '../model/index.js'
import type { ArgumentSpec } from './arguments.js'
import { operationArguments } from './arguments.js'
import { parseArgv } from './argv.js'
import { describeError } from './report-error.js'
import type { Settings } from './settings.js'
import { resolveSettings } from './settings.js'

/** oclif flag definitions for help and completion; parsing itself is ours (see argv.ts for why). */
function oclifFlags(args: readonly ArgumentSpec[]) {
  return Object.fromEntries(
    args.map((a) => {
      const common = { description: a.help, hidden: a.hidden ?? false, helpGroup: a.group }
      if (a.arity === 'flag') return [a.name, Flags.boolean(common)]
      const options = a.choices ? [...a.choices] : undefined
      // oclif's overloads distinguish single and multiple string flags by a literal `multiple`.
      const flag = a.arity === 'list' ? Flags.string({ ...common, required: a.required, multiple: true, options }) : Flags.string({ ...common, required: a.required, options })
      return [a.name, flag]
    }),
  )
}

/** The AWS CLI fills idempotency tokens (CreatorRequestId, UpdaterRequestId) with a UUID4 when absent. */
function fillIdempotencyTokens(op: OperationSpec, params: Record<string, unknown>): void {
  for (const token of structureShape(op.input).idempotencyTokens ?? []) {
    if (params[token] === undefined) params[token] = randomUUID()
  }
}

/** The command class for one operation of the table: `cloudmap <cli-name> [parameters]`. */
export function makeOperationCommand(op: OperationSpec): typeof Command {
  const args = operationArguments(op)
  return class OperationCommand extends Command {
    static override id = op.cliName
    static override summary = op.summary
    static override description = `${op.summary}\n\nThe same as \`aws servicediscovery ${op.cliName}\` (the ${op.name} API), against the local registry or the endpoint given by --endpoint-url.`
    static override flags = oclifFlags(args)
    static override strict = false
    static override examples = [`<%= config.bin %> ${op.cliName} --help`]

    async run(): Promise<void> {
      // Arguments are parsed by parseArgv, with the AWS CLI's rules and messages, not by this.parse().
      this.parsed = true
      try {
        const parsed = parseArgv(this.argv, args)
        const settings = resolveSettings(parsed)
        if (settings.query !== undefined) (await import('../output/query.js')).checkQuery(settings.query)
        const { buildParameters } = await import('./parameters.js')
        const params = buildParameters(parsed, args)
        const { validateParameters } = await import('../args/validate.js')
        validateParameters(params, op.input)
        fillIdempotencyTokens(op, params)
        process.stdout.write(await this.call(op, params, settings))
      } catch (error) {
        const { stderr, exitCode } = describeError(error, op.name)
        process.stderr.write(stderr)
        process.exitCode = exitCode
      }
    }

    private async call(spec: OperationSpec, params: Record<string, unknown>, settings: Settings): Promise<string> {
      const [{ createRegistry }, { executeOperation }] = await Promise.all([import('../registry/create-registry.js'), import('./execute.js')])
      const registry = await createRegistry(settings)
      try {
        return await executeOperation(spec, params, settings, (input) => registry.invoke(spec.name as never, input as never) as Promise<Record<string, unknown>>)
      } finally {
        await registry.close()
      }
    }
  }
}
