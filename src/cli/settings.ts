import { homedir } from 'node:os'
import { join } from 'node:path'
import { CloudmapError, usageError } from '../registry/errors.js'
import type { OutputFormat } from '../output/render.js'
import { OUTPUT_FORMATS } from './arguments.js'
import type { ParsedArgs } from './argv.js'

/** Everything a command needs to know besides its parameters, resolved once from flags and environment. */
export interface Settings {
  output: OutputFormat
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
  noSignRequest: boolean
  /** CLOUDMAP_SEED: reproducible ids and discover-instances order (tests). */
  seed?: string
  /** CLOUDMAP_NOW: a fixed clock, epoch milliseconds or ISO-8601 (tests). */
  now?: () => Date
}

export const DEFAULT_REGION = 'us-east-1'
export const DEFAULT_ACCOUNT_ID = '123456789012'

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
 * Precedence as the AWS CLI's (flag, then environment, then default):
 * output: --output > AWS_DEFAULT_OUTPUT > json; region: --region > AWS_REGION > AWS_DEFAULT_REGION;
 * endpoint: --endpoint-url > AWS_ENDPOINT_URL_SERVICEDISCOVERY > AWS_ENDPOINT_URL (current AWS CLI v2);
 * registry: --registry > CLOUDMAP_REGISTRY > the user data directory.
 */
export function resolveSettings(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): Settings {
  const output = str(args, 'output') ?? nonEmpty(env.AWS_DEFAULT_OUTPUT) ?? 'json'
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) throw new CloudmapError('other', `Unknown output type: ${output}`)
  const endpointUrl = str(args, 'endpoint-url') ?? nonEmpty(env.AWS_ENDPOINT_URL_SERVICEDISCOVERY) ?? nonEmpty(env.AWS_ENDPOINT_URL)
  if (endpointUrl !== undefined) checkEndpoint(endpointUrl)
  const regionGiven = str(args, 'region') ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION)
  const region = regionGiven ?? DEFAULT_REGION
  if (!/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(region)) {
    throw new CloudmapError('other', `Provided region_name '${region}' doesn't match a supported format.`)
  }
  const settings: Settings = {
    output: output as OutputFormat,
    endpointUrl,
    region,
    regionGiven: regionGiven !== undefined,
    profile: str(args, 'profile') ?? nonEmpty(env.AWS_PROFILE),
    accountId: nonEmpty(env.CLOUDMAP_ACCOUNT_ID) ?? DEFAULT_ACCOUNT_ID,
    registryPath: str(args, 'registry') ?? nonEmpty(env.CLOUDMAP_REGISTRY) ?? defaultRegistryPath(env),
    paginate: !args.has('no-paginate'),
    debug: args.has('debug'),
    color: (str(args, 'color') as Settings['color'] | undefined) ?? 'auto',
    noSignRequest: args.has('no-sign-request'),
    seed: nonEmpty(env.CLOUDMAP_SEED),
  }
  const query = str(args, 'query')
  if (query !== undefined) settings.query = query
  const fixedNow = nonEmpty(env.CLOUDMAP_NOW)
  if (fixedNow !== undefined) {
    const t = /^\d+$/.test(fixedNow) ? new Date(Number(fixedNow)) : new Date(fixedNow)
    if (Number.isNaN(t.getTime())) throw new CloudmapError('config', `CLOUDMAP_NOW is not a time: ${fixedNow}`)
    settings.now = () => new Date(t)
  }
  return settings
}

/** The AWS CLI's endpoint checks (captures 09-19, 09-19b). */
function checkEndpoint(url: string): void {
  if (!url.includes('://')) {
    if (/^[^:/]+:/.test(url)) throw new CloudmapError('other', `Invalid endpoint: ${url}`)
    throw usageError(`Bad value for --endpoint-url "${url}": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/`)
  }
}
