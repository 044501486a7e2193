import type { Answer, SoaAnswer, StringAnswer } from 'dns-packet'
import { healthOf } from '../../backends/local/handlers/instances.js'
import type { NamespaceRecord, ServiceRecord } from '../../backends/local/state.js'
import type { LiveState } from '../live-view.js'

/** The response codes this server gives (RFC 1035 §4.1.1). */
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED'

/** One question as dns-packet decodes it: the name without its final dot, type and class by mnemonic. */
export interface DnsQuestion {
  name: string
  type: string
  class?: string
}

/** The sections of an answer to one question. */
export interface DnsReply {
  rcode: Rcode
  /** AA: the name is in one of the zones served here (never for REFUSED). */
  authoritative: boolean
  answers: Answer[]
  authorities: Answer[]
  /** Glue: the A/AAAA records of SRV targets (dropped first when the answer is too long for UDP). */
  additionals: Answer[]
}

/** A uniformly random integer in [0, max). */
export type Random = (max: number) => number

/** How a record set is answered: Cloud Map's two routing policies, or every record (SOA, NS, an instance's own name). */
type Pick = 'MULTIVALUE' | 'WEIGHTED' | 'ALL'

interface Candidate {
  record: Answer
  /** Records that go in the additional section with this one (an SRV target's A/AAAA). */
  glue: Answer[]
}

interface RecordSet {
  pick: Pick
  all: Candidate[]
  healthy: Candidate[]
}

interface Zone {
  apex: string
  soa: SoaAnswer
}

/** A name of a zone and its record sets by type; a name with no sets is an empty non-terminal (RFC 8020: NODATA, not NXDOMAIN). */
interface NameNode {
  zone: Zone
  sets: Map<string, RecordSet>
}

/**
 * Route 53's answers for the hosted zones Cloud Map keeps, computed once per registry change so that a
 * query is a lookup, a random pick and an encode.
 *
 * Records as Cloud Map creates them (API reference, DnsRecord and RegisterInstance): for service S of
 * namespace N, `S.N` holds one A/AAAA/CNAME/SRV record per instance for each DnsRecord of the service's
 * DnsConfig, with its TTL; SRV is `1 1 AWS_INSTANCE_PORT <InstanceId>.S.N`, and with SRV Cloud Map also
 * creates A/AAAA records named `<InstanceId>.S.N`. Alias records (AWS_ALIAS_DNS_NAME) point at an ELB
 * that does not exist here, and are not served. Names are lowercase, as Route 53 stores them.
 */
export class DnsRecords {
  private constructor(
    private readonly zones: ReadonlyMap<string, Zone>,
    private readonly names: ReadonlyMap<string, NameNode>,
  ) {}

  /** How many zones (DNS namespaces) are served. */
  get zoneCount(): number {
    return this.zones.size
  }

