import dnsPacket from 'dns-packet'
import type { Packet } from 'dns-packet'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../src/backends/local/context.js'
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from '../../src/backends/local/state.js'
import type { LiveState } from '../../src/serve/live-view.js'
import { DnsRecords } from '../../src/serve/dns/records.js'
import { Responder } from '../../src/serve/dns/server.js'
import { answerOf } from './dns-answer.js'

/**
 * server.ts's prepared answers, without sockets: each message is what dns-packet encodes for records.ts's
 * answer with the same random choices (the reference), on a repeated query (prepared) as on the first,
 * and a new records object (a change-feed event) is answered from at once.
 */
const CREATED = '2026-01-02T03:04:05.678Z'
const zone: NamespaceRecord = { Id: 'ns-1', Arn: 'arn:ns-1', Name: 'z.internal', Type: 'DNS_PRIVATE', HttpName: 'z.internal', HostedZoneId: 'Zns-1', CreateDate: CREATED }

function srv(id: string, name: string, extra: Partial<ServiceRecord>): ServiceRecord {
  return { Id: id, Arn: `arn:${id}`, Name: name, NamespaceId: 'ns-1', Type: 'DNS_HTTP', CreateDate: CREATED, InstancesRevision: '1', ...extra }
}

function instances(count: number, attributes: (i: number) => Record<string, string>, extra: (i: number) => Partial<InstanceRecord> = () => ({})): Record<string, InstanceRecord> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`i-${i + 1}`, { Id: `i-${i + 1}`, Attributes: attributes(i + 1), ...extra(i + 1) }]))
}

function state(services: [ServiceRecord, Record<string, InstanceRecord>][]): LiveState {
  return { namespaces: { [zone.Id]: zone }, services: Object.fromEntries(services.map(([s]) => [s.Id, s])), instances: new Map(services.map(([s, i]) => [s.Id, i])) }
}

const custom = { HealthCheckCustomConfig: { FailureThreshold: 1 } }
const dnsConfig = (policy: 'MULTIVALUE' | 'WEIGHTED', type: 'A' | 'SRV', ttl: number) => ({ DnsConfig: { RoutingPolicy: policy, DnsRecords: [{ Type: type, TTL: ttl }] } })
const web = srv('srv-1', 'web', { ...dnsConfig('MULTIVALUE', 'A', 60), ...custom })
const webInstances = instances(10, (i) => ({ AWS_INSTANCE_IPV4: `10.0.0.${i}` }))
const one = srv('srv-2', 'one', dnsConfig('WEIGHTED', 'A', 5))
// Long targets with A and AAAA glue: more than 512 bytes, so UDP without EDNS0 drops the glue, then truncates.
const big = srv('srv-3', '_big._tcp', dnsConfig('MULTIVALUE', 'SRV', 30))
const bigInstances = Object.fromEntries(
  Array.from({ length: 9 }, (_, i) => [`instance-with-a-rather-long-identifier-${i}`, { Id: `instance-with-a-rather-long-identifier-${i}`, Attributes: { AWS_INSTANCE_IPV4: `10.5.0.${i}`, ...(i % 2 ? { AWS_INSTANCE_IPV6: `2001:db8::${i}` } : {}), AWS_INSTANCE_PORT: '9000' } }]),
)
const registry = state([
  [web, webInstances],
  [one, instances(3, (i) => ({ AWS_INSTANCE_IPV4: `10.3.0.${i}` }))],
  [big, bigInstances],
])

const opt = (udpPayloadSize: number) => ({ name: '.', type: 'OPT' as const, udpPayloadSize, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] })
const query = (id: number, name: string, type: string, edns?: number): Buffer =>
  dnsPacket.encode({ id, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }], ...(edns === undefined ? {} : { additionals: [opt(edns)] }) } as Packet)

