import { describeError } from '../cli/report-error.js'
import { CloudmapError, EXIT_CODES } from '../registry/errors.js'

/**
 * A mistake on the command line of cloudmap's own commands (init, configure): exit 252 like the AWS CLI's
 * usage errors, but printed as a plain sentence (there is no AWS parameter validation to quote).
 */
export class CommandUsageError extends CloudmapError {
  constructor(message: string) {
    super('usage', message)
  }
}

const PREFIX = 'cloudmap: [ERROR]: '

/** stderr and exit code for a failure of init or configure. */
export function describeFailure(error: unknown, command: string): { stderr: string; exitCode: number } {
  const plainUsage = error instanceof CommandUsageError || (!(error instanceof CloudmapError) && error instanceof Error && 'oclif' in error)
  if (plainUsage) {
    // oclif's parse errors end in their own hint, which ours replaces.
    const message = (error as Error).message.replace(/\n\s*See more help with --help\s*$/, '').trim()
    return { stderr: `\n${PREFIX}${message}\nSee 'cloudmap ${command} --help'.\n`, exitCode: EXIT_CODES.usage }
  }
  return describeError(error, '')
}

export function reportFailure(error: unknown, command: string): void {
  const { stderr, exitCode } = describeFailure(error, command)
  process.stderr.write(stderr)
  process.exitCode = exitCode
}

/** The parsed global flags as the settings resolver reads them. */
export function flagMap(flags: Record<string, unknown>): Map<string, string | string[] | true> {
  const map = new Map<string, string | string[] | true>()
  for (const [name, value] of Object.entries(flags)) {
    if (typeof value === 'string') map.set(name, value)
  }
  return map
}

/** The backend flags (cli/own-flags.ts BACKEND_FLAGS: run, watch, export, apply, diff) as the settings resolver reads them. */
export function backendArgs(flags: { registry?: string; 'endpoint-url'?: string; region?: string; profile?: string; 'no-sign-request'?: boolean }): Map<string, string | string[] | true> {
  const map = flagMap({ registry: flags.registry, 'endpoint-url': flags['endpoint-url'], region: flags.region, profile: flags.profile })
  if (flags['no-sign-request'] === true) map.set('no-sign-request', true)
  return map
}
