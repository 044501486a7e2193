import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import type { OperationName } from '../../src/model/index.js'
import { serviceError } from '../../src/registry/errors.js'
import type { Input, Output, Registry } from '../../src/registry/registry.js'
import { ApplyError, applyAnswers } from '../../src/wizard/apply.js'
import type { InitFlags } from '../../src/wizard/run-init.js'
import { runInit } from '../../src/wizard/run-init.js'
import { isLoopbackHost } from '../../src/config/loopback.js'
import { isLoopback } from '../../src/wizard/wizard.js'
import { startServeProcess } from '../helpers/live.js'
import { inspectRegistry } from './inspect.js'
import type { Step } from './scripted-prompter.js'
import { CTRL_C, DEFAULT, ScriptedPrompter } from './scripted-prompter.js'

/** A scratch registry and config folder, and runInit wired to a scripted prompter. */
function scene() {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmap-wizard-'))
  const registry = join(dir, 'registry.json')
  const configDir = join(dir, 'config')
  const env: NodeJS.ProcessEnv = { CLOUDMAP_CONFIG_DIR: configDir, CLOUDMAP_REGISTRY: registry, CLOUDMAP_SEED: 'wizard', CLOUDMAP_NOW: '2026-01-02T03:04:05.678Z', HOME: dir }
  let stdout = ''
  let stderr = ''
  const run = async (steps: Step[], flags: InitFlags = {}, extra: Partial<Parameters<typeof runInit>[1]> = {}) => {
    const prompter = new ScriptedPrompter(steps)
    const code = await runInit(flags, {
      env,
      stdinIsTTY: true,
      prompter,
      out: (t) => void (stdout += t),
      err: (t) => void (stderr += t),
      onInterrupt: () => () => {},
      ...extra,
    })
    expect(prompter.remaining, 'every scripted answer was asked for').toBe(0)
    return { code, prompter, stdout, stderr }
  }
  const state = () => inspectRegistry(registry)
  return { dir, registry, configDir, env, run, state }
}

afterEach(() => {
  vi.unstubAllEnvs()
})

const LOCAL: Step[] = [
  ['Where should the registry live?', 'local'],
  ['Registry file', DEFAULT],
]

