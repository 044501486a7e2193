import { GLOBAL_ARGUMENTS } from './arguments.js'
import { matchOption } from './argv.js'

/**
 * The command line as the AWS CLI reads it before the command is known:
 * - global options may come before the command (`cloudmap --output text list-namespaces`, as
 *   `aws --output text servicediscovery list-namespaces`): they are moved right after the command
 *   name, so that a repeated option after the command still wins, as it does in the AWS CLI;
 * - `help` as a word (`cloudmap help`, `cloudmap list-namespaces help`) is `--help`.
 */
export function normalizeCommandLine(argv: readonly string[]): string[] {
  const leading: string[] = []
  let i = 0
  while (i < argv.length && argv[i].startsWith('--') && argv[i] !== '--') {
    const eq = argv[i].indexOf('=')
    const written = argv[i].slice(2, eq === -1 ? undefined : eq)
    const matches = matchOption(written, GLOBAL_ARGUMENTS)
    // Not a global option (or an ambiguous prefix): left where it is, for the usual error.
    if (matches.length !== 1) break
    const takesValue = matches[0].arity !== 'flag' && eq === -1
    if (takesValue && i + 1 >= argv.length) break
    leading.push(...argv.slice(i, takesValue ? i + 2 : i + 1))
    i += takesValue ? 2 : 1
  }
  const rest = argv.slice(i)
  const words = rest.length > 0 && rest[rest.length - 1] === 'help' && rest.slice(0, -1).every((w) => !w.startsWith('-')) ? [...rest.slice(0, -1), '--help'] : rest
  if (leading.length === 0 || words.length === 0 || words[0].startsWith('-')) return [...leading, ...words]
  return [words[0], ...leading, ...words.slice(1)]
}
