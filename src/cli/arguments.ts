import type { OperationSpec, Shape } from '../model/index.js'
import { shape, structureShape } from '../model/index.js'
import { xformName } from '../model/names.js'

/**
 * One command-line argument, described the way the AWS CLI's argparse setup builds it
 * (awscli/arguments.py, awscli/customizations/paginate.py). Drives both our parser and oclif's help.
 */
export interface ArgumentSpec {
  /** Long option without dashes, e.g. 'namespace-id'. */
  name: string
  /**
   * 'one': exactly one value; 'list': nargs='*' (space-separated items);
   * 'optional': nargs='?' with a default when given bare; 'flag': store_true, no value.
   */
  arity: 'one' | 'list' | 'optional' | 'flag'
  required?: boolean
  choices?: readonly string[]
  /** Value used for arity 'optional' when the option is given without one. */
  constValue?: string
  /** The model member this argument fills, for operation parameters. */
  member?: string
  shapeName?: string
  /** Hidden from help (the AWS CLI hides a paginated operation's own token and limit parameters). */
  hidden?: boolean
  /** Help section for options that are not the operation's own parameters. */
  group?: 'GLOBAL' | 'PAGINATION' | 'INPUT'
  help: string
}

export const OUTPUT_FORMATS = ['json', 'text', 'table', 'yaml', 'yaml-stream', 'off'] as const

/** --cli-error-format of the current AWS CLI v2: how a service error is written to stderr. */
export const ERROR_FORMATS = ['legacy', 'json', 'yaml', 'text', 'table', 'enhanced'] as const

/** Global options, in the AWS CLI's definition order (it matters for 'ambiguous option' messages). */
export const GLOBAL_ARGUMENTS: readonly ArgumentSpec[] = [
  { name: 'debug', arity: 'flag', help: 'Write debug logging to stderr.' },
  { name: 'endpoint-url', arity: 'one', help: 'Send requests to this Cloud Map endpoint (AWS, moto, LocalStack, cloudmap serve) instead of the local registry.' },
  { name: 'no-verify-ssl', arity: 'flag', help: 'Do not verify TLS certificates of the endpoint.' },
  { name: 'no-paginate', arity: 'flag', help: 'Make a single call instead of following every page.' },
  { name: 'output', arity: 'one', choices: OUTPUT_FORMATS, help: 'Output format: json, text, table, yaml, yaml-stream, or off (print nothing).' },
  { name: 'cli-error-format', arity: 'one', choices: ERROR_FORMATS, help: 'How service errors are written to stderr: enhanced (default), legacy, json, yaml, text or table.' },
  { name: 'query', arity: 'one', help: 'JMESPath expression applied to the response before it is printed.' },
  { name: 'profile', arity: 'one', help: 'Named profile from the AWS config and credentials files.' },
  { name: 'region', arity: 'one', help: 'Region used in ARNs and for the remote endpoint (default us-east-1 locally).' },
  { name: 'version', arity: 'flag', hidden: true, help: 'Print the version.' },
  { name: 'color', arity: 'one', choices: ['on', 'off', 'auto'], help: 'Colour in table output: on, off or auto.' },
  { name: 'no-sign-request', arity: 'flag', help: 'Send requests unsigned.' },
  { name: 'ca-bundle', arity: 'one', help: 'CA certificate bundle for TLS verification.' },
  { name: 'cli-read-timeout', arity: 'one', help: 'Socket read timeout in seconds (0 blocks forever).' },
  { name: 'cli-connect-timeout', arity: 'one', help: 'Socket connect timeout in seconds (0 blocks forever).' },
  { name: 'cli-binary-format', arity: 'one', choices: ['base64', 'raw-in-base64-out'], help: 'Accepted for compatibility; this service has no binary parameters.' },
  { name: 'no-cli-pager', arity: 'flag', help: 'Accepted for compatibility; cloudmap never pages output.' },
  { name: 'cli-auto-prompt', arity: 'flag', hidden: true, help: 'Not supported.' },
  { name: 'no-cli-auto-prompt', arity: 'flag', hidden: true, help: 'Not supported.' },
  { name: 'registry', arity: 'one', help: 'Path of the local registry file (default: $CLOUDMAP_REGISTRY, else the user data directory).' },
]

