import { describe, expect, it } from 'vitest'
import type { Registry } from '../../src/registry/registry.js'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { serviceError } from '../../src/registry/errors.js'
import { apply, diff, exportDoc, fileState, scratch, seedRich, withVpc } from './support.js'

/** A source registry with everything in it, and its export. */
async function source() {
  const s = scratch()
  await seedRich(s.registry)
  const exported = await exportDoc({ registry: s.registry })
  expect(exported.status).toBe(0)
  return { ...s, yaml: exported.stdout }
}

describe('cloudmap export', () => {
  it('prints every kind of setting, keyed by name and sorted', async () => {
    const { yaml } = await source()
    expect(yaml).toMatchInlineSnapshot(`
      "# cloudmap registry document (schema/registry-document.schema.json): cloudmap apply -f FILE
      Namespaces:
        example.com:
          Type: DNS_PUBLIC
          Properties:
            DnsProperties:
              SOA:
                TTL: 120
          Services:
            www:
              DnsConfig:
                RoutingPolicy: MULTIVALUE
                DnsRecords:
                  - Type: A
                    TTL: 60
                  - Type: AAAA
                    TTL: 60
              HealthCheckConfig:
                Type: HTTPS
                ResourcePath: /health
                FailureThreshold: 3
              Instances:
                www-1:
                  AWS_INSTANCE_IPV4: 192.0.2.10
                  AWS_INSTANCE_IPV6: 2001:db8::10
                  AWS_INSTANCE_PORT: "443"
        internal.local:
          Type: DNS_PRIVATE
          Description: inside
          Properties:
            DnsProperties:
              SOA:
                TTL: 15
          Services:
            api:
              Instances:
                api-1:
                  url: http://api
            db:
              DnsConfig:
                RoutingPolicy: WEIGHTED
                DnsRecords:
                  - Type: SRV
                    TTL: 30
              Instances:
                db-1:
                  AWS_INSTANCE_IPV4: 10.1.0.1
                  AWS_INSTANCE_PORT: "5432"
        shop:
          Type: HTTP
          Description: The shop
          Tags:
            team: core
          Services:
            empty: {}
            web:
              Description: front end
              HealthCheckCustomConfig:
                FailureThreshold: 1
              Attributes:
                owner: alice
                stage: prod
              Tags:
                tier: front
              Instances:
                web-1:
                  AWS_INSTANCE_IPV4: 10.0.0.1
                  AWS_INSTANCE_PORT: "8080"
                  stage: prod
                web-2:
                  AWS_INSTANCE_IPV4: 10.0.0.2
                  AWS_INSTANCE_PORT: "8080"
                  stage: prod
                web-3:
                  AWS_INSTANCE_IPV4: 10.0.0.3
                  AWS_INSTANCE_PORT: "8080"
                  stage: prod
      "
    `)
  })

  it('--namespace-name picks namespaces; --output json prints the same document as JSON', async () => {
    const { registry } = await source()
    const only = await exportDoc({ registry, 'namespace-name': ['shop'] })
    expect(only.stdout).toContain('  shop:\n')
    expect(only.stdout).not.toContain('example.com')
    const json = await exportDoc({ registry, output: 'json', 'namespace-name': ['shop'] })
    expect(JSON.parse(json.stdout).Namespaces.shop.Services.web.Instances['web-2']).toEqual({ AWS_INSTANCE_IPV4: '10.0.0.2', AWS_INSTANCE_PORT: '8080', stage: 'prod' })
    expect((await exportDoc({ registry, output: 'xml' })).status).toBe(252)
  })
})

