import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runCli, tempRegistry } from '../helpers/cli.js'
import { inspectRegistry } from '../wizard/inspect.js'

// `cloudmap configure` through the built binary (run `npm run build` first), each test with a config
// folder of its own (CLOUDMAP_CONFIG_DIR) and a registry of its own.

function setup() {
  const config = mkdtempSync(join(tmpdir(), 'cloudmap-config-'))
  const { path: registry } = tempRegistry()
  const env = { CLOUDMAP_CONFIG_DIR: config, CLOUDMAP_REGISTRY: registry }
  const run = (args: string[], extra: Record<string, string | undefined> = {}) => runCli(args, { ...env, ...extra })
  const ok = (args: string[], extra: Record<string, string | undefined> = {}) => {
    const r = run(args, extra)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    return r.stdout
  }
  return { config, file: join(config, 'config.json'), registry, env, run, ok }
}

describe('configure set, get, unset', () => {
  it('stores settings per profile, and get prints only what is stored', () => {
    const { ok, run, file } = setup()
    ok(['configure', 'set', 'region', 'eu-west-1'])
    ok(['configure', 'set', 'output', 'text', '--profile', 'dev'])
    expect(ok(['configure', 'get', 'region'])).toBe('eu-west-1\n')
    expect(ok(['configure', 'get', 'output', '--profile', 'dev'])).toBe('text\n')
    // Not stored: exit 1 and nothing printed, as `aws configure get`.
    expect(run(['configure', 'get', 'output'])).toEqual({ stdout: '', stderr: '', status: 1 })
    expect(run(['configure', 'get', 'region', '--profile', 'dev'])).toMatchObject({ stdout: '', status: 1 })
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ profiles: { default: { region: 'eu-west-1' }, dev: { output: 'text' } } })
    // Readable by the owner only: it can hold serve credentials.
    expect(statSync(file).mode & 0o777).toBe(0o600)

    ok(['configure', 'unset', 'output', '--profile', 'dev'])
    ok(['configure', 'unset', 'output', '--profile', 'dev'])
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ profiles: { default: { region: 'eu-west-1' } } })
  })

  it('takes the profile from CLOUDMAP_PROFILE or AWS_PROFILE when --profile is absent', () => {
    const { ok } = setup()
    ok(['configure', 'set', 'region', 'ap-south-1'], { AWS_PROFILE: 'ci' })
    expect(ok(['configure', 'get', 'region', '--profile', 'ci'])).toBe('ap-south-1\n')
    expect(ok(['configure', 'get', 'region'], { CLOUDMAP_PROFILE: 'ci' })).toBe('ap-south-1\n')
  })

  it('stores registry paths absolute', () => {
    const { ok, config } = setup()
    ok(['configure', 'set', 'registry', 'relative/reg.json'], { CWD: config })
    expect(ok(['configure', 'get', 'registry'])).toBe(`${join(config, 'relative', 'reg.json')}\n`)
  })

  it.each([
    [['configure', 'set', 'output', 'xml'], /output must be one of json, text, table, yaml, .*not "xml"/],
    [['configure', 'set', 'region', 'not a region'], '"not a region" is not a region name'],
    [['configure', 'set', 'endpoint_url', 'localhost:5000'], 'has no scheme'],
    [['configure', 'set', 'backend', 'cloud'], 'backend must be local, remote or aws'],
    [['configure', 'set', 'account_id', '12'], 'account_id must be 12 digits'],
    [['configure', 'set', 'colour', 'on'], 'Unknown setting "colour". Keys: backend, registry, endpoint_url, region, output, account_id'],
    [['configure', 'get', 'colour'], 'Unknown setting "colour"'],
    [['configure', 'set', 'region', 'us-east-1', '--profile', 'a b'], 'Profile names are 1 to 64'],
    [['configure', 'set', 'region'], 'Missing 1 required arg'],
  ])('refuses %j with the reason, exit 252, and writes nothing', (args, reason) => {
    const { run, file } = setup()
    const r = run(args)
    expect(r.status).toBe(252)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(reason)
    expect(r.stderr).toMatch(/^\ncloudmap: \[ERROR\]: /)
    expect(existsSync(file)).toBe(false)
  })
})

