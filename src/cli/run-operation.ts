import { pyIntOf, pyNumber } from '../python/values.js'
import { pythonInt } from '../args/unpack.js'
import { randomUUID } from 'node:crypto'
import type { OperationSpec } from '../model/index.js'
import { structureShape } from '../model/index.js'
import { CloudmapError, paramError, usageError } from '../registry/errors.js'
import type { PagingOptions } from '../registry/paginate.js'
import type { ExecuteOptions } from './execute.js'
import { operationArguments } from './arguments.js'
import type { ParsedArgs } from './argv.js'
import { parseArgv } from './argv.js'
import { describeError } from './report-error.js'
import type { Settings } from './settings.js'
import { errorFormat as resolveErrorFormat, resolveSettings } from './settings.js'

/** The AWS CLI fills idempotency tokens (CreatorRequestId, UpdaterRequestId) with a UUID4 when absent. */
function fillIdempotencyTokens(op: OperationSpec, params: Record<string, unknown>): void {
  for (const token of structureShape(op.input).idempotencyTokens ?? []) {
    if (params[token] === undefined) params[token] = randomUUID()
  }
}

/** Calls the backend and renders the response; tests replace it to see the parameters a call would get. */
export type ServiceCall = (op: OperationSpec, params: Record<string, unknown>, settings: Settings, parsed: ParsedArgs) => Promise<string>

/**
 * One operation command, start to finish: argv parsed as the AWS CLI's argparse does, parameters built
 * and validated, the backend called, the response printed, or the error reported with its exit code.
 * Loads no oclif: bin/run.js calls it directly for operation commands (startup is a feature).
 */
export async function runOperation(op: OperationSpec, argv: readonly string[], call: ServiceCall = callOperation): Promise<void> {
  const args = operationArguments(op)
  let errorFormat: Settings['errorFormat'] = 'enhanced'
  try {
    const { requiredArgsOverridden, applyCliInput } = await import('./cli-input.js')
    const parsed = parseArgv(argv, args, { requiredOptional: requiredArgsOverridden(argv) })
    errorFormat = resolveErrorFormat(parsed)
    const settings = resolveSettings(parsed)
    if (settings.query !== undefined) (await import('../output/query.js')).checkQuery(settings.query)
    const { buildParameters } = await import('./parameters.js')
    const params = buildParameters(parsed, args)
    // --cli-input-* fills what the command line left unset, before anything looks at the parameters.
    await applyCliInput(params, parsed)
    takePaginationConfig(op, params, parsed)
    if (parsed.has('generate-cli-skeleton')) {
      const { generateSkeleton, skeletonKind } = await import('./skeleton.js')
      const kind = skeletonKind(parsed.get('generate-cli-skeleton'))
      if (kind !== undefined) {
        const tty = process.stdout.isTTY === true
        const color = settings.color === 'on' || (settings.color === 'auto' && tty)
        process.stdout.write(await generateSkeleton(op, kind, params, settings, { width: tty ? process.stdout.columns : 80, color, tty }))
        return
      }
    }
    const { validateParameters } = await import('../args/validate.js')
    validateParameters(params, op.input)
    fillIdempotencyTokens(op, params)
    if (settings.debug) debugLog(`${op.name} parameters: ${JSON.stringify(params, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`)
    process.stdout.write(await call(op, params, settings, parsed))
  } catch (error) {
    // A formatter that fails half way has already printed part of the output (awscli writes as it goes).
    if (error instanceof Error && error.name === 'OutputFormatError') process.stdout.write((error as Error & { partialOutput: string }).partialOutput)
    const { stderr, exitCode } = describeError(error, op.name)
    process.stderr.write(await formattedServiceError(error, errorFormat, op.name) ?? stderr)
    process.exitCode = exitCode
  }
}

async function callOperation(spec: OperationSpec, params: Record<string, unknown>, settings: Settings, parsed: ParsedArgs): Promise<string> {
  const [{ createRegistry }, { executeOperation }] = await Promise.all([import('../registry/create-registry.js'), import('./execute.js')])
  const options = executeOptions(spec, params, settings, parsed)
  const registry = await createRegistry(settings)
  try {
    return await executeOperation(spec, params, options, async (input) => {
      const started = Date.now()
      if (settings.debug) debugLog(`calling ${spec.name} on ${settings.remote ? (settings.endpointUrl ?? `AWS in ${settings.region}`) : `local registry ${settings.registryPath}`}`)
      try {
        // A page request carries what a --starting-token decoded to: botocore validates every request.
        if (options.paging?.startingToken !== undefined) (await import('../args/validate.js')).validateParameters(input, spec.input)
        return (await registry.invoke(spec.name as never, input as never)) as Record<string, unknown>
      } finally {
        if (settings.debug) debugLog(`${spec.name} answered in ${Date.now() - started} ms`)
      }
    })
  } finally {
    await registry.close()
  }
}