describe('cloudmap apply on the local registry', () => {
  it('export -> apply to an empty registry -> export is byte-identical (YAML and JSON)', async () => {
    const src = await source()
    const target = scratch()
    const file = target.file('doc.yaml', withVpc(src.yaml))
    const applied = await apply({ file, yes: true, registry: target.registry })
    expect(applied.stderr).toBe('')
    expect(applied.status).toBe(0)
    expect(applied.stdout).toContain('Plan: 8 to create, 1 to update, 6 to register.')
    expect(applied.stdout).toContain('Applied: 8 created, 1 updated, 6 registered.')
    expect((await exportDoc({ registry: target.registry })).stdout).toBe(src.yaml)

    const json = await exportDoc({ registry: src.registry, output: 'json' })
    const parsed = JSON.parse(json.stdout)
    parsed.Namespaces['internal.local'].Vpc = 'vpc-1234'
    const again = scratch()
    expect((await apply({ file: again.file('doc.json', JSON.stringify(parsed)), yes: true, registry: again.registry })).status).toBe(0)
    expect((await exportDoc({ registry: again.registry, output: 'json' })).stdout).toBe(json.stdout)
  })

  it('a second apply of the same document changes nothing and says so; diff agrees', async () => {
    const src = await source()
    const target = scratch()
    const file = target.file('doc.yaml', withVpc(src.yaml))
    expect((await apply({ file, yes: true, registry: target.registry })).status).toBe(0)
    const before = fileState(target.registry)
    const second = await apply({ file, yes: true, registry: target.registry })
    expect(second).toEqual({ status: 0, stderr: '', stdout: `No changes: the local registry ${target.registry} already matches ${file}.\n` })
    expect(fileState(target.registry)).toBe(before)
    expect(await diff({ file, registry: target.registry })).toEqual({ status: 0, stdout: '', stderr: '' })
  })

  it('reads the document from standard input with -f -', async () => {
    const src = await source()
    const target = scratch()
    const r = await apply({ file: '-', yes: true, registry: target.registry }, { stdin: withVpc(src.yaml) })
    expect(r.status).toBe(0)
    expect((await exportDoc({ registry: target.registry })).stdout).toBe(src.yaml)
  })

  it('updates in place what AWS can update: descriptions, SOA TTL, record TTLs, health check, attributes, tags, instances', async () => {
    const src = await source()
    const changed = withVpc(src.yaml)
      .replace('Description: The shop', 'Description: The new shop')
      .replace('TTL: 120', 'TTL: 300')
      .replace(/TTL: 60/g, 'TTL: 90')
      .replace('FailureThreshold: 3', 'FailureThreshold: 5')
      .replace('owner: alice', 'owner: bob')
      .replace('      team: core\n', '      cost: "42"\n      team: core\n')
      .replace('tier: front', 'tier: edge')
      .replace('AWS_INSTANCE_IPV4: 10.0.0.2', 'AWS_INSTANCE_IPV4: 10.0.0.22')
      .replace('            url: http://api\n', '            url: http://api\n          api-2:\n            url: http://api2\n')
    const file = src.file('changed.yaml', changed)
    const before = fileState(src.registry)
    const dry = await apply({ file, 'dry-run': true, registry: src.registry })
    expect(dry.status).toBe(0)
    expect(dry.stdout.replace(src.registry, 'REGISTRY')).toMatchInlineSnapshot(`
      "Plan for the local registry REGISTRY:

        update     namespace           example.com  SOA TTL 120 → 300
        update     namespace           shop  description
        tag        tags                shop  +cost=42
        update     service             example.com/www  TTL A 90s, AAAA 90s, HTTPS health check
        update     service attributes  shop/web  +owner=bob
        tag        tags                shop/web  +tier=edge
        register   instances           internal.local/api  1: api-2
        register   instances           shop/web  1: web-2

      Plan: 4 to update, 2 to tag, 2 to register.
      "
    `)
    expect(fileState(src.registry)).toBe(before)
    const r = await apply({ file, yes: true, registry: src.registry })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Applied: 4 updated, 2 tagged, 2 registered.')
    const after = await exportDoc({ registry: src.registry })
    expect(after.stdout).toBe(changed.replace('    Vpc: vpc-1234\n', ''))
  })

  it('leaves out-of-document services and instances alone, and removes them with --prune', async () => {
    const src = await source()
    const trimmed = withVpc(src.yaml)
      .replace(/ {10}web-3:\n(?: {12}.*\n)+/, '')
      .replace('      empty: {}\n', '')
    expect(trimmed).not.toContain('web-3')
    const file = src.file('trimmed.yaml', trimmed)
    const keep = await apply({ file, yes: true, registry: src.registry })
    expect(keep.stdout).toMatch(/^No changes/)
    const pruned = await apply({ file, yes: true, prune: true, registry: src.registry })
    expect(pruned.status).toBe(0)
    expect(pruned.stdout).toContain('deregister instances           shop/web  1: web-3')
    expect(pruned.stdout).toContain('delete     service             shop/empty  not in the document')
    expect((await exportDoc({ registry: src.registry })).stdout).toBe(trimmed.replace('    Vpc: vpc-1234\n', ''))
  })

  it('prune removes a service with its instances, and never namespaces the document does not name', async () => {
    const src = await source()
    const doc = '{"Namespaces": {"shop": {"Type": "HTTP", "Description": "The shop", "Tags": {"team": "core"}, "Services": {"empty": {}}}}}'
    const r = await apply({ file: src.file('shop.json', doc), yes: true, prune: true, registry: src.registry })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Applied: 3 deregistered, 1 deleted.')
    const left = await exportDoc({ registry: src.registry })
    expect(left.stdout).toContain('example.com')
    expect(left.stdout).not.toContain('web-1')
  })

  it('reports what AWS cannot change in place, and changes nothing', async () => {
    const src = await source()
    const before = fileState(src.registry)
    const changed = src.yaml
      .replace('    Type: HTTP\n', '    Type: DNS_PRIVATE\n')
      .replace('            - Type: AAAA\n              TTL: 60\n', '')
      .replace('RoutingPolicy: WEIGHTED', 'RoutingPolicy: MULTIVALUE')
      .replace('AWS_INSTANCE_IPV6: 2001:db8::10', 'AWS_INSTANCE_IPV6: 2001:db8::11')
    const r = await apply({ file: src.file('x.yaml', changed), yes: true, registry: src.registry })
    expect(r.status).toBe(252)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain("can't be made to match")
    expect(r.stderr).toContain("Namespaces.shop.Type: a namespace's type can't change (HTTP to DNS_PRIVATE); delete the namespace and create it again yourself")
    expect(r.stderr).toContain('Namespaces["example.com"].Services.www.DnsConfig: a service\'s DNS record types can\'t change (A + AAAA to A)')
    expect(r.stderr).toContain('Namespaces["internal.local"].Services.db.DnsConfig: a service\'s routing policy can\'t change (WEIGHTED to MULTIVALUE)')
    expect(fileState(src.registry)).toBe(before)

    const custom = src.yaml.replace('        HealthCheckCustomConfig:\n          FailureThreshold: 1\n', '')
    const c = await apply({ file: src.file('c.yaml', custom), yes: true, registry: src.registry })
    expect(c.status).toBe(252)
    expect(c.stderr).toContain("Namespaces.shop.Services.web.HealthCheckCustomConfig: a custom health check can't be removed from a service")
  })

  it('a private DNS namespace to create needs its VPC', async () => {
    const src = await source()
    const target = scratch()
    const r = await apply({ file: src.file('novpc.yaml', src.yaml), yes: true, registry: target.registry })
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('Namespaces["internal.local"].Vpc: a DNS_PRIVATE namespace is created in a VPC: give Vpc')
    expect(fileState(target.registry)).toBe('(none)')
  })

  it('stops at a failure, says what was done and what was not, and a rerun finishes the job', async () => {
    const src = await source()
    const target = scratch()
    const file = target.file('doc.yaml', withVpc(src.yaml))
    let registers = 0
    const failing = async (settings: { registryPath: string }): Promise<Registry> => {
      const local = new LocalRegistry({ path: settings.registryPath, region: 'us-east-1', accountId: '123456789012' })
      return {
        invoke: (op, input) => {
          if (op === 'RegisterInstance' && ++registers === 3) return Promise.reject(serviceError('ServiceUnavailable', 'The service is busy.'))
          return local.invoke(op, input)
        },
        close: () => local.close(),
      }
    }
    const first = await apply({ file, yes: true, registry: target.registry }, { openRegistry: failing as never })
    expect(first.status).toBe(254)
    expect(first.stderr).toContain('Stopped at: register instance')
    expect(first.stderr).toContain('An error occurred (ServiceUnavailable) when calling the RegisterInstance operation: The service is busy.')
    expect(first.stderr).toMatch(/Done \(\d+\):\n {2}create namespace example.com/)
    expect(first.stderr).toMatch(/Not done \(\d+\):\n {2}register instances/)
    expect(first.stderr).toContain('Run the same cloudmap apply again to finish: it plans only what is left.')
    const done = Number(/Done \((\d+)\)/.exec(first.stderr)![1])
    const notDone = Number(/Not done \((\d+)\)/.exec(first.stderr)![1])
    expect(done + notDone).toBe(15)

    const rerun = await apply({ file, yes: true, registry: target.registry })
    expect(rerun.status).toBe(0)
    expect(rerun.stdout).toContain(`Applied: ${notDone} registered.`)
    expect((await exportDoc({ registry: target.registry })).stdout).toBe(src.yaml)
  })

  it('Ctrl-C lets calls in flight finish, starts nothing new, and the rerun completes', async () => {
    const src = await source()
    const target = scratch()
    const file = target.file('doc.yaml', withVpc(src.yaml))
    let press: () => void = () => {}
    let calls = 0
    const opening = async (settings: { registryPath: string }): Promise<Registry> => {
      const local = new LocalRegistry({ path: settings.registryPath, region: 'us-east-1', accountId: '123456789012' })
      return {
        invoke: (op, input) => {
          if (op === 'CreateService' && ++calls === 2) press()
          return local.invoke(op, input)
        },
        close: () => local.close(),
      }
    }
    const r = await apply({ file, yes: true, registry: target.registry }, { openRegistry: opening as never, onInterrupt: (handler) => ((press = handler), () => {}) })
    expect(r.status).toBe(130)
    expect(r.stderr).toContain('Interrupted: finishing the calls in flight, then stopping')
    expect(r.stderr).toContain('Stopped (interrupted).')
    expect(r.stderr).toMatch(/Not done \(\d+\):[^]*register instances/)
    const rerun = await apply({ file, yes: true, registry: target.registry })
    expect(rerun.status).toBe(0)
    expect((await exportDoc({ registry: target.registry })).stdout).toBe(src.yaml)
  })
})

