import type { DnsConfig, DnsRecord, HealthCheckConfig, RoutingPolicy, Service, ServiceFilter, ServiceSummary } from '../../../model/api-types.js'
import { serviceError } from '../../../registry/errors.js'
import type { HandlerContext } from '../context.js'
import { arn, newResourceId } from '../context.js'
import { QUOTAS } from '../quotas.js'
import type { NamespaceRecord, RegistryState, ServiceRecord } from '../state.js'
import { inProgress, submitOperation } from './async-operations.js'
import { checkTagCount, checkTags, date, filterValues, findNamespace, findService, idFromIdOrArn, invalidInput, paginate, requestHash, sameName } from './common.js'
import type { HandlerTable } from './types.js'

/** Registered instances of a service; `exact` reads its shard rather than the count kept beside the service. */
export function instanceCount(state: RegistryState, serviceId: string, exact = false): number {
  return exact ? Object.keys(state.instances.of(serviceId)).length : state.instances.count(serviceId)
}

function dnsConfig(srv: ServiceRecord): DnsConfig | undefined {
  return srv.DnsConfig ? { NamespaceId: srv.NamespaceId, RoutingPolicy: srv.DnsConfig.RoutingPolicy, DnsRecords: srv.DnsConfig.DnsRecords } : undefined
}

/** withCount 'exact' counts the instances in the service's shard, true takes the count kept beside the service. */
function serviceOutput(state: RegistryState, srv: ServiceRecord, ctx: HandlerContext, withCount: boolean | 'exact'): Service {
  return {
    Id: srv.Id,
    Arn: srv.Arn,
    ResourceOwner: ctx.accountId,
    Name: srv.Name,
    NamespaceId: srv.NamespaceId,
    Description: srv.Description,
    InstanceCount: withCount ? instanceCount(state, srv.Id, withCount === 'exact') : undefined,
    DnsConfig: dnsConfig(srv),
    Type: srv.Type,
    HealthCheckConfig: srv.HealthCheckConfig,
    HealthCheckCustomConfig: srv.HealthCheckCustomConfig,
    CreateDate: date(srv.CreateDate),
    CreatorRequestId: srv.CreatorRequestId,
    CreatedByAccount: ctx.accountId,
  }
}

function summary(state: RegistryState, srv: ServiceRecord, ctx: HandlerContext): ServiceSummary {
  const { NamespaceId: _ns, CreatorRequestId: _req, ...rest } = serviceOutput(state, srv, ctx, true)
  return rest
}

/** The record type combinations a service may have (DnsRecord.Type in the API reference). */
const RECORD_SETS = ['A', 'AAAA', 'A+AAAA', 'SRV', 'CNAME']

/**
 * DNS records and routing policy of a DNS service: one of the allowed type combinations, each type once;
 * CNAME only with WEIGHTED routing and without a Route 53 health check.
 */
export function checkDnsRecords(records: readonly DnsRecord[], routingPolicy: RoutingPolicy, healthCheck: HealthCheckConfig | undefined): void {
  if (records.length === 0) throw invalidInput('DnsConfig.DnsRecords is empty: give at least one record (A, AAAA, A and AAAA, SRV or CNAME).')
  const types = records.map((r) => r.Type)
  const duplicate = types.find((t, i) => types.indexOf(t) !== i)
  if (duplicate !== undefined) throw invalidInput(`DnsConfig.DnsRecords has more than one ${duplicate} record; give each type once.`)
  const set = [...types].sort((a, b) => RECORD_SETS.indexOf(a) - RECORD_SETS.indexOf(b)).join('+')
  if (!RECORD_SETS.includes(set)) {
    throw invalidInput(`DnsConfig.DnsRecords can't combine ${types.join(' and ')} records; a service has A, AAAA, A and AAAA, SRV, or CNAME records.`)
  }
  if (set === 'CNAME' && routingPolicy !== 'WEIGHTED') throw invalidInput('A CNAME record requires RoutingPolicy WEIGHTED in DnsConfig.')
  if (set === 'CNAME' && healthCheck) throw invalidInput("A service with a CNAME record can't have a Route 53 health check (HealthCheckConfig).")
}

