import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { CloudmapError } from '../registry/errors.js'

/** Profiles by name, each a map of setting name to value (strings only). */
export type Profiles = Record<string, Record<string, string>>

export interface ConfigFile {
  path: string
  exists: boolean
  profiles: Profiles
}

export const CONFIG_FILE_NAME = 'config.json'
export const DEFAULT_PROFILE = 'default'

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/**
 * Where `cloudmap configure` keeps its settings: $CLOUDMAP_CONFIG_DIR (tests, several setups side by
 * side), else $XDG_CONFIG_HOME/cloudmap, else ~/.config/cloudmap. The file is conf's JSON document.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = nonEmpty(env.CLOUDMAP_CONFIG_DIR)
  if (explicit !== undefined) return explicit
  return join(nonEmpty(env.XDG_CONFIG_HOME) ?? join(homedir(), '.config'), 'cloudmap')
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), CONFIG_FILE_NAME)
}

function corrupt(path: string, why: string): CloudmapError {
  return new CloudmapError('config', `The config file ${path} ${why}. Fix or remove it (cloudmap left it untouched), or point CLOUDMAP_CONFIG_DIR at another folder.`)
}

/**
 * The config file, read synchronously and without conf: every command resolves its settings through
 * this, so it must stay cheap. A missing file is an empty one; an unreadable or malformed one is a
 * configuration error (exit 253) and is never rewritten.
 */
export function readConfigFile(env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const path = configPath(env)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path, exists: false, profiles: {} }
    throw corrupt(path, `cannot be read (${(error as Error).message})`)
  }
  return { path, exists: true, profiles: parseConfig(path, text) }
}

/** The profiles of a config document, checked: `{"profiles": {"<name>": {"<key>": "<string>"}}}`. */
export function parseConfig(path: string, text: string): Profiles {
  if (text.trim() === '') return {}
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw corrupt(path, `is not valid JSON (${(error as Error).message})`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw corrupt(path, 'is not a JSON object')
  const profiles = (data as Record<string, unknown>).profiles
  if (profiles === undefined) return {}
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) throw corrupt(path, 'has a "profiles" entry that is not an object')
  const out: Profiles = {}
  for (const [name, values] of Object.entries(profiles as Record<string, unknown>)) {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) throw corrupt(path, `has a profile "${name}" that is not an object`)
    out[name] = {}
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      if (typeof value !== 'string') throw corrupt(path, `has a non-string value for ${key} in profile "${name}"`)
      out[name][key] = value
    }
  }
  return out
}
