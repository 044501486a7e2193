import { Ajv, type ErrorObject } from 'ajv'
import { checkAttributes } from '../backends/local/handlers/instances.js'
import { checkDnsRecords, checkHealthCheck } from '../backends/local/handlers/services.js'
import { checkTags } from '../backends/local/handlers/common.js'
import { QUOTAS } from '../backends/local/quotas.js'
import type { NamespaceRecord, ServiceRecord } from '../backends/local/state.js'
import { validateInput } from '../backends/local/validate.js'
import type { NamespaceType } from '../model/api-types.js'
import type { OperationName } from '../model/index.js'
import type { DocumentProblem, NamespaceDoc, ParsedText, RegistryDocument, ServiceDoc } from './document.js'
import { DocumentError, documentPath, loadSchema, parseText } from './document.js'

// Placeholders where a request needs an id the backend has not given yet: they satisfy the model's patterns.
const NAMESPACE_ID = 'ns-0000000000000000'
const SERVICE_ID = 'srv-0000000000000000'
const ARN = 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-0000000000000000'

/**
 * Read a document and check all of it before anything is changed: YAML/JSON syntax and duplicate names,
 * the JSON Schema (unknown keys, types), then what AWS would refuse — every request apply would send is
 * checked against the API model and Cloud Map's rules (the local registry's own checks, one rule in one
 * place), names that clash, and quotas. Every problem is reported with its path in the document.
 */
export function readDocument(text: string, source: string): RegistryDocument {
  const parsed = parseText(text, source)
  const problems = schemaProblems(parsed)
  if (problems.length === 0) problems.push(...awsProblems(parsed.value as RegistryDocument, parsed))
  if (problems.length > 0) throw new DocumentError(source, problems)
  return parsed.value as RegistryDocument
}

let compiled: ReturnType<Ajv['compile']> | undefined

function schemaProblems(parsed: ParsedText): DocumentProblem[] {
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(loadSchema())
  if (compiled(parsed.value)) return []
  const seen = new Set<string>()
  const problems: DocumentProblem[] = []
  for (const e of compiled.errors ?? []) {
    const segments = pointerSegments(e.instancePath, parsed.value)
    const problem = schemaProblem(e, segments)
    const key = `${problem.path}\0${problem.reason}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push({ ...problem, line: parsed.lineOf(segments) })
  }
  return problems
}

/** A JSON pointer as path segments: indexes of lists as numbers, keys of maps as strings. */
function pointerSegments(pointer: string, value: unknown): (string | number)[] {
  if (pointer === '') return []
  let node = value
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
      const segment = Array.isArray(node) ? Number(key) : key
      node = (node as Record<string | number, unknown> | undefined)?.[segment]
      return segment
    })
}

function schemaProblem(e: ErrorObject, segments: (string | number)[]): { path: string; reason: string } {
  const params = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: documentPath([...segments, String(params.additionalProperty)]), reason: `unknown key "${String(params.additionalProperty)}"` }
    case 'required':
      return { path: documentPath(segments), reason: `${String(params.missingProperty)} is required` }
    case 'enum':
      return { path: documentPath(segments), reason: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` }
    case 'propertyNames':
      return { path: documentPath([...segments, String(params.propertyName)]), reason: 'this name is not allowed (empty or too long)' }
    default:
      return { path: documentPath(segments), reason: e.message ?? e.keyword }
  }
}

/** The problems of a schema-valid document that AWS would refuse. */
function awsProblems(doc: RegistryDocument, parsed: ParsedText): DocumentProblem[] {
  const problems: DocumentProblem[] = []
  const at = (segments: (string | number)[], reason: string) => problems.push({ path: documentPath(segments), line: parsed.lineOf(segments), reason })
  const check = (segments: (string | number)[], fn: () => void) => {
    try {
      fn()
    } catch (error) {
      at(segments, (error as Error).message)
    }
  }
  const request = (segments: (string | number)[], op: OperationName, input: unknown) => check(segments, () => validateInput(op, input))

  const namespaces = Object.entries(doc.Namespaces)
  if (namespaces.length > QUOTAS.namespacesPerRegion) at(['Namespaces'], `${namespaces.length} namespaces; an account has at most ${QUOTAS.namespacesPerRegion} per Region`)
  for (const [nsName, ns] of namespaces) {
    const nsPath = ['Namespaces', nsName]
    const { op, input } = createNamespaceRequest(nsName, ns)
    request(nsPath, op, input)
    if (ns.Type !== 'DNS_PRIVATE' && ns.Vpc !== undefined) at([...nsPath, 'Vpc'], 'only DNS_PRIVATE namespaces have a VPC')
    if (ns.Type === 'HTTP' && ns.Properties !== undefined) at([...nsPath, 'Properties'], 'HTTP namespaces have no DNS properties (SOA)')
    tagProblems([...nsPath, 'Tags'], ns.Tags, at, check, request)
    const record = { Id: nsName, Name: nsName, Type: ns.Type } as NamespaceRecord
    const services = Object.entries(ns.Services ?? {})
    let instances = 0
    const seen = new Map<string, string>()
    for (const [svcName, svc] of services) {
      const svcPath = [...nsPath, 'Services', svcName]
      // Services reachable by DNS can't differ only by case (DNS names are case-insensitive).
      const folded = ns.Type === 'HTTP' ? svcName : svcName.toLowerCase()
      const clash = seen.get(folded)
      if (clash !== undefined) at(svcPath, `a DNS namespace can't have both ${clash} and ${svcName}: service names differ only by case`)
      seen.set(folded, svcName)
      serviceProblems(svcPath, record, svcName, svc, at, check, request)
      tagProblems([...svcPath, 'Tags'], svc.Tags, at, check, request)
      const ids = Object.keys(svc.Instances ?? {})
      instances += ids.length
      if (ids.length > QUOTAS.instancesPerService) at([...svcPath, 'Instances'], `${ids.length} instances; a service has at most ${QUOTAS.instancesPerService}`)
      const srvRecord = { Id: svcName, Name: svcName, NamespaceId: nsName, Type: 'HTTP', DnsConfig: svc.DnsConfig, HealthCheckConfig: svc.HealthCheckConfig } as ServiceRecord
      for (const [id, attributes] of Object.entries(svc.Instances ?? {})) {
        const path = [...svcPath, 'Instances', id]
        request(path, 'RegisterInstance', { ServiceId: SERVICE_ID, InstanceId: id, Attributes: attributes })
        check(path, () => checkAttributes(srvRecord, record, attributes))
      }
    }
    if (instances > QUOTAS.instancesPerNamespace) at([...nsPath, 'Services'], `${instances} instances; a namespace has at most ${QUOTAS.instancesPerNamespace}`)
  }
  return problems
}

