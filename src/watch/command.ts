import { unpackArgument } from '../args/unpack.js'
import { validateParameters } from '../args/validate.js'
import { resolveSettings } from '../cli/settings.js'
import { parseOwnFlags } from '../cli/parse-own-flags.js'
import { secondsFlag } from '../cli/seconds.js'
import { backendArgs, CommandUsageError, reportFailure } from '../config/command-support.js'
import type { DiscoverInstancesRequest, HealthStatusFilter } from '../model/api-types.js'
import { WATCH_FLAGS } from '../commands/watch-flags.js'
import { runWatch } from './watch.js'

export interface WatchFlags {
  'namespace-name': string
  'service-name': string
  'query-parameters'?: string
  'optional-parameters'?: string
  'health-status'?: string
  output: string
  exec?: string
  timeout?: string
  'until-count'?: number
  interval?: string
  registry?: string
  'endpoint-url'?: string
  region?: string
  profile?: string
  'no-sign-request'?: boolean
}

/** `cloudmap watch [flags]` from its argv, parsed without oclif (as cloudmap run, see src/cli/own-flags.ts). */
export async function watchFromArgv(argv: readonly string[]): Promise<number> {
  let flags
  try {
    const parsed = parseOwnFlags(argv, WATCH_FLAGS)
    if (parsed.positionals.length > 0) throw new CommandUsageError(`Unexpected argument: ${parsed.positionals[0]}`)
    flags = parsed.flags as unknown as WatchFlags
  } catch (error) {
    reportFailure(error, 'watch')
    return process.exitCode as number
  }
  return watchCommand(flags)
}

/** cloudmap watch's flags checked as discover-instances checks its parameters, then the watch itself. */
export async function watchCommand(flags: WatchFlags): Promise<number> {
  let options
  try {
    const request: DiscoverInstancesRequest = { NamespaceName: flags['namespace-name'], ServiceName: flags['service-name'] }
    if (flags['query-parameters'] !== undefined) request.QueryParameters = unpackArgument('--query-parameters', 'Attributes', flags['query-parameters']) as Record<string, string>
    if (flags['optional-parameters'] !== undefined) request.OptionalParameters = unpackArgument('--optional-parameters', 'Attributes', flags['optional-parameters']) as Record<string, string>
    if (flags['health-status'] !== undefined) request.HealthStatus = flags['health-status'] as HealthStatusFilter
    validateParameters(request as unknown as Record<string, unknown>, 'DiscoverInstancesRequest')
    options = {
      settings: resolveSettings(backendArgs(flags)),
      request,
      output: flags.output === 'json' ? ('json' as const) : ('text' as const),
      intervalMs: secondsFlag('interval', flags.interval, 1) as number,
      exec: flags.exec,
      timeoutMs: secondsFlag('timeout', flags.timeout),
      untilCount: flags['until-count'],
    }
  } catch (error) {
    reportFailure(error, 'watch')
    return process.exitCode as number
  }
  return runWatch(options, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text), tty: process.stdout.isTTY === true })
}