  static from(state: LiveState): DnsRecords {
    const zones = new Map<string, Zone>()
    const names = new Map<string, NameNode>()
    const served = servedNamespaces(Object.values(state.namespaces))
    const node = (zone: Zone, name: string): NameNode => {
      let found = names.get(name)
      if (!found) names.set(name, (found = { zone, sets: new Map() }))
      return found
    }
    const add = (zone: Zone, name: string, pick: Pick, type: string, candidate: Candidate, healthy: boolean) => {
      const sets = node(zone, name).sets
      let set = sets.get(type)
      if (!set) sets.set(type, (set = { pick, all: [], healthy: [] }))
      set.all.push(candidate)
      if (healthy) set.healthy.push(candidate)
    }
    for (const ns of served.values()) {
      const apex = ns.Name.toLowerCase().replace(/\.$/, '')
      const servers = nameServers(ns)
      // Route 53's SOA: the zone's first name server, Amazon's hostmaster, and its fixed timers. The
      // namespace's SOA TTL (DnsProperties.SOA.TTL, "for purposes of negative caching") is the SOA record's
      // TTL, so negative answers are cached for min(TTL, MINIMUM) = that TTL (RFC 2308 §5).
      const soa: SoaAnswer = {
        name: apex,
        type: 'SOA',
        ttl: ns.SoaTtl ?? DEFAULT_SOA_TTL,
        data: { mname: servers[0], rname: 'awsdns-hostmaster.amazon.com', serial: 1, refresh: 7200, retry: 900, expire: 1209600, minimum: 86400 },
      }
      const zone: Zone = { apex, soa }
      zones.set(apex, zone)
      add(zone, apex, 'ALL', 'SOA', { record: soa, glue: [] }, true)
      for (const server of servers) add(zone, apex, 'ALL', 'NS', { record: { name: apex, type: 'NS', ttl: NS_TTL, data: server }, glue: [] }, true)
    }
    for (const srv of Object.values(state.services)) {
      const ns = served.get(srv.NamespaceId)
      const dns = srv.DnsConfig
      // Services of Type HTTP have no DNS records, even in a DNS namespace (CreateService Type).
      if (!ns || !dns || srv.Type === 'HTTP' || dns.DnsRecords.length === 0) continue
      const zone = zones.get(ns.Name.toLowerCase().replace(/\.$/, ''))!
      const name = `${srv.Name.toLowerCase()}.${zone.apex}`
      if (!isDnsName(name)) continue
      const pick: Pick = dns.RoutingPolicy ?? 'MULTIVALUE'
      const srvTtl = dns.DnsRecords.find((r) => r.Type === 'SRV')?.TTL
      for (const instance of Object.values(state.instances.get(srv.Id) ?? {})) {
        const attributes = instance.Attributes
        if (attributes.AWS_ALIAS_DNS_NAME !== undefined) {
          // The alias record exists in Route 53 but can't be answered here: the name exists, empty (NODATA).
          node(zone, name)
          continue
        }
        const healthy = isHealthy(srv, instance)
        const ipv4 = attributes.AWS_INSTANCE_IPV4
        const ipv6 = attributes.AWS_INSTANCE_IPV6
        // The instance's own name, the SRV target: its A/AAAA records, answered whatever its health (one
        // record per set; Route 53 answers an all-unhealthy set as if all were healthy).
        const target = `${instance.Id.toLowerCase()}.${name}`
        const glue: Answer[] = []
        if (srvTtl !== undefined && isDnsName(target)) {
          if (ipv4 !== undefined) glue.push({ name: target, type: 'A', ttl: srvTtl, data: ipv4 })
          if (ipv6 !== undefined) glue.push({ name: target, type: 'AAAA', ttl: srvTtl, data: ipv6 })
          for (const record of glue) add(zone, target, 'ALL', record.type, { record, glue: [] }, true)
        }
        for (const { Type: type, TTL: ttl } of dns.DnsRecords) {
          const record = recordOf(type, name, ttl, attributes, target, glue)
          if (record) add(zone, name, pick, type, record, healthy)
        }
      }
    }
    // Names between a record's name and its zone's apex exist (RFC 8020): `_tcp.N` for a service `_http._tcp`.
    for (const [name, { zone }] of [...names]) {
      for (let parent = parentOf(name); parent !== undefined && parent.length > zone.apex.length; parent = parentOf(parent)) node(zone, parent)
    }
    return new DnsRecords(zones, names)
  }

  /** The answer to one question. */
  answer(question: DnsQuestion, random: Random): DnsReply {
    const name = question.name.toLowerCase().replace(/\.$/, '')
    const zone = this.zoneOf(name)
    // No recursion and no other zones: a resolver asking for anything else is refused (RFC 1035 §4.1.1),
    // and so is any class but IN (Route 53 zones are IN only).
    if (!zone || (question.class !== undefined && question.class !== 'IN' && question.class !== 'ANY')) return reply('REFUSED', false)
    const found = this.names.get(name)
    if (!found) return reply('NXDOMAIN', true, [], [zone.soa])
    const picked: Candidate[] = []
    if (question.type === 'ANY') {
      for (const set of found.sets.values()) picked.push(...choose(set, random))
    } else {
      const set = found.sets.get(question.type) ?? found.sets.get('CNAME')
      if (set) picked.push(...choose(set, random))
    }
    if (picked.length === 0) return reply('NOERROR', true, [], [zone.soa])
    return reply(
      'NOERROR',
      true,
      picked.map((c) => c.record),
      [],
      picked.flatMap((c) => c.glue),
    )
  }

  /** The zone a name is in: the longest apex it ends with. */
  private zoneOf(name: string): Zone | undefined {
    for (let at: string | undefined = name; at !== undefined; at = parentOf(at)) {
      const zone = this.zones.get(at)
      if (zone) return zone
    }
    return undefined
  }
}

/** Cloud Map's default SOA TTL for a DNS namespace created without one (as the namespace handlers store it). */
const DEFAULT_SOA_TTL = 15
/** The NS TTL Route 53 gives a hosted zone's NS record. */
const NS_TTL = 172800
/** MULTIVALUE answers with up to eight records (DnsConfig.RoutingPolicy). */
const MULTIVALUE_MAX = 8

function reply(rcode: Rcode, authoritative: boolean, answers: Answer[] = [], authorities: Answer[] = [], additionals: Answer[] = []): DnsReply {
  return { rcode, authoritative, answers, authorities, additionals }
}

/**
 * The hosted zone's name servers. Private hosted zones all carry the same four; a public zone gets four
 * from Route 53's delegation sets (ns-0..2047 across awsdns-00..63 in .com, .net, .org and .co.uk), here
 * derived from the hosted zone id so that a zone keeps its set. The SOA names the .co.uk one, as Route 53's do.
 */