const PAGINATION_ARGUMENTS: readonly ArgumentSpec[] = [
  { name: 'starting-token', arity: 'one', help: 'A token from a previous truncated output (its NextToken) to resume from.' },
  { name: 'page-size', arity: 'one', help: 'Number of items asked for in each call to the service.' },
  { name: 'max-items', arity: 'one', help: 'Total number of items to print; when more exist a NextToken is printed.' },
]

const INPUT_ARGUMENTS: readonly ArgumentSpec[] = [
  { name: 'cli-input-json', arity: 'one', help: 'Read parameters from a JSON document (a string or file://PATH); flags given on the command line win.' },
  { name: 'cli-input-yaml', arity: 'one', help: 'Read parameters from a YAML document (a string or file://PATH); flags given on the command line win.' },
  {
    name: 'generate-cli-skeleton',
    arity: 'optional',
    constValue: 'input',
    choices: ['input', 'output', 'yaml-input'],
    help: 'Print a template of the input (input, yaml-input) or output (output) instead of calling the service.',
  },
]

function describeShape(s: Shape): string {
  switch (s.type) {
    case 'structure':
      return 'structure'
    case 'list':
      return `list of ${describeShape(shape(s.member))}`
    case 'map':
      return 'map (K=V,... or JSON)'
    default:
      return s.type
  }
}

function constraintHelp(s: Shape): string {
  const parts: string[] = []
  if ('enum' in s && s.enum) parts.push(`one of ${s.enum.join(', ')}`)
  if ((s.type === 'string' || s.type === 'list') && (s.min !== undefined || s.max !== undefined)) {
    parts.push(`${s.type === 'string' ? 'length' : 'items'} ${s.min ?? 0}..${s.max ?? '∞'}`)
  }
  if ((s.type === 'integer' || s.type === 'long') && (s.min !== undefined || s.max !== undefined)) {
    parts.push(`range ${s.min ?? '-∞'}..${s.max ?? '∞'}`)
  }
  return parts.length ? ` (${parts.join('; ')})` : ''
}

function memberHelp(member: string, s: Shape, token: boolean): string {
  const kind = describeShape(s)
  const extra = token ? ' Filled with a random UUID when omitted.' : ''
  // The documentation and the Shorthand/JSON syntax are under PARAMETERS (src/help.ts).
  return `${member}: ${kind}${constraintHelp(s)}.${extra}`
}

/** The arguments of one operation command: its model members, then paging, input and global options. */
export function operationArguments(op: OperationSpec): ArgumentSpec[] {
  const input = structureShape(op.input)
  const required = new Set(input.required ?? [])
  const tokens = new Set(input.idempotencyTokens ?? [])
  const paging = op.paginator ? new Set([op.paginator.inputToken, op.paginator.limitKey]) : new Set<string>()
  const members: ArgumentSpec[] = Object.entries(input.members).map(([member, shapeName]) => {
    const s = shape(shapeName)
    // Idempotency tokens are optional on the command line: the AWS CLI fills them (botocore).
    const isRequired = required.has(member) && !tokens.has(member)
    return {
      name: xformName(member),
      arity: s.type === 'list' ? 'list' : 'one',
      required: isRequired,
      member,
      shapeName,
      hidden: paging.has(member),
      help: memberHelp(member, s, tokens.has(member)),
    }
  })
  const grouped = (args: readonly ArgumentSpec[], group: ArgumentSpec['group']) => args.map((a) => ({ ...a, group }))
  return [
    ...members,
    ...grouped(op.paginator ? PAGINATION_ARGUMENTS : [], 'PAGINATION'),
    ...grouped(INPUT_ARGUMENTS, 'INPUT'),
    ...grouped(GLOBAL_ARGUMENTS, 'GLOBAL'),
  ]
}
