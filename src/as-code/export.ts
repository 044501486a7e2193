import type { Namespace, Service, Tag } from '../model/api-types.js'
import { CloudmapError } from '../registry/errors.js'
import type { OperationName } from '../model/index.js'
import type { Input, Output, Registry } from '../registry/registry.js'
import type { NamespaceDoc, RegistryDocument, ServiceDoc } from './document.js'
import { canonical } from './document.js'

/** Where a document's names live on one backend: the ids and ARNs apply needs to change them. */
export interface BackendIndex {
  namespaces: Map<string, { id: string; arn: string }>
  /** namespace name -> service name -> ids */
  services: Map<string, Map<string, { id: string; arn: string }>>
}

export interface Snapshot {
  document: RegistryDocument
  index: BackendIndex
}

/** Calls in flight at once while reading (a remote endpoint answers them in parallel). */
const READ_CONCURRENCY = 8

/** Run fn over items, at most `limit` at a time, keeping the results in order. */
export async function mapLimit<T, U>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<U>): Promise<U[]> {
  const results = new Array<U>(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        results[i] = await fn(items[i], i)
      }
    }),
  )
  return results
}

type Paged<K extends OperationName> = Output<K> & { NextToken?: string }

async function all<K extends OperationName, T>(registry: Registry, op: K, input: Input<K>, items: (page: Output<K>) => T[] | undefined): Promise<T[]> {
  const out: T[] = []
  let token: string | undefined
  do {
    const page = (await registry.invoke(op, (token === undefined ? input : { ...input, NextToken: token }) as Input<K>)) as Paged<K>
    out.push(...(items(page) ?? []))
    token = page.NextToken ?? undefined
  } while (token !== undefined)
  return out
}

function tagMap(tags: Tag[] | undefined): Record<string, string> | undefined {
  if (!tags || tags.length === 0) return undefined
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]))
}

/**
 * Read a backend into a document, through the Registry port only (so every backend exports alike):
 * the namespaces named in `only` (all when undefined), with their services and instances.
 */
export async function exportRegistry(registry: Registry, only?: readonly string[], warn: (message: string) => void = () => {}): Promise<Snapshot> {
  const attributes = serviceAttributesReader(registry, warn)
  const summaries = await all(registry, 'ListNamespaces', {}, (p) => p.Namespaces)
  const chosen = summaries.filter((n) => n.Name !== undefined && (only === undefined || only.includes(n.Name)))
  const index: BackendIndex = { namespaces: new Map(), services: new Map() }
  const document: RegistryDocument = { Namespaces: {} }
  for (const summary of chosen) {
    const { Namespace: ns } = await registry.invoke('GetNamespace', { Id: summary.Id! })
    if (!ns?.Id || !ns.Name || !ns.Type) continue
    index.namespaces.set(ns.Name, { id: ns.Id, arn: ns.Arn ?? '' })
    const services = new Map<string, { id: string; arn: string }>()
    index.services.set(ns.Name, services)
    const doc = namespaceDoc(ns)
    const tags = ns.Arn ? tagMap((await registry.invoke('ListTagsForResource', { ResourceARN: ns.Arn })).Tags) : undefined
    if (tags) doc.Tags = tags
    const listed = await all(registry, 'ListServices', { Filters: [{ Name: 'NAMESPACE_ID', Values: [ns.Id], Condition: 'EQ' }] }, (p) => p.Services)
    const read = await mapLimit(listed, READ_CONCURRENCY, async (s) => {
      const { Service: svc } = await registry.invoke('GetService', { Id: s.Id! })
      // Some endpoints (moto) ignore the filter: keep only this namespace's services.
      if (!svc?.Id || !svc.Name || svc.NamespaceId !== ns.Id) return undefined
      return { svc, doc: await serviceDoc(registry, svc, attributes) }
    })
    for (const entry of read) {
      if (!entry) continue
      services.set(entry.svc.Name!, { id: entry.svc.Id!, arn: entry.svc.Arn ?? '' })
      ;(doc.Services ??= {})[entry.svc.Name!] = entry.doc
    }
    document.Namespaces[ns.Name] = doc
  }
  return { document: canonical(document), index }
}

function namespaceDoc(ns: Namespace): NamespaceDoc {
  const doc: NamespaceDoc = { Type: ns.Type! }
  if (ns.Description) doc.Description = ns.Description
  const ttl = ns.Properties?.DnsProperties?.SOA?.TTL
  if (ns.Type !== 'HTTP' && ttl !== undefined) doc.Properties = { DnsProperties: { SOA: { TTL: Number(ttl) } } }
  return doc
}

/** An endpoint that lacks an operation answers 5xx (moto: GetServiceAttributes) or names it unknown. */
function unsupported(error: unknown): boolean {
  return error instanceof CloudmapError && error.kind === 'service' && (/^5\d\d$/.test(error.code) || /UnknownOperation|NotImplemented|InvalidAction/.test(error.code))
}

type AttributesReader = (serviceId: string) => Promise<Record<string, string> | undefined>

/**
 * GetServiceAttributes, once per service. An endpoint without it (moto) gets a warning, once, and the
 * export goes on without service attributes rather than failing.
 */
function serviceAttributesReader(registry: Registry, warn: (message: string) => void): AttributesReader {
  let missing = false
  return async (ServiceId) => {
    if (missing) return undefined
    try {
      return (await registry.invoke('GetServiceAttributes', { ServiceId })).ServiceAttributes?.Attributes
    } catch (error) {
      if (!unsupported(error)) throw error
      if (!missing) warn(`warning: this endpoint does not answer GetServiceAttributes (${(error as CloudmapError).code}); service attributes are left out.\n`)
      missing = true
      return undefined
    }
  }
}

async function serviceDoc(registry: Registry, svc: Service, readAttributes: AttributesReader): Promise<ServiceDoc> {
  const doc: ServiceDoc = {}
  if (svc.Description) doc.Description = svc.Description
  if (svc.DnsConfig && svc.DnsConfig.DnsRecords.length > 0) {
    doc.DnsConfig = { RoutingPolicy: svc.DnsConfig.RoutingPolicy ?? 'MULTIVALUE', DnsRecords: svc.DnsConfig.DnsRecords.map((r) => ({ Type: r.Type, TTL: Number(r.TTL) })) }
  }
  if (svc.HealthCheckConfig) doc.HealthCheckConfig = svc.HealthCheckConfig
  if (svc.HealthCheckCustomConfig) doc.HealthCheckCustomConfig = svc.HealthCheckCustomConfig
  const [attributes, tags, instances] = await Promise.all([
    readAttributes(svc.Id!),
    svc.Arn ? registry.invoke('ListTagsForResource', { ResourceARN: svc.Arn }) : Promise.resolve({ Tags: [] }),
    all(registry, 'ListInstances', { ServiceId: svc.Id! }, (p) => p.Instances),
  ])
  if (attributes && Object.keys(attributes).length > 0) doc.Attributes = { ...attributes }
  const t = tagMap(tags.Tags)
  if (t) doc.Tags = t
  if (instances.length > 0) doc.Instances = Object.fromEntries(instances.filter((i) => i.Id !== undefined).map((i) => [i.Id!, { ...(i.Attributes ?? {}) }]))
  return doc
}