function nameServers(ns: NamespaceRecord): string[] {
  if (ns.Type === 'DNS_PRIVATE') return ['ns-1536.awsdns-00.co.uk', 'ns-0.awsdns-00.com', 'ns-512.awsdns-00.net', 'ns-1024.awsdns-00.org']
  let h = 2166136261
  for (const c of ns.HostedZoneId ?? ns.Id) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0
  const server = (i: number, tld: string) => `ns-${i * 512 + ((h >>> (i * 8)) % 512)}.awsdns-${String((h >>> (i * 4)) % 64).padStart(2, '0')}.${tld}`
  return [server(3, 'co.uk'), server(0, 'com'), server(1, 'net'), server(2, 'org')]
}

/**
 * The DNS namespaces whose zones are served, by id. Public and private namespaces may share a name (and
 * private ones in different VPCs); one server can answer for only one of them: a private namespace wins
 * over a public one (inside a VPC its private zone hides the public one), then the oldest.
 */
function servedNamespaces(namespaces: NamespaceRecord[]): Map<string, NamespaceRecord> {
  const byName = new Map<string, NamespaceRecord>()
  const rank = (ns: NamespaceRecord) => `${ns.Type === 'DNS_PRIVATE' ? 0 : 1}:${ns.CreateDate}:${ns.Id}`
  for (const ns of namespaces) {
    if (ns.Type !== 'DNS_PUBLIC' && ns.Type !== 'DNS_PRIVATE') continue
    const apex = ns.Name.toLowerCase().replace(/\.$/, '')
    if (!isDnsName(apex)) continue
    const other = byName.get(apex)
    if (!other || rank(ns) < rank(other)) byName.set(apex, ns)
  }
  return new Map([...byName.values()].map((ns) => [ns.Id, ns]))
}

/** An instance counts as healthy unless its service's health check says UNHEALTHY (no check: every instance). */
function isHealthy(srv: ServiceRecord, instance: Parameters<typeof healthOf>[1]): boolean {
  return healthOf(srv, instance) !== 'UNHEALTHY'
}

/** The record one DnsRecord of the service makes for an instance, if the instance has the value it needs. */
function recordOf(type: string, name: string, ttl: number, attributes: Record<string, string>, target: string, glue: Answer[]): Candidate | undefined {
  switch (type) {
    case 'A':
    case 'AAAA': {
      const address = attributes[type === 'A' ? 'AWS_INSTANCE_IPV4' : 'AWS_INSTANCE_IPV6']
      return address === undefined ? undefined : { record: { name, type, ttl, data: address } as StringAnswer, glue: [] }
    }
    case 'CNAME': {
      const cname = attributes.AWS_INSTANCE_CNAME?.toLowerCase().replace(/\.$/, '')
      return cname === undefined || !isDnsName(cname) ? undefined : { record: { name, type, ttl, data: cname }, glue: [] }
    }
    case 'SRV': {
      const port = Number(attributes.AWS_INSTANCE_PORT)
      if (!Number.isInteger(port) || port < 0 || port > 65535 || glue.length === 0) return undefined
      // "The values of priority and weight are both set to 1 and can't be changed" (DnsRecord.Type).
      return { record: { name, type, ttl, data: { priority: 1, weight: 1, port, target } }, glue }
    }
    default:
      return undefined
  }
}

/**
 * DnsConfig.RoutingPolicy. MULTIVALUE: up to eight healthy records, a random choice and order per query.
 * WEIGHTED: one healthy record at random (all weights are equal). Both answer as if every instance were
 * healthy when none is: WEIGHTED as the API reference says, MULTIVALUE as Route 53's multivalue answer
 * routing does ("up to eight unhealthy records"), where the Cloud Map reference is silent.
 */
function choose(set: RecordSet, random: Random): Candidate[] {
  if (set.pick === 'ALL') return set.all
  const pool = set.healthy.length > 0 ? set.healthy : set.all
  const count = set.pick === 'WEIGHTED' ? Math.min(1, pool.length) : Math.min(MULTIVALUE_MAX, pool.length)
  // A partial Fisher-Yates shuffle: `count` distinct candidates in random order.
  const deck = pool.slice()
  for (let i = 0; i < count; i++) {
    const j = i + random(deck.length - i)
    const chosen = deck[j]
    deck[j] = deck[i]
    deck[i] = chosen
  }
  deck.length = count
  return deck
}

function parentOf(name: string): string | undefined {
  const dot = name.indexOf('.')
  return dot < 0 ? undefined : name.slice(dot + 1)
}

/** A name DNS can carry: labels of 1 to 63 bytes, 253 characters in all (RFC 1035 §2.3.4). */
function isDnsName(name: string): boolean {
  if (name.length === 0 || Buffer.byteLength(name) > 253) return false
  return name.split('.').every((label) => label.length > 0 && Buffer.byteLength(label) <= 63)
}
