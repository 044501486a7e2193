import type { Command } from '@oclif/core'
import { OPERATIONS } from './model/index.js'
import { makeOperationCommand } from './cli/operation-command.js'
import { Init } from './commands/init.js'
import { Serve } from './commands/serve.js'
import { Run } from './commands/run.js'
import { Watch } from './commands/watch.js'
import { ConfigureGet, ConfigureList, ConfigureSet, ConfigureUnset } from './commands/configure.js'

/**
 * The command table (oclif "explicit" strategy): one command per Cloud Map operation, named as in
 * `aws servicediscovery`, all generated from the operation table; then cloudmap's own `init` and
 * `configure get|set|unset|list`, `serve`, `run` and `watch`.
 */
export const COMMANDS: Record<string, typeof Command> = {
  ...Object.fromEntries(OPERATIONS.map((op) => [op.cliName, makeOperationCommand(op)])),
  init: Init,
  serve: Serve,
  run: Run,
  watch: Watch,
  'configure:get': ConfigureGet,
  'configure:set': ConfigureSet,
  'configure:unset': ConfigureUnset,
  'configure:list': ConfigureList,
}
