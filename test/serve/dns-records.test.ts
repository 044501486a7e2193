import type { StringAnswer } from 'dns-packet'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../src/backends/local/context.js'
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from '../../src/backends/local/state.js'
import type { LiveState } from '../../src/serve/live-view.js'
import { DnsRecords } from '../../src/serve/dns/records.js'
import { answerOf } from './dns-answer.js'

/** records.ts alone: the answers computed from a registry state, without a server. */
const CREATED = '2026-01-02T03:04:05.678Z'

function ns(id: string, name: string, type: NamespaceRecord['Type'], extra: Partial<NamespaceRecord> = {}): NamespaceRecord {
  return { Id: id, Arn: `arn:${id}`, Name: name, Type: type, HttpName: name, HostedZoneId: `Z${id}`, CreateDate: CREATED, ...extra }
}

function srv(id: string, namespaceId: string, name: string, extra: Partial<ServiceRecord> = {}): ServiceRecord {
  return { Id: id, Arn: `arn:${id}`, Name: name, NamespaceId: namespaceId, Type: 'DNS_HTTP', CreateDate: CREATED, InstancesRevision: '1', ...extra }
}

function instances(count: number, attributes: (i: number) => Record<string, string>, extra: (i: number) => Partial<InstanceRecord> = () => ({})): Record<string, InstanceRecord> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`i-${i + 1}`, { Id: `i-${i + 1}`, Attributes: attributes(i + 1), ...extra(i + 1) }]))
}

function state(namespaces: NamespaceRecord[], services: [ServiceRecord, Record<string, InstanceRecord>][]): LiveState {
  return {
    namespaces: Object.fromEntries(namespaces.map((n) => [n.Id, n])),
    services: Object.fromEntries(services.map(([s]) => [s.Id, s])),
    instances: new Map(services.map(([s, i]) => [s.Id, i])),
  }
}

const a = (ttl = 60, policy: 'MULTIVALUE' | 'WEIGHTED' = 'MULTIVALUE') => ({ DnsConfig: { RoutingPolicy: policy, DnsRecords: [{ Type: 'A' as const, TTL: ttl }] } })
const custom = { HealthCheckCustomConfig: { FailureThreshold: 1 } }
const random = seededRandom('records')
const ask = (records: DnsRecords, name: string, type = 'A') => answerOf(records, { name, type, class: 'IN' }, random)
const addresses = (records: DnsRecords, name: string) => (ask(records, name).answers as StringAnswer[]).map((r) => r.data)

