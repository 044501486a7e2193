import { OPERATIONS } from '../model/index.js'

/**
 * Run an operation command without loading oclif (about 100 ms of a 60 ms `node -e 0`): scripts call
 * cloudmap hundreds of times. cloudmap run and watch take the same short cut (their flags parse without oclif). Help, the other commands and unknown names still go through oclif.
 * Returns false when oclif should handle the command line.
 */
export async function runOperationFast(argv: readonly string[]): Promise<boolean> {
  const [command, ...rest] = argv
  // oclif owns help: `--help`/`-h` before a `--` (its helpAddition rule).
  const beforeDashes = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) return false
  // cloudmap run and watch parse their own flags: `run` starting counts towards "discoverable".
  if (command === 'run') {
    process.exit(await (await import('../run/command.js')).runFromArgv(rest))
  }
  if (command === 'watch') {
    process.exitCode = await (await import('../watch/command.js')).watchFromArgv(rest)
    return true
  }
  const op = OPERATIONS.find((o) => o.cliName === command)
  if (!op) return false
  const { runOperation } = await import('./run-operation.js')
  await runOperation(op, rest)
  return true
}
