import type { RegistryState } from '../../backends/local/state.js'
import { discoveryTarget } from '../../backends/local/handlers/discovery.js'
import type { Tag } from '../../model/api-types.js'
import type { OperationName } from '../../model/index.js'

/**
 * What IAM checks for each Cloud Map action, from the Service Authorization Reference (the table in
 * shared/reference/cloudmap-runtime.md §1, current page): the resource types the action is authorized on
 * (`service?`: optional) and the condition keys it supplies. An action with no resource type is checked
 * against `*`, and AWS names it `arn:aws:servicediscovery:REGION:ACCOUNT:*\/*` in denials.
 */
type ResourceType = 'namespace' | 'service' | 'service?'
type ConditionKey = 'RT' | 'RQ' | 'TK' | 'NA' | 'NN' | 'SN' | 'SA' | 'CB'

const ACTIONS: Record<OperationName, { resources: ResourceType[]; keys: ConditionKey[] }> = {
  CreateHttpNamespace: { resources: [], keys: ['RQ', 'TK'] },
  CreatePrivateDnsNamespace: { resources: [], keys: ['RQ', 'TK'] },
  CreatePublicDnsNamespace: { resources: [], keys: ['RQ', 'TK'] },
  CreateService: { resources: ['namespace', 'service'], keys: ['RQ', 'RT', 'TK', 'NA'] },
  DeleteNamespace: { resources: ['namespace'], keys: ['RT'] },
  DeleteService: { resources: ['service'], keys: ['RT', 'CB'] },
  DeleteServiceAttributes: { resources: ['service'], keys: ['RT', 'CB'] },
  DeregisterInstance: { resources: ['service'], keys: ['RT', 'SA', 'CB'] },
  DiscoverInstances: { resources: ['namespace', 'service'], keys: ['RT', 'NN', 'SN'] },
  DiscoverInstancesRevision: { resources: ['namespace', 'service'], keys: ['RT', 'NN', 'SN'] },
  GetInstance: { resources: ['service'], keys: ['RT', 'SA'] },
  GetInstancesHealthStatus: { resources: ['service'], keys: ['RT', 'SA'] },
  GetNamespace: { resources: ['namespace'], keys: ['RT'] },
  GetOperation: { resources: ['namespace', 'service?'], keys: ['RT'] },
  GetService: { resources: ['service'], keys: ['RT'] },
  GetServiceAttributes: { resources: ['service'], keys: ['RT'] },
  ListInstances: { resources: ['service'], keys: ['RT', 'SA'] },
  ListNamespaces: { resources: [], keys: [] },
  ListOperations: { resources: [], keys: [] },
  ListServices: { resources: [], keys: [] },
  ListTagsForResource: { resources: [], keys: [] },
  RegisterInstance: { resources: ['service'], keys: ['RT', 'SA', 'CB'] },
  TagResource: { resources: [], keys: ['RQ', 'TK'] },
  UntagResource: { resources: [], keys: ['TK'] },
  UpdateHttpNamespace: { resources: ['namespace'], keys: ['RT'] },
  UpdateInstanceCustomHealthStatus: { resources: ['service'], keys: ['RT', 'SA', 'CB'] },
  UpdatePrivateDnsNamespace: { resources: ['namespace'], keys: ['RT'] },
  UpdatePublicDnsNamespace: { resources: ['namespace'], keys: ['RT'] },
  UpdateService: { resources: ['service'], keys: ['RT', 'CB'] },
  UpdateServiceAttributes: { resources: ['service'], keys: ['RT', 'CB'] },
}

/** Every servicediscovery action a policy may name (lowercased), with the permission-only ones (RAM sharing). */
export const KNOWN_ACTIONS = new Set([...Object.keys(ACTIONS), 'DeleteResourcePolicy', 'GetResourcePolicy', 'PutResourcePolicy'].map((a) => a.toLowerCase()))

/** Read-only access (--read-only-auth): the Get*, List* and Discover* actions. */
export const READ_ONLY_ACTIONS = ['servicediscovery:Get*', 'servicediscovery:List*', 'servicediscovery:Discover*']

/** Whether authorizing the operation needs the registry's records (resource ARNs, tags, names). */
export function needsRegistry(op: OperationName): boolean {
  return ACTIONS[op].resources.length > 0
}

/** One authorization a request needs: an action on a resource, with the condition keys' values. */
export interface Check {
  action: string
  resource: string
  /** The ARN denials name (`…:*\/*` for an action without a resource type). */
  shownResource: string
  /** The request's own condition keys (lowercased names). */
  keys: Map<string, string | string[]>
  /** The resource's tags, for aws:ResourceTag/* (none for actions without that key). */
  resourceTags: readonly Tag[]
}