describe('terminal behaviour of apply', () => {
  it('shows the plan as a table, asks, and applies only on yes', async () => {
    const src = await source()
    const target = scratch()
    const file = target.file('doc.yaml', withVpc(src.yaml))
    const questions: string[] = []
    const no = await apply({ file, registry: target.registry }, { stdinIsTTY: true, stdoutIsTTY: true, confirm: async (q) => (questions.push(q), false) })
    expect(no.status).toBe(130)
    expect(no.stderr).toBe('Cancelled: nothing was changed.\n')
    expect(no.stdout).toContain('┌')
    expect(no.stdout).toMatch(/│ create\s+│ namespace\s+│ example.com\s+│ DNS_PUBLIC, SOA TTL 120/)
    expect(questions).toEqual([`Apply these 15 changes to the local registry ${target.registry}?`])
    expect(fileState(target.registry)).toBe('(none)')
    const yes = await apply({ file, registry: target.registry }, { stdinIsTTY: true, stdoutIsTTY: true, confirm: async () => true })
    expect(yes.status).toBe(0)
    expect(yes.stdout).toContain('Applied: 8 created, 1 updated, 6 registered.')
  })

  it('refuses to apply without --yes when standard input is not a terminal', async () => {
    const src = await source()
    const target = scratch()
    const r = await apply({ file: target.file('doc.yaml', withVpc(src.yaml)), registry: target.registry })
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('add --yes to apply the plan (or --dry-run to only show it)')
    expect(fileState(target.registry)).toBe('(none)')
  })

  it('shows a progress bar for long runs on a terminal', async () => {
    const target = scratch()
    const instances = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`i-${i}`, { AWS_INSTANCE_IPV4: `10.0.0.${i}` }]))
    const file = target.file('many.json', JSON.stringify({ Namespaces: { bulk: { Type: 'HTTP', Services: { web: { Instances: instances } } } } }))
    const ticks: number[] = []
    const r = await apply({ file, yes: true, registry: target.registry }, { stderrIsTTY: true, progress: async (total) => ({ tick: () => ticks.push(total), stop: () => ticks.push(-1) }) })
    expect(r.status).toBe(0)
    expect(ticks.filter((t) => t === 62)).toHaveLength(62)
    expect(ticks[ticks.length - 1]).toBe(-1)
  })
})

