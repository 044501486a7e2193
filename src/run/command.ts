import { hostname, networkInterfaces } from 'node:os'
import { unpackArgument } from '../args/unpack.js'
import { validateParameters } from '../args/validate.js'
import { resolveSettings } from '../cli/settings.js'
import { parseOwnFlags } from '../cli/parse-own-flags.js'
import { secondsFlag } from '../cli/seconds.js'
import { backendArgs, CommandUsageError, reportFailure } from '../config/command-support.js'
import type { CheckSpec } from './readiness.js'
import { RUN_FLAGS } from '../commands/run-flags.js'
import { runProcess } from './run.js'

export interface RunFlags {
  'namespace-name': string
  'service-name': string
  'instance-id'?: string
  port?: number
  ipv4?: string
  attributes?: string
  'health-cmd'?: string
  'health-http'?: string
  'health-tcp'?: number
  'health-interval'?: string
  registry?: string
  'endpoint-url'?: string
  region?: string
  profile?: string
  'no-sign-request'?: boolean
}

/** The host's primary IPv4 address: the first non-internal one, in the order the system lists interfaces. */
export function primaryIpv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal)
    if (found) return found.address
  }
  throw new CommandUsageError('--ipv4 auto: this host has no non-internal IPv4 address; give one with --ipv4 ADDRESS')
}

/**
 * `cloudmap run [flags] -- COMMAND [ARGS...]` from its argv: everything after -- is COMMAND, never
 * cloudmap's flags. Parsed without oclif (src/cli/own-flags.ts: start-up counts in "run →
 * discoverable"). Returns the exit status.
 */
export async function runFromArgv(argv: readonly string[]): Promise<number> {
  const dashes = argv.indexOf('--')
  const own = dashes < 0 ? [...argv] : argv.slice(0, dashes)
  const command = dashes < 0 ? [] : argv.slice(dashes + 1)
  let parsed
  try {
    parsed = parseOwnFlags(own, RUN_FLAGS)
  } catch (error) {
    reportFailure(error, 'run')
    return process.exitCode as number
  }
  return runCommand(parsed.flags as unknown as RunFlags, command, parsed.positionals)
}

/** cloudmap run's flags checked as register-instance checks its parameters, then the run. Returns the exit status. */
export async function runCommand(flags: RunFlags, command: string[], stray: string[]): Promise<number> {
  let options
  try {
    if (stray.length > 0) throw new CommandUsageError(`COMMAND goes after --: cloudmap run [flags] -- ${stray.join(' ')}`)
    if (command.length === 0) throw new CommandUsageError('No COMMAND to run: cloudmap run [flags] -- COMMAND [ARGS...]')
    const attributes: Record<string, string> = flags.attributes === undefined ? {} : (unpackArgument('--attributes', 'Attributes', flags.attributes) as Record<string, string>)
    if (flags.ipv4 !== undefined) attributes.AWS_INSTANCE_IPV4 = flags.ipv4 === 'auto' ? primaryIpv4() : flags.ipv4
    if (flags.port !== undefined) attributes.AWS_INSTANCE_PORT = String(flags.port)
    const instanceId = flags['instance-id'] ?? `${hostname()}-${process.pid}`
    validateParameters({ ServiceId: 'srv-run', InstanceId: instanceId, Attributes: attributes }, 'RegisterInstanceRequest')
    let check: CheckSpec | undefined
    if (flags['health-cmd'] !== undefined) check = { kind: 'cmd', command: flags['health-cmd'] }
    if (flags['health-http'] !== undefined) check = { kind: 'http', url: flags['health-http'] }
    if (flags['health-tcp'] !== undefined) check = { kind: 'tcp', host: '127.0.0.1', port: flags['health-tcp'] }
    options = {
      settings: resolveSettings(backendArgs(flags)),
      namespaceName: flags['namespace-name'],
      serviceName: flags['service-name'],
      instanceId,
      attributes,
      check,
      intervalMs: secondsFlag('health-interval', flags['health-interval'], 1) as number,
      command: command[0],
      args: command.slice(1),
    }
  } catch (error) {
    reportFailure(error, 'run')
    return process.exitCode as number
  }
  return runProcess(options, { err: (text) => process.stderr.write(text), hostname: hostname(), pid: process.pid })
}
