import type { NamespaceFilter, NamespaceProperties } from '../../../model/api-types.js'
import { serviceError } from '../../../registry/errors.js'
import type { HandlerContext } from '../context.js'
import { arn, newHostedZoneId, newResourceId } from '../context.js'
import type { NamespaceRecord, RegistryState } from '../state.js'
import type { HandlerTable } from './types.js'
import { date, findNamespace, invalidInput, paginate, recordOperation } from './common.js'

/** AWS Cloud Map's default SOA TTL (seconds) for DNS namespaces created without one. */
const DEFAULT_SOA_TTL = 15

// Name rules from the model: HTTP names are printable ASCII not starting with 'arn:'; public DNS names
// are host names; private DNS names follow the HTTP rule with a 253 limit.
const HTTP_NAME = /^(?!arn:)[!-~]{1,1024}$/
const PRIVATE_DNS_NAME = /^(?!arn:)[!-~]{1,253}$/
const PUBLIC_DNS_NAME = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/

interface CreateNamespaceInput {
  Name: string
  CreatorRequestId?: string
  Description?: string
  Vpc?: string
  Properties?: { DnsProperties?: { SOA?: { TTL?: number } } }
}

function createNamespace(state: RegistryState, ctx: HandlerContext, type: NamespaceRecord['Type'], input: CreateNamespaceInput): { OperationId: string } {
  const pattern = type === 'HTTP' ? HTTP_NAME : type === 'DNS_PRIVATE' ? PRIVATE_DNS_NAME : PUBLIC_DNS_NAME
  if (!pattern.test(input.Name) || input.Name.length > (type === 'HTTP' ? 1024 : 253)) {
    throw invalidInput(`Namespace name is not valid for a ${type} namespace: ${input.Name}`)
  }
  if (input.Description !== undefined && input.Description.length > 1024) throw invalidInput('Description must be at most 1024 characters.')
  const existing = Object.values(state.namespaces)
  // A retry with the same CreatorRequestId returns the original operation instead of a second namespace.
  if (input.CreatorRequestId !== undefined) {
    const same = existing.find((ns) => ns.CreatorRequestId === input.CreatorRequestId)
    if (same) {
      const op = Object.values(state.operations).find((o) => o.Type === 'CREATE_NAMESPACE' && o.Targets.NAMESPACE === same.Id)
      if (same.Name === input.Name && same.Type === type && op) return { OperationId: op.Id }
      throw serviceError('DuplicateRequest', `CreatorRequestId ${input.CreatorRequestId} was already used for namespace ${same.Id}.`)
    }
  }
  const clash = existing.find((ns) => ns.Name.toLowerCase() === input.Name.toLowerCase() && (type !== 'DNS_PRIVATE' || ns.Vpc === input.Vpc) && (ns.Type === 'HTTP') === (type === 'HTTP'))
  if (clash) throw serviceError('NamespaceAlreadyExists', `A namespace named ${input.Name} already exists: ${clash.Id}`)
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
  state.namespaces[id] = record
  return { OperationId: recordOperation(state, ctx, 'CREATE_NAMESPACE', { NAMESPACE: id }) }
}

function properties(ns: NamespaceRecord): NamespaceProperties {
  return {
    DnsProperties: ns.Type === 'HTTP' ? {} : { HostedZoneId: ns.HostedZoneId, SOA: { TTL: ns.SoaTtl ?? DEFAULT_SOA_TTL } },
    HttpProperties: { HttpName: ns.HttpName },
  }
}

function serviceCount(state: RegistryState, namespaceId: string): number {
  return Object.values(state.services).filter((s) => s.NamespaceId === namespaceId).length
}

function matchesFilter(ns: NamespaceRecord, filter: NamespaceFilter, ctx: HandlerContext): boolean {
  const value = { TYPE: ns.Type, NAME: ns.Name, HTTP_NAME: ns.HttpName, RESOURCE_OWNER: 'SELF' }[filter.Name] ?? ''
  const condition = filter.Condition ?? 'EQ'
  if (filter.Name === 'RESOURCE_OWNER') return filter.Values.includes('SELF') || filter.Values.includes(ctx.accountId)
  switch (condition) {
    case 'EQ':
      if (filter.Values.length !== 1) throw invalidInput('EQ takes exactly one value.')
      return value === filter.Values[0]
    case 'IN':
      return filter.Values.includes(value)
    case 'BEGINS_WITH':
      if (filter.Values.length !== 1) throw invalidInput('BEGINS_WITH takes exactly one value.')
      return value.startsWith(filter.Values[0])
    default:
      throw invalidInput(`Condition ${condition} is not supported for namespace filters.`)
  }
}

export const namespaceHandlers: HandlerTable<
  'CreateHttpNamespace' | 'CreatePrivateDnsNamespace' | 'CreatePublicDnsNamespace' | 'GetNamespace' | 'ListNamespaces' | 'DeleteNamespace'
> = {
  CreateHttpNamespace: (state, input, ctx) => createNamespace(state, ctx, 'HTTP', input),
  CreatePrivateDnsNamespace: (state, input, ctx) => createNamespace(state, ctx, 'DNS_PRIVATE', input),
  CreatePublicDnsNamespace: (state, input, ctx) => createNamespace(state, ctx, 'DNS_PUBLIC', input),

  GetNamespace: (state, input, ctx) => {
    const ns = findNamespace(state, input.Id)
    return {
      Namespace: {
        Id: ns.Id,
        Arn: ns.Arn,
        ResourceOwner: ctx.accountId,
        Name: ns.Name,
        Type: ns.Type,
        Description: ns.Description,
        ServiceCount: serviceCount(state, ns.Id),
        Properties: properties(ns),
        CreateDate: date(ns.CreateDate),
        CreatorRequestId: ns.CreatorRequestId,
      },
    }
  },

  ListNamespaces: (state, input, ctx) => {
    const filters = input.Filters ?? []
    const matching = Object.values(state.namespaces).filter((ns) => filters.every((f) => matchesFilter(ns, f, ctx)))
    const { page, NextToken } = paginate(matching, input.MaxResults, input.NextToken)
    return {
      Namespaces: page.map((ns) => ({
        Id: ns.Id,
        Arn: ns.Arn,
        ResourceOwner: ctx.accountId,
        Name: ns.Name,
        Type: ns.Type,
        Description: ns.Description,
        ServiceCount: serviceCount(state, ns.Id),
        Properties: properties(ns),
        CreateDate: date(ns.CreateDate),
      })),
      NextToken,
    }
  },

  DeleteNamespace: (state, input, ctx) => {
    const ns = findNamespace(state, input.Id)
    // AWS refuses to delete a namespace that still holds services (no cascade).
    if (serviceCount(state, ns.Id) > 0) throw serviceError('ResourceInUse', `Namespace ${ns.Id} still has services; delete them first.`)
    delete state.namespaces[ns.Id]
    delete state.tags[ns.Arn]
    return { OperationId: recordOperation(state, ctx, 'DELETE_NAMESPACE', { NAMESPACE: ns.Id }) }
  },
}
