import { Command, Flags } from '@oclif/core'
import type { OperationSpec } from '../model/index.js'
import type { ArgumentSpec } from './arguments.js'
import { operationArguments } from './arguments.js'
import { operationExamples } from './examples.js'

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

/** The command class for one operation of the table: `cloudmap <cli-name> [parameters]`. */
export function makeOperationCommand(op: OperationSpec): typeof Command {
  const args = operationArguments(op)
  return class OperationCommand extends Command {
    static override id = op.cliName
    static override summary = op.summary
    static override description = `The same as \`aws servicediscovery ${op.cliName}\` (the ${op.name} API), against the local registry or the endpoint given by --endpoint-url.`
    static override flags = oclifFlags(args)
    static override strict = false
    static override examples = operationExamples(op)

    async run(): Promise<void> {
      // Arguments are parsed by runOperation with the AWS CLI's rules and messages, not by this.parse().
      this.parsed = true
      const { runOperation } = await import('./run-operation.js')
      await runOperation(op, this.argv)
    }
  }
}
