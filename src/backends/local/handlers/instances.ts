import { isIPv4, isIPv6 } from 'node:net'
import type { HealthStatus } from '../../../model/api-types.js'
import { serviceError } from '../../../registry/errors.js'
import { QUOTAS } from '../quotas.js'
import type { InstanceRecord, NamespaceRecord, OperationEffect, RegistryState, ServiceRecord } from '../state.js'
import { byRequestToken, inProgress, pendingEffects, submitOperation } from './async-operations.js'
import { findNamespace, findService, invalidInput, paginate, requestHash } from './common.js'
import type { HandlerTable } from './types.js'

/** Attribute keys Cloud Map gives a meaning to; all others are custom attributes. */
const RESERVED_ATTRIBUTES = new Set([
  'AWS_ALIAS_DNS_NAME', 'AWS_EC2_INSTANCE_ID', 'AWS_INIT_HEALTH_STATUS', 'AWS_INSTANCE_CNAME',
  'AWS_INSTANCE_IPV4', 'AWS_INSTANCE_IPV6', 'AWS_INSTANCE_PORT',
])
const INSTANCE_ATTRIBUTES = ['AWS_INSTANCE_CNAME', 'AWS_INSTANCE_IPV4', 'AWS_INSTANCE_IPV6', 'AWS_INSTANCE_PORT']

/**
 * RegisterInstance's attribute rules (the API reference of RegisterInstance.Attributes): quotas, the
 * attributes each DNS record type and health check needs, and the alias and EC2 special cases.
 * Key and value lengths and characters were checked against the model (validate.ts).
 */
