import type { NamespaceFilter, NamespaceProperties, NamespaceSummary, NamespaceType, Tag } from '../../../model/api-types.js'
import type { OperationName } from '../../../model/index.js'
import { serviceError } from '../../../registry/errors.js'
import type { HandlerContext } from '../context.js'
import { arn, newHostedZoneId, newResourceId } from '../context.js'
import { QUOTAS } from '../quotas.js'
import type { NamespaceRecord, RegistryState } from '../state.js'
import { byRequestToken, inProgress, pendingEffects, submitOperation } from './async-operations.js'
import { checkTagCount, checkTags, date, filterValues, findNamespace, invalidInput, paginate, requestHash } from './common.js'
import type { HandlerTable } from './types.js'

/** AWS Cloud Map's default SOA TTL (seconds) for DNS namespaces created without one. */
export const DEFAULT_SOA_TTL = 15

const CREATE_OPERATION: Record<NamespaceType, OperationName> = {
  HTTP: 'CreateHttpNamespace',
  DNS_PRIVATE: 'CreatePrivateDnsNamespace',
  DNS_PUBLIC: 'CreatePublicDnsNamespace',
}
const UPDATE_OPERATION: Record<NamespaceType, OperationName> = {
  HTTP: 'UpdateHttpNamespace',
  DNS_PRIVATE: 'UpdatePrivateDnsNamespace',
  DNS_PUBLIC: 'UpdatePublicDnsNamespace',
}

interface CreateNamespaceInput {
  Name: string
  CreatorRequestId?: string
  Description?: string
  Vpc?: string
  Tags?: Tag[]
  Properties?: { DnsProperties?: { SOA?: { TTL?: number } } }
}

/** Namespaces that exist or are being created (an operation still SUBMITTED or PENDING). */
function knownNamespaces(state: RegistryState): NamespaceRecord[] {
  return [...Object.values(state.namespaces), ...pendingEffects(state, 'CreateNamespace').map((e) => e.Namespace)]
}

const lower = (s: string) => s.toLowerCase()

function createNamespace(state: RegistryState, ctx: HandlerContext, type: NamespaceType, input: CreateNamespaceInput): { OperationId: string } {
  // Lengths, patterns and the SOA TTL range were checked against the model (validate.ts).
  const tags = input.Tags ?? []
  checkTags(tags)
  checkTagCount(tags.length, `namespace ${input.Name}`)
  const op = CREATE_OPERATION[type]
  // CreatorRequestId makes a retry safe: the same request again returns the first operation; the id
  // reused for a different request is a DuplicateRequest.
  const token = input.CreatorRequestId === undefined ? undefined : `CreateNamespace:${input.CreatorRequestId}`
  const hash = requestHash({ op, ...input, CreatorRequestId: undefined })
  if (token !== undefined) {
    const prior = byRequestToken(state, token)
    if (prior) {
      if (prior.RequestHash === hash) return { OperationId: prior.Id }
      throw serviceError('DuplicateRequest', `CreatorRequestId ${input.CreatorRequestId} was already used for another request (operation ${prior.Id}); use a new CreatorRequestId for a different namespace.`)
    }
  }
  const known = knownNamespaces(state)
  const name = lower(input.Name)
  // Names are unique per kind: HTTP namespaces among HTTP ones, public DNS among public ones, private DNS
  // within one VPC. DNS namespaces may share a name otherwise (different VPCs, public and private).
  const clash = known.find((ns) => {
    if (lower(ns.Name) !== name) return false
    if (type === 'HTTP') return ns.Type === 'HTTP'
    if (type === 'DNS_PUBLIC') return ns.Type === 'DNS_PUBLIC'
    return ns.Type === 'DNS_PRIVATE' && ns.Vpc === input.Vpc
  })
  if (clash) {
    const where = type === 'DNS_PRIVATE' ? ` in VPC ${input.Vpc}` : ''
    throw serviceError('NamespaceAlreadyExists', `A ${type} namespace named ${input.Name} already exists${where}: ${clash.Id}. Choose another name or use the existing namespace.`)
  }
  if (known.length >= QUOTAS.namespacesPerRegion) {
    throw serviceError('ResourceLimitExceeded', `The account already has ${known.length} namespaces in ${ctx.region}, the Cloud Map quota (${QUOTAS.namespacesPerRegion}). Delete a namespace first.`)
  }
  if (type !== 'HTTP' && known.filter((ns) => ns.Type !== 'HTTP' && lower(ns.Name) === name).length >= QUOTAS.dnsNamespacesPerName) {
    throw serviceError('ResourceLimitExceeded', `At most ${QUOTAS.dnsNamespacesPerName} public and private DNS namespaces can share the name ${input.Name}.`)
  }
  const id = newResourceId(ctx, 'ns')
  const record: NamespaceRecord = {
    Id: id,
    Arn: arn(ctx, 'namespace', id),
    Name: input.Name,
    Type: type,
    HttpName: input.Name,
    CreateDate: ctx.now().toISOString(),
  }
  if (input.Description !== undefined) record.Description = input.Description
  if (input.CreatorRequestId !== undefined) record.CreatorRequestId = input.CreatorRequestId
  if (type !== 'HTTP') {
    record.HostedZoneId = newHostedZoneId(ctx)
    record.SoaTtl = input.Properties?.DnsProperties?.SOA?.TTL ?? DEFAULT_SOA_TTL
  }
  if (input.Vpc !== undefined) record.Vpc = input.Vpc
  // DiscoverInstances finds a namespace by HttpName, which must be unique: when the name is already some
  // namespace's HttpName, AWS adds a generated suffix to the new one's.
  if (known.some((ns) => lower(ns.HttpName) === name)) record.HttpName = `${input.Name.slice(0, 1015)}-${newResourceId(ctx, 'ns').slice(3, 11)}`
  const OperationId = submitOperation(state, ctx, {
    Type: 'CREATE_NAMESPACE',
    Targets: { NAMESPACE: id },
    NamespaceId: id,
    Effect: { Kind: 'CreateNamespace', Namespace: record, Tags: tags },
    RequestToken: token,
    RequestHash: hash,
  })
  return { OperationId }
}

