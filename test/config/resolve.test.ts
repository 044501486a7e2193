import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveSettings } from '../../src/cli/settings.js'
import type { ConfigFile } from '../../src/config/file.js'
import { configDir, configPath, readConfigFile } from '../../src/config/file.js'
import { formatConfigList, mask } from '../../src/config/list.js'
import { resolveConfigured } from '../../src/config/resolve.js'
import { CloudmapError } from '../../src/registry/errors.js'

const DEFAULTS = { region: 'us-east-1', accountId: '123456789012', registryPath: '/data/cloudmap/registry.json' }
const FILE: ConfigFile = {
  path: '/cfg/config.json',
  exists: true,
  profiles: {
    default: { region: 'eu-west-1', output: 'table', account_id: '111122223333' },
    moto: { backend: 'remote', endpoint_url: 'http://127.0.0.1:5000', region: 'us-west-2' },
    dev: { registry: '/work/dev.json' },
  },
}

const flags = (entries: Record<string, string> = {}) => new Map<string, string | string[] | true>(Object.entries(entries))

/** A config folder of its own, with this document (or none). */
function configFolder(document?: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmap-config-'))
  if (document !== undefined) writeFileSync(join(dir, 'config.json'), document)
  return { CLOUDMAP_CONFIG_DIR: dir }
}

describe('precedence: flag > environment > configured profile > default', () => {
  it('takes the profile over the default', () => {
    const r = resolveConfigured(flags(), {}, DEFAULTS, FILE).values
    expect(r.region).toEqual({ value: 'eu-west-1', type: 'config-file', location: '/cfg/config.json' })
    expect(r.output).toEqual({ value: 'table', type: 'config-file', location: '/cfg/config.json' })
    expect(r.account_id.value).toBe('111122223333')
    expect(r.registry).toEqual({ value: DEFAULTS.registryPath, type: 'default', location: 'None' })
    expect(r.endpoint_url).toEqual({ value: undefined, type: 'None', location: 'None' })
  })

  it('takes the environment over the profile, in the AWS CLI order of variables', () => {
    const r = resolveConfigured(flags(), { AWS_DEFAULT_REGION: 'ap-south-1', AWS_REGION: 'sa-east-1', AWS_DEFAULT_OUTPUT: 'yaml', CLOUDMAP_ACCOUNT_ID: '999988887777' }, DEFAULTS, FILE).values
    expect(r.region).toEqual({ value: 'sa-east-1', type: 'env', location: 'AWS_REGION' })
    expect(r.output).toEqual({ value: 'yaml', type: 'env', location: 'AWS_DEFAULT_OUTPUT' })
    expect(r.account_id).toEqual({ value: '999988887777', type: 'env', location: 'CLOUDMAP_ACCOUNT_ID' })
  })

  it('takes a flag over everything', () => {
    const r = resolveConfigured(flags({ region: 'ca-central-1', output: 'text' }), { AWS_REGION: 'sa-east-1', AWS_DEFAULT_OUTPUT: 'yaml' }, DEFAULTS, FILE).values
    expect(r.region).toEqual({ value: 'ca-central-1', type: 'manual', location: '--region' })
    expect(r.output).toEqual({ value: 'text', type: 'manual', location: '--output' })
  })

  it('ignores empty environment variables, as the AWS CLI does', () => {
    const r = resolveConfigured(flags(), { AWS_REGION: '', AWS_DEFAULT_OUTPUT: '' }, DEFAULTS, FILE).values
    expect(r.region.type).toBe('config-file')
    expect(r.output.type).toBe('config-file')
  })
})

describe('profiles', () => {
  it('reads "default" unless one is named: --profile > CLOUDMAP_PROFILE > AWS_PROFILE', () => {
    expect(resolveConfigured(flags(), {}, DEFAULTS, FILE).profileName).toBe('default')
    const byEnv = resolveConfigured(flags(), { AWS_PROFILE: 'dev', CLOUDMAP_PROFILE: 'moto' }, DEFAULTS, FILE)
    expect(byEnv.profile).toEqual({ value: 'moto', type: 'env', location: 'CLOUDMAP_PROFILE' })
    expect(byEnv.values.region.value).toBe('us-west-2')
    const byFlag = resolveConfigured(flags({ profile: 'dev' }), { CLOUDMAP_PROFILE: 'moto' }, DEFAULTS, FILE)
    expect(byFlag.profile).toEqual({ value: 'dev', type: 'manual', location: '--profile' })
    expect(byFlag.values.registry.value).toBe('/work/dev.json')
    // A profile only contributes what it sets: the rest falls through to the defaults.
    expect(byFlag.values.region).toEqual({ value: 'us-east-1', type: 'default', location: 'None' })
  })

  it('treats a profile the config file does not have as empty (it may be an AWS credentials profile)', () => {
    const r = resolveConfigured(flags({ profile: 'prod' }), {}, DEFAULTS, FILE)
    expect(r.values.region.type).toBe('default')
  })
})

