import type { DiscoverInstancesRequest, HealthStatusFilter, HttpInstanceSummary } from '../../../model/api-types.js'
import { serviceError } from '../../../registry/errors.js'
import type { HandlerContext } from '../context.js'
import type { InstanceRecord, NamespaceRecord, RegistryState, ServiceRecord } from '../state.js'
import { healthOf } from './instances.js'
import type { HandlerTable } from './types.js'

/**
 * What DiscoverInstances names: the namespace by its HttpName and the service by name within it
 * (case-insensitively in DNS namespaces, where names are DNS labels), as far as they exist. Access
 * control (serve/auth) checks the call against the same ones.
 */
export function discoveryTarget(state: RegistryState, namespaceName: string, serviceName: string): { ns?: NamespaceRecord; srv?: ServiceRecord } {
  const ns = Object.values(state.namespaces).find((n) => n.HttpName === namespaceName)
  if (!ns) return {}
  const same = (a: string, b: string) => (ns.Type === 'HTTP' ? a === b : a.toLowerCase() === b.toLowerCase())
  return { ns, srv: Object.values(state.services).find((s) => s.NamespaceId === ns.Id && same(s.Name, serviceName)) }
}

function locate(state: RegistryState, namespaceName: string, serviceName: string, ownerAccount: string | undefined, ctx: HandlerContext): { ns: NamespaceRecord; srv: ServiceRecord } {
  // Namespaces shared by another account (OwnerAccount) are not in this registry.
  const { ns, srv } = ownerAccount === undefined || ownerAccount === ctx.accountId ? discoveryTarget(state, namespaceName, serviceName) : {}
  if (!ns) throw serviceError('NamespaceNotFound', `No namespace has the HTTP name ${namespaceName}${ownerAccount === undefined ? '' : ` in account ${ownerAccount}`}. The HTTP name is in Properties.HttpProperties.HttpName of get-namespace.`)
  if (!srv) throw serviceError('ServiceNotFound', `No service named ${serviceName} in namespace ${namespaceName}.`)
  return { ns, srv }
}

function matches(instance: InstanceRecord, parameters: Record<string, string>): boolean {
  return Object.entries(parameters).every(([k, v]) => instance.Attributes[k] === v)
}

/** Fisher-Yates with the context's random source: AWS returns instances in random order. */
function shuffle<T>(items: T[], ctx: HandlerContext): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = ctx.random(i + 1)
    ;[items[i], items[j]] = [items[j], items[i]]
  }
  return items
}

/** What a DiscoverInstances call may return, before the random pick: the same for every call on one view. */
interface Discovery {
  /** Frozen, Attributes too: the wire encoder writes each once (output/wire-json.ts). */
  summaries: readonly HttpInstanceSummary[]
  revision: bigint
}

/**
 * Discoveries made on each view of the registry, by what was asked. serve answers reads from one kept
 * view until the registry changes (store/index.ts), and a client asks the same question again and again:
 * only the random pick is made per call. A changed registry is a new view, so nothing here goes stale.
 */
const discoveries = new WeakMap<RegistryState, Map<string, Discovery>>()

/** Distinct questions kept per view: random ones can't make the memo grow without limit. */
const DISCOVERIES_PER_VIEW = 1024

function discover(state: RegistryState, input: DiscoverInstancesRequest, ctx: HandlerContext): Discovery {
  // Everything asked but MaxResults, which only cuts the random pick.
  const key = JSON.stringify([input.NamespaceName, input.ServiceName, input.OwnerAccount, input.QueryParameters, input.OptionalParameters, input.HealthStatus])
  let known = discoveries.get(state)
  const found = known?.get(key)
  if (found) return found
  const { ns, srv } = locate(state, input.NamespaceName, input.ServiceName, input.OwnerAccount, ctx)
  let candidates = Object.values(state.instances.of(srv.Id)).filter((i) => matches(i, input.QueryParameters ?? {}))
  // Optional parameters narrow the result only when at least one instance matches them.
  const optional = input.OptionalParameters ?? {}
  if (Object.keys(optional).length > 0) {
    const narrowed = candidates.filter((i) => matches(i, optional))
    if (narrowed.length > 0) candidates = narrowed
  }
  // HealthStatus is ignored for services without a health check: everything is returned.
  const hasHealthCheck = srv.HealthCheckConfig !== undefined || srv.HealthCheckCustomConfig !== undefined
  const filter: HealthStatusFilter = input.HealthStatus ?? 'HEALTHY'
  if (hasHealthCheck && filter !== 'ALL') {
    const healthy = candidates.filter((i) => healthOf(srv, i) === 'HEALTHY')
    if (filter === 'HEALTHY') candidates = healthy
    else if (filter === 'UNHEALTHY') candidates = candidates.filter((i) => healthOf(srv, i) === 'UNHEALTHY')
    else if (healthy.length > 0) candidates = healthy // HEALTHY_OR_ELSE_ALL fails open
  }
  const summaries = candidates.map((i) =>
    Object.freeze({ InstanceId: i.Id, NamespaceName: ns.HttpName, ServiceName: srv.Name, HealthStatus: healthOf(srv, i), Attributes: Object.freeze({ ...i.Attributes }) }),
  )
  const discovery = { summaries, revision: BigInt(srv.InstancesRevision) }
  if (!known || known.size >= DISCOVERIES_PER_VIEW) discoveries.set(state, (known = new Map()))
  known.set(key, discovery)
  return discovery
}

export const discoveryHandlers: HandlerTable<'DiscoverInstances' | 'DiscoverInstancesRevision'> = {
  DiscoverInstances: (state, input, ctx) => {
    const { summaries, revision } = discover(state, input, ctx)
    // MaxResults 1-1000 was checked against the model; there is no pagination.
    return { Instances: shuffle([...summaries], ctx).slice(0, input.MaxResults ?? 100), InstancesRevision: revision }
  },

  DiscoverInstancesRevision: (state, input, ctx) => {
    const { srv } = locate(state, input.NamespaceName, input.ServiceName, input.OwnerAccount, ctx)
    return { InstancesRevision: BigInt(srv.InstancesRevision) }
  },
}