describe('the wizard', () => {
  it('creates an HTTP namespace, a service and an instance, showing why a bad answer is refused', async () => {
    const { run, state } = scene()
    const { code, prompter, stdout, stderr } = await run([
      ...LOCAL,
      ['Namespace type', 'HTTP'],
      ['Namespace name', 'my shop'],
      ['Namespace name', 'shop'],
      ['Service name', 'web'],
      ['Health check', 'custom'],
      ['Add another service?', false],
      ['Register an instance in web?', true],
      ['Instance id', DEFAULT],
      // Not an address, but RegisterInstance takes it where it becomes no DNS record (an HTTP namespace).
      ['IPv4 address (optional)', '10.0.0.300'],
      ['Port (optional)', '8080'],
      ['Custom attribute', 'AWS_INSTANCE_PORT=9'],
      ['Custom attribute', 'stage=beta'],
      ['Custom attribute', ''],
      ['Register another instance in web?', false],
      ['Create it now?', true],
    ])
    // Progress and discovery on stderr; stdout is the equivalent script alone.
    expect(stderr).toContain('✔ namespace shop (')
    expect(stdout).toMatch(/^#!\/bin\/sh\n/)
    expect(code).toBe(0)
    expect(prompter.rejections).toEqual([
      { question: 'Namespace name (such as myapp)', answer: 'my shop', reason: 'Only printable ASCII characters, without spaces.' },
      { question: 'Custom attribute key=value (empty to finish)', answer: 'AWS_INSTANCE_PORT=9', reason: 'AWS_INSTANCE_PORT is reserved by AWS: the wizard sets it from its own questions.' },
    ])
    // An HTTP namespace has no DNS records, so no DNS question; Route 53 checks are offered disabled, with the reason.
    expect(prompter.asked).not.toContain('DNS records for each instance')
    expect(prompter.offered.get('Health check')?.map((c) => [c.value, c.disabled ?? 'offered'])).toEqual([
      ['none', 'offered'],
      ['custom', 'offered'],
      ['HTTP', 'Route 53 health checks need a public DNS namespace'],
      ['HTTPS', 'Route 53 health checks need a public DNS namespace'],
      ['TCP', 'Route 53 health checks need a public DNS namespace'],
    ])
    expect(prompter.said.join('\n')).toContain('  namespace  shop (HTTP)\n  service    web: no DNS records, custom health check\n  instance   web-1 in web at 10.0.0.300:8080 (stage=beta)')

    const s = await state()
    expect(s.namespaces).toMatchObject([{ Name: 'shop', Type: 'HTTP' }])
    const [srv] = s.services
    expect(srv).toMatchObject({ Name: 'web', NamespaceId: s.namespaces[0].Id, HealthCheckCustomConfig: { FailureThreshold: 1 } })
    expect(srv.instances).toEqual({ 'web-1': { AWS_INSTANCE_IPV4: '10.0.0.300', AWS_INSTANCE_PORT: '8080', stage: 'beta' } })

    // It ends with discover-instances and the same setup as commands.
    expect(stderr).toContain('$ cloudmap discover-instances --namespace-name shop --service-name web\n{\n    "Instances": [\n        {\n            "InstanceId": "web-1",')
    expect(stdout).toContain('srv_web=$(cloudmap create-service --name web --namespace-id "$ns_id" \\\n    --health-check-custom-config FailureThreshold=1')
  })

  it('offers DNS records, routing and Route 53 checks in a public DNS namespace, only in combinations AWS accepts', async () => {
    const { run, state } = scene()
    const { code, prompter } = await run([
      ...LOCAL,
      ['Namespace type', 'DNS_PUBLIC'],
      ['Namespace name', 'localhost'],
      ['Namespace name', 'example.com'],
      ['Service name', 'www'],
      ['DNS records for each instance', 'A'],
      ['TTL of the records, in seconds', '300'],
      ['Routing policy', 'WEIGHTED'],
      ['Health check', 'HTTPS'],
      ['Path Route 53 requests', 'health'],
      ['Path Route 53 requests', '/health'],
      ['Failed checks before an instance is unhealthy', '0'],
      ['Failed checks before an instance is unhealthy', '3'],
      ['Add another service?', true],
      ['Service name', 'WWW'],
      ['Service name', 'legacy'],
      ['DNS records for each instance', 'CNAME'],
      ['TTL of the records, in seconds', DEFAULT],
      ['Health check', 'none'],
      ['Add another service?', false],
      ['Register an instance in www?', true],
      ['Instance id', 'www-1'],
      ['IPv4 address', ''],
      ['IPv4 address', '192.0.2.10'],
      ['Port', ''],
      ['Port', '443'],
      ['Custom attribute', ''],
      ['Register another instance in www?', false],
      ['Register an instance in legacy?', true],
      ['Instance id', DEFAULT],
      ['Domain name the CNAME record points to', 'old.example.net'],
      ['Port (optional)', ''],
      ['Custom attribute', ''],
      ['Register another instance in legacy?', false],
      ['Create it now?', true],
    ])
    expect(code).toBe(0)
    expect(prompter.rejections.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^A public DNS namespace is a domain name/),
      'The path starts with "/", such as /health.',
      'Route 53 takes 1 to 10 consecutive checks.',
      'There is already a service named WWW in this namespace.',
      'This service has A records: AWS requires an IPv4 address.',
      'This service has an SRV record or a health check: AWS requires a port.',
    ])
    // CNAME records: no routing question (WEIGHTED is the only policy), Route 53 checks disabled.
    expect(prompter.said).toContain('Routing policy: WEIGHTED (the only one AWS accepts with CNAME records).')
    const legacyHealth = prompter.offered.get('Health check')!
    expect(legacyHealth.find((c) => c.value === 'HTTP')?.disabled).toBe('AWS refuses Route 53 health checks with CNAME records')

    const { services } = await state()
    expect(services.find((s) => s.Name === 'www')).toMatchObject({
      DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'A', TTL: 300 }] },
      HealthCheckConfig: { Type: 'HTTPS', ResourcePath: '/health', FailureThreshold: 3 },
    })
    expect(services.find((s) => s.Name === 'legacy')).toMatchObject({ DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'CNAME', TTL: 60 }] } })
  })

  it('asks for an IPv6 address when an SRV instance has no IPv4 one, and a VPC for a private namespace', async () => {
    const { run, state } = scene()
    const { code, stdout } = await run([
      ...LOCAL,
      ['Namespace type', 'DNS_PRIVATE'],
      ['Namespace name', 'corp.internal'],
      ['VPC id', ''],
      ['VPC id', 'vpc-0a1b2c3d'],
      ['Service name', 'sip'],
      ['DNS records for each instance', 'SRV'],
      ['TTL of the records, in seconds', '10'],
      ['Routing policy', 'MULTIVALUE'],
      ['Health check', 'none'],
      ['Add another service?', false],
      ['Register an instance in sip?', true],
      ['Instance id', 'sip-a'],
      ['IPv4 address (empty: give an IPv6 address instead)', ''],
      ['IPv6 address', '2001:db8::5'],
      ['Port', '5060'],
      ['Custom attribute', ''],
      ['Register another instance in sip?', false],
      ['Create it now?', DEFAULT],
    ])
    expect(code).toBe(0)
    const s = await state()
    expect(s.namespaces).toMatchObject([{ Name: 'corp.internal', Type: 'DNS_PRIVATE' }])
    expect(stdout).toContain('cloudmap create-private-dns-namespace --name corp.internal --vpc vpc-0a1b2c3d')
    expect(s.services[0].instances).toEqual({ 'sip-a': { AWS_INSTANCE_IPV6: '2001:db8::5', AWS_INSTANCE_PORT: '5060' } })
  })

  it('checks that a remote endpoint answers, and lets the user change the answers', async () => {
    const { run, state } = scene()
    // The AWS SDK reads credentials from the process environment.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test')
    vi.stubEnv('AWS_PROFILE', undefined)
    const { code, prompter } = await run([
      ['Where should the registry live?', 'remote'],
      ['Endpoint URL', 'localhost:9'],
      ['Endpoint URL', 'http://127.0.0.1:9'],
      ['Region', 'not a region'],
      ['Region', 'eu-west-1'],
      ['AWS profile', ''],
      ['Where should the registry live?', 'local'],
      ['Registry file', DEFAULT],
      ['Namespace type', 'HTTP'],
      ['Namespace name', 'shop'],
      ['Service name', 'web'],
      ['Health check', 'none'],
      ['Add another service?', false],
      ['Register an instance in web?', false],
      ['Create it now?', true],
    ])
    expect(code).toBe(0)
    expect(prompter.rejections.map((r) => r.reason)).toEqual([
      '"localhost:9" has no scheme: it must be of the form http://<hostname>/ or https://<hostname>/',
      '"not a region" is not a region name (letters, digits and hyphens, such as us-east-1)',
    ])
    expect(prompter.said).toContain('✖ http://127.0.0.1:9 did not answer: Could not connect to the endpoint URL: "http://127.0.0.1:9/"')
    // Back on the default backend, there is nothing to remember: no question about saving it.
    expect(prompter.asked).not.toContain(expect.stringMatching(/^Use this backend/))
    expect((await state()).namespaces).toMatchObject([{ Name: 'shop' }])
  })

  it.each([
    ['unsigned', 'unsigned', 'cloudmap --no-sign-request create-http-namespace --name shop'],
    ['test keys', 'test', 'export AWS_SECRET_ACCESS_KEY=test'],
  ] as const)('offers %s requests for a local cloudmap serve when no credentials are configured', async (_name, way, scriptLine) => {
    const { run, dir } = scene()
    const serveRegistry = join(dir, 'served.json')
    const serve = await startServeProcess([], { CLOUDMAP_REGISTRY: serveRegistry })
    try {
      // No credentials anywhere the AWS SDK looks (HOME is the scene's scratch folder).
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE']) vi.stubEnv(name, undefined)
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-credentials'))
      vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-config'))
      vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true')
      const { code, prompter, stdout, stderr } = await run([
        ['Where should the registry live?', 'remote'],
        ['Endpoint URL', serve.url],
        ['Region', 'us-east-1'],
        ['AWS profile', ''],
        ['No AWS credentials are configured', way],
        ['Namespace type', 'HTTP'],
        ['Namespace name', 'shop'],
        ['Service name', 'web'],
        ['Health check', 'none'],
        ['Add another service?', false],
        ['Register an instance in web?', false],
        ['Use this backend by default', false],
        ['Create it now?', true],
      ])
      expect(prompter.said).toContain(`✖ ${serve.url} did not answer: Unable to locate credentials. You can configure credentials by running "aws configure".`)
      expect(prompter.said).toContain(`✔ ${serve.url} answers (0 namespaces).`)
      expect(stderr).not.toContain('[ERROR]')
      expect(code).toBe(0)
      expect(stdout).toContain(scriptLine)
      expect((await inspectRegistry(serveRegistry)).namespaces).toMatchObject([{ Name: 'shop' }])
    } finally {
      await serve.stop()
    }
  })

  it('knows which endpoints are on this machine', () => {
    expect(['http://127.0.0.1:4566', 'http://localhost:5000/', 'http://[::1]:80', 'http://127.1.2.3'].map(isLoopback)).toEqual([true, true, true, true])
    expect(['https://servicediscovery.us-east-1.amazonaws.com', 'http://10.0.0.1:4566', 'http://sd.test:80'].map(isLoopback)).toEqual([false, false, false])
    // serve's --host uses the same rule on bare host names.
    expect(['localhost', 'api.localhost', '::1', '[::1]', '127.0.0.1'].map(isLoopbackHost)).toEqual([true, true, true, true, true])
    expect(['0.0.0.0', '10.0.0.1', '::', 'localhost.example.com'].map(isLoopbackHost)).toEqual([false, false, false, false])
  })

  it('refuses a registry file that is not a registry, at the prompt', async () => {
    const { run, dir } = scene()
    const notes = join(dir, 'notes.txt')
    writeFileSync(notes, 'not a registry\n')
    const { code, prompter } = await run([
      ['Where should the registry live?', 'local'],
      ['Registry file', notes],
      ['Registry file', join(dir, 'other.json')],
      ['Namespace type', 'HTTP'],
      ['Namespace name', 'n'],
      ['Service name', 's'],
      ['Health check', 'none'],
      ['Add another service?', false],
      ['Register an instance in s?', false],
      ['Use this backend by default', true],
      ['Create it now?', false],
    ])
    expect(code).toBe(0)
    // The local backend's own reason, shown at the prompt; the file is kept as it was.
    expect(prompter.rejections).toEqual([{ question: 'Registry file', answer: notes, reason: expect.stringContaining(notes) }])
    expect(readFileSync(notes, 'utf8')).toBe('not a registry\n')
    expect(existsSync(join(dir, 'other.json'))).toBe(false)
    // Declined: nothing created, and the backend was not remembered either.
    expect(existsSync(join(dir, 'config'))).toBe(false)
  })

  it('leaves nothing written after Ctrl-C at a prompt (exit 130)', async () => {
    const { run, registry, configDir } = scene()
    const { code, stderr } = await run([...LOCAL, ['Namespace type', 'HTTP'], ['Namespace name', 'shop'], ['Service name', CTRL_C]])
    expect(code).toBe(130)
    expect(stderr).toBe('\nCancelled: nothing was written.\n')
    expect(existsSync(registry)).toBe(false)
    expect(existsSync(configDir)).toBe(false)
  })

  it('asks only what flags did not answer, and remembers the backend when asked to', async () => {
    const { run, dir, registry, env } = scene()
    const other = join(dir, 'team.json')
    const { code, prompter, stderr } = await run([['Create it now?', true]], {
      registry: other,
      'namespace-type': 'http',
      'namespace-name': 'team',
      service: ['name=api'],
      instance: ['id=api-1,ipv4=10.1.0.1'],
      'save-profile': 'team',
    } as InitFlags)
    expect(code).toBe(0)
    // The flags left nothing to ask but the final confirmation (--yes would skip that too).
    expect(prompter.asked).toEqual(['Create it now?'])
    expect(existsSync(other)).toBe(true)
    expect(existsSync(registry)).toBe(false)
    expect(JSON.parse(readFileSync(join(env.CLOUDMAP_CONFIG_DIR!, 'config.json'), 'utf8'))).toEqual({ profiles: { team: { backend: 'local', registry: other } } })
    expect(stderr).toContain(`Saved in profile team of ${join(env.CLOUDMAP_CONFIG_DIR!, 'config.json')}`)
  })
})