describe('DnsRecords', () => {
  it('MULTIVALUE with every instance unhealthy answers up to eight of them all (Route 53 multivalue)', () => {
    const records = DnsRecords.from(state([ns('ns-1', 'z.internal', 'DNS_PRIVATE')], [[srv('srv-1', 'ns-1', 'web', { ...a(), ...custom }), instances(10, (i) => ({ AWS_INSTANCE_IPV4: `10.0.0.${i}` }), () => ({ CustomHealthStatus: 'UNHEALTHY' }))]]))
    expect(addresses(records, 'web.z.internal')).toHaveLength(8)
  })

  it('WEIGHTED answers exactly one record per query, varying', () => {
    const records = DnsRecords.from(state([ns('ns-1', 'z.internal', 'DNS_PRIVATE')], [[srv('srv-1', 'ns-1', 'web', a(5, 'WEIGHTED')), instances(5, (i) => ({ AWS_INSTANCE_IPV4: `10.0.0.${i}` }))]]))
    const seen = new Set<string>()
    for (let i = 0; i < 30; i++) {
      const answer = addresses(records, 'web.z.internal')
      expect(answer).toHaveLength(1)
      seen.add(answer[0])
    }
    expect(seen.size).toBeGreaterThan(1)
  })

  it('serves neither HTTP namespaces, services of Type HTTP, nor alias records', () => {
    const records = DnsRecords.from(
      state(
        [ns('ns-1', 'z.internal', 'DNS_PRIVATE'), ns('ns-2', 'plain', 'HTTP', { HostedZoneId: undefined })],
        [
          [srv('srv-1', 'ns-1', 'api', { Type: 'HTTP' }), instances(1, () => ({ AWS_INSTANCE_IPV4: '10.0.0.1' }))],
          [srv('srv-2', 'ns-1', 'lb', a(60, 'WEIGHTED')), instances(1, () => ({ AWS_ALIAS_DNS_NAME: 'my-lb.elb.amazonaws.com' }))],
          [srv('srv-3', 'ns-2', 'web'), instances(1, () => ({ AWS_INSTANCE_IPV4: '10.0.0.1' }))],
        ],
      ),
    )
    expect(records.zoneCount).toBe(1)
    expect(ask(records, 'api.z.internal').rcode).toBe('NXDOMAIN')
    // The alias record's name exists (Route 53 has it), but nothing is answered for it here: NODATA.
    expect(ask(records, 'lb.z.internal')).toMatchObject({ rcode: 'NOERROR', answers: [] })
    expect(ask(records, 'web.plain')).toMatchObject({ rcode: 'REFUSED', authoritative: false })
  })

  it('of namespaces sharing a name, a private one answers before a public one, then the oldest', () => {
    const records = DnsRecords.from(
      state(
        [ns('ns-pub', 'shared.example', 'DNS_PUBLIC'), ns('ns-new', 'shared.example', 'DNS_PRIVATE', { CreateDate: '2026-02-01T00:00:00.000Z' }), ns('ns-old', 'Shared.Example', 'DNS_PRIVATE')],
        [
          [srv('srv-pub', 'ns-pub', 'web', a()), instances(1, () => ({ AWS_INSTANCE_IPV4: '192.0.2.1' }))],
          [srv('srv-new', 'ns-new', 'web', a()), instances(1, () => ({ AWS_INSTANCE_IPV4: '10.0.0.2' }))],
          [srv('srv-old', 'ns-old', 'web', a()), instances(1, () => ({ AWS_INSTANCE_IPV4: '10.0.0.1' }))],
        ],
      ),
    )
    expect(addresses(records, 'WEB.shared.example')).toEqual(['10.0.0.1'])
  })

  it('the SOA TTL is the namespace SOA TTL; a longer zone wins over the one it is in', () => {
    const records = DnsRecords.from(
      state(
        [ns('ns-1', 'example.com', 'DNS_PUBLIC', { SoaTtl: 300 }), ns('ns-2', 'sub.example.com', 'DNS_PUBLIC', { SoaTtl: 60 })],
        [[srv('srv-1', 'ns-2', 'web', a()), instances(1, () => ({ AWS_INSTANCE_IPV4: '192.0.2.7' }))]],
      ),
    )
    expect(ask(records, 'nothing.example.com').authorities).toMatchObject([{ name: 'example.com', ttl: 300 }])
    expect(ask(records, 'nothing.sub.example.com').authorities).toMatchObject([{ name: 'sub.example.com', ttl: 60 }])
    expect(addresses(records, 'web.sub.example.com')).toEqual(['192.0.2.7'])
    // Public zones get four name servers of Route 53's shape, stable for a hosted zone.
    const servers = (ask(records, 'example.com', 'NS').answers as StringAnswer[]).map((r) => r.data)
    expect(servers).toHaveLength(4)
    for (const server of servers) expect(server).toMatch(/^ns-\d{1,4}\.awsdns-\d\d\.(com|net|org|co\.uk)$/)
    expect((ask(records, 'example.com', 'NS').answers as StringAnswer[]).map((r) => r.data)).toEqual(servers)
  })

  it('the same seed makes the same choices (CLOUDMAP_SEED)', () => {
    const records = DnsRecords.from(state([ns('ns-1', 'z.internal', 'DNS_PRIVATE')], [[srv('srv-1', 'ns-1', 'web', a()), instances(12, (i) => ({ AWS_INSTANCE_IPV4: `10.0.0.${i}` }))]]))
    const run = (seed: string) => {
      const seeded = seededRandom(seed)
      return Array.from({ length: 5 }, () => (answerOf(records, { name: 'web.z.internal', type: 'A', class: 'IN' }, seeded).answers as StringAnswer[]).map((r) => r.data).join())
    }
    expect(run('same')).toEqual(run('same'))
    expect(run('same')).not.toEqual(run('other'))
  })

  it('refuses zone transfers', () => {
    const records = DnsRecords.from(state([ns('ns-1', 'z.internal', 'DNS_PRIVATE')], []))
    expect(ask(records, 'z.internal', 'AXFR').rcode).toBe('REFUSED')
  })

  it('ANY answers every record set of the name', () => {
    const records = DnsRecords.from(state([ns('ns-1', 'z.internal', 'DNS_PRIVATE')], [[srv('srv-1', 'ns-1', 'web', a()), instances(1, () => ({ AWS_INSTANCE_IPV4: '10.0.0.1' }))]]))
    expect(ask(records, 'z.internal', 'ANY').answers.map((r) => r.type).sort()).toEqual(['NS', 'NS', 'NS', 'NS', 'SOA'])
    expect(ask(records, 'web.z.internal', 'ANY').answers).toMatchObject([{ type: 'A', data: '10.0.0.1' }])
  })
})

