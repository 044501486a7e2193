import type { HealthCheckConfig, NamespaceType } from '../model/api-types.js'
import { CloudmapError } from '../registry/errors.js'
import type { Registry } from '../registry/registry.js'
import type { NamespaceDoc, RegistryDocument, ServiceDoc } from './document.js'
import { canonical, documentPath } from './document.js'
import type { BackendIndex, Snapshot } from './export.js'
import { createNamespaceRequest, createServiceRequest } from './validate.js'

export type Action = 'create' | 'update' | 'tag' | 'register' | 'deregister' | 'delete'

/** What a change needs while it runs: the backend, the ids found or made so far, operation waiting. */
export interface RunContext {
  registry: Registry
  index: BackendIndex
  /** Wait for an asynchronous operation to succeed; its targets. */
  wait(operationId: string | undefined, op: string): Promise<Record<string, string>>
}

/** One call (or a few that belong together) that brings the backend closer to the document. */
export interface Change {
  action: Action
  resource: 'namespace' | 'service' | 'instance' | 'service attributes' | 'tags'
  namespace: string
  service?: string
  instance?: string
  detail: string
  /** Changes run phase by phase (dependency order); those of one phase may run together. */
  phase: Phase
  /**
   * Make the call. Instance changes return the wait for their operation instead of waiting: apply sends
   * a phase's calls first and waits afterwards, so a local registry commits the writes in large batches
   * without reads of the operations in between.
   */
  run(ctx: RunContext): Promise<void | (() => Promise<void>)>
}

/** Dependency order: namespaces, then services, then their settings, instances, and what --prune removes. */
export const PHASES = ['namespaces', 'namespace settings', 'services', 'service settings', 'instances', 'removed instances', 'removed services'] as const
export type Phase = (typeof PHASES)[number]

/** A difference AWS cannot make in place; apply reports it and changes nothing. */
export interface Impossible {
  path: string
  reason: string
}

export interface Plan {
  changes: Change[]
  impossible: Impossible[]
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** A Route 53 health check as the backend keeps it: FailureThreshold defaults to 1. */
function healthCheck(hc: HealthCheckConfig | undefined): HealthCheckConfig | undefined {
  return hc && { Type: hc.Type, ...(hc.ResourcePath !== undefined ? { ResourcePath: hc.ResourcePath } : {}), FailureThreshold: hc.FailureThreshold ?? 1 }
}

function serviceIds(ctx: RunContext, ns: string, svc: string): { id: string; arn: string } {
  const ids = ctx.index.services.get(ns)?.get(svc)
  if (!ids) throw new CloudmapError('other', `Service ${svc} of namespace ${ns} is not known on the backend.`)
  return ids
}

function namespaceIds(ctx: RunContext, ns: string): { id: string; arn: string } {
  const ids = ctx.index.namespaces.get(ns)
  if (!ids) throw new CloudmapError('other', `Namespace ${ns} is not known on the backend.`)
  return ids
}

/**
 * The changes that make the backend (its snapshot, limited to the document's namespaces) match the
 * document. Nothing outside the document's namespaces is touched; services and instances the document
 * leaves out are removed only with `prune`. Namespaces are never deleted.
 */
export function planChanges(current: Snapshot, wanted: RegistryDocument, options: { prune: boolean }): Plan {
  const desired = canonical(wanted)
  const changes: Change[] = []
  const impossible: Impossible[] = []
  for (const [nsName, ns] of Object.entries(desired.Namespaces)) {
    const existing = current.document.Namespaces[nsName]
    if (!existing) {
      if (ns.Type === 'DNS_PRIVATE' && ns.Vpc === undefined) {
        impossible.push({ path: documentPath(['Namespaces', nsName, 'Vpc']), reason: 'a DNS_PRIVATE namespace is created in a VPC: give Vpc (Cloud Map does not report it, so export leaves it out)' })
      }
      changes.push(createNamespace(nsName, ns))
      for (const [svcName, svc] of Object.entries(ns.Services ?? {})) planNewService(changes, nsName, ns.Type, svcName, svc)
      continue
    }
    if (existing.Type !== ns.Type) {
      impossible.push({ path: documentPath(['Namespaces', nsName, 'Type']), reason: `a namespace's type can't change (${existing.Type} to ${ns.Type}); delete the namespace and create it again yourself` })
      continue
    }
    planNamespaceUpdate(changes, nsName, existing, ns)
    const services = ns.Services ?? {}
    for (const [svcName, svc] of Object.entries(services)) {
      const had = existing.Services?.[svcName]
      if (!had) planNewService(changes, nsName, ns.Type, svcName, svc)
      else planServiceUpdate(changes, impossible, nsName, ns.Type, svcName, had, svc, options.prune)
    }
    if (options.prune) {
      for (const [svcName, had] of Object.entries(existing.Services ?? {})) {
        if (svcName in services) continue
        for (const id of Object.keys(had.Instances ?? {})) changes.push(deregister(nsName, svcName, id))
        changes.push({
          action: 'delete',
          resource: 'service',
          namespace: nsName,
          service: svcName,
          detail: 'not in the document',
          phase: 'removed services',
          run: async (ctx) => {
            await ctx.registry.invoke('DeleteService', { Id: serviceIds(ctx, nsName, svcName).id })
            ctx.index.services.get(nsName)?.delete(svcName)
          },
        })
      }
    }
  }
  changes.sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase))
  return { changes, impossible }
}

