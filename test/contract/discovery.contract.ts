import { describe, expect } from 'vitest'
import type { Input } from '../../src/registry/registry.js'
import type { Call, MakeBackend } from './support.js'
import { errorCode, httpNamespace, privateNamespace, publicNamespace, register, rule, service, succeeded } from './support.js'

async function discovered(call: Call, input: Input<'DiscoverInstances'>): Promise<string[]> {
  return ((await call('DiscoverInstances', input)).Instances ?? []).map((i) => i.InstanceId!).sort()
}

/** DiscoverInstances and DiscoverInstancesRevision. */
export function discoveryContract(make: MakeBackend): void {
  describe('discovery', () => {
    rule(make, 'DiscoverInstances: query parameters AND-match; optional parameters apply only when something matches', async ({ call }) => {
      const ns = await httpNamespace(call, 'disc')
      const srv = await service(call, { Name: 'front', NamespaceId: ns })
      await register(call, srv.id, '1', { version: '1.0', active: 'yes', zone: 'a' })
      await register(call, srv.id, '2', { version: '2.0', active: 'no', zone: 'b' })
      await register(call, srv.id, '3', { version: '1.0', active: 'no', zone: 'b' })
      const ids = (input: Partial<Input<'DiscoverInstances'>>) => discovered(call, { NamespaceName: 'disc', ServiceName: 'front', ...input })
      expect(await ids({ QueryParameters: { version: '1.0', active: 'yes' } })).toEqual(['1'])
      expect(await ids({ QueryParameters: { version: '1.0' }, OptionalParameters: { zone: 'b' } })).toEqual(['3'])
      expect(await ids({ QueryParameters: { version: '1.0' }, OptionalParameters: { zone: 'nowhere' } })).toEqual(['1', '3'])
      expect(await ids({ MaxResults: 1 })).toHaveLength(1)
    })

    rule(make, 'DiscoverInstances answers with HttpInstanceSummary: InstanceId, NamespaceName (the HttpName), ServiceName, HealthStatus, Attributes', async ({ call }) => {
      const ns = await httpNamespace(call, 'summary')
      const srv = await service(call, { Name: 'svc', NamespaceId: ns })
      await register(call, srv.id, 'i-1', { AWS_INSTANCE_IPV4: '192.0.2.7', color: 'red' })
      const { Instances, InstancesRevision } = await call('DiscoverInstances', { NamespaceName: 'summary', ServiceName: 'svc' })
      expect(Instances).toEqual([{ InstanceId: 'i-1', NamespaceName: 'summary', ServiceName: 'svc', HealthStatus: 'UNKNOWN', Attributes: { AWS_INSTANCE_IPV4: '192.0.2.7', color: 'red' } }])
      expect(typeof InstancesRevision).toBe('bigint')
    })

    rule(make, 'DiscoverInstances and DiscoverInstancesRevision report NamespaceNotFound / ServiceNotFound by name', async ({ call }) => {
      await httpNamespace(call, 'disc-missing')
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'no-such-ns', ServiceName: 'x' }))).toBe('NamespaceNotFound')
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'disc-missing', ServiceName: 'x' }))).toBe('ServiceNotFound')
      expect(await errorCode(call('DiscoverInstancesRevision', { NamespaceName: 'no-such-ns', ServiceName: 'x' }))).toBe('NamespaceNotFound')
      expect(await errorCode(call('DiscoverInstancesRevision', { NamespaceName: 'disc-missing', ServiceName: 'x' }))).toBe('ServiceNotFound')
    })

    rule(make, 'DiscoverInstances finds a namespace by its HttpName, which differs from Name when the name was reused', async ({ call }) => {
      const pub = await publicNamespace(call, 'shared.example.com')
      const priv = await privateNamespace(call, 'shared.example.com', 'vpc-shared')
      const httpName = (await call('GetNamespace', { Id: priv })).Namespace!.Properties!.HttpProperties!.HttpName!
      const a = await service(call, { Name: 'api', NamespaceId: pub })
      const b = await service(call, { Name: 'api', NamespaceId: priv })
      await register(call, a.id, 'public-1', {})
      await register(call, b.id, 'private-1', {})
      expect(await discovered(call, { NamespaceName: 'shared.example.com', ServiceName: 'api' })).toEqual(['public-1'])
      expect(await discovered(call, { NamespaceName: httpName, ServiceName: 'api' })).toEqual(['private-1'])
    })

    rule(make, 'service names of DNS namespaces match case-insensitively; those of HTTP namespaces exactly', async ({ call }) => {
      const dns = await privateNamespace(call, 'case.local')
      const http = await httpNamespace(call, 'case-http')
      await register(call, (await service(call, { Name: 'Backend', NamespaceId: dns })).id, 'd', {})
      await register(call, (await service(call, { Name: 'Backend', NamespaceId: http })).id, 'h', {})
      expect(await discovered(call, { NamespaceName: 'case.local', ServiceName: 'backend' })).toEqual(['d'])
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'case-http', ServiceName: 'backend' }))).toBe('ServiceNotFound')
    })

    describe('HealthStatus (DiscoverInstancesRequest.HealthStatus)', () => {
      async function mixed(call: Call, healthy: string[], unhealthy: string[]): Promise<void> {
        const ns = await privateNamespace(call, 'health.local')
        const srv = await service(call, { Name: 'h', NamespaceId: ns, HealthCheckCustomConfig: {} })
        for (const id of healthy) await register(call, srv.id, id, {})
        for (const id of unhealthy) await register(call, srv.id, id, { AWS_INIT_HEALTH_STATUS: 'UNHEALTHY' })
      }
      const base = { NamespaceName: 'health.local', ServiceName: 'h' }

      rule(make, 'HEALTHY returns healthy instances, UNHEALTHY unhealthy ones, ALL every one, HEALTHY_OR_ELSE_ALL the healthy ones when there are any', async ({ call }) => {
        await mixed(call, ['ok-1', 'ok-2'], ['bad-1'])
        expect(await discovered(call, { ...base, HealthStatus: 'HEALTHY' })).toEqual(['ok-1', 'ok-2'])
        expect(await discovered(call, { ...base, HealthStatus: 'UNHEALTHY' })).toEqual(['bad-1'])
        expect(await discovered(call, { ...base, HealthStatus: 'ALL' })).toEqual(['bad-1', 'ok-1', 'ok-2'])
        expect(await discovered(call, { ...base, HealthStatus: 'HEALTHY_OR_ELSE_ALL' })).toEqual(['ok-1', 'ok-2'])
        const { Instances } = await call('DiscoverInstances', { ...base, HealthStatus: 'ALL' })
        expect(Object.fromEntries(Instances!.map((i) => [i.InstanceId, i.HealthStatus]))).toEqual({ 'ok-1': 'HEALTHY', 'ok-2': 'HEALTHY', 'bad-1': 'UNHEALTHY' })
      })
      rule(make, 'HEALTHY_OR_ELSE_ALL "fails open": with no healthy instance it returns all of them', async ({ call }) => {
        await mixed(call, [], ['bad-1', 'bad-2'])
        expect(await discovered(call, { ...base, HealthStatus: 'HEALTHY' })).toEqual([])
        expect(await discovered(call, { ...base, HealthStatus: 'HEALTHY_OR_ELSE_ALL' })).toEqual(['bad-1', 'bad-2'])
      })
      rule(make, 'HealthStatus "is ignored for services that don\'t have a health check configured, and all instances are returned"', async ({ call }) => {
        const ns = await httpNamespace(call, 'nohealth')
        const srv = await service(call, { Name: 's', NamespaceId: ns })
        await register(call, srv.id, 'a', {})
        await register(call, srv.id, 'b', { AWS_INIT_HEALTH_STATUS: 'UNHEALTHY' })
        for (const HealthStatus of ['HEALTHY', 'UNHEALTHY', 'ALL', 'HEALTHY_OR_ELSE_ALL'] as const) {
          expect(await discovered(call, { NamespaceName: 'nohealth', ServiceName: 's', HealthStatus }), HealthStatus).toEqual(['a', 'b'])
        }
      })
      rule(make, 'HealthStatus outside HEALTHY, UNHEALTHY, ALL, HEALTHY_OR_ELSE_ALL is rejected -> InvalidInput', async ({ call }) => {
        await mixed(call, ['a'], [])
        expect(await errorCode(call('DiscoverInstances', { ...base, HealthStatus: 'UNKNOWN' } as never))).toBe('InvalidInput')
      })
    })

    rule(make, 'DiscoverInstances MaxResults is 1-1,000 (DiscoverMaxResults) -> InvalidInput outside', async ({ call }) => {
      const ns = await httpNamespace(call, 'max')
      await service(call, { Name: 's', NamespaceId: ns })
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'max', ServiceName: 's', MaxResults: 0 }))).toBe('InvalidInput')
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'max', ServiceName: 's', MaxResults: 1001 }))).toBe('InvalidInput')
      expect(await discovered(call, { NamespaceName: 'max', ServiceName: 's', MaxResults: 1000 })).toEqual([])
    })

    rule(make, 'without MaxResults, DiscoverInstances, ListInstances and GetInstancesHealthStatus return up to 100 instances ("Cloud Map returns up to 100 instances")', async ({ call }) => {
      const ns = await httpNamespace(call, 'hundred')
      const srv = await service(call, { Name: 's', NamespaceId: ns })
      for (let i = 0; i < 101; i++) await register(call, srv.id, `i-${i}`, {})
      expect(await discovered(call, { NamespaceName: 'hundred', ServiceName: 's' })).toHaveLength(100)
      expect(await discovered(call, { NamespaceName: 'hundred', ServiceName: 's', MaxResults: 101 })).toHaveLength(101)
      const listed = await call('ListInstances', { ServiceId: srv.id })
      expect(listed.Instances).toHaveLength(100)
      expect((await call('ListInstances', { ServiceId: srv.id, NextToken: listed.NextToken })).Instances).toHaveLength(1)
      const health = await call('GetInstancesHealthStatus', { ServiceId: srv.id })
      expect(Object.keys(health.Status!)).toHaveLength(100)
      expect(health.NextToken).toBeTruthy()
    })

    rule(make, 'query and optional parameters are attribute maps checked against the model (AttrKey, AttrValue) -> InvalidInput', async ({ call }) => {
      const ns = await httpNamespace(call, 'qp')
      await service(call, { Name: 's', NamespaceId: ns })
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'qp', ServiceName: 's', QueryParameters: { 'bad key': 'v' } }))).toBe('InvalidInput')
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'qp', ServiceName: 's', OptionalParameters: { k: 'v'.repeat(1025) } }))).toBe('InvalidInput')
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'has space', ServiceName: 's' }))).toBe('InvalidInput')
      expect(await errorCode(call('DiscoverInstancesRevision', { NamespaceName: 'qp', ServiceName: 'not a name' }))).toBe('InvalidInput')
    })

    rule(make, 'InstancesRevision increases on every register and deregister, not on health updates, and DiscoverInstancesRevision reports the same value', async ({ call }) => {
      const ns = await httpNamespace(call, 'rev')
      const srv = await service(call, { Name: 'r', NamespaceId: ns, HealthCheckCustomConfig: {} })
      const revision = async () => (await call('DiscoverInstancesRevision', { NamespaceName: 'rev', ServiceName: 'r' })).InstancesRevision!
      const r0 = await revision()
      await register(call, srv.id, 'a', { k: 'v' })
      const r1 = await revision()
      await register(call, srv.id, 'b', { k: 'v' })
      const r2 = await revision()
      await register(call, srv.id, 'b', { k: 'changed' })
      const r3 = await revision()
      await call('UpdateInstanceCustomHealthStatus', { ServiceId: srv.id, InstanceId: 'a', Status: 'UNHEALTHY' })
      const r4 = await revision()
      await succeeded(call, call('DeregisterInstance', { ServiceId: srv.id, InstanceId: 'a' }))
      const r5 = await revision()
      expect(typeof r1).toBe('bigint')
      expect(r1 > r0 && r2 > r1 && r3 > r2 && r5 > r4).toBe(true)
      expect(r4).toBe(r3)
      expect((await call('DiscoverInstances', { NamespaceName: 'rev', ServiceName: 'r', HealthStatus: 'ALL' })).InstancesRevision).toBe(r5)
    })

    rule(make, 'DiscoverInstances returns every matching instance, in random order ("a randomized list of instances")', async ({ call }) => {
      const ns = await httpNamespace(call, 'shuffle')
      const srv = await service(call, { Name: 's', NamespaceId: ns })
      const all = Array.from({ length: 8 }, (_, i) => `i-${i}`)
      for (const id of all) await register(call, srv.id, id, {})
      const orders = new Set<string>()
      for (let n = 0; n < 10; n++) {
        const ids = ((await call('DiscoverInstances', { NamespaceName: 'shuffle', ServiceName: 's' })).Instances ?? []).map((i) => i.InstanceId!)
        expect([...ids].sort()).toEqual([...all].sort())
        orders.add(ids.join(','))
      }
      // Ten orders of eight instances all alike would mean no shuffling (chance 1 in 40320^9).
      expect(orders.size).toBeGreaterThan(1)
    })
  })
}