interface NamespaceChange {
  Description?: string
  Properties?: { DnsProperties?: { SOA?: { TTL?: number } } }
}

function updateNamespace(state: RegistryState, ctx: HandlerContext, type: NamespaceType, input: { Id: string; UpdaterRequestId?: string; Namespace: NamespaceChange }): { OperationId: string } {
  const ns = findNamespace(state, input.Id)
  if (ns.Type !== type) {
    throw invalidInput(`Namespace ${ns.Id} is a ${ns.Type} namespace, not ${type}; update it with ${UPDATE_OPERATION[ns.Type]}.`)
  }
  const change = input.Namespace
  const ttl = change.Properties?.DnsProperties?.SOA?.TTL
  if (change.Description === undefined && ttl === undefined) {
    throw invalidInput('The namespace change is empty: give a Description, Properties.DnsProperties.SOA.TTL or both.')
  }
  const token = input.UpdaterRequestId === undefined ? undefined : `UpdateNamespace:${ns.Id}:${input.UpdaterRequestId}`
  const hash = requestHash({ type, change })
  if (token !== undefined) {
    const prior = byRequestToken(state, token)
    if (prior) {
      if (prior.RequestHash === hash) return { OperationId: prior.Id }
      throw serviceError('DuplicateRequest', `UpdaterRequestId ${input.UpdaterRequestId} was already used for another update of ${ns.Id} (operation ${prior.Id}); use a new UpdaterRequestId.`)
    }
  }
  const busy = inProgress(state, (op) => op.NamespaceId === ns.Id && (op.Type === 'UPDATE_NAMESPACE' || op.Type === 'DELETE_NAMESPACE'))
  if (busy) throw serviceError('DuplicateRequest', `Operation ${busy.Id} (${busy.Type}) on namespace ${ns.Id} is still in progress; wait for it to finish.`)
  const OperationId = submitOperation(state, ctx, {
    Type: 'UPDATE_NAMESPACE',
    Targets: { NAMESPACE: ns.Id },
    NamespaceId: ns.Id,
    Effect: { Kind: 'UpdateNamespace', NamespaceId: ns.Id, Description: change.Description, SoaTtl: ttl },
    RequestToken: token,
    RequestHash: hash,
  })
  return { OperationId }
}

function properties(ns: NamespaceRecord): NamespaceProperties {
  return {
    DnsProperties: ns.Type === 'HTTP' ? {} : { HostedZoneId: ns.HostedZoneId, SOA: { TTL: ns.SoaTtl ?? DEFAULT_SOA_TTL } },
    HttpProperties: { HttpName: ns.HttpName },
  }
}

export function serviceCount(state: RegistryState, namespaceId: string): number {
  return Object.values(state.services).filter((s) => s.NamespaceId === namespaceId).length
}

function summary(state: RegistryState, ns: NamespaceRecord, ctx: HandlerContext): NamespaceSummary {
  return {
    Id: ns.Id,
    Arn: ns.Arn,
    ResourceOwner: ctx.accountId,
    Name: ns.Name,
    Type: ns.Type,
    Description: ns.Description,
    ServiceCount: serviceCount(state, ns.Id),
    Properties: properties(ns),
    CreateDate: date(ns.CreateDate),
  }
}

const NAMESPACE_TYPES: readonly string[] = ['HTTP', 'DNS_PUBLIC', 'DNS_PRIVATE']
const OWNERS: readonly string[] = ['SELF', 'OTHER_ACCOUNTS']

