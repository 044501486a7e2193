import type { CloudMapClient } from './api.js'
import { ApiError } from './api.js'

export type Health = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN'

export interface InstanceView {
  Id: string
  HealthStatus: Health
  Attributes: Record<string, string>
  /** serve's last probe of it (services with a Route 53 health check, while serve probes). */
  probe?: { Target: string; Last?: { Healthy: boolean; Detail: string; At: string } }
}

export interface DnsRecord {
  Type: string
  TTL: number
}

export interface ServiceView {
  Id: string
  Name: string
  Description?: string
  Type?: string
  InstanceCount?: number
  DnsConfig?: { RoutingPolicy?: string; DnsRecords?: DnsRecord[] }
  HealthCheckConfig?: { Type?: string; ResourcePath?: string; FailureThreshold?: number }
  HealthCheckCustomConfig?: { FailureThreshold?: number }
  InstancesRevision?: number
  instances: InstanceView[]
  /** Whether serve probes this service's instances (false: its health is as last recorded). */
  probing?: boolean
  /** Why the instances could not be read (access denied, service gone). */
  instancesError?: string
}

export interface NamespaceView {
  Id: string
  Name: string
  Type: string
  Description?: string
  HttpName: string
  services: ServiceView[]
  servicesError?: string
}

export interface OperationView {
  Id: string
  Type?: string
  Status: string
  UpdateDate?: number
  ErrorMessage?: string
  Targets?: Record<string, string>
}

/** The registry as the caller's key may see it, read through the API. */
export interface Snapshot {
  namespaces: NamespaceView[]
  /** Namespaces listed but not readable with this key (GetNamespace denied): not shown. */
  hiddenNamespaces: number
  operations: OperationView[]
  operationsError?: string
}

/** The most recent operations shown (ListOperations lists them in submission order). */
const RECENT_OPERATIONS = 10
/** DiscoverInstances' largest page; it has no pagination. */
const MAX_INSTANCES = 1000
/** Calls in flight at once while reading the registry. */
const PARALLEL = 6

interface HttpInstanceSummary {
  InstanceId: string
  HealthStatus?: Health
  Attributes?: Record<string, string>
}

interface NamespaceSummary {
  Id: string
  Name: string
  Type: string
  Description?: string
  Properties?: { HttpProperties?: { HttpName?: string } }
}

/**
 * Read everything the dashboard shows, with the calls any client would make: ListNamespaces, GetNamespace
 * (a namespace the key may not read is left out: the page shows what the API lets this key see),
 * ListServices per namespace, DiscoverInstances with HealthStatus ALL per service (instances, attributes,
 * health and InstancesRevision in one call), ListOperations and GetOperation for the recent ones.
 * A call that fails because of the key (no key, wrong key) is thrown, so the page can ask for one.
 */
export async function loadSnapshot(client: CloudMapClient): Promise<Snapshot> {
  const listed = await pages<NamespaceSummary>((NextToken) => client.call('ListNamespaces', { MaxResults: 100, NextToken }), 'Namespaces')
  const readable = await mapLimit(listed, async (ns) => {
    try {
      const got = await client.call<{ Namespace: NamespaceSummary }>('GetNamespace', { Id: ns.Id })
      return got.Namespace
    } catch (error) {
      if (error instanceof ApiError && (error.denied || error.type === 'NamespaceNotFound')) return undefined
      throw error
    }
  })
  const namespaces = await mapLimit(
    readable.filter((ns): ns is NamespaceSummary => ns !== undefined),
    (ns) => loadNamespace(client, ns),
  )
  namespaces.sort((a, b) => a.Name.localeCompare(b.Name) || a.Id.localeCompare(b.Id))
  const { operations, error } = await loadOperations(client)
  return { namespaces, hiddenNamespaces: listed.length - namespaces.length, operations, operationsError: error }
}

async function loadNamespace(client: CloudMapClient, ns: NamespaceSummary): Promise<NamespaceView> {
  const view: NamespaceView = { Id: ns.Id, Name: ns.Name, Type: ns.Type, Description: ns.Description || undefined, HttpName: ns.Properties?.HttpProperties?.HttpName ?? ns.Name, services: [] }
  let services: Omit<ServiceView, 'instances'>[]
  try {
    services = await pages((NextToken) => client.call('ListServices', { MaxResults: 100, NextToken, Filters: [{ Name: 'NAMESPACE_ID', Values: [ns.Id], Condition: 'EQ' }] }), 'Services')
  } catch (error) {
    if (!(error instanceof ApiError) || error.needsKey) throw error
    view.servicesError = describe(error, 'ListServices')
    return view
  }
  view.services = await mapLimit(services, (srv) => loadService(client, view, srv))
  view.services.sort((a, b) => a.Name.localeCompare(b.Name) || a.Id.localeCompare(b.Id))
  return view
}

