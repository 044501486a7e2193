import { describe, expect, it } from 'vitest'
import type { InstanceRecord, ServiceRecord } from '../../src/backends/local/state.js'
import type { LiveState } from '../../src/serve/live-view.js'
import { diff } from '../../src/serve/live-view.js'

const service = (extra: Partial<ServiceRecord> = {}): ServiceRecord => ({
  Id: 'srv-1',
  Arn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1',
  Name: 'web',
  NamespaceId: 'ns-1',
  Type: 'HTTP',
  CreateDate: '2026-01-01T00:00:00.000Z',
  InstancesRevision: '1',
  ...extra,
})

const state = (srv: ServiceRecord, instances: Record<string, InstanceRecord>): LiveState => ({
  namespaces: {},
  services: { [srv.Id]: srv },
  instances: new Map([[srv.Id, instances]]),
})

/** What the change feed's subscribers (DNS, health, dashboard, watch) are told between two reads of the registry. */
describe('the live view: what changed between two reads', () => {
  it('tells nothing for records read again that are equal, though they are new objects', () => {
    const read = () => state(service({ DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] } }), { a: { Id: 'a', Attributes: { k: 'v' } } })
    expect(diff(read(), read())).toEqual([])
  })

  it("leaves a service's instance counters to the instance events, and tells a change of its own settings", () => {
    const before = state(service(), {})
    const registered = state(service({ InstancesRevision: '2', InstanceCount: 1 }), { a: { Id: 'a', Attributes: { k: 'v' } } })
    expect(diff(before, registered).map((event) => `${event.kind} ${event.change}`)).toEqual(['instance added'])
    const described = state(service({ InstancesRevision: '2', InstanceCount: 1, Description: 'now described' }), registered.instances.get('srv-1')!)
    expect(diff(registered, described).map((event) => `${event.kind} ${event.change}`)).toEqual(['service changed'])
    const ttl = (TTL: number) => state(service({ DnsConfig: { DnsRecords: [{ Type: 'A', TTL }] } }), {})
    expect(diff(ttl(60), ttl(300)).map((event) => `${event.kind} ${event.change}`)).toEqual(['service changed'])
  })

  it("tells an instance's changed attribute or health, with what it was", () => {
    const before = state(service(), { a: { Id: 'a', Attributes: { k: 'v' } } })
    const after = state(service(), { a: { Id: 'a', Attributes: { k: 'w' } } })
    expect(diff(before, after)).toEqual([{ kind: 'instance', change: 'changed', service: after.services['srv-1'], instance: { Id: 'a', Attributes: { k: 'w' } }, previous: { Id: 'a', Attributes: { k: 'v' } } }])
    const unhealthy = state(service(), { a: { Id: 'a', Attributes: { k: 'v' }, CustomHealthStatus: 'UNHEALTHY' } })
    expect(diff(before, unhealthy).map((event) => `${event.kind} ${event.change}`)).toEqual(['instance changed'])
  })
})