describe('DnsRecords from a previous state', () => {
  it('recomputes what changed and keeps the rest', () => {
    const zone = ns('ns-1', 'z.internal', 'DNS_PRIVATE')
    const web = srv('srv-1', 'ns-1', 'web', a())
    const api = srv('srv-2', 'ns-1', '_api._tcp', { DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'SRV', TTL: 30 }] } })
    const webInstances = instances(1, () => ({ AWS_INSTANCE_IPV4: '10.0.0.1' }))
    const apiInstances = instances(1, () => ({ AWS_INSTANCE_IPV4: '10.0.1.1', AWS_INSTANCE_PORT: '80' }))
    const first = DnsRecords.from(state([zone], [[web, webInstances], [api, apiInstances]]))
    const next = DnsRecords.from(state([zone], [[web, instances(2, (i) => ({ AWS_INSTANCE_IPV4: `10.0.0.${i}` }))], [api, apiInstances]]), first)
    expect(addresses(next, 'web.z.internal').sort()).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(addresses(next, 'i-1._api._tcp.z.internal')).toEqual(['10.0.1.1'])
    // The unchanged service's records are the same objects (kept, not recomputed); the changed one's are new.
    const planned = (records: DnsRecords, name: string) => records.plan({ name, type: 'A' }).sets[0]
    expect(planned(next, 'i-1._api._tcp.z.internal')).toBe(planned(first, 'i-1._api._tcp.z.internal'))
    expect(planned(next, 'web.z.internal')).not.toBe(planned(first, 'web.z.internal'))
    // A changed DnsConfig (same instances) is recomputed too.
    const third = DnsRecords.from(state([zone], [[{ ...web, DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 7 }] } }, webInstances], [api, apiInstances]]), next)
    expect(ask(third, 'web.z.internal').answers).toMatchObject([{ ttl: 7, data: '10.0.0.1' }])
    expect(ask(third, '_tcp.z.internal')).toMatchObject({ rcode: 'NOERROR', answers: [] })
    expect(ask(third, 'x._tcp.z.internal')).toMatchObject({ rcode: 'NXDOMAIN' })
  })

  it('instance ids with dots: their names and the names between exist', () => {
    const records = DnsRecords.from(state([ns('ns-1', 'z.internal', 'DNS_PRIVATE')], [[srv('srv-1', 'ns-1', 'web', { DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'SRV', TTL: 30 }] } }), { 'a.b': { Id: 'a.b', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.9', AWS_INSTANCE_PORT: '80' } } }]]))
    expect(addresses(records, 'A.B.web.z.internal')).toEqual(['10.0.0.9'])
    expect(ask(records, 'b.web.z.internal')).toMatchObject({ rcode: 'NOERROR', answers: [] })
    expect(ask(records, 'c.b.web.z.internal')).toMatchObject({ rcode: 'NXDOMAIN' })
  })
})