async function loadService(client: CloudMapClient, ns: NamespaceView, summary: Omit<ServiceView, 'instances'>): Promise<ServiceView> {
  const srv: ServiceView = { ...summary, instances: [] }
  try {
    const found = await client.call<{ Instances?: HttpInstanceSummary[]; InstancesRevision?: number }>('DiscoverInstances', {
      NamespaceName: ns.HttpName,
      ServiceName: srv.Name,
      HealthStatus: 'ALL',
      MaxResults: MAX_INSTANCES,
    })
    srv.InstancesRevision = found.InstancesRevision
    srv.instances = (found.Instances ?? []).map((i) => ({ Id: i.InstanceId, HealthStatus: i.HealthStatus ?? 'UNKNOWN', Attributes: i.Attributes ?? {} }))
    // AWS returns instances in random order; the page keeps them still.
    srv.instances.sort((a, b) => a.Id.localeCompare(b.Id))
  } catch (error) {
    if (!(error instanceof ApiError) || error.needsKey) throw error
    srv.instancesError = describe(error, 'DiscoverInstances')
  }
  if (srv.HealthCheckConfig && srv.instances.length > 0) await addProbes(client, srv)
  return srv
}

/** serve's last probe of each instance (not part of Cloud Map's API: asked of serve's dashboard face, signed the same way). */
async function addProbes(client: CloudMapClient, srv: ServiceView): Promise<void> {
  try {
    const answer = await client.probes(srv.Id)
    srv.probing = answer.Probing
    const byId = new Map(answer.Probes.map((p) => [p.InstanceId, p]))
    for (const instance of srv.instances) {
      const probe = byId.get(instance.Id)
      if (probe) instance.probe = { Target: probe.Target, Last: probe.Last }
    }
  } catch (error) {
    // Not allowed to see this service's health, or an older serve: the status from the API stands alone.
    if (!(error instanceof ApiError) || error.needsKey) throw error
  }
}

async function loadOperations(client: CloudMapClient): Promise<{ operations: OperationView[]; error?: string }> {
  let listed: { Id: string; Status: string }[]
  try {
    // Pages up to the last one: the most recent operations are listed last.
    listed = await pages((NextToken) => client.call('ListOperations', { MaxResults: 100, NextToken }), 'Operations')
  } catch (error) {
    if (!(error instanceof ApiError) || error.needsKey) throw error
    return { operations: [], error: describe(error, 'ListOperations') }
  }
  const recent = listed.slice(-RECENT_OPERATIONS)
  const operations = await mapLimit(recent, async (op): Promise<OperationView | undefined> => {
    try {
      const got = await client.call<{ Operation: OperationView }>('GetOperation', { OperationId: op.Id })
      return got.Operation
    } catch (error) {
      if (!(error instanceof ApiError) || error.needsKey) throw error
      // An operation in a namespace the key may not read stays hidden, as its namespace does.
      return undefined
    }
  })
  return { operations: operations.filter((op): op is OperationView => op !== undefined).sort((a, b) => (b.UpdateDate ?? 0) - (a.UpdateDate ?? 0) || b.Id.localeCompare(a.Id)) }
}

function describe(error: ApiError, operation: string): string {
  if (error.denied) return `Your key may not call ${operation} here (servicediscovery:${operation}).`
  return `${operation} failed: ${error.type}: ${error.message}`
}

/** Every page of a paginated list call. */
async function pages<T>(call: (token: string | undefined) => Promise<Record<string, unknown>>, member: string): Promise<T[]> {
  const items: T[] = []
  let token: string | undefined
  do {
    const page = await call(token)
    items.push(...((page[member] as T[] | undefined) ?? []))
    token = typeof page.NextToken === 'string' && page.NextToken !== '' ? page.NextToken : undefined
  } while (token)
  return items
}

/** fn over items with at most PARALLEL calls in flight, results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker))
  return results
}
