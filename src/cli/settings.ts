import { homedir } from 'node:os'
import { join } from 'node:path'
import { CloudmapError, paramError, usageError } from '../registry/errors.js'
import type { OutputFormat } from '../output/render.js'
import { pythonInt } from '../args/unpack.js'
import { ERROR_FORMATS, OUTPUT_FORMATS } from './arguments.js'
import type { ParsedArgs } from './argv.js'
import { awsProfileNames } from '../config/aws-profiles.js'
import type { ConfiguredSettings } from '../config/resolve.js'
import { resolveConfigured } from '../config/resolve.js'

/** Everything a command needs to know besides its parameters, resolved once from flags and environment. */
export interface Settings {
  output: OutputFormat
  /** A remote Cloud Map endpoint answers (endpointUrl, or AWS's own when that is unset) rather than the local file. */
  remote: boolean
  query?: string
  endpointUrl?: string
  region: string
  /** Whether the region came from a flag or the environment rather than cloudmap's local default. */
  regionGiven: boolean
  profile?: string
  accountId: string
  registryPath: string
  paginate: boolean
  debug: boolean
  color: 'on' | 'off' | 'auto'
  errorFormat: (typeof ERROR_FORMATS)[number]
  noSignRequest: boolean
  /** Access keys for the remote endpoint instead of the SDK's default chain (init's test keys). */
  credentials?: { accessKeyId: string; secretAccessKey: string }
  /** --cli-connect-timeout / --cli-read-timeout, seconds (0: no timeout). */
  connectTimeout?: number
  readTimeout?: number
  /** CLOUDMAP_SEED: reproducible ids and discover-instances order (tests). */
  seed?: string
  /** CLOUDMAP_NOW: a fixed clock, epoch milliseconds or ISO-8601 (tests). */
  now?: () => Date
  /** CLOUDMAP_OPERATION_DELAY_MS: local operations stay SUBMITTED/PENDING this long (default 0: at once). */
  operationDelayMs?: number
  /** Every setting as resolved, with where its value came from (serve's access keys, for their messages). */
  configured: ConfiguredSettings['values']
}

export const DEFAULT_REGION = 'us-east-1'
export const DEFAULT_ACCOUNT_ID = '123456789012'

/**
 * The profile named by --profile, CLOUDMAP_PROFILE or AWS_PROFILE is cloudmap's (`cloudmap configure`),
 * AWS's (the shared config and credentials files), or both. Only an AWS profile goes to the AWS SDK; a
 * name that is neither fails as botocore's ProfileNotFound does ('default' may be absent).
 */
function awsProfile(name: string | undefined, ownProfiles: Record<string, unknown>, env: NodeJS.ProcessEnv): string | undefined {
  if (name === undefined) return undefined
  const aws = awsProfileNames(env)
  if (!aws.has(name) && !Object.prototype.hasOwnProperty.call(ownProfiles, name) && name !== 'default') {
    throw new CloudmapError('other', `The config profile (${name}) could not be found`)
  }
  return aws.has(name) ? name : undefined
}

function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.get(name)
  return typeof v === 'string' ? v : undefined
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/** $XDG_DATA_HOME/cloudmap/registry.json, else ~/.local/share/cloudmap/registry.json. */
export function defaultRegistryPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = nonEmpty(env.XDG_DATA_HOME) ?? join(homedir(), '.local', 'share')
  return join(base, 'cloudmap', 'registry.json')
}

/**
 * Precedence as the AWS CLI's (flag, then environment, then the configured profile, then default):
 * output: --output > AWS_DEFAULT_OUTPUT > profile > json; region: --region > AWS_REGION > AWS_DEFAULT_REGION > profile;
 * endpoint: --endpoint-url > AWS_ENDPOINT_URL_SERVICEDISCOVERY > AWS_ENDPOINT_URL > profile (current AWS CLI v2);
 * registry: --registry > CLOUDMAP_REGISTRY > profile > the user data directory. The layers, the
 * profile's choice of backend and the config file live in src/config/resolve.ts (`cloudmap configure`).
 */
