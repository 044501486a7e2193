import type { HealthStatus } from '../../../model/api-types.js'
import { serviceError } from '../../../registry/errors.js'
import type { InstanceRecord, RegistryState, ServiceRecord } from '../state.js'
import { findService, invalidInput, paginate, recordOperation } from './common.js'
import type { HandlerTable } from './types.js'

const INSTANCE_ID = /^[0-9a-zA-Z_/:.@-]+$/
/** Quotas from the RegisterInstance reference: 30 custom attributes, 5,000 characters in all. */
const MAX_CUSTOM_ATTRIBUTES = 30
const MAX_ATTRIBUTE_CHARACTERS = 5000
const RESERVED_ATTRIBUTES = new Set([
  'AWS_ALIAS_DNS_NAME', 'AWS_EC2_INSTANCE_ID', 'AWS_INIT_HEALTH_STATUS', 'AWS_INSTANCE_CNAME',
  'AWS_INSTANCE_IPV4', 'AWS_INSTANCE_IPV6', 'AWS_INSTANCE_PORT',
])

/** The next revision: strictly greater than the last, as a 64-bit decimal string. */
export function bumpRevision(srv: ServiceRecord): void {
  srv.InstancesRevision = (BigInt(srv.InstancesRevision) + 1n).toString()
}

function checkAttributes(srv: ServiceRecord, attributes: Record<string, string>): void {
  const keys = Object.keys(attributes)
  if (keys.filter((k) => !RESERVED_ATTRIBUTES.has(k)).length > MAX_CUSTOM_ATTRIBUTES) {
    throw invalidInput(`An instance can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`)
  }
  const size = keys.reduce((n, k) => n + k.length + attributes[k].length, 0)
  if (size > MAX_ATTRIBUTE_CHARACTERS) throw invalidInput(`Instance attributes can total at most ${MAX_ATTRIBUTE_CHARACTERS} characters.`)
  const types = new Set(srv.DnsConfig?.DnsRecords.map((r) => r.Type) ?? [])
  const hasIp = 'AWS_INSTANCE_IPV4' in attributes || 'AWS_INSTANCE_IPV6' in attributes
  if ('AWS_ALIAS_DNS_NAME' in attributes) return
  if (types.has('A') && !('AWS_INSTANCE_IPV4' in attributes)) throw invalidInput('AWS_INSTANCE_IPV4 is required: the service has an A record.')
  if (types.has('AAAA') && !('AWS_INSTANCE_IPV6' in attributes)) throw invalidInput('AWS_INSTANCE_IPV6 is required: the service has an AAAA record.')
  if (types.has('CNAME') && !('AWS_INSTANCE_CNAME' in attributes)) throw invalidInput('AWS_INSTANCE_CNAME is required: the service has a CNAME record.')
  if (types.has('SRV') && !hasIp) throw invalidInput('AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6 is required: the service has an SRV record.')
  if ((types.has('SRV') || srv.HealthCheckConfig) && !('AWS_INSTANCE_PORT' in attributes)) {
    throw invalidInput('A valid port number must be supplied in AWS_INSTANCE_PORT: the service has an SRV record or a Route 53 health check.')
  }
}

/** What DiscoverInstances and GetInstancesHealthStatus report for an instance. */
export function healthOf(srv: ServiceRecord, instance: InstanceRecord): HealthStatus {
  // Without a health check AWS cannot know: it reports UNKNOWN.
  if (srv.HealthCheckCustomConfig) return instance.CustomHealthStatus ?? 'HEALTHY'
  if (srv.HealthCheckConfig) return 'HEALTHY'
  return 'UNKNOWN'
}

function findInstance(state: RegistryState, srv: ServiceRecord, instanceId: string): InstanceRecord {
  const instance = state.instances[srv.Id]?.[instanceId]
  if (!instance) throw serviceError('InstanceNotFound', `Instance ${instanceId} is not registered in service ${srv.Id}.`)
  return instance
}

export const instanceHandlers: HandlerTable<'RegisterInstance' | 'DeregisterInstance' | 'GetInstance' | 'ListInstances'> = {
  RegisterInstance: (state, input, ctx) => {
    const srv = findService(state, input.ServiceId)
    if (!INSTANCE_ID.test(input.InstanceId) || input.InstanceId.length > 64) {
      throw invalidInput(`Instance id is not valid (up to 64 of 0-9 a-z A-Z _ / : . @ -): ${input.InstanceId}`)
    }
    checkAttributes(srv, input.Attributes)
    const init = input.Attributes.AWS_INIT_HEALTH_STATUS
    if (init !== undefined && init !== 'HEALTHY' && init !== 'UNHEALTHY') throw invalidInput('AWS_INIT_HEALTH_STATUS must be HEALTHY or UNHEALTHY.')
    const instances = (state.instances[srv.Id] ??= {})
    const previous = instances[input.InstanceId]
    // Registering an existing id updates it in place (AWS), keeping its custom health status.
    const record: InstanceRecord = { Id: input.InstanceId, Attributes: { ...input.Attributes } }
    if (input.CreatorRequestId !== undefined) record.CreatorRequestId = input.CreatorRequestId
    if (srv.HealthCheckCustomConfig) record.CustomHealthStatus = previous?.CustomHealthStatus ?? (init === 'UNHEALTHY' ? 'UNHEALTHY' : 'HEALTHY')
    instances[input.InstanceId] = record
    bumpRevision(srv)
    return { OperationId: recordOperation(state, ctx, 'REGISTER_INSTANCE', { INSTANCE: input.InstanceId, SERVICE: srv.Id }) }
  },

  DeregisterInstance: (state, input, ctx) => {
    const srv = findService(state, input.ServiceId)
    findInstance(state, srv, input.InstanceId)
    delete state.instances[srv.Id][input.InstanceId]
    bumpRevision(srv)
    return { OperationId: recordOperation(state, ctx, 'DEREGISTER_INSTANCE', { INSTANCE: input.InstanceId, SERVICE: srv.Id }) }
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
    const all = Object.values(state.instances[srv.Id] ?? {})
    const { page, NextToken } = paginate(all, input.MaxResults, input.NextToken)
    return {
      ResourceOwner: ctx.accountId,
      Instances: page.map((i) => ({ Id: i.Id, Attributes: i.Attributes, CreatedByAccount: ctx.accountId })),
      NextToken,
    }
  },
}