/** A Route 53 health check: not in private DNS namespaces, not beside a custom one, no path for TCP. */
export function checkHealthCheck(ns: NamespaceRecord, hc: HealthCheckConfig, hasCustom: boolean): void {
  if (ns.Type === 'DNS_PRIVATE') {
    throw invalidInput('Route 53 health checks (HealthCheckConfig) are not supported in private DNS namespaces; use HealthCheckCustomConfig instead.')
  }
  if (hasCustom) throw invalidInput('A service can have HealthCheckConfig or HealthCheckCustomConfig, not both.')
  if (hc.Type === 'TCP' && hc.ResourcePath !== undefined) throw invalidInput('HealthCheckConfig.ResourcePath must not be given for a TCP health check.')
}

/** NAMESPACE_ID with EQ (and IN, documented by earlier model versions); RESOURCE_OWNER with EQ. */
function serviceFilter(filter: ServiceFilter): (srv: ServiceRecord) => boolean {
  const condition = filter.Condition ?? 'EQ'
  switch (filter.Name) {
    case 'NAMESPACE_ID': {
      filterValues('NAMESPACE_ID', condition, filter.Values, ['EQ', 'IN'])
      const ids = filter.Values.map(idFromIdOrArn)
      return (srv) => ids.includes(srv.NamespaceId)
    }
    case 'RESOURCE_OWNER': {
      filterValues('RESOURCE_OWNER', condition, filter.Values, ['EQ'])
      const owner = filter.Values[0]
      if (owner !== 'SELF' && owner !== 'OTHER_ACCOUNTS') throw invalidInput(`RESOURCE_OWNER filter value ${owner} is not valid; use SELF or OTHER_ACCOUNTS.`)
      return () => owner === 'SELF'
    }
    default:
      throw invalidInput(`Unknown service filter ${String(filter.Name)}; use NAMESPACE_ID or RESOURCE_OWNER.`)
  }
}

export const serviceHandlers: HandlerTable<
  | 'CreateService'
  | 'GetService'
  | 'ListServices'
  | 'DeleteService'
  | 'UpdateService'
  | 'GetServiceAttributes'
  | 'UpdateServiceAttributes'
  | 'DeleteServiceAttributes'