/** A local registry that fails (or reports Ctrl-C) at a chosen operation. */
function faulty(path: string, failAt: OperationName, count = 1): Registry & { calls: string[] } {
  const local = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'x' })
  let seen = 0
  const calls: string[] = []
  return {
    calls,
    async invoke<K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>> {
      calls.push(op)
      if (op === failAt && ++seen === count) throw serviceError('ServiceUnavailable', 'The endpoint went away.', 503)
      return local.invoke(op, input)
    },
    close: () => local.close(),
  }
}

const ANSWERS = {
  namespace: { type: 'HTTP' as const, name: 'shop' },
  services: [
    { name: 'web', records: 'NONE' as const, health: 'none' as const },
    { name: 'api', records: 'NONE' as const, health: 'custom' as const },
  ],
  instances: [
    { service: 'web', id: 'web-1', attributes: {} },
    { service: 'api', id: 'api-1', attributes: {} },
  ],
}

describe('creating, all or nothing', () => {
  it('removes what it made when a call fails, and names the failed operation', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cloudmap-apply-')), 'registry.json')
    const registry = faulty(path, 'RegisterInstance', 2)
    const log: string[] = []
    const error = await applyAnswers(registry, ANSWERS, { interrupted: () => false, log: (l) => log.push(l) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApplyError)
    expect(error).toMatchObject({ operation: 'RegisterInstance', interrupted: false, leftovers: [] })
    expect(log.filter((l) => l.startsWith('✖'))).toEqual(['✖ removed instance web-1 of web', expect.stringMatching(/^✖ removed service api /), expect.stringMatching(/^✖ removed service web /), expect.stringMatching(/^✖ removed namespace shop /)])
    const after = await inspectRegistry(path)
    expect([after.namespaces, after.services]).toEqual([[], []])
  })

  it('on Ctrl-C, finishes the current call, removes everything and exits 130', async () => {
    const { env, registry } = scene()
    let press: () => void = () => {}
    let stderr = ''
    const code = await runInit(
      { yes: true, 'namespace-name': 'shop', service: ['name=web', 'name=api'], instance: ['service=web,id=web-1'] },
      {
        env,
        stdinIsTTY: false,
        out: () => {},
        err: (t) => {
          stderr += t
          // Ctrl-C arrives while the second service is being created.
          if (t.startsWith('✔ service web')) press()
        },
        onInterrupt: (handler) => {
          press = handler
          return () => {}
        },
      },
    )
    expect(code).toBe(130)
    expect(stderr).toContain('Interrupted: finishing the current call, then removing what was created')
    expect(stderr).toContain('Cancelled: nothing was left behind.')
    // Said once, when it came.
    expect(stderr.match(/Interrupted/g)).toHaveLength(1)
    const after = await inspectRegistry(registry)
    expect([after.namespaces, after.services]).toEqual([[], []])
  })

  it('on Ctrl-C while a registration is in progress, lets it finish and removes the instance too: nothing is reported left', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cloudmap-apply-')), 'registry.json')
    // Operations stay SUBMITTED, then PENDING, for a while, as on AWS.
    const local = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'x', operationDelayMs: 150 })
    let pressed = false
    const registry: Registry = {
      async invoke<K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>> {
        const output = await local.invoke(op, input)
        // Ctrl-C arrives as soon as the first registration was submitted.
        if (op === 'RegisterInstance') pressed = true
        return output
      },
      close: () => local.close(),
    }
    const log: string[] = []
    const error = (await applyAnswers(registry, ANSWERS, { interrupted: () => pressed, log: (l) => log.push(l), pollIntervalMs: 20 }).catch((e: unknown) => e)) as ApplyError
    expect(error).toBeInstanceOf(ApplyError)
    expect(error).toMatchObject({ interrupted: true, leftovers: [] })
    expect(log.filter((l) => l.startsWith('✖'))).toEqual(['✖ removed instance web-1 of web', expect.stringMatching(/^✖ removed service api /), expect.stringMatching(/^✖ removed service web /), expect.stringMatching(/^✖ removed namespace shop /)])
    const after = await inspectRegistry(path)
    expect([after.namespaces, after.services]).toEqual([[], []])
  })

  it('does not report as left what is gone although its removal failed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cloudmap-apply-')), 'registry.json')
    const base = faulty(path, 'CreateService', 2)
    const registry: Registry = {
      // The endpoint deletes the namespace but the answer is lost.
      invoke: async (op, input) => {
        const output = await base.invoke(op, input)
        if (op === 'DeleteNamespace') throw serviceError('ServiceUnavailable', 'connection reset', 503)
        return output
      },
      close: () => base.close(),
    }
    const log: string[] = []
    const error = (await applyAnswers(registry, ANSWERS, { interrupted: () => false, log: (l) => log.push(l) }).catch((e: unknown) => e)) as ApplyError
    expect(error.leftovers).toEqual([])
    expect(log).toContainEqual(expect.stringMatching(/^✖ namespace shop \(ns-\w+\) is gone$/))
  })

  it('lists what it could not remove, with the commands that would', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cloudmap-apply-')), 'registry.json')
    const base = faulty(path, 'CreateService', 2)
    const registry: Registry = {
      invoke: (op, input) => (op === 'DeleteNamespace' ? Promise.reject(serviceError('ServiceUnavailable', 'still down')) : base.invoke(op, input)),
      close: () => base.close(),
    }
    const error = (await applyAnswers(registry, ANSWERS, { interrupted: () => false, log: () => {} }).catch((e: unknown) => e)) as ApplyError
    expect(error.operation).toBe('CreateService')
    expect(error.leftovers).toEqual([expect.stringMatching(/^namespace shop \(ns-\w+\): still down — remove it with: cloudmap delete-namespace --id ns-\w+$/)])
  })
})

describe('flag answers in an interactive session', () => {
  it('are checked against the namespace chosen at the prompt, before anything is written', async () => {
    const { run, registry } = scene()
    const { code, stderr } = await run(
      [...LOCAL, ['Namespace type', 'HTTP'], ['Namespace name', 'shop'], ['Register an instance in www?', false], ['Create it now?', true]],
      { service: ['name=www,records=A'] } as InitFlags,
    )
    expect(code).toBe(252)
    expect(stderr).toContain('service www: an HTTP namespace has no DNS records (records=A); use records=NONE or a DNS namespace.')
    expect(existsSync(registry)).toBe(false)
  })
})
