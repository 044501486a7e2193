import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, runCli } from '../helpers/cli.js'
import { inspectRegistry } from './inspect.js'

// `cloudmap init` through the built binary (run `npm run build` first). runCli gives the child a pipe
// for standard input: not a terminal.

function scene() {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmap-init-'))
  const registry = join(dir, 'registry.json')
  const env = { CLOUDMAP_CONFIG_DIR: join(dir, 'config'), CLOUDMAP_REGISTRY: registry }
  return { dir, registry, env, run: (args: string[], extra: Record<string, string> = {}) => runCli(args, { ...env, ...extra }, '') }
}

describe('init without a terminal', () => {
  it('refuses at once with a clear message and exit 252, writing nothing', () => {
    const { run, registry, dir } = scene()
    const started = Date.now()
    const r = run(['init'])
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(r.status).toBe(252)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      '\ncloudmap: [ERROR]: cloudmap init asks questions, but standard input is not a terminal. Run it in a terminal, or answer with flags and --yes, e.g.\n' +
        '  cloudmap init --yes --namespace-type http --namespace-name myapp --service name=web --instance id=web-1,ipv4=10.0.0.1,port=8080\n' +
        "See 'cloudmap init --help'.\n",
    )
    expect(existsSync(registry)).toBe(false)
    expect(existsSync(join(dir, 'config'))).toBe(false)
  })

  it('refuses even when every answer is given, unless --yes says so', () => {
    const { run } = scene()
    expect(run(['init', '--namespace-name', 'shop', '--service', 'name=web']).status).toBe(252)
  })
})

describe('init --yes', () => {
  it('runs unattended, and its equivalent commands rebuild the same registry', async () => {
    const { run, registry, dir } = scene()
    const r = run([
      'init',
      '--yes',
      '--namespace-type',
      'public-dns',
      '--namespace-name',
      'example.com',
      '--service',
      'name=www,records=A,ttl=300,health=HTTPS,path=/health,threshold=2',
      '--service',
      'name=api,records=SRV,health=custom',
      '--instance',
      'service=www,id=www-1,ipv4=192.0.2.10,port=443,attr.stage=prod',
      '--instance',
      '{"service": "api", "id": "api-1", "ipv4": "192.0.2.20", "port": 8443, "attributes": {"note": "a, b"}}',
    ])
    expect(r.status).toBe(0)
    // The plan, progress and discovery on stderr; stdout is the script alone (`init --yes ... > setup.sh`).
    expect(r.stderr).toMatch(/^To create in the registry file .*registry\.json:\n  namespace  example\.com \(public DNS\)\n/)
    expect(r.stderr).toContain('  service    www: A records (TTL 300s, multivalue), Route 53 HTTPS health check on /health, threshold 2\n')
    expect(r.stderr).toContain('$ cloudmap discover-instances --namespace-name example.com --service-name api\n{\n    "Instances": [')
    expect(r.stdout).toMatch(/^#!\/bin\/sh\nset -e\nexport CLOUDMAP_REGISTRY=/)

    // Run the printed script on a fresh registry, with `cloudmap` on the PATH.
    const script = r.stdout.replaceAll(registry, join(dir, 'replay.json'))
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'cloudmap'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
    chmodSync(join(bin, 'cloudmap'), 0o755)
    writeFileSync(join(dir, 'setup.sh'), script)
    const replay = spawnSync('sh', [join(dir, 'setup.sh')], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CLOUDMAP_SEED: 'test', CLOUDMAP_NOW: '2026-01-02T03:04:05.678Z', CLOUDMAP_CONFIG_DIR: join(dir, 'config') } })
    expect(replay.stderr).toBe('')
    expect(replay.status).toBe(0)

    // The same namespaces, services and instances (ids aside), read through the Registry port.
    const shape = async (path: string) => {
      const { namespaces, services } = await inspectRegistry(path)
      return { namespaces: namespaces.map(({ Name, Type }) => ({ Name, Type })), services: services.map(({ Id: _, NamespaceId: __, DnsConfig, ...rest }) => ({ ...rest, DnsConfig: { ...(DnsConfig as object), NamespaceId: undefined } })) }
    }
    const original = await shape(registry)
    expect(await shape(join(dir, 'replay.json'))).toEqual(original)
    expect(original.services.map((x) => x.instances)).toEqual([
      { 'www-1': { AWS_INSTANCE_IPV4: '192.0.2.10', AWS_INSTANCE_PORT: '443', stage: 'prod' } },
      { 'api-1': { AWS_INSTANCE_IPV4: '192.0.2.20', AWS_INSTANCE_PORT: '8443', note: 'a, b' } },
    ])
  })

  it('names every missing flag', () => {
    const { run } = scene()
    const r = run(['init', '--yes', '--namespace-type', 'private-dns'])
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('--yes answers every question from flags; missing: --namespace-name, --service, --vpc')
  })

  it('checks flag answers as the prompts would, all at once, before writing anything', () => {
    const { run, registry } = scene()
    const r = run(['init', '--yes', '--namespace-name', 'shop', '--service', 'name=web,health=TCP', '--instance', 'id=web 1'])
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('These answers are not valid:\n  service web: Route 53 health checks need a public DNS namespace.\n  instance web 1: Only letters, digits and _ / : . @ - are allowed.\n')
    expect(existsSync(registry)).toBe(false)
  })

  it('explains a malformed --service', () => {
    const { run } = scene()
    const r = run(['init', '--yes', '--namespace-name', 'shop', '--service', 'web'])
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('--service web: "web" is not key=value')
  })

  it('refuses a namespace name that exists already', () => {
    const { run } = scene()
    expect(run(['create-http-namespace', '--name', 'shop']).status).toBe(0)
    const r = run(['init', '--yes', '--namespace-name', 'Shop', '--service', 'name=web'])
    expect(r.status).toBe(252)
    expect(r.stderr).toMatch(/namespace: A namespace named shop already exists \(ns-\w+\): choose another name\./)
  })
})
