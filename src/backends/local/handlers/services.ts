import type { DnsConfig, Service, ServiceFilter, ServiceSummary } from '../../../model/api-types.js'
import { serviceError } from '../../../registry/errors.js'
import type { HandlerContext } from '../context.js'
import { arn, newResourceId } from '../context.js'
import type { RegistryState, ServiceRecord } from '../state.js'
import { date, findNamespace, findService, invalidInput, paginate } from './common.js'
import type { HandlerTable } from './types.js'

// Service names are DNS labels (model pattern of CreateServiceRequest.Name).
const SERVICE_NAME = /((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\.$)/

function instanceCount(state: RegistryState, serviceId: string): number {
  return Object.keys(state.instances[serviceId] ?? {}).length
}

function dnsConfig(srv: ServiceRecord): DnsConfig | undefined {
  return srv.DnsConfig ? { NamespaceId: srv.NamespaceId, RoutingPolicy: srv.DnsConfig.RoutingPolicy, DnsRecords: srv.DnsConfig.DnsRecords } : undefined
}

function serviceOutput(state: RegistryState, srv: ServiceRecord, ctx: HandlerContext, withCount: boolean): Service {
  return {
    Id: srv.Id,
    Arn: srv.Arn,
    ResourceOwner: ctx.accountId,
    Name: srv.Name,
    NamespaceId: srv.NamespaceId,
    Description: srv.Description,
    InstanceCount: withCount ? instanceCount(state, srv.Id) : undefined,
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

function matchesFilter(srv: ServiceRecord, filter: ServiceFilter, ctx: HandlerContext): boolean {
  const condition = filter.Condition ?? 'EQ'
  if (filter.Name === 'RESOURCE_OWNER') return filter.Values.includes('SELF') || filter.Values.includes(ctx.accountId)
  const ids = filter.Values.map((v) => (v.startsWith('arn:') ? v.slice(v.lastIndexOf('/') + 1) : v))
  if (condition === 'EQ') {
    if (ids.length !== 1) throw invalidInput('EQ takes exactly one value.')
    return srv.NamespaceId === ids[0]
  }
  if (condition === 'IN') return ids.includes(srv.NamespaceId)
  throw invalidInput(`Condition ${condition} is not supported for service filters.`)
}

export const serviceHandlers: HandlerTable<'CreateService' | 'GetService' | 'ListServices' | 'DeleteService'> = {
  CreateService: (state, input, ctx) => {
    const namespaceId = input.NamespaceId ?? input.DnsConfig?.NamespaceId
    if (namespaceId === undefined) throw invalidInput('NamespaceId is required.')
    const ns = findNamespace(state, namespaceId)
    if (!SERVICE_NAME.test(input.Name)) throw invalidInput(`Service name is not valid: ${input.Name}`)
    if (input.DnsConfig && ns.Type === 'HTTP') throw invalidInput('DnsConfig is not allowed for services in an HTTP namespace.')
    if (input.HealthCheckConfig && input.HealthCheckCustomConfig) {
      throw invalidInput('A service can have HealthCheckConfig or HealthCheckCustomConfig, not both.')
    }
    if (input.HealthCheckConfig && ns.Type === 'DNS_PRIVATE') {
      throw invalidInput('Route 53 health checks (HealthCheckConfig) are not supported in private DNS namespaces.')
    }
    // DNS namespaces compare service names case-insensitively; HTTP namespaces case-sensitively.
    const same = (a: string, b: string) => (ns.Type === 'HTTP' ? a === b : a.toLowerCase() === b.toLowerCase())
    const clash = Object.values(state.services).find((s) => s.NamespaceId === ns.Id && same(s.Name, input.Name))
    if (clash) {
      if (input.CreatorRequestId !== undefined && clash.CreatorRequestId === input.CreatorRequestId) {
        return { Service: serviceOutput(state, clash, ctx, false) }
      }
      throw serviceError('ServiceAlreadyExists', `A service named ${input.Name} already exists in namespace ${ns.Id}: ${clash.Id}`)
    }
    const id = newResourceId(ctx, 'srv')
    const record: ServiceRecord = {
      Id: id,
      Arn: arn(ctx, 'service', id),
      Name: input.Name,
      NamespaceId: ns.Id,
      // HTTP namespaces and DNS services without DNS records can only be discovered through the API.
      Type: input.Type ?? (input.DnsConfig ? 'DNS_HTTP' : 'HTTP'),
      CreateDate: ctx.now().toISOString(),
      InstancesRevision: '0',
    }
    if (input.Description !== undefined) record.Description = input.Description
    if (input.DnsConfig) {
      record.DnsConfig = { RoutingPolicy: input.DnsConfig.RoutingPolicy ?? 'MULTIVALUE', DnsRecords: input.DnsConfig.DnsRecords }
    }
    if (input.HealthCheckConfig) record.HealthCheckConfig = { FailureThreshold: 1, ...input.HealthCheckConfig }
    // FailureThreshold of custom health checks is no longer supported by AWS and always reads 1.
    if (input.HealthCheckCustomConfig) record.HealthCheckCustomConfig = { FailureThreshold: 1 }
    if (input.CreatorRequestId !== undefined) record.CreatorRequestId = input.CreatorRequestId
    state.services[id] = record
    if (input.Tags?.length) state.tags[record.Arn] = input.Tags
    return { Service: serviceOutput(state, record, ctx, false) }
  },

  GetService: (state, input, ctx) => ({ Service: serviceOutput(state, findService(state, input.Id), ctx, true) }),

  ListServices: (state, input, ctx) => {
    const filters = input.Filters ?? []
    const matching = Object.values(state.services).filter((s) => filters.every((f) => matchesFilter(s, f, ctx)))
    const { page, NextToken } = paginate(matching, input.MaxResults, input.NextToken)
    return { Services: page.map((s) => summary(state, s, ctx)), NextToken }
  },

  DeleteService: (state, input) => {
    const srv = findService(state, input.Id)
    // AWS refuses to delete a service that still has registered instances (no cascade).
    if (instanceCount(state, srv.Id) > 0) throw serviceError('ResourceInUse', `Service ${srv.Id} still has registered instances; deregister them first.`)
    delete state.services[srv.Id]
    delete state.instances[srv.Id]
    delete state.tags[srv.Arn]
    return {}
  },
}