> = {
  CreateService: (state, input, ctx) => {
    const namespaceId = input.NamespaceId ?? input.DnsConfig?.NamespaceId
    if (namespaceId === undefined) throw invalidInput('Service namespace id cannot be null: give NamespaceId.')
    if (input.NamespaceId !== undefined && input.DnsConfig?.NamespaceId !== undefined && idFromIdOrArn(input.NamespaceId) !== idFromIdOrArn(input.DnsConfig.NamespaceId)) {
      throw invalidInput(`NamespaceId ${input.NamespaceId} and DnsConfig.NamespaceId ${input.DnsConfig.NamespaceId} differ; give NamespaceId only (DnsConfig.NamespaceId is deprecated).`)
    }
    const tags = input.Tags ?? []
    checkTags(tags)
    checkTagCount(tags.length, `service ${input.Name}`)
    const ns = findNamespace(state, namespaceId)
    const routingPolicy = input.DnsConfig?.RoutingPolicy ?? 'MULTIVALUE'
    if (input.DnsConfig) {
      if (ns.Type === 'HTTP') throw invalidInput(`Namespace ${ns.Id} is an HTTP namespace: its services have no DNS records, so DnsConfig is not allowed.`)
      if (input.Type === 'HTTP') throw invalidInput('Type HTTP means the service has no DNS records: drop DnsConfig or Type.')
      checkDnsRecords(input.DnsConfig.DnsRecords, routingPolicy, input.HealthCheckConfig)
    }
    if (input.HealthCheckConfig) checkHealthCheck(ns, input.HealthCheckConfig, input.HealthCheckCustomConfig !== undefined)
    // Services reachable by DNS can't differ only by case; in HTTP namespaces names are case-sensitive.
    const dns = ns.Type !== 'HTTP'
    const hash = requestHash({ ...input, NamespaceId: ns.Id, DnsConfig: input.DnsConfig && { ...input.DnsConfig, NamespaceId: undefined }, CreatorRequestId: undefined })
    const clash = Object.values(state.services).find((s) => s.NamespaceId === ns.Id && sameName(s.Name, input.Name, dns))
    if (clash) {
      // A retry of the request that created it (same CreatorRequestId, same settings) returns the service.
      if (input.CreatorRequestId !== undefined && clash.CreatorRequestId === input.CreatorRequestId && clash.RequestHash === hash) {
        return { Service: serviceOutput(state, clash, ctx, false) }
      }
      throw serviceError('ServiceAlreadyExists', `A service named ${clash.Name} already exists in namespace ${ns.Id}: ${clash.Id}. Choose another name or update that service.`)
    }
    const id = newResourceId(ctx, 'srv')
    const record: ServiceRecord = {
      Id: id,
      Arn: arn(ctx, 'service', id),
      Name: input.Name,
      NamespaceId: ns.Id,
      // Services without DNS records (any in an HTTP namespace) can only be discovered through the API.
      Type: input.DnsConfig ? 'DNS_HTTP' : 'HTTP',
      CreateDate: ctx.now().toISOString(),
      InstancesRevision: '0',
    }
    if (input.Description !== undefined) record.Description = input.Description
    if (input.DnsConfig) record.DnsConfig = { RoutingPolicy: routingPolicy, DnsRecords: input.DnsConfig.DnsRecords.map((r) => ({ Type: r.Type, TTL: Number(r.TTL) })) }
    if (input.HealthCheckConfig) record.HealthCheckConfig = { FailureThreshold: 1, ...input.HealthCheckConfig }
    // FailureThreshold of custom health checks is no longer supported by AWS and always reads 1.
    if (input.HealthCheckCustomConfig) record.HealthCheckCustomConfig = { FailureThreshold: 1 }
    if (input.CreatorRequestId !== undefined) {
      record.CreatorRequestId = input.CreatorRequestId
      record.RequestHash = hash
    }
    state.services[id] = record
    if (tags.length > 0) state.tags[record.Arn] = tags
    return { Service: serviceOutput(state, record, ctx, false) }
  },

  GetService: (state, input, ctx) => ({ Service: serviceOutput(state, findService(state, input.Id), ctx, 'exact') }),

  ListServices: (state, input, ctx) => {
    const filters = (input.Filters ?? []).map(serviceFilter)
    const { page, NextToken } = paginate(Object.values(state.services), input.MaxResults, input.NextToken)
    return { Services: page.filter((s) => filters.every((f) => f(s))).map((s) => summary(state, s, ctx)), NextToken }
  },

  DeleteService: (state, input) => {
    const srv = findService(state, input.Id)
    // AWS refuses to delete a service that still has registered instances (no cascade).
    const count = instanceCount(state, srv.Id, true)
    if (count > 0) throw serviceError('ResourceInUse', `Service ${srv.Id} still has ${count} registered instance(s); deregister them first.`)
    delete state.services[srv.Id]
    state.instances.drop(srv.Id)
    delete state.tags[srv.Arn]
    return {}
  },

  /**
   * UpdateService changes the TTLs of existing DNS records, the description and the Route 53 health check.
   * In DNS namespaces, DNS records and HealthCheckConfig omitted from the request are deleted (the API
   * reference); record types can't be added or changed, and HealthCheckCustomConfig can't be touched.
   */
  UpdateService: (state, input, ctx) => {
    const srv = findService(state, input.Id)
    const ns = findNamespace(state, srv.NamespaceId)
    const change = input.Service
    if ((change as Record<string, unknown>).HealthCheckCustomConfig !== undefined) {
      throw invalidInput("HealthCheckCustomConfig can't be added, changed or removed after the service is created; create a new service instead.")
    }
    const busy = inProgress(state, (op) => op.Type === 'UPDATE_SERVICE' && op.ServiceId === srv.Id)
    if (busy) throw serviceError('DuplicateRequest', `Operation ${busy.Id} updating service ${srv.Id} is still in progress; wait for it to finish.`)
    let dns = srv.DnsConfig
    let hc = srv.HealthCheckConfig
    if (ns.Type === 'HTTP') {
      if (change.DnsConfig) throw invalidInput(`Service ${srv.Id} is in HTTP namespace ${ns.Id}: it has no DNS records to update.`)
      if (change.HealthCheckConfig) throw invalidInput(`Service ${srv.Id} is in HTTP namespace ${ns.Id}: UpdateService can't change its health check.`)
    } else {
      if (change.DnsConfig) {
        if (!srv.DnsConfig) {
          throw invalidInput(`Service ${srv.Id} has no DNS records, and record types can't be added after creation; create a new service with DnsConfig.`)
        }
        const before = srv.DnsConfig.DnsRecords.map((r) => r.Type)
        const added = change.DnsConfig.DnsRecords.find((r) => !before.includes(r.Type))
        if (added) {
          throw invalidInput(`Record type ${added.Type} can't be added to service ${srv.Id} (it has ${before.join(', ')}); to change record types, delete the service and create it again.`)
        }
        dns = { RoutingPolicy: srv.DnsConfig.RoutingPolicy, DnsRecords: change.DnsConfig.DnsRecords.map((r) => ({ Type: r.Type, TTL: Number(r.TTL) })) }
      } else {
        dns = undefined
      }
      if (change.HealthCheckConfig) {
        checkHealthCheck(ns, change.HealthCheckConfig, srv.HealthCheckCustomConfig !== undefined)
        if (srv.HealthCheckConfig && srv.HealthCheckConfig.Type !== change.HealthCheckConfig.Type) {
          throw invalidInput(`The health check type can't change (${srv.HealthCheckConfig.Type} to ${change.HealthCheckConfig.Type}); remove the health check with an update that omits HealthCheckConfig, then add the new one.`)
        }
        hc = { FailureThreshold: srv.HealthCheckConfig?.FailureThreshold ?? 1, ...change.HealthCheckConfig }
      } else {
        hc = undefined
      }
      if (dns) checkDnsRecords(dns.DnsRecords, dns.RoutingPolicy ?? 'MULTIVALUE', hc)
    }
    const OperationId = submitOperation(state, ctx, {
      Type: 'UPDATE_SERVICE',
      Targets: { SERVICE: srv.Id },
      NamespaceId: ns.Id,
      ServiceId: srv.Id,
      Effect: {
        Kind: 'UpdateService',
        ServiceId: srv.Id,
        Description: change.Description ?? srv.Description,
        DnsConfig: dns,
        HealthCheckConfig: hc,
        // A service left without DNS records can only be discovered through the API.
        Type: dns ? srv.Type : 'HTTP',
      },
    })
    return { OperationId }
  },

  GetServiceAttributes: (state, input, ctx) => {
    const srv = findService(state, input.ServiceId)
    return { ServiceAttributes: { ServiceArn: srv.Arn, ResourceOwner: ctx.accountId, Attributes: { ...(srv.Attributes ?? {}) } } }
  },

  UpdateServiceAttributes: (state, input) => {
    const srv = findService(state, input.ServiceId)
    const merged = { ...(srv.Attributes ?? {}), ...input.Attributes }
    const count = Object.keys(merged).length
    if (count > QUOTAS.attributesPerService) {
      throw serviceError(
        'ServiceAttributesLimitExceededException',
        `A service can have at most ${QUOTAS.attributesPerService} attributes; ${srv.Id} would have ${count}. Remove some with delete-service-attributes first.`,
      )
    }
    srv.Attributes = merged
    return {}
  },

  DeleteServiceAttributes: (state, input) => {
    const srv = findService(state, input.ServiceId)
    const attributes = { ...(srv.Attributes ?? {}) }
    for (const key of input.Attributes) delete attributes[key]
    if (Object.keys(attributes).length > 0) srv.Attributes = attributes
    else delete srv.Attributes
    return {}
  },
}
