import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { OUTPUT_FORMATS } from '../cli/arguments.js'

/**
 * The settings `cloudmap configure` stores, per profile. Named as in the AWS CLI's config file where it
 * has one (`output`, `region`, `endpoint_url`); cloudmap's own settings in the same snake_case.
 */
export const CONFIG_KEYS = ['backend', 'registry', 'endpoint_url', 'region', 'output', 'account_id', 'serve_access_key_id', 'serve_secret_access_key'] as const
export type ConfigKey = (typeof CONFIG_KEYS)[number]

export interface ConfigKeySpec {
  key: ConfigKey
  summary: string
  /** The global flag that overrides it (without dashes). */
  flag?: string
  /** Environment variables that override it, first one set wins. */
  env: readonly string[]
  /** Shown masked by `configure list` (as the AWS CLI masks keys). */
  secret?: boolean
  /** Why a value cannot be stored, or undefined when it can. */
  check(value: string): string | undefined
  /** The value as stored (e.g. an absolute path). */
  normalize?(value: string): string
}

const REGION = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/

/** Why an endpoint URL is unusable, or undefined: what the AWS CLI and the SDK accept. */
export function endpointProblem(value: string): string | undefined {
  if (!value.includes('://')) return `"${value}" has no scheme: it must be of the form http://<hostname>/ or https://<hostname>/`
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `"${value}" is not a URL`
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${value}" must start with http:// or https://`
  if (url.hostname === '') return `"${value}" has no host name`
  return undefined
}

export function regionProblem(value: string): string | undefined {
  return REGION.test(value) ? undefined : `"${value}" is not a region name (letters, digits and hyphens, such as us-east-1)`
}

/** `~/x` and relative paths become absolute: a stored path must not depend on where cloudmap runs. */
export function absolutePath(value: string): string {
  if (value === '~') return homedir()
  if (value.startsWith('~/')) return join(homedir(), value.slice(2))
  return isAbsolute(value) ? value : resolve(value)
}

export const KEY_SPECS: Record<ConfigKey, ConfigKeySpec> = {
  backend: {
    key: 'backend',
    summary: "Default backend: local (the registry file), remote (endpoint_url) or aws (AWS's own endpoint for the region)",
    env: [],
    check: (v) => (v === 'local' || v === 'remote' || v === 'aws' ? undefined : `backend must be local, remote or aws, not "${v}"`),
  },
  registry: {
    key: 'registry',
    summary: 'Path of the local registry file',
    flag: 'registry',
    env: ['CLOUDMAP_REGISTRY'],
    check: (v) => (v.trim() === '' ? 'registry must be a file path' : undefined),
    normalize: absolutePath,
  },
  endpoint_url: {
    key: 'endpoint_url',
    summary: 'Cloud Map endpoint of the remote backend',
    flag: 'endpoint-url',
    env: ['AWS_ENDPOINT_URL_SERVICEDISCOVERY', 'AWS_ENDPOINT_URL'],
    check: endpointProblem,
  },
  region: {
    key: 'region',
    summary: 'Region used in ARNs and for the remote endpoint',
    flag: 'region',
    env: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
    check: regionProblem,
  },
  output: {
    key: 'output',
    summary: `Output format: ${OUTPUT_FORMATS.join(', ')}`,
    flag: 'output',
    env: ['AWS_DEFAULT_OUTPUT'],
    check: (v) => ((OUTPUT_FORMATS as readonly string[]).includes(v) ? undefined : `output must be one of ${OUTPUT_FORMATS.join(', ')}, not "${v}"`),
  },
  account_id: {
    key: 'account_id',
    summary: 'Account id in the local registry ARNs',
    env: ['CLOUDMAP_ACCOUNT_ID'],
    check: (v) => (/^\d{12}$/.test(v) ? undefined : `account_id must be 12 digits, not "${v}"`),
  },
  serve_access_key_id: {
    key: 'serve_access_key_id',
    summary: 'Access key id that `cloudmap serve` accepts',
    env: ['CLOUDMAP_SERVE_ACCESS_KEY_ID'],
    secret: true,
    check: (v) => (/^\w{1,128}$/.test(v) ? undefined : 'serve_access_key_id must be 1 to 128 letters, digits or underscores'),
  },
  serve_secret_access_key: {
    key: 'serve_secret_access_key',
    summary: 'Secret access key that `cloudmap serve` accepts',
    env: ['CLOUDMAP_SERVE_SECRET_ACCESS_KEY'],
    secret: true,
    check: (v) => (/^\S{1,128}$/.test(v) ? undefined : 'serve_secret_access_key must be 1 to 128 characters without spaces'),
  },
}

export function isConfigKey(key: string): key is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(key)
}

/** Profile names: what fits a file and a shell without quoting. */
export const PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/
