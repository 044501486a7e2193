import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import type { AsCodeIO } from '../../src/as-code/run.js'
import { runApply, runDiff, runExport } from '../../src/as-code/run.js'
import type { ApplyFlags, DiffFlags, ExportFlags } from '../../src/as-code/run.js'
import type { Registry } from '../../src/registry/registry.js'
import { tempRegistry } from '../helpers/cli.js'

export interface Run {
  stdout: string
  stderr: string
  status: number
}

/** The environment of a registry-as-code call made in this process: no settings from the machine, a fixed clock and seed (live.ts hermeticEnv is for child processes). */
function inProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { dir } = tempRegistry()
  mkdirSync(join(dir, 'config'), { recursive: true })
  return { TZ: 'UTC', HOME: dir, CLOUDMAP_CONFIG_DIR: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), CLOUDMAP_SEED: 'as-code', CLOUDMAP_NOW: '2026-01-02T03:04:05.678Z', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true', ...extra }
}

export type IOOverrides = Partial<Omit<AsCodeIO, 'out' | 'err'>> & { stdin?: string }

function makeIO(overrides: IOOverrides, result: Run): AsCodeIO {
  const { stdin, ...rest } = overrides
  return {
    env: inProcessEnv(),
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    out: (t) => void (result.stdout += t),
    err: (t) => void (result.stderr += t),
    readStdin: async () => stdin ?? '',
    onInterrupt: () => () => {},
    pollIntervalMs: 1,
    ...rest,
  }
}

async function run(fn: (io: AsCodeIO) => Promise<number>, overrides: IOOverrides): Promise<Run> {
  const result: Run = { stdout: '', stderr: '', status: -1 }
  result.status = await fn(makeIO(overrides, result))
  return result
}

export const exportDoc = (flags: ExportFlags, io: IOOverrides = {}) => run((x) => runExport(flags, x), io)
export const apply = (flags: ApplyFlags, io: IOOverrides = {}) => run((x) => runApply(flags, x), io)
export const diff = (flags: DiffFlags, io: IOOverrides = {}) => run((x) => runDiff(flags, x), io)

/** A scratch registry path and a document file beside it. */
export function scratch(): { registry: string; file(name: string, text: string): string } {
  const { dir, path } = tempRegistry()
  return {
    registry: path,
    file: (name, text) => {
      const p = join(dir, name)
      writeFileSync(p, text)
      return p
    },
  }
}

export function localRegistry(path: string): LocalRegistry {
  let tick = Date.parse('2026-01-02T03:04:05.678Z')
  return new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'source', now: () => new Date(tick++) })
}

async function wait(registry: Registry, op: { OperationId?: string }): Promise<Record<string, string>> {
  const { Operation } = await registry.invoke('GetOperation', { OperationId: op.OperationId! })
  return Operation?.Targets ?? {}
}

/**
 * A registry with something of everything a document holds: the three namespace types, descriptions,
 * SOA TTLs, tags, services with each kind of DNS records and health check, service attributes, instances.
 */
export async function seedRich(path: string): Promise<void> {
  const r = localRegistry(path)
  const http = (await wait(r, await r.invoke('CreateHttpNamespace', { Name: 'shop', Description: 'The shop', Tags: [{ Key: 'team', Value: 'core' }] }))).NAMESPACE
  const pub = (await wait(r, await r.invoke('CreatePublicDnsNamespace', { Name: 'example.com', Properties: { DnsProperties: { SOA: { TTL: 120 } } } }))).NAMESPACE
  const priv = (await wait(r, await r.invoke('CreatePrivateDnsNamespace', { Name: 'internal.local', Vpc: 'vpc-1234', Description: 'inside' }))).NAMESPACE
  const web = (await r.invoke('CreateService', { Name: 'web', NamespaceId: http, Description: 'front end', HealthCheckCustomConfig: { FailureThreshold: 1 }, Tags: [{ Key: 'tier', Value: 'front' }] })).Service!.Id!
  await r.invoke('UpdateServiceAttributes', { ServiceId: web, Attributes: { owner: 'alice', stage: 'prod' } })
  await r.invoke('CreateService', { Name: 'empty', NamespaceId: http })
  const www = (await r.invoke('CreateService', { Name: 'www', NamespaceId: pub, DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }, { Type: 'AAAA', TTL: 60 }] }, HealthCheckConfig: { Type: 'HTTPS', ResourcePath: '/health', FailureThreshold: 3 } })).Service!.Id!
  const db = (await r.invoke('CreateService', { Name: 'db', NamespaceId: priv, DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'SRV', TTL: 30 }] } })).Service!.Id!
  const api = (await r.invoke('CreateService', { Name: 'api', NamespaceId: priv })).Service!.Id!
  for (let i = 1; i <= 3; i++) await wait(r, await r.invoke('RegisterInstance', { ServiceId: web, InstanceId: `web-${i}`, Attributes: { AWS_INSTANCE_IPV4: `10.0.0.${i}`, AWS_INSTANCE_PORT: '8080', stage: 'prod' } }))
  await wait(r, await r.invoke('RegisterInstance', { ServiceId: www, InstanceId: 'www-1', Attributes: { AWS_INSTANCE_IPV4: '192.0.2.10', AWS_INSTANCE_IPV6: '2001:db8::10', AWS_INSTANCE_PORT: '443' } }))
  await wait(r, await r.invoke('RegisterInstance', { ServiceId: db, InstanceId: 'db-1', Attributes: { AWS_INSTANCE_IPV4: '10.1.0.1', AWS_INSTANCE_PORT: '5432' } }))
  await wait(r, await r.invoke('RegisterInstance', { ServiceId: api, InstanceId: 'api-1', Attributes: { url: 'http://api' } }))
  await r.close()
}

/** The private namespace's VPC, which export leaves out (Cloud Map never reports it): added for apply. */
export function withVpc(yaml: string): string {
  return yaml.replace('  internal.local:\n    Type: DNS_PRIVATE\n', '  internal.local:\n    Type: DNS_PRIVATE\n    Vpc: vpc-1234\n')
}

export function fileState(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '(none)'
}
