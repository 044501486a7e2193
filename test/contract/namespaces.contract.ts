import { describe, expect } from 'vitest'
import type { MakeBackend } from './support.js'
import { errorCode, httpNamespace, privateNamespace, publicNamespace, rule, service, settled, sortedTags, succeeded, tags } from './support.js'

/** Namespaces: CreateHttp/PrivateDns/PublicDnsNamespace, GetNamespace, ListNamespaces, Update*Namespace, DeleteNamespace. */
export function namespaceContract(make: MakeBackend): void {
  describe('namespaces', () => {
    rule(make, 'CreateHttpNamespace returns an OperationId; GetOperation reports CREATE_NAMESPACE with the new namespace in Targets.NAMESPACE', async ({ call }) => {
      const { OperationId } = await call('CreateHttpNamespace', { Name: 'orders', Description: 'd' })
      const op = await settled(call, OperationId!)
      expect(op).toMatchObject({ Id: OperationId, Type: 'CREATE_NAMESPACE', Status: 'SUCCESS' })
      const id = op.Targets!.NAMESPACE!
      const { Namespace } = await call('GetNamespace', { Id: id })
      expect(Namespace).toMatchObject({ Id: id, Name: 'orders', Type: 'HTTP', Description: 'd', ServiceCount: 0, Properties: { HttpProperties: { HttpName: 'orders' } } })
      expect(Namespace!.Arn).toMatch(new RegExp(`^arn:aws:servicediscovery:[a-z0-9-]+:\\d{12}:namespace/${id}$`))
      expect(Namespace!.CreateDate).toBeInstanceOf(Date)
    })

    rule(make, 'DNS namespaces get a Route 53 hosted zone and an SOA TTL (Namespace.Properties.DnsProperties)', async ({ call }) => {
      const pub = await publicNamespace(call, 'example.com')
      const priv = await privateNamespace(call, 'internal.local', 'vpc-1', { Properties: { DnsProperties: { SOA: { TTL: 60 } } } })
      const p = (await call('GetNamespace', { Id: pub })).Namespace!
      expect(p.Type).toBe('DNS_PUBLIC')
      expect(p.Properties!.DnsProperties!.HostedZoneId).toMatch(/^Z[A-Z0-9]+$/)
      expect(p.Properties!.HttpProperties!.HttpName).toBe('example.com')
      const q = (await call('GetNamespace', { Id: priv })).Namespace!
      expect(q).toMatchObject({ Type: 'DNS_PRIVATE', Properties: { DnsProperties: { SOA: { TTL: 60 } } } })
    })

    rule(make, 'GetNamespace, UpdateHttpNamespace and DeleteNamespace of an unknown id fail with NamespaceNotFound', async ({ call }) => {
      expect(await errorCode(call('GetNamespace', { Id: 'ns-doesnotexist0000' }))).toBe('NamespaceNotFound')
      expect(await errorCode(call('UpdateHttpNamespace', { Id: 'ns-doesnotexist0000', Namespace: { Description: 'x' } }))).toBe('NamespaceNotFound')
      expect(await errorCode(call('DeleteNamespace', { Id: 'ns-doesnotexist0000' }))).toBe('NamespaceNotFound')
    })

    rule(make, 'a namespace id or its ARN is accepted wherever a namespace Id is taken (Get/Update/DeleteNamespace Id: "ID or ARN")', async ({ call }) => {
      const ns = await httpNamespace(call, 'arn-ok')
      const arn = (await call('GetNamespace', { Id: ns })).Namespace!.Arn!
      expect((await call('GetNamespace', { Id: arn })).Namespace!.Id).toBe(ns)
      // The ARN must be the namespace's own, not any ARN ending in its id.
      expect(await errorCode(call('GetNamespace', { Id: arn.replace(':namespace/', ':service/') }))).toBe('NamespaceNotFound')
      await succeeded(call, call('UpdateHttpNamespace', { Id: arn, Namespace: { Description: 'by arn' } }))
      expect((await call('GetNamespace', { Id: ns })).Namespace!.Description).toBe('by arn')
      await succeeded(call, call('DeleteNamespace', { Id: arn }))
      expect(await errorCode(call('GetNamespace', { Id: ns }))).toBe('NamespaceNotFound')
    })

    describe('names and fields are checked against the model -> InvalidInput', () => {
      rule(make, 'a public DNS namespace name must be a domain name (NamespaceNamePublic pattern)', async ({ call }) => {
        expect(await errorCode(call('CreatePublicDnsNamespace', { Name: 'not a domain' }))).toBe('InvalidInput')
        expect(await errorCode(call('CreatePublicDnsNamespace', { Name: '-bad.example.com' }))).toBe('InvalidInput')
      })
      rule(make, "an HTTP namespace name is printable ASCII, at most 1,024 characters, not starting with 'arn:' (NamespaceNameHttp)", async ({ call }) => {
        expect(await errorCode(call('CreateHttpNamespace', { Name: 'arn:aws:thing' }))).toBe('InvalidInput')
        expect(await errorCode(call('CreateHttpNamespace', { Name: 'has space' }))).toBe('InvalidInput')
        expect(await errorCode(call('CreateHttpNamespace', { Name: 'x'.repeat(1025) }))).toBe('InvalidInput')
        await httpNamespace(call, 'x'.repeat(1024))
      })
      rule(make, 'a private DNS namespace name is at most 253 characters (NamespaceNamePrivate max)', async ({ call }) => {
        expect(await errorCode(call('CreatePrivateDnsNamespace', { Name: `${'a'.repeat(250)}.com`, Vpc: 'vpc-1' }))).toBe('InvalidInput')
      })
      rule(make, 'Description is at most 1,024 characters and Vpc at most 64 (ResourceDescription, ResourceId max)', async ({ call }) => {
        expect(await errorCode(call('CreateHttpNamespace', { Name: 'long-desc', Description: 'd'.repeat(1025) }))).toBe('InvalidInput')
        expect(await errorCode(call('CreatePrivateDnsNamespace', { Name: 'vpc.local', Vpc: 'v'.repeat(65) }))).toBe('InvalidInput')
        expect(await errorCode(call('CreateHttpNamespace', { Name: 'long-token', CreatorRequestId: 'r'.repeat(65) }))).toBe('InvalidInput')
      })
      rule(make, 'the SOA TTL is 0 to 2,147,483,647 seconds (RecordTTL range)', async ({ call }) => {
        const Properties = { DnsProperties: { SOA: { TTL: 2147483648 } } }
        expect(await errorCode(call('CreatePublicDnsNamespace', { Name: 'ttl.example.com', Properties }))).toBe('InvalidInput')
        await publicNamespace(call, 'ttl0.example.com', { Properties: { DnsProperties: { SOA: { TTL: 0 } } } })
      })
      rule(make, 'a missing required member is rejected (CreatePrivateDnsNamespace requires Vpc)', async ({ call }) => {
        expect(await errorCode(call('CreatePrivateDnsNamespace', { Name: 'novpc.local' } as never))).toBe('InvalidInput')
      })
    })

    describe('uniqueness', () => {
      rule(make, 'a second HTTP namespace with the same name fails with NamespaceAlreadyExists', async ({ call }) => {
        await httpNamespace(call, 'dup')
        expect(await errorCode(call('CreateHttpNamespace', { Name: 'dup' }))).toBe('NamespaceAlreadyExists')
      })
      rule(make, 'a second public DNS namespace with the same name fails with NamespaceAlreadyExists', async ({ call }) => {
        await publicNamespace(call, 'dup.example.com')
        expect(await errorCode(call('CreatePublicDnsNamespace', { Name: 'dup.example.com' }))).toBe('NamespaceAlreadyExists')
      })
      rule(make, 'a private DNS namespace name is unique within its VPC, and may be reused in another VPC', async ({ call }) => {
        await privateNamespace(call, 'same.local', 'vpc-a')
        expect(await errorCode(call('CreatePrivateDnsNamespace', { Name: 'same.local', Vpc: 'vpc-a' }))).toBe('NamespaceAlreadyExists')
        await privateNamespace(call, 'same.local', 'vpc-b')
      })
      rule(make, 'a reused namespace Name gets a distinct HttpName ("if you reuse Name ... a generated hash is added to HttpName")', async ({ call }) => {
        const first = await publicNamespace(call, 'reuse.example.com')
        const second = await privateNamespace(call, 'reuse.example.com', 'vpc-reuse')
        const a = (await call('GetNamespace', { Id: first })).Namespace!
        const b = (await call('GetNamespace', { Id: second })).Namespace!
        expect(a.Properties!.HttpProperties!.HttpName).toBe('reuse.example.com')
        expect(b.Name).toBe('reuse.example.com')
        expect(b.Properties!.HttpProperties!.HttpName).not.toBe('reuse.example.com')
        expect(b.Properties!.HttpProperties!.HttpName).toMatch(/^reuse\.example\.com/)
      })
    })

    describe('CreatorRequestId', () => {
      rule(make, 'a retry with the same CreatorRequestId and request returns the same OperationId and creates one namespace', async ({ call }) => {
        const a = await call('CreateHttpNamespace', { Name: 'idem', CreatorRequestId: 'req-1' })
        const b = await call('CreateHttpNamespace', { Name: 'idem', CreatorRequestId: 'req-1' })
        expect(b.OperationId).toBe(a.OperationId)
        await settled(call, a.OperationId!)
        const { Namespaces } = await call('ListNamespaces', { Filters: [{ Name: 'NAME', Values: ['idem'], Condition: 'EQ' }] })
        expect(Namespaces).toHaveLength(1)
      })
      rule(make, 'the same CreatorRequestId for a different request fails with DuplicateRequest', async ({ call }) => {
        await succeeded(call, call('CreateHttpNamespace', { Name: 'first', CreatorRequestId: 'req-2' }))
        expect(await errorCode(call('CreateHttpNamespace', { Name: 'second', CreatorRequestId: 'req-2' }))).toBe('DuplicateRequest')
      })
    })

    describe('tags on create', () => {
      rule(make, 'Tags given to CreateHttpNamespace / CreatePublicDnsNamespace / CreatePrivateDnsNamespace are on the namespace (ListTagsForResource)', async ({ call }) => {
        const given = [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: '' }]
        for (const id of [
          await httpNamespace(call, 'tagged', { Tags: given }),
          await publicNamespace(call, 'tagged.example.com', { Tags: given }),
          await privateNamespace(call, 'tagged.local', 'vpc-t', { Tags: given }),
        ]) {
          const arn = (await call('GetNamespace', { Id: id })).Namespace!.Arn!
          expect(sortedTags((await call('ListTagsForResource', { ResourceARN: arn })).Tags)).toEqual(given)
        }
      })
      rule(make, 'more than 50 tags on a new namespace fail with TooManyTagsException (50 tags per resource)', async ({ call }) => {
        expect(await errorCode(call('CreateHttpNamespace', { Name: 'too-many', Tags: tags(51) }))).toBe('TooManyTagsException')
        await httpNamespace(call, 'fifty', { Tags: tags(50) })
      })
      rule(make, 'a tag list is at most 200 long, keys 1-128 and values 0-256 characters (TagList, TagKey, TagValue)', async ({ call }) => {
        expect(await errorCode(call('CreateHttpNamespace', { Name: 't1', Tags: tags(201) }))).toBe('InvalidInput')
        expect(await errorCode(call('CreateHttpNamespace', { Name: 't2', Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }))).toBe('InvalidInput')
        expect(await errorCode(call('CreateHttpNamespace', { Name: 't3', Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }))).toBe('InvalidInput')
      })
    })

    describe('updates', () => {
      rule(make, 'UpdateHttpNamespace changes the description through an UPDATE_NAMESPACE operation on the namespace', async ({ call }) => {
        const ns = await httpNamespace(call, 'upd', { Description: 'old' })
        const op = await succeeded(call, call('UpdateHttpNamespace', { Id: ns, Namespace: { Description: 'new' } }))
        expect(op).toMatchObject({ Type: 'UPDATE_NAMESPACE', Targets: { NAMESPACE: ns } })
        expect((await call('GetNamespace', { Id: ns })).Namespace!.Description).toBe('new')
      })
      rule(make, 'UpdateHttpNamespace requires Namespace.Description (HttpNamespaceChange) and limits it to 1,024 characters', async ({ call }) => {
        const ns = await httpNamespace(call, 'upd-req')
        expect(await errorCode(call('UpdateHttpNamespace', { Id: ns, Namespace: {} as never }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdateHttpNamespace', { Id: ns, Namespace: { Description: 'd'.repeat(1025) } }))).toBe('InvalidInput')
      })
      rule(make, 'each Update*Namespace applies to its own namespace type only -> InvalidInput', async ({ call }) => {
        const http = await httpNamespace(call, 'kind-http')
        const pub = await publicNamespace(call, 'kind.example.com')
        const priv = await privateNamespace(call, 'kind.local')
        const change = { Description: 'x' }
        expect(await errorCode(call('UpdateHttpNamespace', { Id: pub, Namespace: change }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdatePublicDnsNamespace', { Id: priv, Namespace: change }))).toBe('InvalidInput')
        expect(await errorCode(call('UpdatePrivateDnsNamespace', { Id: http, Namespace: change }))).toBe('InvalidInput')
      })
      rule(make, 'UpdatePrivateDnsNamespace changes the SOA TTL and description; the hosted zone stays', async ({ call }) => {
        const ns = await privateNamespace(call, 'soa.local')
        const before = (await call('GetNamespace', { Id: ns })).Namespace!
        const op = await succeeded(call, call('UpdatePrivateDnsNamespace', { Id: ns, Namespace: { Properties: { DnsProperties: { SOA: { TTL: 300 } } } } }))
        expect(op).toMatchObject({ Type: 'UPDATE_NAMESPACE', Targets: { NAMESPACE: ns } })
        await succeeded(call, call('UpdatePrivateDnsNamespace', { Id: ns, Namespace: { Description: 'private' } }))
        const after = (await call('GetNamespace', { Id: ns })).Namespace!
        expect(after).toMatchObject({ Description: 'private', Properties: { DnsProperties: { HostedZoneId: before.Properties!.DnsProperties!.HostedZoneId, SOA: { TTL: 300 } } } })
      })
      rule(make, 'UpdatePublicDnsNamespace changes the SOA TTL; the TTL is checked against RecordTTL', async ({ call }) => {
        const ns = await publicNamespace(call, 'soa.example.com')
        await succeeded(call, call('UpdatePublicDnsNamespace', { Id: ns, Namespace: { Description: 'pub', Properties: { DnsProperties: { SOA: { TTL: 120 } } } } }))
        expect((await call('GetNamespace', { Id: ns })).Namespace).toMatchObject({ Description: 'pub', Properties: { DnsProperties: { SOA: { TTL: 120 } } } })
        expect(await errorCode(call('UpdatePublicDnsNamespace', { Id: ns, Namespace: { Properties: { DnsProperties: { SOA: { TTL: -1 } } } } }))).toBe('InvalidInput')
      })
      rule(make, 'an Update*DnsNamespace with nothing to change is rejected -> InvalidInput', async ({ call }) => {
        const ns = await publicNamespace(call, 'empty.example.com')
        expect(await errorCode(call('UpdatePublicDnsNamespace', { Id: ns, Namespace: {} }))).toBe('InvalidInput')
      })
      rule(make, 'UpdaterRequestId: a retry returns the same operation; reused for a different change -> DuplicateRequest', async ({ call }) => {
        const ns = await httpNamespace(call, 'upd-token')
        const a = await call('UpdateHttpNamespace', { Id: ns, UpdaterRequestId: 'u-1', Namespace: { Description: 'one' } })
        const b = await call('UpdateHttpNamespace', { Id: ns, UpdaterRequestId: 'u-1', Namespace: { Description: 'one' } })
        expect(b.OperationId).toBe(a.OperationId)
        await settled(call, a.OperationId!)
        expect(await errorCode(call('UpdateHttpNamespace', { Id: ns, UpdaterRequestId: 'u-1', Namespace: { Description: 'two' } }))).toBe('DuplicateRequest')
      })
    })

    describe('ListNamespaces', () => {
      rule(make, 'ListNamespaces lists every namespace and pages with MaxResults/NextToken', async ({ call }) => {
        for (const n of ['a', 'b', 'c']) await httpNamespace(call, `page-${n}`)
        const first = await call('ListNamespaces', { MaxResults: 2 })
        expect(first.Namespaces).toHaveLength(2)
        expect(first.NextToken).toBeTruthy()
        const second = await call('ListNamespaces', { MaxResults: 2, NextToken: first.NextToken })
        expect(second.Namespaces).toHaveLength(1)
        expect(second.NextToken).toBeUndefined()
        const names = [...first.Namespaces!, ...second.Namespaces!].map((n) => n.Name).sort()
        expect(names).toEqual(['page-a', 'page-b', 'page-c'])
      })
      rule(make, 'ListNamespaces MaxResults is 1-100 and a NextToken must be one the service gave -> InvalidInput', async ({ call }) => {
        expect(await errorCode(call('ListNamespaces', { MaxResults: 0 }))).toBe('InvalidInput')
        expect(await errorCode(call('ListNamespaces', { MaxResults: 101 }))).toBe('InvalidInput')
        expect(await errorCode(call('ListNamespaces', { NextToken: 'not-a-token!' }))).toBe('InvalidInput')
        expect(await errorCode(call('ListNamespaces', { NextToken: 'x'.repeat(4097) }))).toBe('InvalidInput')
      })
      rule(make, 'NamespaceFilter TYPE with EQ (the default), IN and BEGINS_WITH', async ({ call }) => {
        await httpNamespace(call, 'web-http')
        await publicNamespace(call, 'web.example.org')
        await privateNamespace(call, 'web.internal')
        const names = async (Filters: { Name: 'TYPE'; Values: string[]; Condition?: 'EQ' | 'IN' | 'BEGINS_WITH' }[]) =>
          ((await call('ListNamespaces', { Filters })).Namespaces ?? []).map((n) => n.Name).sort()
        expect(await names([{ Name: 'TYPE', Values: ['DNS_PUBLIC'], Condition: 'EQ' }])).toEqual(['web.example.org'])
        expect(await names([{ Name: 'TYPE', Values: ['HTTP'] }])).toEqual(['web-http'])
        expect(await names([{ Name: 'TYPE', Values: ['HTTP', 'DNS_PRIVATE'], Condition: 'IN' }])).toEqual(['web-http', 'web.internal'])
        expect(await names([{ Name: 'TYPE', Values: ['DNS'], Condition: 'BEGINS_WITH' }])).toEqual(['web.example.org', 'web.internal'])
      })
      rule(make, 'NamespaceFilter NAME and HTTP_NAME with EQ and BEGINS_WITH; several filters must all match', async ({ call }) => {
        await httpNamespace(call, 'alpha-one')
        await httpNamespace(call, 'alpha-two')
        await publicNamespace(call, 'alpha.example.com')
        const names = async (Filters: Parameters<typeof call<'ListNamespaces'>>[1]['Filters']) => ((await call('ListNamespaces', { Filters })).Namespaces ?? []).map((n) => n.Name).sort()
        expect(await names([{ Name: 'NAME', Values: ['alpha-one'] }])).toEqual(['alpha-one'])
        expect(await names([{ Name: 'NAME', Values: ['alpha-'], Condition: 'BEGINS_WITH' }])).toEqual(['alpha-one', 'alpha-two'])
        expect(await names([{ Name: 'HTTP_NAME', Values: ['alpha-two'], Condition: 'EQ' }])).toEqual(['alpha-two'])
        expect(await names([{ Name: 'HTTP_NAME', Values: ['alpha'], Condition: 'BEGINS_WITH' }, { Name: 'TYPE', Values: ['DNS_PUBLIC'] }])).toEqual(['alpha.example.com'])
      })
      rule(make, 'NamespaceFilter RESOURCE_OWNER: SELF lists the account\'s own namespaces, OTHER_ACCOUNTS those shared with it', async ({ call }) => {
        await httpNamespace(call, 'mine')
        expect((await call('ListNamespaces', { Filters: [{ Name: 'RESOURCE_OWNER', Values: ['SELF'] }] })).Namespaces!.map((n) => n.Name)).toContain('mine')
        expect((await call('ListNamespaces', { Filters: [{ Name: 'RESOURCE_OWNER', Values: ['OTHER_ACCOUNTS'] }] })).Namespaces!.map((n) => n.Name)).not.toContain('mine')
      })
      rule(make, 'NamespaceFilter conditions outside the documented ones are rejected -> InvalidInput', async ({ call }) => {
        await httpNamespace(call, 'filters')
        const bad = [
          [{ Name: 'NAME', Values: ['a', 'b'], Condition: 'EQ' }], // EQ takes one value
          [{ Name: 'NAME', Values: ['a', 'b'], Condition: 'BEGINS_WITH' }], // so does BEGINS_WITH
          [{ Name: 'TYPE', Values: ['HTTP', 'DNS_PUBLIC'], Condition: 'BETWEEN' }], // BETWEEN is for operations
          [{ Name: 'RESOURCE_OWNER', Values: ['SE'], Condition: 'BEGINS_WITH' }], // RESOURCE_OWNER takes EQ only
          [{ Name: 'RESOURCE_OWNER', Values: ['123456789012'] }], // SELF or OTHER_ACCOUNTS
          [{ Name: 'TYPE', Values: ['HTTPS'] }], // not a namespace type
          [{ Name: 'COLOR', Values: ['x'] }], // NamespaceFilterName enum
          [{ Name: 'NAME', Values: [''] }], // FilterValue min 1
        ]
        for (const Filters of bad) expect(await errorCode(call('ListNamespaces', { Filters } as never)), JSON.stringify(Filters)).toBe('InvalidInput')
      })
      rule(make, 'NamespaceSummary.ServiceCount counts the services of the namespace', async ({ call }) => {
        const ns = await httpNamespace(call, 'counted')
        await service(call, { Name: 's1', NamespaceId: ns })
        await service(call, { Name: 's2', NamespaceId: ns })
        const { Namespaces } = await call('ListNamespaces', { Filters: [{ Name: 'NAME', Values: ['counted'] }] })
        expect(Namespaces![0].ServiceCount).toBe(2)
        expect((await call('GetNamespace', { Id: ns })).Namespace!.ServiceCount).toBe(2)
      })
    })

    rule(make, "DeleteNamespace fails with ResourceInUse while the namespace has services (\"If the namespace still contains one or more services, the request fails\")", async ({ call }) => {
      const ns = await httpNamespace(call, 'in-use')
      const srv = await service(call, { Name: 's', NamespaceId: ns })
      expect(await errorCode(call('DeleteNamespace', { Id: ns }))).toBe('ResourceInUse')
      await call('DeleteService', { Id: srv.id })
      const op = await succeeded(call, call('DeleteNamespace', { Id: ns }))
      expect(op).toMatchObject({ Type: 'DELETE_NAMESPACE', Targets: { NAMESPACE: ns } })
      expect(await errorCode(call('GetNamespace', { Id: ns }))).toBe('NamespaceNotFound')
    })
  })
}