describe('configured profiles in every command (flag > environment > profile > default)', () => {
  it('uses the profile region and output, overridden by the environment and by flags', () => {
    const { ok } = setup()
    ok(['configure', 'set', 'region', 'eu-west-1'])
    ok(['create-http-namespace', '--name', 'shop'])
    const arn = (extra: string[] = [], env: Record<string, string> = {}) => ok(['list-namespaces', '--query', 'Namespaces[0].Arn', ...extra], env)
    // ARNs are made at creation: the namespace carries the profile's region.
    expect(arn()).toContain('arn:aws:servicediscovery:eu-west-1:')

    ok(['configure', 'set', 'output', 'text'])
    expect(ok(['list-namespaces', '--query', 'Namespaces[0].Name'])).toBe('shop\n')
    expect(ok(['list-namespaces', '--query', 'Namespaces[0].Name'], { AWS_DEFAULT_OUTPUT: 'json' })).toBe('"shop"\n')
    expect(ok(['list-namespaces', '--query', 'Namespaces[0].Name', '--output', 'text'], { AWS_DEFAULT_OUTPUT: 'json' })).toBe('shop\n')
  })

  it('uses the registry and account id of the selected profile', async () => {
    const { ok, env } = setup()
    const { path: devRegistry } = tempRegistry()
    ok(['configure', 'set', 'registry', devRegistry, '--profile', 'dev'])
    ok(['configure', 'set', 'account_id', '210987654321', '--profile', 'dev'])
    // CLOUDMAP_REGISTRY (environment) beats the profile; without it the profile's file is used.
    ok(['create-http-namespace', '--name', 'dev-ns', '--profile', 'dev'], { CLOUDMAP_REGISTRY: undefined })
    expect((await inspectRegistry(devRegistry)).namespaces).toMatchObject([{ Name: 'dev-ns', Arn: expect.stringContaining(':210987654321:namespace/') }])
    expect(existsSync(env.CLOUDMAP_REGISTRY)).toBe(false)
  })

  it('sends commands to the endpoint of a remote profile, unless --registry says local', () => {
    const { ok, run } = setup()
    ok(['configure', 'set', 'backend', 'remote', '--profile', 'moto'])
    ok(['configure', 'set', 'endpoint_url', 'http://127.0.0.1:9', '--profile', 'moto'])
    // (CLOUDMAP_REGISTRY, set by this file's setup, would choose the local backend over the profile.)
    // CLOUDMAP_PROFILE selects cloudmap's profile without naming an AWS credentials profile for the SDK.
    const remote = run(['list-namespaces'], { CLOUDMAP_REGISTRY: undefined, CLOUDMAP_PROFILE: 'moto', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' })
    expect(remote.status).toBe(255)
    expect(remote.stderr).toContain('Could not connect to the endpoint URL: "http://127.0.0.1:9/"')
    expect(ok(['list-namespaces', '--registry', tempRegistry().path], { CLOUDMAP_PROFILE: 'moto' })).toContain('"Namespaces": []')
  })

  it('shows where each value comes from in configure list', () => {
    const { ok, file } = setup()
    ok(['configure', 'set', 'region', 'eu-west-1'])
    ok(['configure', 'set', 'serve_access_key_id', 'AKIAEXAMPLEKEY1234'])
    const lines = ok(['configure', 'list', '--output', 'table'], { AWS_DEFAULT_OUTPUT: 'text' }).split('\n')
    expect(lines[0]).toMatch(/^ +Name +Value +Type +Location$/)
    const row = (name: string) => lines.find((l) => l.trimStart().startsWith(`${name} `))?.trim().replace('<not set>', '<not-set>').split(/ +/).map((w) => w.replace('<not-set>', '<not set>'))
    expect(row('profile')).toEqual(['profile', '<not set>', 'None', 'None'])
    expect(row('region')).toEqual(['region', 'eu-west-1', 'config-file', file])
    expect(row('output')).toEqual(['output', 'table', 'manual', '--output'])
    expect(row('registry')?.slice(2)).toEqual(['env', 'CLOUDMAP_REGISTRY'])
    expect(row('serve_access_key_id')).toEqual(['serve_access_key_id', '****************1234', 'config-file', file])
    expect(row('endpoint_url')).toEqual(['endpoint_url', '<not set>', 'None', 'None'])
    expect(row('account_id')).toEqual(['account_id', '123456789012', 'default', 'None'])
    const dev = ok(['configure', 'list', '--profile', 'dev']).split('\n')
    expect(dev.find((l) => l.trimStart().startsWith('profile '))?.trim().split(/ +/)).toEqual(['profile', 'dev', 'manual', '--profile'])
  })
})

describe('a corrupt config file', () => {
  it('is a clear configuration error (exit 253) for every command, and is kept byte for byte', () => {
    const { run, config, file } = setup()
    mkdirSync(config, { recursive: true })
    const corrupt = '{"profiles": {"default": {"region": "eu-west-1",}}}\n'
    writeFileSync(file, corrupt)
    for (const args of [['configure', 'set', 'region', 'us-east-2'], ['configure', 'unset', 'region'], ['configure', 'list'], ['list-namespaces'], ['init', '--yes', '--namespace-name', 'x', '--service', 'name=y']]) {
      const r = run(args)
      expect(r.status, args.join(' ')).toBe(253)
      expect(r.stderr).toContain(`The config file ${file} is not valid JSON`)
      expect(r.stderr).toContain('cloudmap left it untouched')
      expect(readFileSync(file, 'utf8')).toBe(corrupt)
    }
  })
})

describe('startup', () => {
  it('does not load conf, @inquirer or the autocomplete plugin for registry commands', () => {
    const { run } = setup()
    const hook = fileURLToPath(new URL('./fixtures/import-log.mjs', import.meta.url))
    const r = run(['list-namespaces'], { NODE_OPTIONS: `--import=${hook}` })
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    // The hook does see lazy imports: configure set loads conf.
    expect(run(['configure', 'set', 'region', 'eu-west-1'], { NODE_OPTIONS: `--import=${hook}` }).stderr).toContain('IMPORTED conf')
    // The command table (oclif's path) does not load serve, run, watch or the change feed; run loads its own.
    expect(run(['configure', 'list'], { NODE_OPTIONS: `--import=${hook}` }).stderr).not.toContain('IMPORTED dist/')
    const wrapped = run(['run', '--namespace-name', 'nope', '--service-name', 'nope', '--', 'true'], { NODE_OPTIONS: `--import=${hook}` })
    expect(wrapped.stderr).toContain('IMPORTED dist/run')
    expect(wrapped.stderr).not.toContain('IMPORTED dist/serve')
  })
})

describe('shell completion', () => {
  it('builds bash and zsh completion for every command, with the flags of init and configure', () => {
    const { run } = setup()
    const cache = mkdtempSync(join(tmpdir(), 'cloudmap-cache-'))
    const r = run(['autocomplete', '--refresh-cache'], { XDG_CACHE_HOME: cache })
    expect(r.status).toBe(0)
    const bash = readFileSync(join(cache, 'cloudmap', 'autocomplete', 'functions', 'bash', 'cloudmap.bash'), 'utf8')
    expect(bash).toMatch(/^init --yes --backend --registry --endpoint-url/m)
    expect(bash).toMatch(/^configure:set --profile/m)
    expect(bash).toMatch(/^discover-instances --namespace-name --service-name/m)
    const zsh = readFileSync(join(cache, 'cloudmap', 'autocomplete', 'functions', 'zsh', '_cloudmap'), 'utf8')
    expect(zsh).toContain('"init[Set up a registry, a namespace, services and instances, step by step.]"')
    expect(zsh).toContain('"list[Show the settings in effect and where each comes from.]"')
    const script = run(['autocomplete', 'script', 'bash'], { XDG_CACHE_HOME: cache })
    expect(script.stdout).toContain('CLOUDMAP_AC_BASH_SETUP_PATH')
  })
})

describe('help', () => {
  it.each(['init', 'configure get', 'configure set', 'configure unset', 'configure list'])('%s --help has examples', (name) => {
    const { ok } = setup()
    const command = name.split(' ')
    const help = ok([...command, '--help'])
    expect(help).toContain('EXAMPLES')
    expect(help).toContain(`$ cloudmap ${command.join(' ')}`)
  })
})