export function resolveSettings(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): Settings {
  // An empty path names no file (it would become the current folder's ".d" shard folder).
  if (args.get('registry') === '') throw paramError("Bad value for --registry '': the registry is a file, and an empty path names none")
  const resolved = resolveConfigured(args, env, { region: DEFAULT_REGION, accountId: DEFAULT_ACCOUNT_ID, registryPath: defaultRegistryPath(env) })
  const configured = resolved.values
  const output = configured.output.value ?? 'json'
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) throw new CloudmapError('other', `Unknown output type: ${output}`)
  // backend aws: AWS's own regional endpoint, as the SDK resolves it (no endpoint URL to give).
  const remote = configured.backend.value === 'remote' || configured.backend.value === 'aws'
  const endpointUrl = configured.backend.value === 'remote' ? configured.endpoint_url.value : undefined
  if (configured.backend.value === 'remote' && endpointUrl === undefined) {
    throw new CloudmapError('config', `The configured backend is remote but no endpoint_url is set (${configured.backend.location}). Run \`cloudmap configure set endpoint_url URL\`.`)
  }
  if (endpointUrl !== undefined) checkEndpoint(endpointUrl)
  const regionGiven = configured.region.type === 'default' ? undefined : configured.region.value
  const region = regionGiven ?? DEFAULT_REGION
  if (!/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(region)) {
    throw new CloudmapError('other', `Provided region_name '${region}' doesn't match a supported format.`)
  }
  const settings: Settings = {
    output: output as OutputFormat,
    remote,
    endpointUrl,
    region,
    regionGiven: regionGiven !== undefined,
    profile: awsProfile(resolved.profile.value, resolved.file.profiles, env),
    accountId: configured.account_id.value ?? DEFAULT_ACCOUNT_ID,
    registryPath: configured.registry.value ?? defaultRegistryPath(env),
    paginate: !args.has('no-paginate'),
    debug: args.has('debug'),
    color: (str(args, 'color') as Settings['color'] | undefined) ?? 'auto',
    errorFormat: errorFormat(args, env),
    noSignRequest: args.has('no-sign-request'),
    seed: nonEmpty(env.CLOUDMAP_SEED),
    configured,
  }
  for (const [flag, key] of [['cli-connect-timeout', 'connectTimeout'], ['cli-read-timeout', 'readTimeout']] as const) {
    const value = str(args, flag)
    if (value !== undefined) settings[key] = Number(pythonInt(value))
  }
  const query = str(args, 'query')
  if (query !== undefined) settings.query = query
  const delay = nonEmpty(env.CLOUDMAP_OPERATION_DELAY_MS)
  if (delay !== undefined) {
    if (!/^\d+$/.test(delay)) throw new CloudmapError('config', `CLOUDMAP_OPERATION_DELAY_MS must be a whole number of milliseconds, not ${delay}`)
    settings.operationDelayMs = Number(delay)
  }
  const fixedNow = nonEmpty(env.CLOUDMAP_NOW)
  if (fixedNow !== undefined) {
    const t = /^\d+$/.test(fixedNow) ? new Date(Number(fixedNow)) : new Date(fixedNow)
    if (Number.isNaN(t.getTime())) throw new CloudmapError('config', `CLOUDMAP_NOW is not a time: ${fixedNow}`)
    settings.now = () => new Date(t)
  }
  return settings
}

/** --cli-error-format > AWS_CLI_ERROR_FORMAT > enhanced (current AWS CLI v2). */
export function errorFormat(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): Settings['errorFormat'] {
  const value = str(args, 'cli-error-format') ?? nonEmpty(env.AWS_CLI_ERROR_FORMAT) ?? 'enhanced'
  return (ERROR_FORMATS as readonly string[]).includes(value) ? (value as Settings['errorFormat']) : 'enhanced'
}

/** The AWS CLI's endpoint checks (captures 09-19, 09-19b). */
function checkEndpoint(url: string): void {
  if (!url.includes('://')) {
    if (/^[^:/]+:/.test(url)) throw new CloudmapError('other', `Invalid endpoint: ${url}`)
    throw usageError(`Bad value for --endpoint-url "${url}": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/`)
  }
}
