import { describe, expect } from 'vitest'
import type { DnsRecord } from '../../src/model/api-types.js'
import type { MakeBackend } from './support.js'
import { attributes, errorCode, httpNamespace, privateNamespace, publicNamespace, register, rule, service, sortedTags, succeeded, tags } from './support.js'

/** Services: CreateService, GetService, ListServices, UpdateService, DeleteService and the service attributes. */
export function serviceContract(make: MakeBackend): void {
  describe('services', () => {
    rule(make, 'CreateService / GetService / ListServices; in a DNS namespace a name differing only by case fails with ServiceAlreadyExists', async ({ call }) => {
      const ns = await publicNamespace(call, 'svc.example.com')
      const { Service } = await call('CreateService', { Name: 'api', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } })
      expect(Service).toMatchObject({ Name: 'api', NamespaceId: ns, Type: 'DNS_HTTP', DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] } })
      expect(Service!.Id).toMatch(/^srv-[a-z0-9]+$/)
      expect(Service!.Arn).toMatch(new RegExp(`^arn:aws:servicediscovery:[a-z0-9-]+:\\d{12}:service/${Service!.Id}$`))
      expect((await call('GetService', { Id: Service!.Id! })).Service).toMatchObject({ Name: 'api', InstanceCount: 0 })
      const { Services } = await call('ListServices', { Filters: [{ Name: 'NAMESPACE_ID', Values: [ns], Condition: 'EQ' }] })
      expect(Services!.map((s) => s.Id)).toEqual([Service!.Id])
      expect(await errorCode(call('CreateService', { Name: 'API', NamespaceId: ns }))).toBe('ServiceAlreadyExists')
    })

    rule(make, 'in an HTTP namespace, reached only through the API, service names may differ only by case (CreateService Name)', async ({ call }) => {
      const ns = await httpNamespace(call, 'cases')
      await service(call, { Name: 'api', NamespaceId: ns })
      await service(call, { Name: 'API', NamespaceId: ns })
      expect(await errorCode(call('CreateService', { Name: 'api', NamespaceId: ns }))).toBe('ServiceAlreadyExists')
    })

    rule(make, 'CreateService in an unknown namespace fails with NamespaceNotFound; GetService/DeleteService/UpdateService of an unknown id with ServiceNotFound', async ({ call }) => {
      expect(await errorCode(call('CreateService', { Name: 'x', NamespaceId: 'ns-doesnotexist0000' }))).toBe('NamespaceNotFound')
      expect(await errorCode(call('GetService', { Id: 'srv-doesnotexist000' }))).toBe('ServiceNotFound')
      expect(await errorCode(call('DeleteService', { Id: 'srv-doesnotexist000' }))).toBe('ServiceNotFound')
      expect(await errorCode(call('UpdateService', { Id: 'srv-doesnotexist000', Service: { Description: 'x' } }))).toBe('ServiceNotFound')
    })

    rule(make, 'CreateService needs a namespace: NamespaceId (or the deprecated DnsConfig.NamespaceId) -> InvalidInput without', async ({ call }) => {
      expect(await errorCode(call('CreateService', { Name: 'orphan' }))).toBe('InvalidInput')
      const ns = await privateNamespace(call, 'legacy.local')
      const { Service } = await call('CreateService', { Name: 'legacy', DnsConfig: { NamespaceId: ns, DnsRecords: [{ Type: 'A', TTL: 5 }] } })
      expect(Service!.NamespaceId).toBe(ns)
    })

    rule(make, 'a service name is DNS labels of up to 63 characters, 127 in all (ServiceName pattern) -> InvalidInput', async ({ call }) => {
      const ns = await httpNamespace(call, 'names')
      for (const Name of ['has space', 'a'.repeat(64), `${'a'.repeat(60)}.${'b'.repeat(60)}.cccccc`, '-dash', 'dot.']) {
        expect(await errorCode(call('CreateService', { Name, NamespaceId: ns })), Name).toBe('InvalidInput')
      }
      await service(call, { Name: '_http._tcp', NamespaceId: ns })
      expect(await errorCode(call('CreateService', { Name: 'ok', NamespaceId: ns, Description: 'd'.repeat(1025) }))).toBe('InvalidInput')
    })

    rule(make, 'a service without DnsConfig is Type HTTP, one with DNS records DNS_HTTP (Service.Type)', async ({ call }) => {
      const ns = await publicNamespace(call, 'types.example.com')
      expect((await call('CreateService', { Name: 'api-only', NamespaceId: ns })).Service!.Type).toBe('HTTP')
      expect((await call('CreateService', { Name: 'typed', NamespaceId: ns, Type: 'HTTP' })).Service!.Type).toBe('HTTP')
      expect((await call('CreateService', { Name: 'dns', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 1 }] } })).Service!.Type).toBe('DNS_HTTP')
    })

    rule(make, 'DnsConfig is for DNS namespaces only, and not with Type HTTP -> InvalidInput', async ({ call }) => {
      const http = await httpNamespace(call, 'no-dns')
      const DnsConfig = { DnsRecords: [{ Type: 'A' as const, TTL: 60 }] }
      expect(await errorCode(call('CreateService', { Name: 's', NamespaceId: http, DnsConfig }))).toBe('InvalidInput')
      const pub = await publicNamespace(call, 'no-dns.example.com')
      expect(await errorCode(call('CreateService', { Name: 's', NamespaceId: pub, DnsConfig, Type: 'HTTP' }))).toBe('InvalidInput')
    })

    describe('DNS record combinations (DnsRecord.Type: A, AAAA, A and AAAA, SRV, CNAME)', () => {
      rule(make, 'A, AAAA, A+AAAA, SRV, and CNAME with WEIGHTED routing are accepted', async ({ call }) => {
        const ns = await publicNamespace(call, 'combos.example.com')
        const ok: [string, DnsRecord[], 'MULTIVALUE' | 'WEIGHTED' | undefined][] = [
          ['a', [{ Type: 'A', TTL: 60 }], undefined],
          ['aaaa', [{ Type: 'AAAA', TTL: 60 }], 'MULTIVALUE'],
          ['both', [{ Type: 'AAAA', TTL: 60 }, { Type: 'A', TTL: 30 }], 'WEIGHTED'],
          ['srv', [{ Type: 'SRV', TTL: 60 }], 'MULTIVALUE'],
          ['cname', [{ Type: 'CNAME', TTL: 60 }], 'WEIGHTED'],
        ]
        for (const [Name, DnsRecords, RoutingPolicy] of ok) {
          const { Service } = await call('CreateService', { Name, NamespaceId: ns, DnsConfig: { RoutingPolicy, DnsRecords } })
          expect(Service!.DnsConfig!.DnsRecords).toEqual(DnsRecords)
        }
      })
      rule(make, 'other combinations, a repeated type or no record at all are rejected -> InvalidInput', async ({ call }) => {
        const ns = await publicNamespace(call, 'bad-combos.example.com')
        const bad: DnsRecord[][] = [
          [{ Type: 'A', TTL: 1 }, { Type: 'SRV', TTL: 1 }],
          [{ Type: 'AAAA', TTL: 1 }, { Type: 'SRV', TTL: 1 }],
          [{ Type: 'A', TTL: 1 }, { Type: 'CNAME', TTL: 1 }],
          [{ Type: 'A', TTL: 1 }, { Type: 'A', TTL: 2 }],
          [],
        ]
        for (const DnsRecords of bad) {
          expect(await errorCode(call('CreateService', { Name: 'bad', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords } })), JSON.stringify(DnsRecords)).toBe('InvalidInput')
        }
      })
      rule(make, 'a CNAME record requires WEIGHTED routing and no Route 53 health check -> InvalidInput', async ({ call }) => {
        const ns = await publicNamespace(call, 'cname.example.com')
        const records = [{ Type: 'CNAME' as const, TTL: 60 }]
        expect(await errorCode(call('CreateService', { Name: 'c1', NamespaceId: ns, DnsConfig: { DnsRecords: records } }))).toBe('InvalidInput')
        expect(await errorCode(call('CreateService', { Name: 'c2', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: records } }))).toBe('InvalidInput')
        expect(await errorCode(call('CreateService', { Name: 'c3', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: records }, HealthCheckConfig: { Type: 'HTTP' } }))).toBe('InvalidInput')
      })
      rule(make, 'record Type, RoutingPolicy and TTL are checked against the model (RecordType, RoutingPolicy enums; RecordTTL 0-2147483647)', async ({ call }) => {
        const ns = await publicNamespace(call, 'model.example.com')
        expect(await errorCode(call('CreateService', { Name: 'm1', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'MX', TTL: 60 }] } } as never))).toBe('InvalidInput')
        expect(await errorCode(call('CreateService', { Name: 'm2', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'LATENCY', DnsRecords: [{ Type: 'A', TTL: 60 }] } } as never))).toBe('InvalidInput')
        expect(await errorCode(call('CreateService', { Name: 'm3', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 2147483648 }] } }))).toBe('InvalidInput')
        expect(await errorCode(call('CreateService', { Name: 'm4', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: -1 }] } }))).toBe('InvalidInput')
        expect(await errorCode(call('CreateService', { Name: 'm5', NamespaceId: ns, DnsConfig: {} } as never))).toBe('InvalidInput')
      })
    })

    describe('health checks', () => {
      rule(make, 'HealthCheckConfig and HealthCheckCustomConfig exclude each other -> InvalidInput', async ({ call }) => {
        const ns = await publicNamespace(call, 'both.example.com')
        expect(await errorCode(call('CreateService', { Name: 'h', NamespaceId: ns, HealthCheckConfig: { Type: 'HTTP' }, HealthCheckCustomConfig: {} }))).toBe('InvalidInput')
      })
      rule(make, 'Route 53 health checks are for public DNS and HTTP namespaces only -> InvalidInput in a private DNS namespace', async ({ call }) => {
        const priv = await privateNamespace(call, 'hc.local')
        expect(await errorCode(call('CreateService', { Name: 'h', NamespaceId: priv, HealthCheckConfig: { Type: 'TCP' } }))).toBe('InvalidInput')
        const http = await httpNamespace(call, 'hc-http')
        const { Service } = await call('CreateService', { Name: 'h', NamespaceId: http, HealthCheckConfig: { Type: 'HTTPS', ResourcePath: '/health', FailureThreshold: 3 } })
        expect(Service!.HealthCheckConfig).toEqual({ Type: 'HTTPS', ResourcePath: '/health', FailureThreshold: 3 })
      })
      rule(make, 'HealthCheckConfig: Type HTTP/HTTPS/TCP, FailureThreshold 1-10, ResourcePath up to 255 and none for TCP -> InvalidInput otherwise', async ({ call }) => {
        const ns = await publicNamespace(call, 'hc.example.com')
        const bad = [
          { Type: 'ICMP' },
          { Type: 'HTTP', FailureThreshold: 11 },
          { Type: 'HTTP', FailureThreshold: 0 },
          { Type: 'HTTP', ResourcePath: `/${'p'.repeat(255)}` },
          { Type: 'TCP', ResourcePath: '/' },
        ]
        for (const HealthCheckConfig of bad) {
          expect(await errorCode(call('CreateService', { Name: 'h', NamespaceId: ns, HealthCheckConfig } as never)), JSON.stringify(HealthCheckConfig)).toBe('InvalidInput')
        }
      })
      rule(make, 'HealthCheckCustomConfig.FailureThreshold "is no longer supported and is always set to 1"; it is still checked against 1-10', async ({ call }) => {
        const ns = await privateNamespace(call, 'custom.local')
        const { Service } = await call('CreateService', { Name: 'c', NamespaceId: ns, HealthCheckCustomConfig: { FailureThreshold: 5 } })
        expect(Service!.HealthCheckCustomConfig).toEqual({ FailureThreshold: 1 })
        expect(await errorCode(call('CreateService', { Name: 'd', NamespaceId: ns, HealthCheckCustomConfig: { FailureThreshold: 11 } }))).toBe('InvalidInput')
      })
    })

    describe('CreatorRequestId and tags', () => {
      rule(make, 'a CreateService retry with the same CreatorRequestId and request returns the same service', async ({ call }) => {
        const ns = await httpNamespace(call, 'svc-idem')
        const a = await call('CreateService', { Name: 'same', NamespaceId: ns, CreatorRequestId: 'c-1' })
        const b = await call('CreateService', { Name: 'same', NamespaceId: ns, CreatorRequestId: 'c-1' })
        expect(b.Service!.Id).toBe(a.Service!.Id)
        expect((await call('ListServices', {})).Services).toHaveLength(1)
        expect(await errorCode(call('CreateService', { Name: 'same', NamespaceId: ns, CreatorRequestId: 'c-1', Description: 'changed' }))).toBe('ServiceAlreadyExists')
        expect(await errorCode(call('CreateService', { Name: 'same', NamespaceId: ns, CreatorRequestId: 'c-2' }))).toBe('ServiceAlreadyExists')
      })
      rule(make, 'Tags given to CreateService are on the service; more than 50 fail with TooManyTagsException', async ({ call }) => {
        const ns = await httpNamespace(call, 'svc-tags')
        const srv = await service(call, { Name: 't', NamespaceId: ns, Tags: [{ Key: 'a', Value: '1' }] })
        expect(sortedTags((await call('ListTagsForResource', { ResourceARN: srv.arn })).Tags)).toEqual([{ Key: 'a', Value: '1' }])
        expect(await errorCode(call('CreateService', { Name: 'u', NamespaceId: ns, Tags: tags(51) }))).toBe('TooManyTagsException')
      })
    })

    describe('ListServices', () => {
      rule(make, 'ServiceFilter NAMESPACE_ID takes a namespace id or ARN; RESOURCE_OWNER SELF or OTHER_ACCOUNTS', async ({ call }) => {
        const a = await httpNamespace(call, 'list-a')
        const b = await httpNamespace(call, 'list-b')
        const sa = await service(call, { Name: 'sa', NamespaceId: a })
        const sb = await service(call, { Name: 'sb', NamespaceId: b })
        const arnB = (await call('GetNamespace', { Id: b })).Namespace!.Arn!
        const ids = async (Filters: Parameters<typeof call<'ListServices'>>[1]['Filters']) => ((await call('ListServices', { Filters })).Services ?? []).map((s) => s.Id).sort()
        expect(await ids([{ Name: 'NAMESPACE_ID', Values: [a] }])).toEqual([sa.id])
        expect(await ids([{ Name: 'NAMESPACE_ID', Values: [arnB], Condition: 'EQ' }])).toEqual([sb.id])
        expect(await ids([{ Name: 'RESOURCE_OWNER', Values: ['SELF'] }])).toEqual([sa.id, sb.id].sort())
        expect(await ids([{ Name: 'RESOURCE_OWNER', Values: ['OTHER_ACCOUNTS'] }])).toEqual([])
      })
      rule(make, 'ServiceFilter conditions outside the documented ones are rejected -> InvalidInput', async ({ call }) => {
        const ns = await httpNamespace(call, 'svc-filters')
        const bad = [
          [{ Name: 'NAMESPACE_ID', Values: [ns, ns], Condition: 'EQ' }],
          [{ Name: 'NAMESPACE_ID', Values: ['ns-'], Condition: 'BEGINS_WITH' }],
          [{ Name: 'NAMESPACE_ID', Values: [ns], Condition: 'BETWEEN' }],
          [{ Name: 'RESOURCE_OWNER', Values: ['ME'] }],
          [{ Name: 'NAME', Values: ['x'] }],
        ]
        for (const Filters of bad) expect(await errorCode(call('ListServices', { Filters } as never)), JSON.stringify(Filters)).toBe('InvalidInput')
      })
      rule(make, 'ListServices pages with MaxResults (1-100) and NextToken; ServiceSummary has InstanceCount', async ({ call }) => {
        const ns = await httpNamespace(call, 'svc-pages')
        for (const n of ['p1', 'p2', 'p3']) await service(call, { Name: n, NamespaceId: ns })
        const seen: string[] = []
        let NextToken: string | undefined
        do {
          const page = await call('ListServices', { MaxResults: 1, NextToken })
          expect(page.Services!.length).toBeLessThanOrEqual(1)
          for (const s of page.Services!) {
            expect(s.InstanceCount).toBe(0)
            seen.push(s.Name!)
          }
          NextToken = page.NextToken
        } while (NextToken)
        expect(seen.sort()).toEqual(['p1', 'p2', 'p3'])
        expect(await errorCode(call('ListServices', { MaxResults: 101 }))).toBe('InvalidInput')
      })
    })

    rule(make, 'DeleteService fails with ResourceInUse while instances are registered, then deletes the service with its attributes and tags', async ({ call }) => {
      const ns = await httpNamespace(call, 'del-svc')
      const srv = await service(call, { Name: 's', NamespaceId: ns, Tags: [{ Key: 'k', Value: 'v' }] })
      await call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: { a: 'b' } })
      await register(call, srv.id, 'x', { k: 'v' })
      expect(await errorCode(call('DeleteService', { Id: srv.id }))).toBe('ResourceInUse')
      await succeeded(call, call('DeregisterInstance', { ServiceId: srv.id, InstanceId: 'x' }))
      expect(await call('DeleteService', { Id: srv.id })).toEqual({})
      expect(await errorCode(call('GetService', { Id: srv.id }))).toBe('ServiceNotFound')
      expect(await errorCode(call('GetServiceAttributes', { ServiceId: srv.id }))).toBe('ServiceNotFound')
      expect(await errorCode(call('ListTagsForResource', { ResourceARN: srv.arn }))).toBe('ResourceNotFoundException')
    })

    // Kept apart from the cases above so that a backend refusing ARNs (moto) still runs them.
    rule(make, 'a service id or its ARN is accepted wherever a service id is taken (GetService/UpdateService/DeleteService Id, ServiceId of the instance and attribute calls: "ID or ARN")', async ({ call }) => {
      const ns = await httpNamespace(call, 'srv-arn')
      const srv = await service(call, { Name: 'a', NamespaceId: ns, HealthCheckCustomConfig: {} })
      expect((await call('GetService', { Id: srv.arn })).Service!.Id).toBe(srv.id)
      await succeeded(call, call('UpdateService', { Id: srv.arn, Service: { Description: 'by arn' } }))
      await register(call, srv.arn, 'i-1', { k: 'v' })
      expect((await call('ListInstances', { ServiceId: srv.arn })).Instances!.map((i) => i.Id)).toEqual(['i-1'])
      expect(await call('UpdateInstanceCustomHealthStatus', { ServiceId: srv.arn, InstanceId: 'i-1', Status: 'UNHEALTHY' })).toEqual({})
      await call('UpdateServiceAttributes', { ServiceId: srv.arn, Attributes: { port: '8080' } })
      expect((await call('GetServiceAttributes', { ServiceId: srv.arn })).ServiceAttributes!.Attributes).toEqual({ port: '8080' })
      await succeeded(call, call('DeregisterInstance', { ServiceId: srv.arn, InstanceId: 'i-1' }))
      expect(await call('DeleteService', { Id: srv.arn })).toEqual({})
      expect(await errorCode(call('GetService', { Id: srv.id }))).toBe('ServiceNotFound')
    })

    describe('UpdateService', () => {
      rule(make, 'UpdateService changes record TTLs and the description through an UPDATE_SERVICE operation on the service', async ({ call }) => {
        const ns = await publicNamespace(call, 'upd.example.com')
        const srv = await service(call, { Name: 'u', NamespaceId: ns, Description: 'v1', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }, { Type: 'AAAA', TTL: 60 }] } })
        const op = await succeeded(call, call('UpdateService', { Id: srv.id, Service: { Description: 'v2', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }, { Type: 'AAAA', TTL: 20 }] } } }))
        expect(op).toMatchObject({ Type: 'UPDATE_SERVICE', Targets: { SERVICE: srv.id } })
        const after = (await call('GetService', { Id: srv.id })).Service!
        expect(after).toMatchObject({ Description: 'v2', Type: 'DNS_HTTP', DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 10 }, { Type: 'AAAA', TTL: 20 }] } })
      })
      rule(make, 'UpdateService: DNS records and HealthCheckConfig omitted from the request are deleted (DNS namespaces)', async ({ call }) => {
        const ns = await publicNamespace(call, 'omit.example.com')
        const srv = await service(call, { Name: 'o', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }, { Type: 'AAAA', TTL: 60 }] }, HealthCheckConfig: { Type: 'TCP' } })
        await succeeded(call, call('UpdateService', { Id: srv.id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } } }))
        const after = (await call('GetService', { Id: srv.id })).Service!
        expect(after.DnsConfig!.DnsRecords).toEqual([{ Type: 'A', TTL: 60 }])
        expect(after.HealthCheckConfig).toBeUndefined()
        await succeeded(call, call('UpdateService', { Id: srv.id, Service: { Description: 'no records' } }))
        expect((await call('GetService', { Id: srv.id })).Service!.DnsConfig?.DnsRecords ?? []).toEqual([])
      })
      rule(make, 'UpdateService adds or updates a Route 53 health check in a public DNS namespace', async ({ call }) => {
        const ns = await publicNamespace(call, 'addhc.example.com')
        const records = { DnsRecords: [{ Type: 'A' as const, TTL: 60 }] }
        const srv = await service(call, { Name: 'h', NamespaceId: ns, DnsConfig: records })
        await succeeded(call, call('UpdateService', { Id: srv.id, Service: { DnsConfig: records, HealthCheckConfig: { Type: 'HTTP', ResourcePath: '/up', FailureThreshold: 2 } } }))
        expect((await call('GetService', { Id: srv.id })).Service!.HealthCheckConfig).toEqual({ Type: 'HTTP', ResourcePath: '/up', FailureThreshold: 2 })
      })
      rule(make, "UpdateService can't add or change record types (\"The record type of a service ... can't be updated\") -> InvalidInput", async ({ call }) => {
        const ns = await publicNamespace(call, 'rtype.example.com')
        const srv = await service(call, { Name: 'r', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } })
        expect(await errorCode(call('UpdateService', { Id: srv.id, Service: { DnsConfig: { DnsRecords: [{ Type: 'AAAA', TTL: 60 }] } } }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdateService', { Id: srv.id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }, { Type: 'AAAA', TTL: 60 }] } } }))).toBe('InvalidInput')
        const bare = await service(call, { Name: 'bare', NamespaceId: ns })
        expect(await errorCode(call('UpdateService', { Id: bare.id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } } }))).toBe('InvalidInput')
      })
      rule(make, "UpdateService can't add, change or remove HealthCheckCustomConfig; omitting it keeps it", async ({ call }) => {
        const ns = await privateNamespace(call, 'keep.local')
        const records = { DnsRecords: [{ Type: 'A' as const, TTL: 60 }] }
        const srv = await service(call, { Name: 'k', NamespaceId: ns, DnsConfig: records, HealthCheckCustomConfig: {} })
        await succeeded(call, call('UpdateService', { Id: srv.id, Service: { DnsConfig: records, Description: 'still custom' } }))
        expect((await call('GetService', { Id: srv.id })).Service!.HealthCheckCustomConfig).toEqual({ FailureThreshold: 1 })
        expect(await errorCode(call('UpdateService', { Id: srv.id, Service: { DnsConfig: records, HealthCheckCustomConfig: {} } as never }))).toBe('InvalidInput')
      })
      rule(make, 'UpdateService: no Route 53 health check in a private DNS namespace, none beside a custom one, none with CNAME -> InvalidInput', async ({ call }) => {
        const priv = await privateNamespace(call, 'nohc.local')
        const a = { DnsRecords: [{ Type: 'A' as const, TTL: 60 }] }
        const p = await service(call, { Name: 'p', NamespaceId: priv, DnsConfig: a })
        expect(await errorCode(call('UpdateService', { Id: p.id, Service: { DnsConfig: a, HealthCheckConfig: { Type: 'HTTP' } } }))).toBe('InvalidInput')
        const pub = await publicNamespace(call, 'nohc.example.com')
        const c = await service(call, { Name: 'c', NamespaceId: pub, DnsConfig: a, HealthCheckCustomConfig: {} })
        expect(await errorCode(call('UpdateService', { Id: c.id, Service: { DnsConfig: a, HealthCheckConfig: { Type: 'HTTP' } } }))).toBe('InvalidInput')
        const cname = { RoutingPolicy: 'WEIGHTED' as const, DnsRecords: [{ Type: 'CNAME' as const, TTL: 60 }] }
        const n = await service(call, { Name: 'n', NamespaceId: pub, DnsConfig: cname })
        expect(await errorCode(call('UpdateService', { Id: n.id, Service: { DnsConfig: { DnsRecords: cname.DnsRecords }, HealthCheckConfig: { Type: 'HTTP' } } }))).toBe('InvalidInput')
      })
      rule(make, 'UpdateService of a service in an HTTP namespace: no DNS records or health check changes -> InvalidInput; the description can change', async ({ call }) => {
        const ns = await httpNamespace(call, 'upd-http')
        const srv = await service(call, { Name: 's', NamespaceId: ns, HealthCheckConfig: { Type: 'TCP' } })
        expect(await errorCode(call('UpdateService', { Id: srv.id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 1 }] } } }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdateService', { Id: srv.id, Service: { HealthCheckConfig: { Type: 'HTTP' } } }))).toBe('InvalidInput')
        await succeeded(call, call('UpdateService', { Id: srv.id, Service: { Description: 'described' } }))
        expect((await call('GetService', { Id: srv.id })).Service).toMatchObject({ Description: 'described', HealthCheckConfig: { Type: 'TCP' } })
      })
      rule(make, 'UpdateService input is checked against the model (ServiceChange members) -> InvalidInput', async ({ call }) => {
        const ns = await publicNamespace(call, 'updmodel.example.com')
        const srv = await service(call, { Name: 'm', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } })
        expect(await errorCode(call('UpdateService', { Id: srv.id, Service: { Description: 'd'.repeat(1025) } }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdateService', { Id: srv.id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 2147483648 }] } } }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdateService', { Id: srv.id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] }, HealthCheckConfig: { Type: 'HTTP', FailureThreshold: 20 } } }))).toBe('InvalidInput')
      })
    })

    describe('service attributes', () => {
      rule(make, 'GetServiceAttributes returns the service ARN and attributes; UpdateServiceAttributes adds and overwrites; DeleteServiceAttributes removes', async ({ call }) => {
        const ns = await httpNamespace(call, 'svc-attrs')
        const srv = await service(call, { Name: 'a', NamespaceId: ns })
        expect((await call('GetServiceAttributes', { ServiceId: srv.id })).ServiceAttributes).toMatchObject({ ServiceArn: srv.arn })
        expect(await call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: { port: '80', tier: 'web' } })).toEqual({})
        await call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: { port: '8080' } })
        expect((await call('GetServiceAttributes', { ServiceId: srv.id })).ServiceAttributes!.Attributes).toEqual({ port: '8080', tier: 'web' })
        expect(await call('DeleteServiceAttributes', { ServiceId: srv.id, Attributes: ['tier', 'absent'] })).toEqual({})
        expect((await call('GetServiceAttributes', { ServiceId: srv.id })).ServiceAttributes!.Attributes).toEqual({ port: '8080' })
      })
      rule(make, 'a service has at most 30 attributes: going beyond fails with ServiceAttributesLimitExceededException', async ({ call }) => {
        const ns = await httpNamespace(call, 'svc-attr-limit')
        const srv = await service(call, { Name: 'l', NamespaceId: ns })
        await call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: attributes(30) })
        expect(await errorCode(call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: { extra: 'x' } }))).toBe('ServiceAttributesLimitExceededException')
        await call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: { a0: 'overwrite is fine' } })
        expect(Object.keys((await call('GetServiceAttributes', { ServiceId: srv.id })).ServiceAttributes!.Attributes!)).toHaveLength(30)
      })
      rule(make, 'service attribute requests are checked against the model: 1-30 entries, keys up to 255 and values up to 1,024 characters -> InvalidInput', async ({ call }) => {
        const ns = await httpNamespace(call, 'svc-attr-model')
        const srv = await service(call, { Name: 'm', NamespaceId: ns })
        expect(await errorCode(call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: attributes(31) }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: {} }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: { ['k'.repeat(256)]: 'v' } }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdateServiceAttributes', { ServiceId: srv.id, Attributes: { k: 'v'.repeat(1025) } }))).toBe('InvalidInput')
        expect(await errorCode(call('DeleteServiceAttributes', { ServiceId: srv.id, Attributes: [] }))).toBe('InvalidInput')
        expect(await errorCode(call('DeleteServiceAttributes', { ServiceId: srv.id, Attributes: Object.keys(attributes(31)) }))).toBe('InvalidInput')
      })
      rule(make, 'Get/Update/DeleteServiceAttributes of an unknown service fail with ServiceNotFound', async ({ call }) => {
        const id = 'srv-doesnotexist000'
        expect(await errorCode(call('GetServiceAttributes', { ServiceId: id }))).toBe('ServiceNotFound')
        expect(await errorCode(call('UpdateServiceAttributes', { ServiceId: id, Attributes: { a: 'b' } }))).toBe('ServiceNotFound')
        expect(await errorCode(call('DeleteServiceAttributes', { ServiceId: id, Attributes: ['a'] }))).toBe('ServiceNotFound')
      })
    })
  })
}