describe('cloudmap diff', () => {
  it('prints a unified diff of the backend against a document, exit 1; 0 when equal', async () => {
    const src = await source()
    const file = src.file('doc.yaml', src.yaml.replace('owner: alice', 'owner: bob').replace('          web-3:\n', '          web-4:\n'))
    const r = await diff({ file, registry: src.registry })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(`--- the local registry ${src.registry}\n+++ ${file}\n@@ `)
    expect(r.stdout).toContain('-          owner: alice\n+          owner: bob\n')
    expect(r.stdout).toContain('-          web-3:\n+          web-4:\n')
    expect(r.stdout).not.toContain('\x1b[')
    const coloured = await diff({ file, registry: src.registry, color: 'on' })
    expect(coloured.stdout).toContain('\x1b[31m-          owner: alice\x1b[0m')
    expect(coloured.stdout).toContain('\x1b[32m+          owner: bob\x1b[0m')
    const tty = await diff({ file, registry: src.registry }, { stdoutIsTTY: true })
    expect(tty.stdout).toBe(coloured.stdout)
    expect((await diff({ file: src.file('same.yaml', src.yaml), registry: src.registry })).status).toBe(0)
  })

  it('compares two registries with --from-registry', async () => {
    const a = await source()
    const b = scratch()
    expect((await apply({ file: b.file('doc.yaml', withVpc(a.yaml)), yes: true, registry: b.registry })).status).toBe(0)
    expect(await diff({ 'from-registry': a.registry, registry: b.registry })).toEqual({ status: 0, stdout: '', stderr: '' })
    expect((await apply({ file: b.file('less.yaml', '{"Namespaces": {"shop": {"Type": "HTTP", "Description": "The shop", "Tags": {"team": "core"}}}}'), yes: true, prune: true, registry: b.registry })).status).toBe(0)
    const r = await diff({ 'from-registry': a.registry, registry: b.registry, 'namespace-name': ['shop'] })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(`--- the local registry ${a.registry}\n+++ the local registry ${b.registry}\n`)
    expect(r.stdout).toContain('-      web:\n')
    expect(r.stdout).not.toContain('example.com')
  })

  it('wants exactly one thing to compare with', async () => {
    const r = await diff({})
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('give -f FILE, --from-endpoint URL or --from-registry PATH')
  })
})