/**
 * A NamespaceFilter as the API reference allows it: EQ (the default) for every name, BEGINS_WITH for
 * TYPE, NAME and HTTP_NAME, and IN for TYPE (documented by earlier model versions). Checked up front, so
 * a bad filter is rejected even when the page it would apply to is empty.
 */
function namespaceFilter(filter: NamespaceFilter): (ns: NamespaceRecord) => boolean {
  const condition = filter.Condition ?? 'EQ'
  const values = filter.Values
  switch (filter.Name) {
    case 'TYPE':
      filterValues('TYPE', condition, values, ['EQ', 'IN', 'BEGINS_WITH'])
      if (condition !== 'BEGINS_WITH') {
        const bad = values.find((v) => !NAMESPACE_TYPES.includes(v))
        if (bad !== undefined) throw invalidInput(`TYPE filter value ${bad} is not a namespace type; use ${NAMESPACE_TYPES.join(', ')}.`)
      }
      return condition === 'BEGINS_WITH' ? (ns) => ns.Type.startsWith(values[0]) : (ns) => values.includes(ns.Type)
    case 'NAME':
    case 'HTTP_NAME': {
      filterValues(filter.Name, condition, values, ['EQ', 'BEGINS_WITH'])
      const field = (ns: NamespaceRecord) => (filter.Name === 'NAME' ? ns.Name : ns.HttpName)
      return condition === 'BEGINS_WITH' ? (ns) => field(ns).startsWith(values[0]) : (ns) => field(ns) === values[0]
    }
    case 'RESOURCE_OWNER': {
      filterValues('RESOURCE_OWNER', condition, values, ['EQ'])
      if (!OWNERS.includes(values[0])) throw invalidInput(`RESOURCE_OWNER filter value ${values[0]} is not valid; use SELF or OTHER_ACCOUNTS.`)
      // Every namespace in the local registry belongs to its own account; none is shared with it.
      return () => values[0] === 'SELF'
    }
    default:
      throw invalidInput(`Unknown namespace filter ${String(filter.Name)}; use TYPE, NAME, HTTP_NAME or RESOURCE_OWNER.`)
  }
}

export const namespaceHandlers: HandlerTable<
  | 'CreateHttpNamespace'
  | 'CreatePrivateDnsNamespace'
  | 'CreatePublicDnsNamespace'
  | 'GetNamespace'
  | 'ListNamespaces'
  | 'DeleteNamespace'
  | 'UpdateHttpNamespace'
  | 'UpdatePrivateDnsNamespace'
  | 'UpdatePublicDnsNamespace'
> = {
  CreateHttpNamespace: (state, input, ctx) => createNamespace(state, ctx, 'HTTP', input),
  CreatePrivateDnsNamespace: (state, input, ctx) => createNamespace(state, ctx, 'DNS_PRIVATE', input),
  CreatePublicDnsNamespace: (state, input, ctx) => createNamespace(state, ctx, 'DNS_PUBLIC', input),

  UpdateHttpNamespace: (state, input, ctx) => updateNamespace(state, ctx, 'HTTP', input),
  UpdatePrivateDnsNamespace: (state, input, ctx) => updateNamespace(state, ctx, 'DNS_PRIVATE', input),
  UpdatePublicDnsNamespace: (state, input, ctx) => updateNamespace(state, ctx, 'DNS_PUBLIC', input),

  GetNamespace: (state, input, ctx) => {
    const ns = findNamespace(state, input.Id)
    return { Namespace: { ...summary(state, ns, ctx), CreatorRequestId: ns.CreatorRequestId } }
  },

  ListNamespaces: (state, input, ctx) => {
    const filters = (input.Filters ?? []).map(namespaceFilter)
    const { page, NextToken } = paginate(Object.values(state.namespaces), input.MaxResults, input.NextToken)
    return { Namespaces: page.filter((ns) => filters.every((f) => f(ns))).map((ns) => summary(state, ns, ctx)), NextToken }
  },

  DeleteNamespace: (state, input, ctx) => {
    const ns = findNamespace(state, input.Id)
    const busy = inProgress(state, (op) => op.NamespaceId === ns.Id && (op.Type === 'UPDATE_NAMESPACE' || op.Type === 'DELETE_NAMESPACE'))
    if (busy) throw serviceError('DuplicateRequest', `Operation ${busy.Id} (${busy.Type}) on namespace ${ns.Id} is still in progress; wait for it to finish.`)
    // AWS refuses to delete a namespace that still holds services (no cascade).
    const services = serviceCount(state, ns.Id)
    if (services > 0) throw serviceError('ResourceInUse', `Namespace ${ns.Id} still has ${services} service(s); delete them first.`)
    const OperationId = submitOperation(state, ctx, {
      Type: 'DELETE_NAMESPACE',
      Targets: { NAMESPACE: ns.Id },
      NamespaceId: ns.Id,
      Effect: { Kind: 'DeleteNamespace', NamespaceId: ns.Id },
    })
    return { OperationId }
  },
}