export function checkAttributes(srv: ServiceRecord, ns: NamespaceRecord, attributes: Record<string, string>): void {
  const keys = Object.keys(attributes)
  const custom = keys.filter((k) => !RESERVED_ATTRIBUTES.has(k)).length
  if (custom > QUOTAS.customAttributesPerInstance) {
    throw invalidInput(`An instance can have at most ${QUOTAS.customAttributesPerInstance} custom attributes; this request has ${custom}.`)
  }
  const size = keys.reduce((n, k) => n + [...k].length + [...attributes[k]].length, 0)
  if (size > QUOTAS.attributeCharactersPerInstance) {
    throw invalidInput(`Instance attributes (keys and values together) can total at most ${QUOTAS.attributeCharactersPerInstance} characters; these have ${size}.`)
  }
  const has = (k: string) => k in attributes
  const init = attributes.AWS_INIT_HEALTH_STATUS
  if (init !== undefined && init !== 'HEALTHY' && init !== 'UNHEALTHY') throw invalidInput(`AWS_INIT_HEALTH_STATUS must be HEALTHY or UNHEALTHY, not ${init}.`)

  if (has('AWS_EC2_INSTANCE_ID')) {
    if (ns.Type !== 'HTTP') throw invalidInput('AWS_EC2_INSTANCE_ID is supported only for services in HTTP namespaces.')
    const other = keys.find((k) => RESERVED_ATTRIBUTES.has(k) && k !== 'AWS_EC2_INSTANCE_ID' && k !== 'AWS_INIT_HEALTH_STATUS')
    if (other) throw invalidInput(`With AWS_EC2_INSTANCE_ID the only other AWS_ attribute allowed is AWS_INIT_HEALTH_STATUS, not ${other}.`)
    return
  }

  const types = new Set(srv.DnsConfig?.DnsRecords.map((r) => r.Type) ?? [])
  if (has('AWS_ALIAS_DNS_NAME')) {
    // Alias records route to an Elastic Load Balancing load balancer: A and/or AAAA records, WEIGHTED routing.
    if (!srv.DnsConfig || types.has('SRV') || types.has('CNAME')) {
      throw invalidInput(`AWS_ALIAS_DNS_NAME needs a service with A and/or AAAA records; service ${srv.Id} has ${srv.DnsConfig ? [...types].join(', ') : 'no DNS records'}.`)
    }
    if (srv.DnsConfig.RoutingPolicy !== 'WEIGHTED') throw invalidInput(`AWS_ALIAS_DNS_NAME needs a service with RoutingPolicy WEIGHTED; service ${srv.Id} uses ${srv.DnsConfig.RoutingPolicy ?? 'MULTIVALUE'}.`)
    const instanceAttribute = INSTANCE_ATTRIBUTES.find(has)
    if (instanceAttribute) throw invalidInput(`With AWS_ALIAS_DNS_NAME, don't give any AWS_INSTANCE_ attributes (${instanceAttribute}).`)
    return
  }

  if (types.has('A') && !has('AWS_INSTANCE_IPV4')) throw invalidInput(`AWS_INSTANCE_IPV4 is required: service ${srv.Id} has an A record.`)
  if (types.has('AAAA') && !has('AWS_INSTANCE_IPV6')) throw invalidInput(`AWS_INSTANCE_IPV6 is required: service ${srv.Id} has an AAAA record.`)
  if (types.has('CNAME') && !has('AWS_INSTANCE_CNAME')) throw invalidInput(`AWS_INSTANCE_CNAME is required: service ${srv.Id} has a CNAME record.`)
  if (types.has('SRV') && !has('AWS_INSTANCE_IPV4') && !has('AWS_INSTANCE_IPV6')) {
    throw invalidInput(`AWS_INSTANCE_IPV4, AWS_INSTANCE_IPV6 or both are required: service ${srv.Id} has an SRV record.`)
  }
  const needsPort = types.has('SRV') || srv.HealthCheckConfig !== undefined
  if (needsPort && !has('AWS_INSTANCE_PORT')) {
    throw invalidInput(`AWS_INSTANCE_PORT is required: service ${srv.Id} has ${types.has('SRV') ? 'an SRV record' : 'a Route 53 health check'}.`)
  }
  // Values that become DNS records or health check targets must be what Route 53 accepts.
  const dnsRecords = types.size > 0
  if (dnsRecords && has('AWS_INSTANCE_IPV4') && !isIPv4(attributes.AWS_INSTANCE_IPV4)) {
    throw invalidInput(`AWS_INSTANCE_IPV4 must be an IPv4 address such as 192.0.2.44, not ${attributes.AWS_INSTANCE_IPV4}.`)
  }
  if (dnsRecords && has('AWS_INSTANCE_IPV6') && !isIPv6(attributes.AWS_INSTANCE_IPV6)) {
    throw invalidInput(`AWS_INSTANCE_IPV6 must be an IPv6 address such as 2001:db8::1, not ${attributes.AWS_INSTANCE_IPV6}.`)
  }
  if (needsPort) {
    const port = attributes.AWS_INSTANCE_PORT
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw invalidInput(`AWS_INSTANCE_PORT must be a port number from 1 to 65535, not ${port}.`)
  }
}

/** What DiscoverInstances and GetInstancesHealthStatus report for an instance. */
export function healthOf(srv: ServiceRecord, instance: InstanceRecord): HealthStatus {
  // Without a health check AWS cannot know: it reports UNKNOWN.
  if (srv.HealthCheckCustomConfig) return instance.CustomHealthStatus ?? 'HEALTHY'
  // Route 53 checks are probed by `cloudmap serve` (src/serve/health/), which records a status only when
  // it changes; until then the instance is HEALTHY, as a new Route 53 health check counts as healthy
  // until it has enough data. Without serve nothing probes and the last recorded status stands.
  if (srv.HealthCheckConfig) return instance.HealthCheckStatus?.Status === 'UNHEALTHY' ? 'UNHEALTHY' : 'HEALTHY'
  return 'UNKNOWN'
}

function findInstance(state: RegistryState, srv: ServiceRecord, instanceId: string): InstanceRecord {
  const instances = state.instances.of(srv.Id)
  const instance = Object.hasOwn(instances, instanceId) ? instances[instanceId] : undefined
  if (!instance) throw serviceError('InstanceNotFound', `Instance ${instanceId} is not registered in service ${srv.Id}. Check the id with list-instances.`)
  return instance
}