/** The reference: answerOf's sections, fitted to UDP as RFC 1035 §4.2.1 and RFC 2181 §9 say, encoded by dns-packet whole. */
function reference(records: DnsRecords, random: (max: number) => number, id: number, name: string, type: string, transport: 'udp' | 'tcp', edns?: number): Buffer {
  const reply = answerOf(records, { name, type, class: 'IN' }, random)
  const rcode = { NOERROR: 0, NXDOMAIN: 3, REFUSED: 5 }[reply.rcode as 'NOERROR']
  const ours = edns === undefined ? [] : [{ ...opt(1232), extendedRcode: rcode >> 4 }]
  const flags = dnsPacket.RECURSION_DESIRED | (reply.authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | rcode
  const packet: Packet = { id, type: 'response', flags, questions: [{ name, type: type as 'A', class: 'IN' }], answers: reply.answers, authorities: reply.authorities, additionals: [...reply.additionals, ...ours] }
  const limit = transport === 'tcp' ? Infinity : Math.max(512, edns ?? 0)
  if (dnsPacket.encode(packet).length <= limit) return dnsPacket.encode(packet)
  packet.additionals = ours
  if (dnsPacket.encode(packet).length <= limit) return dnsPacket.encode(packet)
  return dnsPacket.encode({ ...packet, flags: flags | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [] })
}

describe('Responder', () => {
  it('answers byte for byte as dns-packet encodes the records, first query and repeated, with the same random choices', () => {
    const records = DnsRecords.from(registry)
    const responder = new Responder(() => records, seededRandom('wire'))
    const random = seededRandom('wire')
    const asked: [string, string, 'udp' | 'tcp', number?][] = [
      ['web.z.internal', 'A', 'udp'],
      ['WEB.z.internal', 'A', 'udp', 1232],
      ['one.z.internal', 'A', 'udp'],
      ['_big._tcp.z.internal', 'SRV', 'udp'],
      ['_big._tcp.z.internal', 'SRV', 'udp', 1232],
      ['_big._tcp.z.internal', 'SRV', 'udp', 4096],
      ['_big._tcp.z.internal', 'SRV', 'tcp'],
      ['instance-with-a-rather-long-identifier-1._big._tcp.z.internal', 'ANY', 'udp'],
      ['z.internal', 'ANY', 'udp', 1232],
      ['nothing.z.internal', 'A', 'udp', 1232],
      ['web.z.internal', 'TXT', 'tcp'],
      ['example.org', 'A', 'udp'],
    ]
    const shapes = new Map<string, string>()
    for (let round = 0; round < 3; round++) {
      for (const [i, [name, type, transport, edns]] of asked.entries()) {
        const id = round * 100 + i
        const out = responder.respond(query(id, name, type, edns), transport)!
        expect(out.toString('hex'), `${name} ${type} ${transport} ${edns}`).toBe(reference(records, random, id, name, type, transport, edns).toString('hex'))
        const decoded = dnsPacket.decode(out)
        if (type === 'SRV') shapes.set(`${transport} ${edns ?? 'no EDNS'}`, `TC ${decoded.flag_tc}, ${decoded.answers!.length} answers, ${decoded.additionals!.length} additionals`)
      }
    }
    // The big SRV answer took every way of fitting UDP: truncated, without glue (OPT only), whole (8 SRV, their A and AAAA glue, OPT).
    expect(Object.fromEntries(shapes)).toEqual({
      'udp no EDNS': 'TC true, 0 answers, 0 additionals',
      'udp 1232': 'TC false, 8 answers, 1 additionals',
      'udp 4096': 'TC false, 8 answers, 13 additionals',
      'tcp no EDNS': 'TC false, 8 answers, 12 additionals',
    })
  })

  it('a new records object (a change-feed event: instances, health, TTL) is answered from at once', () => {
    let records = DnsRecords.from(state([[web, webInstances]]))
    const responder = new Responder(() => records, seededRandom('changes'))
    const ask = () => dnsPacket.decode(responder.respond(query(1, 'web.z.internal', 'A'), 'udp')!).answers as { data: string; ttl: number }[]
    expect(ask()).toHaveLength(8)
    // Health: all but one unhealthy.
    records = DnsRecords.from(state([[web, instances(10, (i) => ({ AWS_INSTANCE_IPV4: `10.0.0.${i}` }), (i) => (i > 1 ? { CustomHealthStatus: 'UNHEALTHY' } : {}))]]), records)
    expect(ask().map((a) => a.data)).toEqual(['10.0.0.1'])
    // DnsConfig: another TTL.
    records = DnsRecords.from(state([[{ ...web, ...dnsConfig('MULTIVALUE', 'A', 7) }, webInstances]]), records)
    expect(new Set(ask().map((a) => a.ttl))).toEqual(new Set([7]))
    // Instances: one left.
    records = DnsRecords.from(state([[web, instances(1, () => ({ AWS_INSTANCE_IPV4: '10.9.9.9' }))]]), records)
    expect(ask()).toMatchObject([{ data: '10.9.9.9', ttl: 60 }])
  })

  it('answers what it can not read with FORMERR or nothing, each time', () => {
    const records = DnsRecords.from(registry)
    const responder = new Responder(() => records, seededRandom('bad'))
    const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03])
    for (let i = 0; i < 2; i++) {
      expect(dnsPacket.decode(responder.respond(header, 'udp')!)).toMatchObject({ id: 0x1234, rcode: 'FORMERR' })
      expect(responder.respond(header.subarray(0, 11), 'udp')).toBeUndefined()
      const response = Buffer.from(header)
      response[2] |= 0x80
      expect(responder.respond(response, 'udp')).toBeUndefined()
    }
  })
})
