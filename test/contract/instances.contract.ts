import { describe, expect } from 'vitest'
import type { MakeBackend } from './support.js'
import { attributes, errorCode, httpNamespace, privateNamespace, publicNamespace, register, rule, service, settled, succeeded } from './support.js'

/** Instances: RegisterInstance, DeregisterInstance, GetInstance, ListInstances and instance health. */
export function instanceContract(make: MakeBackend): void {
  describe('instances', () => {
    rule(make, 'RegisterInstance, GetInstance, ListInstances; re-registering an InstanceId updates it in place ("You can use this value to update an existing instance")', async ({ call }) => {
      const ns = await httpNamespace(call, 'inst')
      const srv = await service(call, { Name: 'app', NamespaceId: ns })
      const op = await register(call, srv.id, 'i-1', { color: 'blue' })
      expect(op).toMatchObject({ Type: 'REGISTER_INSTANCE', Status: 'SUCCESS', Targets: { INSTANCE: 'i-1' } })
      await register(call, srv.id, 'i-1', { color: 'green' })
      const got = await call('GetInstance', { ServiceId: srv.id, InstanceId: 'i-1' })
      expect(got.Instance).toMatchObject({ Id: 'i-1', Attributes: { color: 'green' } })
      expect(got.ResourceOwner).toMatch(/^\d{12}$/)
      const { Instances } = await call('ListInstances', { ServiceId: srv.id })
      expect(Instances).toEqual([expect.objectContaining({ Id: 'i-1', Attributes: { color: 'green' } })])
      expect((await call('GetService', { Id: srv.id })).Service!.InstanceCount).toBe(1)
    })

    rule(make, 'GetInstance and DeregisterInstance of an unknown instance fail with InstanceNotFound; of an unknown service with ServiceNotFound', async ({ call }) => {
      const ns = await httpNamespace(call, 'gone')
      const srv = await service(call, { Name: 'app', NamespaceId: ns })
      expect(await errorCode(call('GetInstance', { ServiceId: srv.id, InstanceId: 'nope' }))).toBe('InstanceNotFound')
      expect(await errorCode(call('DeregisterInstance', { ServiceId: srv.id, InstanceId: 'nope' }))).toBe('InstanceNotFound')
      expect(await errorCode(call('RegisterInstance', { ServiceId: 'srv-doesnotexist000', InstanceId: 'i', Attributes: {} }))).toBe('ServiceNotFound')
      expect(await errorCode(call('ListInstances', { ServiceId: 'srv-doesnotexist000' }))).toBe('ServiceNotFound')
    })

    rule(make, 'DeregisterInstance is a DEREGISTER_INSTANCE operation; afterwards the instance is gone', async ({ call }) => {
      const ns = await httpNamespace(call, 'dereg')
      const srv = await service(call, { Name: 'app', NamespaceId: ns })
      await register(call, srv.id, 'i-1', { k: 'v' })
      const op = await succeeded(call, call('DeregisterInstance', { ServiceId: srv.id, InstanceId: 'i-1' }))
      expect(op).toMatchObject({ Type: 'DEREGISTER_INSTANCE', Targets: { INSTANCE: 'i-1' } })
      expect(await errorCode(call('GetInstance', { ServiceId: srv.id, InstanceId: 'i-1' }))).toBe('InstanceNotFound')
    })

    describe('attributes each DNS record type and health check needs (RegisterInstance Attributes)', () => {
      rule(make, 'an A record requires AWS_INSTANCE_IPV4, an AAAA record AWS_INSTANCE_IPV6 -> InvalidInput without', async ({ call }) => {
        const ns = await privateNamespace(call, 'a-rec.local', 'vpc-2')
        const a = await service(call, { Name: 'db', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] } })
        expect(await errorCode(call('RegisterInstance', { ServiceId: a.id, InstanceId: 'i', Attributes: { other: 'x' } }))).toBe('InvalidInput')
        await register(call, a.id, 'i', { AWS_INSTANCE_IPV4: '192.0.2.44' })
        const both = await service(call, { Name: 'both', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }, { Type: 'AAAA', TTL: 10 }] } })
        expect(await errorCode(call('RegisterInstance', { ServiceId: both.id, InstanceId: 'i', Attributes: { AWS_INSTANCE_IPV4: '192.0.2.44' } }))).toBe('InvalidInput')
        await register(call, both.id, 'i', { AWS_INSTANCE_IPV4: '192.0.2.44', AWS_INSTANCE_IPV6: '2001:db8::1' })
      })
      rule(make, 'an SRV record requires AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6, and AWS_INSTANCE_PORT -> InvalidInput without', async ({ call }) => {
        const ns = await privateNamespace(call, 'srv.local')
        const srv = await service(call, { Name: '_app._tcp', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 10 }] } })
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i', Attributes: { AWS_INSTANCE_PORT: '80' } }))).toBe('InvalidInput')
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i', Attributes: { AWS_INSTANCE_IPV6: '2001:db8::1' } }))).toBe('InvalidInput')
        await register(call, srv.id, 'i', { AWS_INSTANCE_IPV6: '2001:db8::1', AWS_INSTANCE_PORT: '8080' })
      })
      rule(make, 'a CNAME record requires AWS_INSTANCE_CNAME -> InvalidInput without', async ({ call }) => {
        const ns = await publicNamespace(call, 'cname-inst.example.com')
        const srv = await service(call, { Name: 'www', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'CNAME', TTL: 10 }] } })
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i', Attributes: { AWS_INSTANCE_IPV4: '192.0.2.1' } }))).toBe('InvalidInput')
        await register(call, srv.id, 'i', { AWS_INSTANCE_CNAME: 'www.example.org' })
      })
      rule(make, 'a Route 53 health check requires AWS_INSTANCE_PORT, a port number -> InvalidInput without or otherwise', async ({ call }) => {
        const ns = await publicNamespace(call, 'port.example.com')
        const srv = await service(call, { Name: 'web', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] }, HealthCheckConfig: { Type: 'TCP' } })
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i', Attributes: { AWS_INSTANCE_IPV4: '192.0.2.1' } }))).toBe('InvalidInput')
        for (const port of ['http', '0', '65536']) {
          expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i', Attributes: { AWS_INSTANCE_IPV4: '192.0.2.1', AWS_INSTANCE_PORT: port } })), port).toBe('InvalidInput')
        }
        await register(call, srv.id, 'i', { AWS_INSTANCE_IPV4: '192.0.2.1', AWS_INSTANCE_PORT: '443' })
      })
      rule(make, 'addresses that become DNS records must be valid IPv4 / IPv6 addresses -> InvalidInput', async ({ call }) => {
        const ns = await privateNamespace(call, 'ip.local')
        const srv = await service(call, { Name: 'ip', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }, { Type: 'AAAA', TTL: 10 }] } })
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i', Attributes: { AWS_INSTANCE_IPV4: '300.1.1.1', AWS_INSTANCE_IPV6: '2001:db8::1' } }))).toBe('InvalidInput')
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i', Attributes: { AWS_INSTANCE_IPV4: '192.0.2.1', AWS_INSTANCE_IPV6: 'not-v6' } }))).toBe('InvalidInput')
      })
      rule(make, 'AWS_ALIAS_DNS_NAME needs a WEIGHTED service with A/AAAA records and excludes every AWS_INSTANCE_ attribute', async ({ call }) => {
        const ns = await publicNamespace(call, 'alias.example.com')
        const alias = { AWS_ALIAS_DNS_NAME: 'my-lb-1234.us-east-1.elb.amazonaws.com' }
        const weighted = await service(call, { Name: 'lb', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'A', TTL: 60 }] } })
        await register(call, weighted.id, 'alias', alias)
        expect(await errorCode(call('RegisterInstance', { ServiceId: weighted.id, InstanceId: 'mixed', Attributes: { ...alias, AWS_INSTANCE_IPV4: '192.0.2.1' } }))).toBe('InvalidInput')
        const multi = await service(call, { Name: 'multi', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] } })
        expect(await errorCode(call('RegisterInstance', { ServiceId: multi.id, InstanceId: 'a', Attributes: alias }))).toBe('InvalidInput')
        const srvRecord = await service(call, { Name: 'srvrec', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'SRV', TTL: 60 }] } })
        expect(await errorCode(call('RegisterInstance', { ServiceId: srvRecord.id, InstanceId: 'a', Attributes: alias }))).toBe('InvalidInput')
      })
      rule(make, 'AWS_EC2_INSTANCE_ID is for HTTP namespaces only -> InvalidInput in a DNS namespace', async ({ call }) => {
        const http = await httpNamespace(call, 'ec2')
        const h = await service(call, { Name: 'e', NamespaceId: http })
        await register(call, h.id, 'i', { AWS_EC2_INSTANCE_ID: 'i-0123456789abcdef0' })
        const priv = await privateNamespace(call, 'ec2.local')
        const p = await service(call, { Name: 'e', NamespaceId: priv })
        expect(await errorCode(call('RegisterInstance', { ServiceId: p.id, InstanceId: 'i', Attributes: { AWS_EC2_INSTANCE_ID: 'i-0123456789abcdef0' } }))).toBe('InvalidInput')
      })
    })

    describe('attribute and id limits', () => {
      rule(make, 'at most 30 custom attributes per instance (AWS_ attributes not counted) -> InvalidInput beyond', async ({ call }) => {
        const ns = await httpNamespace(call, 'attr-count')
        const srv = await service(call, { Name: 's', NamespaceId: ns })
        await register(call, srv.id, 'ok', { ...attributes(30), AWS_INSTANCE_IPV4: '192.0.2.1', AWS_INSTANCE_PORT: '80' })
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'too-many', Attributes: attributes(31) }))).toBe('InvalidInput')
      })
      rule(make, 'all attribute keys and values together are at most 5,000 characters -> InvalidInput beyond', async ({ call }) => {
        const ns = await httpNamespace(call, 'attr-size')
        const srv = await service(call, { Name: 's', NamespaceId: ns })
        const big = { a: 'x'.repeat(1024), b: 'x'.repeat(1024), c: 'x'.repeat(1024), d: 'x'.repeat(1024), e: 'x'.repeat(895) } // 4,996 characters with the keys
        await register(call, srv.id, 'ok', big)
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'big', Attributes: { ...big, f: 'x'.repeat(100) } }))).toBe('InvalidInput')
      })
      rule(make, 'attribute keys are up to 255 printable characters without spaces, values up to 1,024 (AttrKey, AttrValue) -> InvalidInput', async ({ call }) => {
        const ns = await httpNamespace(call, 'attr-model')
        const srv = await service(call, { Name: 's', NamespaceId: ns })
        const bad: Record<string, string>[] = [{ 'has space': 'v' }, { ['k'.repeat(256)]: 'v' }, { k: 'v'.repeat(1025) }, { k: ' leading space' }, { k: 'tab\u0007bell' }]
        for (const Attributes of bad) {
          expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i', Attributes })), JSON.stringify(Attributes).slice(0, 40)).toBe('InvalidInput')
        }
        await register(call, srv.id, 'i', { k: 'inner spaces and\ttabs are fine', empty: '' })
      })
      rule(make, 'an InstanceId is up to 64 of 0-9 a-z A-Z _ / : . @ - (InstanceId pattern) -> InvalidInput', async ({ call }) => {
        const ns = await httpNamespace(call, 'ids')
        const srv = await service(call, { Name: 's', NamespaceId: ns })
        for (const InstanceId of ['has space', 'i'.repeat(65), 'semi;colon', 'ünïcode']) {
          expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId, Attributes: {} })), InstanceId).toBe('InvalidInput')
        }
        await register(call, srv.id, 'ok_/:.@-1', {})
      })
    })

    describe('CreatorRequestId', () => {
      rule(make, 'a RegisterInstance retry with the same CreatorRequestId returns the same operation; the id reused for another instance -> DuplicateRequest', async ({ call }) => {
        const ns = await httpNamespace(call, 'reg-idem')
        const srv = await service(call, { Name: 's', NamespaceId: ns })
        const a = await call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i-1', CreatorRequestId: 'r-1', Attributes: { k: 'v' } })
        const b = await call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i-1', CreatorRequestId: 'r-1', Attributes: { k: 'v' } })
        expect(b.OperationId).toBe(a.OperationId)
        await settled(call, a.OperationId!)
        expect((await call('GetInstance', { ServiceId: srv.id, InstanceId: 'i-1' })).Instance!.CreatorRequestId).toBe('r-1')
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i-2', CreatorRequestId: 'r-1', Attributes: { k: 'v' } }))).toBe('DuplicateRequest')
      })
    })

    describe('health', () => {
      rule(make, 'GetInstancesHealthStatus reports UNKNOWN for every instance of a service without a health check', async ({ call }) => {
        const ns = await httpNamespace(call, 'health-none')
        const srv = await service(call, { Name: 's', NamespaceId: ns })
        await register(call, srv.id, 'a', {})
        await register(call, srv.id, 'b', {})
        expect((await call('GetInstancesHealthStatus', { ServiceId: srv.id })).Status).toEqual({ a: 'UNKNOWN', b: 'UNKNOWN' })
      })
      rule(make, 'custom health starts HEALTHY unless AWS_INIT_HEALTH_STATUS is UNHEALTHY; UpdateInstanceCustomHealthStatus changes it', async ({ call }) => {
        const ns = await privateNamespace(call, 'custom-health.local')
        const srv = await service(call, { Name: 's', NamespaceId: ns, HealthCheckCustomConfig: {} })
        await register(call, srv.id, 'up', {})
        await register(call, srv.id, 'down', { AWS_INIT_HEALTH_STATUS: 'UNHEALTHY' })
        expect((await call('GetInstancesHealthStatus', { ServiceId: srv.id })).Status).toEqual({ up: 'HEALTHY', down: 'UNHEALTHY' })
        expect(await call('UpdateInstanceCustomHealthStatus', { ServiceId: srv.id, InstanceId: 'down', Status: 'HEALTHY' })).toEqual({})
        expect(await call('UpdateInstanceCustomHealthStatus', { ServiceId: srv.id, InstanceId: 'up', Status: 'UNHEALTHY' })).toEqual({})
        expect((await call('GetInstancesHealthStatus', { ServiceId: srv.id })).Status).toEqual({ up: 'UNHEALTHY', down: 'HEALTHY' })
      })
      rule(make, 'AWS_INIT_HEALTH_STATUS is HEALTHY or UNHEALTHY -> InvalidInput otherwise', async ({ call }) => {
        const ns = await httpNamespace(call, 'init-health')
        const srv = await service(call, { Name: 's', NamespaceId: ns, HealthCheckCustomConfig: {} })
        expect(await errorCode(call('RegisterInstance', { ServiceId: srv.id, InstanceId: 'i', Attributes: { AWS_INIT_HEALTH_STATUS: 'SICK' } }))).toBe('InvalidInput')
      })
      rule(make, 'UpdateInstanceCustomHealthStatus on a service without HealthCheckCustomConfig fails with CustomHealthNotFound', async ({ call }) => {
        const ns = await publicNamespace(call, 'nocustom.example.com')
        const plain = await service(call, { Name: 'plain', NamespaceId: ns })
        await register(call, plain.id, 'i', {})
        expect(await errorCode(call('UpdateInstanceCustomHealthStatus', { ServiceId: plain.id, InstanceId: 'i', Status: 'UNHEALTHY' }))).toBe('CustomHealthNotFound')
        const route53 = await service(call, { Name: 'r53', NamespaceId: ns, HealthCheckConfig: { Type: 'TCP' } })
        await register(call, route53.id, 'i', { AWS_INSTANCE_PORT: '80' })
        expect(await errorCode(call('UpdateInstanceCustomHealthStatus', { ServiceId: route53.id, InstanceId: 'i', Status: 'UNHEALTHY' }))).toBe('CustomHealthNotFound')
      })
      rule(make, 'UpdateInstanceCustomHealthStatus: Status is HEALTHY or UNHEALTHY (CustomHealthStatus) -> InvalidInput; unknown instance or service -> InstanceNotFound / ServiceNotFound', async ({ call }) => {
        const ns = await privateNamespace(call, 'chs.local')
        const srv = await service(call, { Name: 's', NamespaceId: ns, HealthCheckCustomConfig: {} })
        await register(call, srv.id, 'i', {})
        expect(await errorCode(call('UpdateInstanceCustomHealthStatus', { ServiceId: srv.id, InstanceId: 'i', Status: 'UNKNOWN' } as never))).toBe('InvalidInput')
        expect(await errorCode(call('UpdateInstanceCustomHealthStatus', { ServiceId: srv.id, InstanceId: 'nope', Status: 'HEALTHY' }))).toBe('InstanceNotFound')
        expect(await errorCode(call('UpdateInstanceCustomHealthStatus', { ServiceId: 'srv-doesnotexist000', InstanceId: 'i', Status: 'HEALTHY' }))).toBe('ServiceNotFound')
      })
      rule(make, 'GetInstancesHealthStatus limits the answer to the Instances asked for; an unknown one fails with InstanceNotFound', async ({ call }) => {
        const ns = await httpNamespace(call, 'health-some')
        const srv = await service(call, { Name: 's', NamespaceId: ns, HealthCheckCustomConfig: {} })
        for (const id of ['a', 'b', 'c']) await register(call, srv.id, id, {})
        expect((await call('GetInstancesHealthStatus', { ServiceId: srv.id, Instances: ['a', 'c'] })).Status).toEqual({ a: 'HEALTHY', c: 'HEALTHY' })
        expect(await errorCode(call('GetInstancesHealthStatus', { ServiceId: srv.id, Instances: ['a', 'zzz'] }))).toBe('InstanceNotFound')
        expect(await errorCode(call('GetInstancesHealthStatus', { ServiceId: 'srv-doesnotexist000' }))).toBe('ServiceNotFound')
      })
      rule(make, 'GetInstancesHealthStatus pages with MaxResults (1-100) and NextToken', async ({ call }) => {
        const ns = await httpNamespace(call, 'health-pages')
        const srv = await service(call, { Name: 's', NamespaceId: ns })
        for (const id of ['a', 'b', 'c']) await register(call, srv.id, id, {})
        const first = await call('GetInstancesHealthStatus', { ServiceId: srv.id, MaxResults: 2 })
        expect(Object.keys(first.Status!)).toHaveLength(2)
        const second = await call('GetInstancesHealthStatus', { ServiceId: srv.id, MaxResults: 2, NextToken: first.NextToken })
        expect(Object.keys({ ...first.Status, ...second.Status }).sort()).toEqual(['a', 'b', 'c'])
        expect(second.NextToken).toBeUndefined()
        expect(await errorCode(call('GetInstancesHealthStatus', { ServiceId: srv.id, MaxResults: 101 }))).toBe('InvalidInput')
        expect(await errorCode(call('GetInstancesHealthStatus', { ServiceId: srv.id, Instances: [] }))).toBe('InvalidInput')
      })
    })

    rule(make, 'ListInstances pages with MaxResults (1-100) and NextToken', async ({ call }) => {
      const ns = await httpNamespace(call, 'inst-pages')
      const srv = await service(call, { Name: 's', NamespaceId: ns })
      for (const id of ['a', 'b', 'c']) await register(call, srv.id, id, {})
      const ids: string[] = []
      let NextToken: string | undefined
      do {
        const page = await call('ListInstances', { ServiceId: srv.id, MaxResults: 2, NextToken })
        ids.push(...page.Instances!.map((i) => i.Id!))
        NextToken = page.NextToken
      } while (NextToken)
      expect(ids.sort()).toEqual(['a', 'b', 'c'])
      expect(await errorCode(call('ListInstances', { ServiceId: srv.id, MaxResults: 0 }))).toBe('InvalidInput')
    })
  })
}