function createNamespace(name: string, ns: NamespaceDoc): Change {
  const { op, input } = createNamespaceRequest(name, ns)
  return {
    action: 'create',
    resource: 'namespace',
    namespace: name,
    detail: [ns.Type, ns.Description && `"${ns.Description}"`, ns.Properties && `SOA TTL ${ns.Properties.DnsProperties.SOA.TTL}`, ns.Tags && `${Object.keys(ns.Tags).length} tag(s)`].filter(Boolean).join(', '),
    phase: 'namespaces',
    run: async (ctx) => {
      const { OperationId } = (await ctx.registry.invoke(op, input as never)) as { OperationId?: string }
      const targets = await ctx.wait(OperationId, op)
      const id = targets.NAMESPACE
      if (id === undefined) throw new CloudmapError('other', `${op} succeeded without naming the namespace.`)
      const { Namespace } = await ctx.registry.invoke('GetNamespace', { Id: id })
      ctx.index.namespaces.set(name, { id, arn: Namespace?.Arn ?? '' })
      ctx.index.services.set(name, new Map())
    },
  }
}

function planNamespaceUpdate(changes: Change[], name: string, had: NamespaceDoc, ns: NamespaceDoc): void {
  const ttl = ns.Properties?.DnsProperties.SOA.TTL
  const ttlChanged = ttl !== undefined && ttl !== had.Properties?.DnsProperties.SOA.TTL
  if ((ns.Description ?? '') !== (had.Description ?? '') || ttlChanged) {
    const what = [(ns.Description ?? '') !== (had.Description ?? '') && 'description', ttlChanged && `SOA TTL ${had.Properties?.DnsProperties.SOA.TTL ?? '-'} → ${ttl}`].filter(Boolean).join(', ')
    changes.push({
      action: 'update',
      resource: 'namespace',
      namespace: name,
      detail: what,
      phase: 'namespace settings',
      run: async (ctx) => {
        const Id = namespaceIds(ctx, name).id
        const Description = ns.Description ?? ''
        const properties = ttlChanged ? { Properties: { DnsProperties: { SOA: { TTL: ttl } } } } : {}
        const op = ns.Type === 'HTTP' ? 'UpdateHttpNamespace' : ns.Type === 'DNS_PUBLIC' ? 'UpdatePublicDnsNamespace' : 'UpdatePrivateDnsNamespace'
        const { OperationId } = (await ctx.registry.invoke(op, { Id, Namespace: { Description, ...properties } } as never)) as { OperationId?: string }
        await ctx.wait(OperationId, op)
      },
    })
  }
  planTags(changes, name, undefined, had.Tags, ns.Tags, 'namespace settings')
}

function planTags(changes: Change[], ns: string, svc: string | undefined, had: Record<string, string> | undefined, want: Record<string, string> | undefined, phase: Phase): void {
  const set = Object.entries(want ?? {}).filter(([k, v]) => had?.[k] !== v)
  const removed = Object.keys(had ?? {}).filter((k) => !(k in (want ?? {})))
  if (set.length === 0 && removed.length === 0) return
  changes.push({
    action: 'tag',
    resource: 'tags',
    namespace: ns,
    service: svc,
    detail: [...set.map(([k, v]) => `+${k}=${v}`), ...removed.map((k) => `-${k}`)].join(', '),
    phase,
    run: async (ctx) => {
      const ResourceARN = svc === undefined ? namespaceIds(ctx, ns).arn : serviceIds(ctx, ns, svc).arn
      if (removed.length > 0) await ctx.registry.invoke('UntagResource', { ResourceARN, TagKeys: removed })
      if (set.length > 0) await ctx.registry.invoke('TagResource', { ResourceARN, Tags: set.map(([Key, Value]) => ({ Key, Value })) })
    },
  })
}

