import type { ConfigFile } from './file.js'
import { DEFAULT_PROFILE, readConfigFile } from './file.js'
import type { ConfigKey } from './keys.js'
import { CONFIG_KEYS, KEY_SPECS } from './keys.js'

/**
 * Where a value came from, in the AWS CLI's `configure list` words: `manual` (a flag), `env`,
 * `config-file`; plus `default` for cloudmap's built-in defaults, and `None` when nothing set it.
 */
export type SourceType = 'manual' | 'env' | 'config-file' | 'default' | 'None'

export interface ResolvedValue {
  value: string | undefined
  type: SourceType
  /** The flag, the environment variable, the config file path, or 'None'. */
  location: string
}

export interface ConfiguredSettings {
  /** The profile read from the config file (its value is undefined when none was named: 'default' is read). */
  profile: ResolvedValue
  profileName: string
  values: Record<ConfigKey, ResolvedValue>
  file: ConfigFile
}

/** Anything with the parsed global flags: ParsedArgs, or a Map built from oclif flags. */
export interface FlagSource {
  get(name: string): unknown
}

export interface BuiltinDefaults {
  region: string
  accountId: string
  registryPath: string
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

function flag(args: FlagSource, name: string): string | undefined {
  const v = args.get(name)
  return typeof v === 'string' ? v : undefined
}

const NOT_SET: ResolvedValue = { value: undefined, type: 'None', location: 'None' }

/** The profile to read: --profile > CLOUDMAP_PROFILE > AWS_PROFILE > 'default'. */
export function selectProfile(args: FlagSource, env: NodeJS.ProcessEnv): ResolvedValue {
  const given = flag(args, 'profile')
  if (given !== undefined) return { value: given, type: 'manual', location: '--profile' }
  for (const name of ['CLOUDMAP_PROFILE', 'AWS_PROFILE']) {
    const v = nonEmpty(env[name])
    if (v !== undefined) return { value: v, type: 'env', location: name }
  }
  return NOT_SET
}

/**
 * Every setting with its source, by the precedence flag > environment > configured profile > default.
 *
 * The backend is chosen by the same layers: an endpoint (flag or environment) means remote and a
 * registry path means local, flags before environment (an endpoint first when both are at one level);
 * then the profile's `backend` (or, without one, whether it sets `endpoint_url`); else local.
 */
export function resolveConfigured(args: FlagSource, env: NodeJS.ProcessEnv, defaults: BuiltinDefaults, file: ConfigFile = readConfigFile(env)): ConfiguredSettings {
  const profile = selectProfile(args, env)
  const profileName = profile.value ?? DEFAULT_PROFILE
  const stored = file.profiles[profileName] ?? {}
  const builtin: Partial<Record<ConfigKey, string>> = { region: defaults.region, output: 'json', account_id: defaults.accountId, registry: defaults.registryPath }

  const values = {} as Record<ConfigKey, ResolvedValue>
  for (const key of CONFIG_KEYS) {
    const spec = KEY_SPECS[key]
    values[key] = layered(key, spec.flag, spec.env, stored, file.path, builtin[key], args, env)
  }
  values.backend = backendOf(args, env, stored, file.path)
  return { profile, profileName, values, file }
}

function layered(key: string, flagName: string | undefined, envNames: readonly string[], stored: Record<string, string>, path: string, builtin: string | undefined, args: FlagSource, env: NodeJS.ProcessEnv): ResolvedValue {
  if (flagName !== undefined) {
    const v = flag(args, flagName)
    if (v !== undefined) return { value: v, type: 'manual', location: `--${flagName}` }
  }
  for (const name of envNames) {
    const v = nonEmpty(env[name])
    if (v !== undefined) return { value: v, type: 'env', location: name }
  }
  const fromFile = nonEmpty(stored[key])
  if (fromFile !== undefined) return { value: fromFile, type: 'config-file', location: path }
  if (builtin !== undefined) return { value: builtin, type: 'default', location: 'None' }
  return NOT_SET
}

function backendOf(args: FlagSource, env: NodeJS.ProcessEnv, stored: Record<string, string>, path: string): ResolvedValue {
  if (flag(args, 'endpoint-url') !== undefined) return { value: 'remote', type: 'manual', location: '--endpoint-url' }
  if (flag(args, 'registry') !== undefined) return { value: 'local', type: 'manual', location: '--registry' }
  for (const name of KEY_SPECS.endpoint_url.env) {
    if (nonEmpty(env[name]) !== undefined) return { value: 'remote', type: 'env', location: name }
  }
  if (nonEmpty(env.CLOUDMAP_REGISTRY) !== undefined) return { value: 'local', type: 'env', location: 'CLOUDMAP_REGISTRY' }
  const backend = nonEmpty(stored.backend) ?? (nonEmpty(stored.endpoint_url) !== undefined ? 'remote' : undefined)
  if (backend !== undefined) return { value: backend, type: 'config-file', location: path }
  return { value: 'local', type: 'default', location: 'None' }
}
