import type { Command } from '@oclif/core'
import { OPERATIONS } from './model/index.js'
import { makeOperationCommand } from './cli/operation-command.js'

/**
 * The command table (oclif "explicit" strategy): one command per Cloud Map operation, named as in
 * `aws servicediscovery`, all generated from the operation table.
 */
export const COMMANDS: Record<string, typeof Command> = Object.fromEntries(OPERATIONS.map((op) => [op.cliName, makeOperationCommand(op)]))