describe('the backend', () => {
  const backend = (f: Record<string, string>, env: NodeJS.ProcessEnv, profile = 'default') =>
    resolveConfigured(flags({ profile, ...f }), env, DEFAULTS, FILE).values.backend

  it('is local by default and remote with an endpoint', () => {
    expect(backend({}, {})).toEqual({ value: 'local', type: 'default', location: 'None' })
    expect(backend({ 'endpoint-url': 'http://x:1' }, {})).toEqual({ value: 'remote', type: 'manual', location: '--endpoint-url' })
    expect(backend({}, { AWS_ENDPOINT_URL: 'http://x:1' })).toEqual({ value: 'remote', type: 'env', location: 'AWS_ENDPOINT_URL' })
  })

  it('follows the profile, unless a flag or the environment chooses', () => {
    expect(backend({}, {}, 'moto')).toEqual({ value: 'remote', type: 'config-file', location: '/cfg/config.json' })
    expect(backend({ registry: '/tmp/r.json' }, {}, 'moto')).toEqual({ value: 'local', type: 'manual', location: '--registry' })
    expect(backend({}, { CLOUDMAP_REGISTRY: '/tmp/r.json' }, 'moto')).toEqual({ value: 'local', type: 'env', location: 'CLOUDMAP_REGISTRY' })
    // A flag beats the environment: --registry wins over an AWS_ENDPOINT_URL meant for other tools.
    expect(backend({ registry: '/tmp/r.json' }, { AWS_ENDPOINT_URL: 'http://x:1' })).toMatchObject({ value: 'local', type: 'manual' })
  })

  it('reaches resolveSettings: the profile endpoint is used only by a remote backend', () => {
    const env = configFolder(JSON.stringify({ profiles: FILE.profiles }))
    const moto = resolveSettings(flags({ profile: 'moto' }), env)
    expect(moto).toMatchObject({ endpointUrl: 'http://127.0.0.1:5000', region: 'us-west-2', regionGiven: true })
    const local = resolveSettings(flags({ profile: 'moto', registry: '/tmp/r.json' }), env)
    expect(local).toMatchObject({ endpointUrl: undefined, registryPath: '/tmp/r.json' })
    const dflt = resolveSettings(flags(), env)
    expect(dflt).toMatchObject({ region: 'eu-west-1', output: 'table', accountId: '111122223333', endpointUrl: undefined })
  })

  it('is a configuration error when the profile says remote without an endpoint', () => {
    const env = configFolder(JSON.stringify({ profiles: { default: { backend: 'remote' } } }))
    expect(() => resolveSettings(flags(), env)).toThrowError(/backend is remote but no endpoint_url/)
  })
})

describe('the config file', () => {
  it('lives in $CLOUDMAP_CONFIG_DIR, else $XDG_CONFIG_HOME/cloudmap, else ~/.config/cloudmap', () => {
    expect(configDir({ CLOUDMAP_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/b' })).toBe('/a')
    expect(configDir({ XDG_CONFIG_HOME: '/b' })).toBe('/b/cloudmap')
    expect(configDir({ HOME: '/h' }).endsWith(join('.config', 'cloudmap'))).toBe(true)
    expect(configPath({ CLOUDMAP_CONFIG_DIR: '/a' })).toBe('/a/config.json')
  })

  it('is empty when missing', () => {
    expect(readConfigFile(configFolder())).toMatchObject({ exists: false, profiles: {} })
  })

  it.each([
    ['not JSON', '{"profiles": {', /is not valid JSON/],
    ['not an object', '[1, 2]', /is not a JSON object/],
    ['profiles not an object', '{"profiles": "x"}', /"profiles" entry that is not an object/],
    ['a non-string value', '{"profiles": {"default": {"region": 5}}}', /non-string value for region in profile "default"/],
  ])('is a configuration error (exit 253) when %s, and is left as it was', (_what, document, message) => {
    const env = configFolder(document)
    let error: unknown
    try {
      resolveSettings(flags(), env)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(CloudmapError)
    expect((error as CloudmapError).kind).toBe('config')
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toContain('cloudmap left it untouched')
    expect(readFileSync(configPath(env), 'utf8')).toBe(document)
  })

  it('is an error when it cannot be read (a folder in its place)', () => {
    const env = configFolder()
    mkdirSync(configPath(env))
    expect(() => readConfigFile(env)).toThrowError(/cannot be read/)
  })
})

describe('configure list', () => {
  it('prints the AWS CLI table: Name, Value, Type, Location, with keys masked', () => {
    const file: ConfigFile = { ...FILE, profiles: { default: { ...FILE.profiles.default, serve_secret_access_key: 'wJalrXUtnFEMI/K7MDENG' } } }
    const text = formatConfigList(resolveConfigured(flags({ output: 'json' }), { AWS_REGION: 'sa-east-1' }, DEFAULTS, file))
    expect(text.split('\n')).toEqual([
      '                   Name                        Value             Type    Location',
      '                   ----                        -----             ----    --------',
      '                profile                    <not set>             None    None',
      '                backend                        local          default    None',
      '               registry /data/cloudmap/registry.json          default    None',
      '           endpoint_url                    <not set>             None    None',
      '                 region                    sa-east-1              env    AWS_REGION',
      '                 output                         json           manual    --output',
      '             account_id                 111122223333      config-file    /cfg/config.json',
      '    serve_access_key_id                    <not set>             None    None',
      'serve_secret_access_key         ****************DENG      config-file    /cfg/config.json',
      '',
    ])
    expect(mask('abcdefgh')).toBe('****************efgh')
  })
})