const NO_TAGS: readonly Tag[] = []

/**
 * The checks a call needs, as IAM would make them: its action on each resource type it lists, and for
 * the Create* operations with Tags also servicediscovery:TagResource (the SAR's "API operations" table
 * maps them to both; that AWS checks TagResource only when tags are sent is our reading, as for other
 * services' tag-on-create). Resources that don't exist are named by the id given (the call then fails
 * as it would unauthenticated, once it is allowed).
 */
export function checksFor(
  op: OperationName,
  input: Record<string, unknown>,
  state: RegistryState | undefined,
  where: { region: string; accountId: string },
): Check[] {
  const spec = ACTIONS[op]
  const arnPrefix = `arn:aws:servicediscovery:${where.region}:${where.accountId}:`
  const keys = new Map<string, string | string[]>()
  const tags = Array.isArray(input.Tags) ? (input.Tags as Tag[]).filter((t) => t && typeof t.Key === 'string') : undefined
  if (spec.keys.includes('RQ') && tags) for (const t of tags) keys.set(`aws:requesttag/${t.Key.toLowerCase()}`, String(t.Value))
  if (spec.keys.includes('TK')) {
    const tagKeys = op === 'UntagResource' ? (Array.isArray(input.TagKeys) ? input.TagKeys.map(String) : undefined) : tags?.map((t) => t.Key)
    if (tagKeys) keys.set('aws:tagkeys', tagKeys)
  }
  const resources: { arn: string; tags: Tag[] }[] = []
  const namespaceArn = (id: unknown) => {
    const text = String(id ?? '')
    return state?.namespaces[text]?.Arn ?? (text.startsWith('arn:') ? text : `${arnPrefix}namespace/${text || '*'}`)
  }
  const serviceArn = (id: unknown) => {
    const text = String(id ?? '')
    return state?.services[text]?.Arn ?? (text.startsWith('arn:') ? text : `${arnPrefix}service/${text || '*'}`)
  }
  const addResource = (arn: string) => resources.push({ arn, tags: state?.tags[arn] ?? [] })
  switch (op) {
    case 'CreateService': {
      const nsId = input.NamespaceId ?? (input.DnsConfig as { NamespaceId?: unknown } | undefined)?.NamespaceId
      const nsArn = namespaceArn(nsId)
      keys.set('servicediscovery:namespacearn', nsArn)
      addResource(nsArn)
      // The new service has no id yet: policies naming service/* (or *) match it.
      addResource(`${arnPrefix}service/*`)
      break
    }
    case 'DiscoverInstances':
    case 'DiscoverInstancesRevision': {
      const nsName = String(input.NamespaceName ?? '')
      const srvName = String(input.ServiceName ?? '')
      keys.set('servicediscovery:namespacename', nsName)
      keys.set('servicediscovery:servicename', srvName)
      const { ns, srv } = state ? discoveryTarget(state, nsName, srvName) : {}
      addResource(ns?.Arn ?? `${arnPrefix}namespace/*`)
      addResource(srv?.Arn ?? `${arnPrefix}service/*`)
      break
    }
    case 'GetOperation': {
      const operation = state?.operations.get(String(input.OperationId ?? ''))
      addResource(namespaceArn(operation?.Targets.NAMESPACE ?? operation?.NamespaceId))
      const srvId = operation?.Targets.SERVICE ?? operation?.ServiceId
      if (srvId) addResource(serviceArn(srvId))
      break
    }
    default:
      if (spec.resources[0] === 'namespace') addResource(namespaceArn(input.Id))
      else if (spec.resources[0] === 'service') {
        const arn = serviceArn(input.ServiceId ?? input.Id)
        if (spec.keys.includes('SA')) keys.set('servicediscovery:servicearn', arn)
        addResource(arn)
      }
  }
  if (spec.keys.includes('CB')) keys.set('servicediscovery:servicecreatedbyaccount', where.accountId)
  const action = `servicediscovery:${op}`
  const resourceTags = spec.keys.includes('RT')
  const checks: Check[] =
    resources.length === 0
      ? [{ action, resource: '*', shownResource: `${arnPrefix}*/*`, keys, resourceTags: NO_TAGS }]
      : resources.map((r) => ({ action, resource: r.arn, shownResource: r.arn, keys, resourceTags: resourceTags ? r.tags : NO_TAGS }))
  if (op.startsWith('Create') && tags && tags.length > 0) {
    checks.push({ action: 'servicediscovery:TagResource', resource: '*', shownResource: `${arnPrefix}*/*`, keys, resourceTags: NO_TAGS })
  }
  return checks
}
