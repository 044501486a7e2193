import type { Answer, SoaAnswer, StringAnswer } from 'dns-packet'
import { healthOf } from '../../backends/local/handlers/instances.js'
import { DEFAULT_SOA_TTL } from '../../backends/local/handlers/namespaces.js'
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from '../../backends/local/state.js'
import type { LiveState } from '../live-view.js'

/** The response codes this server gives (RFC 1035 §4.1.1). */
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED'

/** One question as dns-packet decodes it: the name without its final dot, type and class by mnemonic. */
export interface DnsQuestion {
  name: string
  type: string
  class?: string
}

/** One question's answer before routing's choice (DnsRecords.plan). */
export interface DnsPlan {
  rcode: Rcode
  authoritative: boolean
  /** The record sets answered, in order; each query gets `choose` of each. */
  sets: readonly RecordSet[]
  authorities: Answer[]
  /** Whether `choose` is random for one of the sets (MULTIVALUE, WEIGHTED): else every query gets the same answer. */
  varies: boolean
}

/** A uniformly random integer in [0, max). */
export type Random = (max: number) => number

/** How a record set is answered: Cloud Map's two routing policies, or every record (SOA, NS, an instance's own name). */
type Pick = 'MULTIVALUE' | 'WEIGHTED' | 'ALL'

export interface Candidate {
  record: Answer
  /** Records that go in the additional section with this one (an SRV target's A/AAAA). */
  glue: Answer[]
}

export interface RecordSet {
  pick: Pick
  all: Candidate[]
  healthy: Candidate[]
}

interface Zone {
  apex: string
  soa: SoaAnswer
  /** The record sets at the apex: SOA and NS. */
  sets: Map<string, RecordSet>
  /** The services with records, by lowercase name (one or two labels: `web`, `_http._tcp`). */
  services: Map<string, ServiceNames>
  /** Names between a service's name and the apex (`_tcp` for `_http._tcp`): they exist, empty (RFC 8020). */
  between: Set<string>
}

/**
 * One service's names: `S.N` and every `<InstanceId>.S.N`. Kept from one registry change to the next
 * while the service, its zone and its instances are unchanged (the live view keeps the same instance
 * objects for a service whose shard did not change), so a write costs only the services it touched.
 */
interface ServiceNames {
  /** What it was computed from: the service's DNS settings and zone, and its instances (by identity). */
  key: string
  instances: object
  sets: Map<string, RecordSet>
  /** Instance id (lowercase) -> the record sets of `<InstanceId>.S.N`. */
  targets: Map<string, Map<string, RecordSet>>
  /** Names between a target and `S.N`, for instance ids with dots: they exist, empty. */
  between: Set<string>
  /** Only alias records: the name exists in Route 53, but nothing is answered for it here (NODATA). */
  aliasOnly: boolean
}