/**
 * A paginated operation's --cli-input-* document may hold PaginationConfig (MaxItems, PageSize,
 * StartingToken), which the AWS CLI hands to botocore's paginator rather than to the service: it becomes
 * the paging options, the flags winning, the numbers read by Python's int() (a float truncated, a bad
 * string ValueError's exit 255).
 */
function takePaginationConfig(op: OperationSpec, params: Record<string, unknown>, parsed: ParsedArgs): void {
  const config = params.PaginationConfig
  if (!op.paginator || config === undefined) return
  delete params.PaginationConfig
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return
  const int = (value: unknown): string => {
    const n = pyNumber(value)
    if (n !== null) return n.kind === 'int' ? n.digits : String(Math.trunc(n.value))
    return String(pythonInt(String(value)))
  }
  const c = config as Record<string, unknown>
  if (c.MaxItems != null && !parsed.has('max-items')) parsed.set('max-items', int(c.MaxItems))
  if (c.PageSize != null && !parsed.has('page-size')) parsed.set('page-size', int(c.PageSize))
  if (typeof c.StartingToken === 'string' && !parsed.has('starting-token')) parsed.set('starting-token', c.StartingToken)
}

/** How the response is fetched and printed: format, query, paging, and the terminal's width and colour. */
export function executeOptions(spec: OperationSpec, params: Record<string, unknown>, settings: Settings, parsed: ParsedArgs): ExecuteOptions {
  const tty = process.stdout.isTTY === true
  return {
    output: settings.output,
    query: settings.query,
    // Giving the operation's own token or limit (--next-token, --max-results) means one raw call.
    paginate: settings.paginate && !(spec.paginator && (params[spec.paginator.inputToken] !== undefined || params[spec.paginator.limitKey] !== undefined)),
    paging: pagingOptions(spec, parsed, settings),
    width: tty ? process.stdout.columns : 80,
    color: settings.color === 'on' || (settings.color === 'auto' && tty),
    tty,
  }
}

/** --debug: log lines on stderr in the AWS CLI's shape (`<time> - <thread> - <logger> - DEBUG - <message>`). */
function debugLog(message: string): void {
  process.stderr.write(`${new Date().toISOString().replace('T', ' ').replace('Z', '')} - MainThread - cloudmap - DEBUG - ${message}\n`)
}

/**
 * --cli-error-format json|yaml|text|table prints a service error as data ({Message, Code}) with the
 * output formatters, like the current AWS CLI v2; legacy and enhanced keep the sentence.
 */
async function formattedServiceError(error: unknown, format: Settings['errorFormat'], operationName: string): Promise<string | undefined> {
  if (!(error instanceof CloudmapError) || error.kind !== 'service' || format === 'legacy' || format === 'enhanced') return undefined
  const { formatValue } = await import('../output/render.js')
  return formatValue({ Message: error.message, Code: error.code }, { format, operationName, width: 80, color: false, tty: false })
}

/**
 * --starting-token, --page-size and --max-items (awscli/customizations/paginate.py): integers parsed as
 * argparse's type=int, and refused together with --no-paginate.
 */
function pagingOptions(spec: OperationSpec, parsed: ParsedArgs, settings: Settings): PagingOptions {
  if (!spec.paginator) return {}
  const given = ['starting-token', 'page-size', 'max-items'].filter((name) => parsed.has(name))
  if (!settings.paginate && given.length > 0) throw paramError(`Cannot specify --no-paginate along with pagination arguments: ${given.map((n) => `--${n}`).join(', ')}`)
  const int = (name: string): number | undefined => {
    const raw = parsed.get(name)
    if (typeof raw !== 'string') return undefined
    const n = pyIntOf(raw)
    if (n === undefined) throw usageError(`argument --${name}: invalid int value: '${raw}'`)
    return Number(n)
  }
  const startingToken = parsed.get('starting-token')
  const options: PagingOptions = {}
  if (typeof startingToken === 'string') options.startingToken = startingToken
  const pageSize = int('page-size')
  if (pageSize !== undefined) {
    // botocore validates the page size as the operation's MaxResults (min 1).
    if (pageSize < 1) throw paramError(`Parameter validation failed:\nInvalid value for parameter ${spec.paginator.limitKey}, value: ${pageSize}, valid min value: 1`)
    options.pageSize = pageSize
  }
  const maxItems = int('max-items')
  if (maxItems !== undefined) options.maxItems = maxItems
  return options
}