type At = (segments: (string | number)[], reason: string) => void
type Check = (segments: (string | number)[], fn: () => void) => void
type Request = (segments: (string | number)[], op: OperationName, input: unknown) => void

function tagProblems(path: (string | number)[], tags: Record<string, string> | undefined, at: At, check: Check, request: Request): void {
  if (tags === undefined || Object.keys(tags).length === 0) return
  const list = toTagList(tags)
  request(path, 'TagResource', { ResourceARN: ARN, Tags: list })
  check(path, () => checkTags(list))
  if (list.length > QUOTAS.tagsPerResource) at(path, `${list.length} tags; a resource has at most ${QUOTAS.tagsPerResource}`)
}

function serviceProblems(path: (string | number)[], ns: NamespaceRecord, name: string, svc: ServiceDoc, at: At, check: Check, request: Request): void {
  request(path, 'CreateService', createServiceRequest(name, svc, ns.Type, NAMESPACE_ID))
  if (svc.DnsConfig) {
    if (ns.Type === 'HTTP') at([...path, 'DnsConfig'], 'services in HTTP namespaces have no DNS records')
    else check([...path, 'DnsConfig'], () => checkDnsRecords(svc.DnsConfig!.DnsRecords, svc.DnsConfig!.RoutingPolicy ?? 'MULTIVALUE', svc.HealthCheckConfig))
  }
  if (svc.HealthCheckConfig) check([...path, 'HealthCheckConfig'], () => checkHealthCheck(ns, svc.HealthCheckConfig!, svc.HealthCheckCustomConfig !== undefined))
  const attributes = Object.keys(svc.Attributes ?? {})
  if (attributes.length > 0) request([...path, 'Attributes'], 'UpdateServiceAttributes', { ServiceId: SERVICE_ID, Attributes: svc.Attributes })
}

export function toTagList(tags: Record<string, string> | undefined): { Key: string; Value: string }[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }))
}

/** The request that creates a namespace of the document. */
export function createNamespaceRequest(name: string, ns: NamespaceDoc): { op: 'CreateHttpNamespace' | 'CreatePublicDnsNamespace' | 'CreatePrivateDnsNamespace'; input: Record<string, unknown> } {
  const common: Record<string, unknown> = { Name: name }
  if (ns.Description !== undefined) common.Description = ns.Description
  const tags = toTagList(ns.Tags)
  if (tags.length > 0) common.Tags = tags
  if (ns.Properties) common.Properties = { DnsProperties: { SOA: { TTL: ns.Properties.DnsProperties.SOA.TTL } } }
  switch (ns.Type) {
    case 'HTTP':
      return { op: 'CreateHttpNamespace', input: common }
    case 'DNS_PUBLIC':
      return { op: 'CreatePublicDnsNamespace', input: common }
    case 'DNS_PRIVATE':
      return { op: 'CreatePrivateDnsNamespace', input: { ...common, Vpc: ns.Vpc ?? 'vpc-unknown' } }
  }
}

/** The request that creates a service of the document. */
export function createServiceRequest(name: string, svc: ServiceDoc, namespaceType: NamespaceType, namespaceId: string): Record<string, unknown> {
  const input: Record<string, unknown> = { Name: name, NamespaceId: namespaceId }
  if (svc.Description !== undefined) input.Description = svc.Description
  if (svc.DnsConfig) input.DnsConfig = { RoutingPolicy: svc.DnsConfig.RoutingPolicy ?? 'MULTIVALUE', DnsRecords: svc.DnsConfig.DnsRecords }
  // A service without DNS records in a DNS namespace is discovered through the API only (Type HTTP).
  else if (namespaceType !== 'HTTP') input.Type = 'HTTP'
  if (svc.HealthCheckConfig) input.HealthCheckConfig = svc.HealthCheckConfig
  if (svc.HealthCheckCustomConfig) input.HealthCheckCustomConfig = svc.HealthCheckCustomConfig
  const tags = toTagList(svc.Tags)
  if (tags.length > 0) input.Tags = tags
  return input
}