function planNewService(changes: Change[], ns: string, type: NamespaceType, name: string, svc: ServiceDoc): void {
  const records = svc.DnsConfig?.DnsRecords.map((r) => `${r.Type} ${r.TTL}s`).join(' + ')
  changes.push({
    action: 'create',
    resource: 'service',
    namespace: ns,
    service: name,
    detail: [records ?? 'no DNS records', svc.HealthCheckConfig && `${svc.HealthCheckConfig.Type} health check`, svc.HealthCheckCustomConfig && 'custom health check'].filter(Boolean).join(', '),
    phase: 'services',
    run: async (ctx) => {
      const { Service } = await ctx.registry.invoke('CreateService', createServiceRequest(name, svc, type, namespaceIds(ctx, ns).id) as never)
      if (!Service?.Id) throw new CloudmapError('other', `CreateService returned no id for ${name}.`)
      ctx.index.services.get(ns)!.set(name, { id: Service.Id, arn: Service.Arn ?? '' })
    },
  })
  planAttributes(changes, ns, name, undefined, svc.Attributes)
  for (const [id, attributes] of Object.entries(svc.Instances ?? {})) changes.push(register(ns, name, id, attributes, 'create'))
}

function planServiceUpdate(changes: Change[], impossible: Impossible[], ns: string, type: NamespaceType, name: string, had: ServiceDoc, svc: ServiceDoc, prune: boolean): void {
  const path = ['Namespaces', ns, 'Services', name]
  const cannot = (member: string, reason: string) => impossible.push({ path: documentPath([...path, member]), reason: `${reason}; delete the service and create it again yourself` })
  const types = (s: ServiceDoc) => (s.DnsConfig?.DnsRecords ?? []).map((r) => r.Type).join(' + ') || 'none'
  let possible = true
  if (types(had) !== types(svc)) {
    cannot('DnsConfig', `a service's DNS record types can't change (${types(had)} to ${types(svc)})`)
    possible = false
  } else if (had.DnsConfig && svc.DnsConfig && had.DnsConfig.RoutingPolicy !== svc.DnsConfig.RoutingPolicy) {
    cannot('DnsConfig', `a service's routing policy can't change (${had.DnsConfig.RoutingPolicy} to ${svc.DnsConfig.RoutingPolicy})`)
    possible = false
  }
  if ((had.HealthCheckCustomConfig === undefined) !== (svc.HealthCheckCustomConfig === undefined)) {
    cannot('HealthCheckCustomConfig', `a custom health check can't be ${svc.HealthCheckCustomConfig ? 'added to' : 'removed from'} a service`)
    possible = false
  }
  const hadCheck = healthCheck(had.HealthCheckConfig)
  const wantCheck = healthCheck(svc.HealthCheckConfig)
  if (hadCheck && wantCheck && hadCheck.Type !== wantCheck.Type) {
    cannot('HealthCheckConfig', `a health check's type can't change (${hadCheck.Type} to ${wantCheck.Type})`)
    possible = false
  } else if (type === 'HTTP' && !same(hadCheck, wantCheck)) {
    cannot('HealthCheckConfig', "a service's health check can't change in an HTTP namespace")
    possible = false
  }
  if (possible) {
    const what: string[] = []
    if ((had.Description ?? '') !== (svc.Description ?? '')) what.push('description')
    if (!same(had.DnsConfig?.DnsRecords, svc.DnsConfig?.DnsRecords)) what.push(`TTL ${svc.DnsConfig!.DnsRecords.map((r) => `${r.Type} ${r.TTL}s`).join(', ')}`)
    if (!same(hadCheck, wantCheck)) what.push(wantCheck ? `${wantCheck.Type} health check` : 'no health check')
    if (what.length > 0) {
      changes.push({
        action: 'update',
        resource: 'service',
        namespace: ns,
        service: name,
        detail: what.join(', '),
        phase: 'service settings',
        run: async (ctx) => {
          // In DNS namespaces, records and health check left out of UpdateService are deleted: send them all.
          const change: Record<string, unknown> = { Description: svc.Description ?? '' }
          if (type !== 'HTTP') {
            if (svc.DnsConfig) change.DnsConfig = { DnsRecords: svc.DnsConfig.DnsRecords }
            if (svc.HealthCheckConfig) change.HealthCheckConfig = svc.HealthCheckConfig
          }
          const { OperationId } = await ctx.registry.invoke('UpdateService', { Id: serviceIds(ctx, ns, name).id, Service: change })
          await ctx.wait(OperationId, 'UpdateService')
        },
      })
    }
  }
  planAttributes(changes, ns, name, had.Attributes, svc.Attributes)
  planTags(changes, ns, name, had.Tags, svc.Tags, 'service settings')
  const instances = svc.Instances ?? {}
  for (const [id, attributes] of Object.entries(instances)) {
    const before = had.Instances?.[id]
    if (!before) changes.push(register(ns, name, id, attributes, 'create'))
    else if (!same(before, attributes)) changes.push(register(ns, name, id, attributes, 'update'))
  }
  if (prune) for (const id of Object.keys(had.Instances ?? {})) if (!(id in instances)) changes.push(deregister(ns, name, id))
}

