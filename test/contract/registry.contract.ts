import { describe, expect, it } from 'vitest'
import type { OperationName } from '../../src/model/index.js'
import type { Input, Output, Registry } from '../../src/registry/registry.js'

export interface ContractBackend {
  registry: Registry
  /** Whether this backend departs from AWS on a rule (e.g. moto); such cases are skipped with the reason. */
  skip?: (rule: string) => string | undefined
}

/** Resolve the rejected error's AWS code, whichever backend raised it. */
async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).name
  }
  throw new Error('expected the call to be rejected')
}

/**
 * The behaviour every backend must share, written against the Registry port. Each case names the AWS
 * Cloud Map rule it checks (API reference of the operation, or the model's constraints).
 */
export function describeRegistryContract(name: string, makeBackend: () => Promise<ContractBackend>): void {
  describe(`Registry contract: ${name}`, () => {
    const setup = async () => {
      const backend = await makeBackend()
      const call = <K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>> => backend.registry.invoke(op, input)
      return { backend, call }
    }

    async function namespaceId(call: Awaited<ReturnType<typeof setup>>['call'], opId: string): Promise<string> {
      const { Operation } = await call('GetOperation', { OperationId: opId })
      return Operation!.Targets!.NAMESPACE!
    }

    it('CreateHttpNamespace returns an operation whose target is the new namespace (async writes report an OperationId)', async () => {
      const { call } = await setup()
      const { OperationId } = await call('CreateHttpNamespace', { Name: 'orders', Description: 'd' })
      const { Operation } = await call('GetOperation', { OperationId: OperationId! })
      expect(Operation).toMatchObject({ Id: OperationId, Type: 'CREATE_NAMESPACE', Status: 'SUCCESS' })
      const id = Operation!.Targets!.NAMESPACE!
      const { Namespace } = await call('GetNamespace', { Id: id })
      expect(Namespace).toMatchObject({ Id: id, Name: 'orders', Type: 'HTTP', Description: 'd', Properties: { HttpProperties: { HttpName: 'orders' } } })
      expect(Namespace!.Arn).toMatch(new RegExp(`^arn:aws:servicediscovery:[a-z0-9-]+:\\d{12}:namespace/${id}$`))
    })

    it('DNS namespaces get a hosted zone and an SOA TTL (Namespace.Properties.DnsProperties)', async () => {
      const { call } = await setup()
      const pub = await namespaceId(call, (await call('CreatePublicDnsNamespace', { Name: 'example.com' })).OperationId!)
      const priv = await namespaceId(call, (await call('CreatePrivateDnsNamespace', { Name: 'internal.local', Vpc: 'vpc-1', Properties: { DnsProperties: { SOA: { TTL: 60 } } } })).OperationId!)
      const p = (await call('GetNamespace', { Id: pub })).Namespace!
      expect(p.Type).toBe('DNS_PUBLIC')
      expect(p.Properties!.DnsProperties!.HostedZoneId).toMatch(/^Z[A-Z0-9]+$/)
      const q = (await call('GetNamespace', { Id: priv })).Namespace!
      expect(q).toMatchObject({ Type: 'DNS_PRIVATE', Properties: { DnsProperties: { SOA: { TTL: 60 } } } })
    })

    it('GetNamespace of an unknown id fails with NamespaceNotFound', async () => {
      const { call } = await setup()
      expect(await errorCode(call('GetNamespace', { Id: 'ns-doesnotexist0000' }))).toBe('NamespaceNotFound')
    })

    it('a public DNS namespace name must be a domain name (CreatePublicDnsNamespace Name pattern) -> InvalidInput', async () => {
      const { call } = await setup()
      expect(await errorCode(call('CreatePublicDnsNamespace', { Name: 'not a domain' }))).toBe('InvalidInput')
    })

    it('a second namespace with the same name fails with NamespaceAlreadyExists', async () => {
      const { call } = await setup()
      await call('CreateHttpNamespace', { Name: 'dup' })
      expect(await errorCode(call('CreateHttpNamespace', { Name: 'dup' }))).toBe('NamespaceAlreadyExists')
    })

    it('ListNamespaces lists every namespace and pages with MaxResults/NextToken', async () => {
      const { call } = await setup()
      for (const n of ['a', 'b', 'c']) await call('CreateHttpNamespace', { Name: `page-${n}` })
      const first = await call('ListNamespaces', { MaxResults: 2 })
      expect(first.Namespaces).toHaveLength(2)
      expect(first.NextToken).toBeTruthy()
      const second = await call('ListNamespaces', { MaxResults: 2, NextToken: first.NextToken })
      expect(second.Namespaces).toHaveLength(1)
      expect(second.NextToken).toBeUndefined()
      const names = [...first.Namespaces!, ...second.Namespaces!].map((n) => n.Name).sort()
      expect(names).toEqual(['page-a', 'page-b', 'page-c'])
    })

    it('ListNamespaces honours a TYPE filter (NamespaceFilter)', async () => {
      const { call } = await setup()
      await call('CreateHttpNamespace', { Name: 'web-http' })
      await call('CreatePublicDnsNamespace', { Name: 'web.example.org' })
      const { Namespaces } = await call('ListNamespaces', { Filters: [{ Name: 'TYPE', Values: ['DNS_PUBLIC'], Condition: 'EQ' }] })
      expect(Namespaces!.map((n) => n.Name)).toEqual(['web.example.org'])
    })

    it('CreateService / GetService / ListServices; a duplicate name fails with ServiceAlreadyExists', async () => {
      const { call } = await setup()
      const ns = await namespaceId(call, (await call('CreatePublicDnsNamespace', { Name: 'svc.example.com' })).OperationId!)
      const { Service } = await call('CreateService', { Name: 'api', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } })
      expect(Service).toMatchObject({ Name: 'api', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] } })
      expect(Service!.Id).toMatch(/^srv-[a-z0-9]+$/)
      expect((await call('GetService', { Id: Service!.Id! })).Service!.Name).toBe('api')
      const { Services } = await call('ListServices', { Filters: [{ Name: 'NAMESPACE_ID', Values: [ns], Condition: 'EQ' }] })
      expect(Services!.map((s) => s.Id)).toEqual([Service!.Id])
      // DNS namespaces compare service names case-insensitively (CreateService Name).
      expect(await errorCode(call('CreateService', { Name: 'API', NamespaceId: ns }))).toBe('ServiceAlreadyExists')
    })

    it('CreateService in an unknown namespace fails with NamespaceNotFound; GetService of an unknown id with ServiceNotFound', async () => {
      const { call } = await setup()
      expect(await errorCode(call('CreateService', { Name: 'x', NamespaceId: 'ns-doesnotexist0000' }))).toBe('NamespaceNotFound')
      expect(await errorCode(call('GetService', { Id: 'srv-doesnotexist000' }))).toBe('ServiceNotFound')
    })

    it('RegisterInstance, GetInstance, ListInstances; re-registering an id updates it in place', async () => {
      const { call } = await setup()
      const ns = await namespaceId(call, (await call('CreateHttpNamespace', { Name: 'inst' })).OperationId!)
      const srv = (await call('CreateService', { Name: 'app', NamespaceId: ns })).Service!.Id!
      const reg = await call('RegisterInstance', { ServiceId: srv, InstanceId: 'i-1', Attributes: { color: 'blue' } })
      const op = (await call('GetOperation', { OperationId: reg.OperationId! })).Operation!
      expect(op).toMatchObject({ Type: 'REGISTER_INSTANCE', Status: 'SUCCESS', Targets: { INSTANCE: 'i-1' } })
      await call('RegisterInstance', { ServiceId: srv, InstanceId: 'i-1', Attributes: { color: 'green' } })
      expect((await call('GetInstance', { ServiceId: srv, InstanceId: 'i-1' })).Instance).toMatchObject({ Id: 'i-1', Attributes: { color: 'green' } })
      const { Instances } = await call('ListInstances', { ServiceId: srv })
      expect(Instances).toHaveLength(1)
    })

    it('GetInstance of an unknown instance fails with InstanceNotFound; DeregisterInstance likewise', async () => {
      const { call } = await setup()
      const ns = await namespaceId(call, (await call('CreateHttpNamespace', { Name: 'gone' })).OperationId!)
      const srv = (await call('CreateService', { Name: 'app', NamespaceId: ns })).Service!.Id!
      expect(await errorCode(call('GetInstance', { ServiceId: srv, InstanceId: 'nope' }))).toBe('InstanceNotFound')
      expect(await errorCode(call('DeregisterInstance', { ServiceId: srv, InstanceId: 'nope' }))).toBe('InstanceNotFound')
    })

    it('an A record requires AWS_INSTANCE_IPV4 (RegisterInstance Attributes) -> InvalidInput', async () => {
      const { call } = await setup()
      const ns = await namespaceId(call, (await call('CreatePrivateDnsNamespace', { Name: 'a-rec.local', Vpc: 'vpc-2' })).OperationId!)
      const srv = (await call('CreateService', { Name: 'db', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] } })).Service!.Id!
      expect(await errorCode(call('RegisterInstance', { ServiceId: srv, InstanceId: 'i', Attributes: { other: 'x' } }))).toBe('InvalidInput')
    })

    it('DiscoverInstances: query parameters AND-match; optional parameters apply only when something matches', async () => {
      const { call } = await setup()
      const ns = await namespaceId(call, (await call('CreateHttpNamespace', { Name: 'disc' })).OperationId!)
      const srv = (await call('CreateService', { Name: 'front', NamespaceId: ns })).Service!.Id!
      await call('RegisterInstance', { ServiceId: srv, InstanceId: '1', Attributes: { version: '1.0', active: 'yes', zone: 'a' } })
      await call('RegisterInstance', { ServiceId: srv, InstanceId: '2', Attributes: { version: '2.0', active: 'no', zone: 'b' } })
      await call('RegisterInstance', { ServiceId: srv, InstanceId: '3', Attributes: { version: '1.0', active: 'no', zone: 'b' } })
      const ids = async (input: Partial<Input<'DiscoverInstances'>>) =>
        ((await call('DiscoverInstances', { NamespaceName: 'disc', ServiceName: 'front', ...input })).Instances ?? []).map((i) => i.InstanceId).sort()
      expect(await ids({ QueryParameters: { version: '1.0', active: 'yes' } })).toEqual(['1'])
      expect(await ids({ QueryParameters: { version: '1.0' }, OptionalParameters: { zone: 'b' } })).toEqual(['3'])
      expect(await ids({ QueryParameters: { version: '1.0' }, OptionalParameters: { zone: 'nowhere' } })).toEqual(['1', '3'])
      expect(await ids({ MaxResults: 1 })).toHaveLength(1)
    })

    it('DiscoverInstances reports NamespaceNotFound / ServiceNotFound by name', async () => {
      const { call } = await setup()
      await call('CreateHttpNamespace', { Name: 'disc-missing' })
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'no-such-ns', ServiceName: 'x' }))).toBe('NamespaceNotFound')
      expect(await errorCode(call('DiscoverInstances', { NamespaceName: 'disc-missing', ServiceName: 'x' }))).toBe('ServiceNotFound')
    })

    it('InstancesRevision increases on every register and deregister', async () => {
      const { call } = await setup()
      const ns = await namespaceId(call, (await call('CreateHttpNamespace', { Name: 'rev' })).OperationId!)
      const srv = (await call('CreateService', { Name: 'r', NamespaceId: ns })).Service!.Id!
      const revision = async () => BigInt((await call('DiscoverInstances', { NamespaceName: 'rev', ServiceName: 'r' })).InstancesRevision ?? 0)
      await call('RegisterInstance', { ServiceId: srv, InstanceId: 'a', Attributes: { k: 'v' } })
      const r1 = await revision()
      await call('RegisterInstance', { ServiceId: srv, InstanceId: 'b', Attributes: { k: 'v' } })
      const r2 = await revision()
      await call('DeregisterInstance', { ServiceId: srv, InstanceId: 'a' })
      const r3 = await revision()
      expect(r2 > r1 && r3 > r2).toBe(true)
    })

    it('deletes do not cascade: ResourceInUse while a namespace has services or a service has instances', async () => {
      const { call } = await setup()
      const ns = await namespaceId(call, (await call('CreateHttpNamespace', { Name: 'del' })).OperationId!)
      const srv = (await call('CreateService', { Name: 's', NamespaceId: ns })).Service!.Id!
      await call('RegisterInstance', { ServiceId: srv, InstanceId: 'x', Attributes: { k: 'v' } })
      expect(await errorCode(call('DeleteNamespace', { Id: ns }))).toBe('ResourceInUse')
      expect(await errorCode(call('DeleteService', { Id: srv }))).toBe('ResourceInUse')
      const dereg = await call('DeregisterInstance', { ServiceId: srv, InstanceId: 'x' })
      expect((await call('GetOperation', { OperationId: dereg.OperationId! })).Operation!.Type).toBe('DEREGISTER_INSTANCE')
      expect(await call('DeleteService', { Id: srv })).toEqual({})
      const del = await call('DeleteNamespace', { Id: ns })
      expect((await call('GetOperation', { OperationId: del.OperationId! })).Operation!.Type).toBe('DELETE_NAMESPACE')
      expect(await errorCode(call('GetNamespace', { Id: ns }))).toBe('NamespaceNotFound')
      expect(await errorCode(call('DeleteService', { Id: srv }))).toBe('ServiceNotFound')
    })

    it('an id or an ARN is accepted for a namespace or service id', async () => {
      const { call } = await setup()
      const ns = await namespaceId(call, (await call('CreateHttpNamespace', { Name: 'arn-ok' })).OperationId!)
      const arn = (await call('GetNamespace', { Id: ns })).Namespace!.Arn!
      expect((await call('GetNamespace', { Id: arn })).Namespace!.Id).toBe(ns)
    })

    it('ListOperations lists operations and filters by TYPE; GetOperation of an unknown id fails with OperationNotFound', async () => {
      const { call } = await setup()
      await call('CreateHttpNamespace', { Name: 'ops' })
      const { Operations } = await call('ListOperations', { Filters: [{ Name: 'TYPE', Values: ['CREATE_NAMESPACE'], Condition: 'EQ' }] })
      expect(Operations!.length).toBeGreaterThanOrEqual(1)
      expect(Operations!.every((o) => typeof o.Id === 'string' && o.Status === 'SUCCESS')).toBe(true)
      expect(await errorCode(call('GetOperation', { OperationId: 'nope' }))).toBe('OperationNotFound')
    })
  })
}