/**
 * Route 53's answers for the hosted zones Cloud Map keeps, computed once per registry change so that a
 * query is a plan lookup and a random pick (the server keeps the plan and its encoding per question, server.ts).
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
    /** Service id -> its names, for the next state to reuse. */
    private readonly byService: ReadonlyMap<string, ServiceNames>,
  ) {}

  /** How many zones (DNS namespaces) are served. */
  get zoneCount(): number {
    return this.zones.size
  }

  /** The records of a registry state; services unchanged since `previous` reuse its work. */
  static from(state: LiveState, previous?: DnsRecords): DnsRecords {
    const zones = new Map<string, Zone>()
    const zoneOfNamespace = new Map<string, Zone>()
    for (const ns of servedNamespaces(Object.values(state.namespaces))) {
      const zone = zoneFor(ns)
      zones.set(zone.apex, zone)
      zoneOfNamespace.set(ns.Id, zone)
    }
    const byService = new Map<string, ServiceNames>()
    for (const srv of Object.values(state.services)) {
      const zone = zoneOfNamespace.get(srv.NamespaceId)
      const dns = srv.DnsConfig
      // Services of Type HTTP have no DNS records, even in a DNS namespace (CreateService Type).
      if (!zone || !dns || srv.Type === 'HTTP' || dns.DnsRecords.length === 0) continue
      const label = srv.Name.toLowerCase()
      if (!isDnsName(`${label}.${zone.apex}`)) continue
      const instances = state.instances.get(srv.Id) ?? {}
      const key = JSON.stringify([zone.apex, label, srv.Type, dns, srv.HealthCheckConfig ?? null, srv.HealthCheckCustomConfig ?? null])
      const known = previous?.byService.get(srv.Id)
      const names = known && known.key === key && known.instances === instances ? known : serviceNames(srv, `${label}.${zone.apex}`, instances, key)
      byService.set(srv.Id, names)
      if (names.sets.size === 0 && names.targets.size === 0 && !names.aliasOnly) continue
      zone.services.set(label, names)
      for (let parent = parentOf(label); parent !== undefined; parent = parentOf(parent)) zone.between.add(parent)
    }
    return new DnsRecords(zones, byService)
  }

  /**
   * What answers one question, before routing's random choice: the record sets to choose from (in answer
   * order) and the authority section. The same for every query of the question until the records change,
   * so the server prepares its wire form once (server.ts) and only chooses per query.
   */
  plan(question: DnsQuestion): DnsPlan {
    const name = question.name.toLowerCase().replace(/\.$/, '')
    const zone = this.zoneOf(name)
    // No recursion and no other zones: a resolver asking for anything else is refused (RFC 1035 §4.1.1),
    // and so is any class but IN (Route 53 zones are IN only).
    if (!zone || (question.class !== undefined && question.class !== 'IN' && question.class !== 'ANY')) return plan('REFUSED', false)
    // Route 53 does not transfer zones.
    if (question.type === 'AXFR' || question.type === 'IXFR') return plan('REFUSED', true)
    const sets = setsAt(zone, name === zone.apex ? '' : name.slice(0, name.length - zone.apex.length - 1))
    if (!sets) return plan('NXDOMAIN', true, [], [zone.soa])
    const answered: RecordSet[] = []
    if (question.type === 'ANY') answered.push(...sets.values())
    else {
      const set = sets.get(question.type) ?? sets.get('CNAME')
      if (set) answered.push(set)
    }
    // A set is never empty (it is made with its first record): no set, no answer.
    if (answered.length === 0) return plan('NOERROR', true, [], [zone.soa])
    return plan('NOERROR', true, answered)
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

const NO_SETS: ReadonlyMap<string, RecordSet> = new Map()

/**
 * The record sets at a name given relative to its zone's apex ('' for the apex): NO_SETS for a name that
 * exists without records, undefined for one that does not exist. Service names have one or two labels,
 * so a name is `S`, `<InstanceId>.S` (the id may have dots), or a name between those and the apex.
 */
function setsAt(zone: Zone, relative: string): ReadonlyMap<string, RecordSet> | undefined {
  if (relative === '') return zone.sets
  const service = zone.services.get(relative)
  if (service) return service.sets
  for (let dot = relative.lastIndexOf('.'), labels = 1; dot > 0 && labels <= 2; dot = relative.lastIndexOf('.', dot - 1), labels++) {
    const owner = zone.services.get(relative.slice(dot + 1))
    if (!owner) continue
    const instance = relative.slice(0, dot)
    const sets = owner.targets.get(instance)
    if (sets) return sets
    if (owner.between.has(instance)) return NO_SETS
  }
  return zone.between.has(relative) ? NO_SETS : undefined
}

/** A namespace's hosted zone with its SOA and NS records (DnsRecords.from adds the services). */
function zoneFor(ns: NamespaceRecord): Zone {
  const apex = apexOf(ns)
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
  const sets = new Map<string, RecordSet>()
  add(sets, 'SOA', 'ALL', { record: soa, glue: [] }, true)
  for (const server of servers) add(sets, 'NS', 'ALL', { record: { name: apex, type: 'NS', ttl: NS_TTL, data: server }, glue: [] }, true)
  return { apex, soa, sets, services: new Map(), between: new Set() }
}

/** The names of one service (`name` is `S.N`, lowercase) from its instances. */
function serviceNames(srv: ServiceRecord, name: string, instances: Readonly<Record<string, InstanceRecord>>, key: string): ServiceNames {
  const dns = srv.DnsConfig!
  const names: ServiceNames = { key, instances, sets: new Map(), targets: new Map(), between: new Set(), aliasOnly: false }
  const pick: Pick = dns.RoutingPolicy ?? 'MULTIVALUE'
  const srvTtl = dns.DnsRecords.find((r) => r.Type === 'SRV')?.TTL
  let alias = false
  for (const instance of Object.values(instances)) {
    const attributes = instance.Attributes
    if (attributes.AWS_ALIAS_DNS_NAME !== undefined) {
      alias = true
      continue
    }
    const healthy = healthOf(srv, instance) !== 'UNHEALTHY'
    const id = instance.Id.toLowerCase()
    const target = `${id}.${name}`
    // With SRV, the instance's own name (the SRV target) has its A/AAAA records, answered whatever its
    // health: one record per set, and Route 53 answers an all-unhealthy set as if all were healthy.
    const glue: Answer[] = []
    if (srvTtl !== undefined && isDnsName(target)) {
      if (attributes.AWS_INSTANCE_IPV4 !== undefined) glue.push({ name: target, type: 'A', ttl: srvTtl, data: attributes.AWS_INSTANCE_IPV4 })
      if (attributes.AWS_INSTANCE_IPV6 !== undefined) glue.push({ name: target, type: 'AAAA', ttl: srvTtl, data: attributes.AWS_INSTANCE_IPV6 })
      let sets = names.targets.get(id)
      if (!sets) names.targets.set(id, (sets = new Map()))
      for (const record of glue) add(sets, record.type, 'ALL', { record, glue: [] }, true)
      for (let parent = parentOf(id); parent !== undefined; parent = parentOf(parent)) names.between.add(parent)
    }
    for (const { Type: type, TTL: ttl } of dns.DnsRecords) {
      const candidate = recordOf(type, name, ttl, attributes, target, glue)
      if (candidate) add(names.sets, type, pick, candidate, healthy)
    }
  }
  names.aliasOnly = alias && names.sets.size === 0
  return names
}

function add(sets: Map<string, RecordSet>, type: string, pick: Pick, candidate: Candidate, healthy: boolean): void {
  let set = sets.get(type)
  if (!set) sets.set(type, (set = { pick, all: [], healthy: [] }))
  set.all.push(candidate)
  if (healthy) set.healthy.push(candidate)
}

function apexOf(ns: NamespaceRecord): string {
  return ns.Name.toLowerCase().replace(/\.$/, '')
}

/** The NS TTL Route 53 gives a hosted zone's NS record. */
const NS_TTL = 172800
/** MULTIVALUE answers with up to eight records (DnsConfig.RoutingPolicy). */
const MULTIVALUE_MAX = 8

function plan(rcode: Rcode, authoritative: boolean, sets: RecordSet[] = [], authorities: Answer[] = []): DnsPlan {
  return { rcode, authoritative, sets, authorities, varies: sets.some((set) => set.pick !== 'ALL') }
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
 * The DNS namespaces whose zones are served. Public and private namespaces may share a name (and
 * private ones in different VPCs); one server can answer for only one of them: a private namespace wins
 * over a public one (inside a VPC its private zone hides the public one), then the oldest.
 */
function servedNamespaces(namespaces: NamespaceRecord[]): NamespaceRecord[] {
  const byName = new Map<string, NamespaceRecord>()
  const rank = (ns: NamespaceRecord) => `${ns.Type === 'DNS_PRIVATE' ? 0 : 1}:${ns.CreateDate}:${ns.Id}`
  for (const ns of namespaces) {
    if (ns.Type !== 'DNS_PUBLIC' && ns.Type !== 'DNS_PRIVATE') continue
    const apex = apexOf(ns)
    if (!isDnsName(apex)) continue
    const other = byName.get(apex)
    if (!other || rank(ns) < rank(other)) byName.set(apex, ns)
  }
  return [...byName.values()]
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
export function choose(set: RecordSet, random: Random): Candidate[] {
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