function planAttributes(changes: Change[], ns: string, svc: string, had: Record<string, string> | undefined, want: Record<string, string> | undefined): void {
  const set = Object.entries(want ?? {}).filter(([k, v]) => had?.[k] !== v)
  const removed = Object.keys(had ?? {}).filter((k) => !(k in (want ?? {})))
  if (set.length === 0 && removed.length === 0) return
  changes.push({
    action: 'update',
    resource: 'service attributes',
    namespace: ns,
    service: svc,
    detail: [...set.map(([k, v]) => `+${k}=${v}`), ...removed.map((k) => `-${k}`)].join(', '),
    phase: 'service settings',
    run: async (ctx) => {
      const ServiceId = serviceIds(ctx, ns, svc).id
      if (removed.length > 0) await ctx.registry.invoke('DeleteServiceAttributes', { ServiceId, Attributes: removed })
      if (set.length > 0) await ctx.registry.invoke('UpdateServiceAttributes', { ServiceId, Attributes: Object.fromEntries(set) })
    },
  })
}

function register(ns: string, svc: string, id: string, attributes: Record<string, string>, kind: 'create' | 'update'): Change {
  return {
    action: 'register',
    resource: 'instance',
    namespace: ns,
    service: svc,
    instance: id,
    detail: kind === 'create' ? 'new' : 'attributes changed',
    phase: 'instances',
    run: async (ctx) => {
      const { OperationId } = await ctx.registry.invoke('RegisterInstance', { ServiceId: serviceIds(ctx, ns, svc).id, InstanceId: id, Attributes: attributes })
      return async () => void (await ctx.wait(OperationId, 'RegisterInstance'))
    },
  }
}

function deregister(ns: string, svc: string, id: string): Change {
  return {
    action: 'deregister',
    resource: 'instance',
    namespace: ns,
    service: svc,
    instance: id,
    detail: 'not in the document',
    phase: 'removed instances',
    run: async (ctx) => {
      const { OperationId } = await ctx.registry.invoke('DeregisterInstance', { ServiceId: serviceIds(ctx, ns, svc).id, InstanceId: id })
      return async () => void (await ctx.wait(OperationId, 'DeregisterInstance'))
    },
  }
}

/** A change as its target reads: shop/web/web-1 */
export function target(change: Pick<Change, 'namespace' | 'service' | 'instance'>): string {
  return [change.namespace, change.service, change.instance].filter((p) => p !== undefined).join('/')
}

/** Rows for the plan and the report: instance changes of one service and kind folded into one row. */
export function summarise(changes: readonly Change[]): { action: string; resource: string; target: string; detail: string }[] {
  const rows: { action: string; resource: string; target: string; detail: string; ids?: string[] }[] = []
  for (const c of changes) {
    const last = rows[rows.length - 1]
    if (c.resource === 'instance') {
      const resource = 'instances'
      const t = `${c.namespace}/${c.service}`
      if (last && last.ids && last.action === c.action && last.target === t && last.resource === resource) {
        last.ids.push(c.instance!)
        continue
      }
      rows.push({ action: c.action, resource, target: t, detail: '', ids: [c.instance!] })
      continue
    }
    rows.push({ action: c.action, resource: c.resource, target: target(c), detail: c.detail })
  }
  return rows.map(({ ids, ...row }) => (ids ? { ...row, detail: `${ids.length}: ${ids.length <= 4 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')}, … ${ids[ids.length - 1]}`}` } : row))
}