function checkNotBusy(state: RegistryState, srv: ServiceRecord, instanceId: string): void {
  // "One RegisterInstance request must complete before you can submit another request and specify the
  // same service ID and instance ID" (RegisterInstance), and likewise for DeregisterInstance.
  const busy = inProgress(state, (op) => op.ServiceId === srv.Id && op.Targets.INSTANCE === instanceId)
  if (busy) throw serviceError('DuplicateRequest', `Operation ${busy.Id} (${busy.Type}) on instance ${instanceId} of service ${srv.Id} is still in progress; wait for it to finish.`)
}

type PendingRegistration = Extract<OperationEffect, { Kind: 'RegisterInstance' }>

/** Instance ids of a service, registered or being registered. */
function knownInstanceIds(state: RegistryState, serviceId: string, pending: readonly PendingRegistration[]): Set<string> {
  const ids = new Set(Object.keys(state.instances.of(serviceId)))
  for (const e of pending) if (e.ServiceId === serviceId) ids.add(e.Instance.Id)
  return ids
}

/**
 * How many instances a service has or is getting, reading its shard only when a registration is still
 * waiting for it: a namespace's quota check then costs no more than its number of services. `pending` is
 * listed once per call by the caller: a registration checks every service of its namespace.
 */
function knownInstanceCount(state: RegistryState, serviceId: string, pending: readonly PendingRegistration[]): number {
  return pending.some((e) => e.ServiceId === serviceId) ? knownInstanceIds(state, serviceId, pending).size : state.instances.count(serviceId)
}

export const instanceHandlers: HandlerTable<
  'RegisterInstance' | 'DeregisterInstance' | 'GetInstance' | 'ListInstances' | 'GetInstancesHealthStatus' | 'UpdateInstanceCustomHealthStatus'
> = {
  RegisterInstance: (state, input, ctx) => {
    const srv = findService(state, input.ServiceId)
    const ns = findNamespace(state, srv.NamespaceId)
    checkAttributes(srv, ns, input.Attributes)
    // The same CreatorRequestId and request again is a retry: it returns the first operation. The id
    // can't be reused to register another instance of the service.
    const token = input.CreatorRequestId === undefined ? undefined : `RegisterInstance:${srv.Id}:${input.CreatorRequestId}`
    const hash = requestHash({ InstanceId: input.InstanceId, Attributes: input.Attributes })
    if (token !== undefined) {
      const prior = byRequestToken(state, token)
      if (prior && prior.Targets.INSTANCE !== input.InstanceId) {
        throw serviceError('DuplicateRequest', `CreatorRequestId ${input.CreatorRequestId} was already used to register instance ${prior.Targets.INSTANCE} (operation ${prior.Id}); use a unique CreatorRequestId for each instance.`)
      }
      if (prior && prior.RequestHash === hash) return { OperationId: prior.Id }
    }
    checkNotBusy(state, srv, input.InstanceId)
    const pending = pendingEffects(state, 'RegisterInstance')
    // Whether the service has this instance id, registered or being registered (without listing its ids).
    const known = Object.hasOwn(state.instances.of(srv.Id), input.InstanceId) || pending.some((e) => e.ServiceId === srv.Id && e.Instance.Id === input.InstanceId)
    if (!known) {
      const inService = knownInstanceCount(state, srv.Id, pending)
      if (inService >= QUOTAS.instancesPerService) {
        throw serviceError('ResourceLimitExceeded', `Service ${srv.Id} already has ${inService} instances, the Cloud Map quota (${QUOTAS.instancesPerService}).`)
      }
      let inNamespace = 0
      for (const s of Object.values(state.services)) if (s.NamespaceId === ns.Id) inNamespace += s.Id === srv.Id ? inService : knownInstanceCount(state, s.Id, pending)
      if (inNamespace >= QUOTAS.instancesPerNamespace) {
        throw serviceError('ResourceLimitExceeded', `Namespace ${ns.Id} already has ${inNamespace} instances, the Cloud Map quota (${QUOTAS.instancesPerNamespace}).`)
      }
    }
    // Registering an existing id updates it in place (AWS).
    const instance: InstanceRecord = { Id: input.InstanceId, Attributes: { ...input.Attributes } }
    if (input.CreatorRequestId !== undefined) instance.CreatorRequestId = input.CreatorRequestId
    const init = input.Attributes.AWS_INIT_HEALTH_STATUS as 'HEALTHY' | 'UNHEALTHY' | undefined
    const OperationId = submitOperation(state, ctx, {
      Type: 'REGISTER_INSTANCE',
      Targets: { INSTANCE: input.InstanceId, SERVICE: srv.Id },
      NamespaceId: ns.Id,
      ServiceId: srv.Id,
      Effect: { Kind: 'RegisterInstance', ServiceId: srv.Id, Instance: instance, InitialHealth: init },
      RequestToken: token,
      RequestHash: hash,
    })
    return { OperationId }
  },

  DeregisterInstance: (state, input, ctx) => {
    const srv = findService(state, input.ServiceId)
    checkNotBusy(state, srv, input.InstanceId)
    findInstance(state, srv, input.InstanceId)
    const OperationId = submitOperation(state, ctx, {
      Type: 'DEREGISTER_INSTANCE',
      Targets: { INSTANCE: input.InstanceId, SERVICE: srv.Id },
      NamespaceId: srv.NamespaceId,
      ServiceId: srv.Id,
      Effect: { Kind: 'DeregisterInstance', ServiceId: srv.Id, InstanceId: input.InstanceId },
    })
    return { OperationId }
  },

  GetInstance: (state, input, ctx) => {
    const srv = findService(state, input.ServiceId)
    const instance = findInstance(state, srv, input.InstanceId)
    return {
      ResourceOwner: ctx.accountId,
      Instance: { Id: instance.Id, CreatorRequestId: instance.CreatorRequestId, Attributes: instance.Attributes, CreatedByAccount: ctx.accountId },
    }
  },

  ListInstances: (state, input, ctx) => {
    const srv = findService(state, input.ServiceId)
    const { page, NextToken } = paginate(Object.values(state.instances.of(srv.Id)), input.MaxResults, input.NextToken)
    return {
      ResourceOwner: ctx.accountId,
      Instances: page.map((i) => ({ Id: i.Id, Attributes: i.Attributes, CreatedByAccount: ctx.accountId })),
      NextToken,
    }
  },

  GetInstancesHealthStatus: (state, input) => {
    const srv = findService(state, input.ServiceId)
    const instances = state.instances.of(srv.Id)
    let ids = Object.keys(instances)
    if (input.Instances !== undefined) {
      const missing = input.Instances.filter((id) => !instances[id])
      if (missing.length > 0) throw serviceError('InstanceNotFound', `Not registered in service ${srv.Id}: ${missing.join(', ')}. Check the ids with list-instances.`)
      ids = [...new Set(input.Instances)]
    }
    const { page, NextToken } = paginate(ids, input.MaxResults, input.NextToken)
    return { Status: Object.fromEntries(page.map((id) => [id, healthOf(srv, instances[id])])), NextToken }
  },

  UpdateInstanceCustomHealthStatus: (state, input) => {
    const srv = findService(state, input.ServiceId)
    const instance = findInstance(state, srv, input.InstanceId)
    if (!srv.HealthCheckCustomConfig) {
      throw serviceError('CustomHealthNotFound', `Service ${srv.Id} has no custom health check (HealthCheckCustomConfig), so its instances' health can't be set; it is fixed when the service is created.`)
    }
    // A health change is not a registration: InstancesRevision stays as it is.
    instance.CustomHealthStatus = input.Status
    return {}
  },
}
