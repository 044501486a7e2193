import { isIPv4, isIPv6 } from 'node:net'
import type { HealthKind, NamespaceType, RecordSet, RoutingPolicy } from './answers.js'

/**
 * What AWS Cloud Map accepts, as prompt validators: each returns true, or the reason AWS would refuse
 * the answer (shown under the prompt). Patterns and limits come from the API model
 * (src/model/servicediscovery.ts) and the CreateService / RegisterInstance references.
 */
export type Verdict = true | string

const HTTP_NAME = /^(?!arn:)[!-~]{1,1024}$/
const PRIVATE_DNS_NAME = /^(?!arn:)[!-~]{1,253}$/
const PUBLIC_DNS_NAME = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/
const SERVICE_NAME = /((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\.$)/
const INSTANCE_ID = /^[0-9a-zA-Z_/:.@-]+$/
const ATTR_KEY = /^[a-zA-Z0-9!-~]+$/
const ATTR_VALUE = /^([a-zA-Z0-9!-~][ \ta-zA-Z0-9!-~]*){0,1}[a-zA-Z0-9!-~]{0,1}$/
const HOST_NAME = /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\.)*[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\.?$/

export const MAX_TTL = 2147483647
export const MAX_CUSTOM_ATTRIBUTES = 30
export const MAX_ATTRIBUTE_CHARACTERS = 5000
export const RESERVED_ATTRIBUTES = ['AWS_ALIAS_DNS_NAME', 'AWS_EC2_INSTANCE_ID', 'AWS_INIT_HEALTH_STATUS', 'AWS_INSTANCE_CNAME', 'AWS_INSTANCE_IPV4', 'AWS_INSTANCE_IPV6', 'AWS_INSTANCE_PORT'] as const

/** An existing namespace, enough to tell whether a new name clashes (ListNamespaces). */
export interface ExistingNamespace {
  Id?: string
  Name?: string
  Type?: string
}

export function namespaceName(type: NamespaceType, existing: readonly ExistingNamespace[] = []) {
  return (value: string): Verdict => {
    if (value === '') return 'A namespace name is required.'
    if (value.startsWith('arn:')) return 'A namespace name cannot start with "arn:".'
    switch (type) {
      case 'HTTP':
        if (!HTTP_NAME.test(value)) return value.length > 1024 ? 'At most 1024 characters.' : 'Only printable ASCII characters, without spaces.'
        break
      case 'DNS_PRIVATE':
        if (!PRIVATE_DNS_NAME.test(value)) return value.length > 253 ? 'At most 253 characters.' : 'Only printable ASCII characters, without spaces.'
        break
      case 'DNS_PUBLIC':
        if (value.length > 253) return 'At most 253 characters.'
        if (!PUBLIC_DNS_NAME.test(value)) return 'A public DNS namespace is a domain name such as example.com: two or more labels of letters, digits and hyphens (not at either end), separated by dots.'
        break
    }
    // AWS compares names case-insensitively; HTTP names among HTTP namespaces, DNS names among DNS ones.
    const clash = existing.find((ns) => ns.Name?.toLowerCase() === value.toLowerCase() && (ns.Type === 'HTTP') === (type === 'HTTP'))
    if (clash) return `A namespace named ${clash.Name} already exists (${clash.Id}): choose another name.`
    return true
  }
}

/** What CreatePrivateDnsNamespace accepts as Vpc (ResourceId: up to 64 characters), no more, no less. */
export function vpcId(value: string): Verdict {
  if (value === '') return 'A private DNS namespace needs the id of the VPC it serves.'
  if (value.length > 64) return 'A VPC id is at most 64 characters.'
  return true
}

export function serviceName(type: NamespaceType, taken: readonly string[] = []) {
  return (value: string): Verdict => {
    if (value === '') return 'A service name is required.'
    if (value.length > 127) return 'At most 127 characters.'
    if (!SERVICE_NAME.test(value)) {
      return 'A service name is one or more DNS labels separated by dots: letters, digits, "-" and "_", up to 63 per label, not starting or ending with "-".'
    }
    // DNS namespaces compare service names case-insensitively, HTTP namespaces exactly.
    const same = (a: string) => (type === 'HTTP' ? a === value : a.toLowerCase() === value.toLowerCase())
    if (taken.some(same)) return `There is already a service named ${value} in this namespace.`
    return true
  }
}

/** The DNS record sets AWS accepts (DnsRecord: A, AAAA, A and AAAA, SRV, CNAME), or none. */
export function recordSetsFor(type: NamespaceType): RecordSet[] {
  return type === 'HTTP' ? ['NONE'] : ['A', 'AAAA', 'A+AAAA', 'SRV', 'CNAME', 'NONE']
}

export function recordTypes(set: RecordSet): ('A' | 'AAAA' | 'SRV' | 'CNAME')[] {
  return set === 'NONE' ? [] : set === 'A+AAAA' ? ['A', 'AAAA'] : [set]
}

export function ttl(value: string): Verdict {
  if (!/^\d+$/.test(value.trim())) return 'The TTL is a whole number of seconds.'
  const n = Number(value.trim())
  if (n > MAX_TTL) return `At most ${MAX_TTL} seconds.`
  return true
}

/** Routing policies AWS accepts for a record set: CNAME records only take WEIGHTED. */
export function routingPoliciesFor(set: RecordSet): RoutingPolicy[] {
  if (set === 'NONE') return []
  return set === 'CNAME' ? ['WEIGHTED'] : ['MULTIVALUE', 'WEIGHTED']
}

/**
 * Health checks AWS accepts, with the reason for the ones it refuses: Route 53 health checks only in
 * public DNS namespaces, on services with DNS records, and never with CNAME records.
 */
export function healthChecksFor(type: NamespaceType, set: RecordSet): { kind: HealthKind; refused?: string }[] {
  const route53 =
    type !== 'DNS_PUBLIC'
      ? 'Route 53 health checks need a public DNS namespace'
      : set === 'CNAME'
        ? 'AWS refuses Route 53 health checks with CNAME records'
        : set === 'NONE'
          ? 'Route 53 health checks need DNS records'
          : undefined
  return [
    { kind: 'none' },
    { kind: 'custom' },
    { kind: 'HTTP', refused: route53 },
    { kind: 'HTTPS', refused: route53 },
    { kind: 'TCP', refused: route53 },
  ]
}

export function resourcePath(value: string): Verdict {
  if (!value.startsWith('/')) return 'The path starts with "/", such as /health.'
  if (value.length > 255) return 'At most 255 characters.'
  if (/\s/.test(value)) return 'The path cannot contain spaces.'
  return true
}

export function failureThreshold(value: string): Verdict {
  if (!/^\d+$/.test(value.trim())) return 'A whole number from 1 to 10.'
  const n = Number(value.trim())
  return n >= 1 && n <= 10 ? true : 'Route 53 takes 1 to 10 consecutive checks.'
}

export function instanceId(taken: readonly string[] = []) {
  return (value: string): Verdict => {
    if (value === '') return 'An instance id is required.'
    if (value.length > 64) return 'At most 64 characters.'
    if (!INSTANCE_ID.test(value)) return 'Only letters, digits and _ / : . @ - are allowed.'
    if (taken.includes(value)) return `Instance ${value} is already in this service: registering it again would replace it.`
    return true
  }
}

/**
 * AWS_INSTANCE_IPV4: required by A records and (with an IPv6 address as the alternative) SRV records. It
 * must be an address only where it becomes a DNS record (`dns`): RegisterInstance takes any value else.
 */
export function ipv4(required: boolean, dns = true) {
  return (value: string): Verdict => {
    if (value === '') return required ? 'This service has A records: AWS requires an IPv4 address.' : true
    return !dns || isIPv4(value) ? true : `${value} is not an IPv4 address (such as 192.0.2.44).`
  }
}

/** AWS_INSTANCE_IPV6, as ipv4; `missing` says why an empty answer is refused (AAAA or SRV records). */
export function ipv6(required: boolean, dns = true, missing = 'This service has AAAA records: AWS requires an IPv6 address.') {
  return (value: string): Verdict => {
    if (value === '') return required ? missing : true
    return !dns || isIPv6(value) ? true : `${value} is not an IPv6 address (such as 2001:db8::44).`
  }
}

export const SRV_ADDRESS_MISSING = 'This service has an SRV record: AWS requires an IPv4 or IPv6 address.'

export function cname(value: string): Verdict {
  if (value === '') return 'This service has a CNAME record: AWS requires the domain name it points to.'
  if (!HOST_NAME.test(value)) return `${value} is not a domain name (such as example.com).`
  return true
}

export function port(required: boolean, why = 'This service has an SRV record or a health check') {
  return (value: string): Verdict => {
    if (value.trim() === '') return required ? `${why}: AWS requires a port.` : true
    if (!/^\d+$/.test(value.trim())) return 'A port is a whole number from 1 to 65535.'
    const n = Number(value.trim())
    return n >= 1 && n <= 65535 ? true : 'A port is a whole number from 1 to 65535.'
  }
}

/** One custom attribute typed as key=value; `current` are the custom attributes given so far. */
export function customAttribute(current: Readonly<Record<string, string>>, reservedInUse: Readonly<Record<string, string>> = {}) {
  return (value: string): Verdict => {
    if (value === '') return true
    const eq = value.indexOf('=')
    if (eq <= 0) return 'Type key=value (or nothing to finish).'
    const key = value.slice(0, eq)
    const v = value.slice(eq + 1)
    if (key.length > 255) return 'An attribute key has at most 255 characters.'
    if (!ATTR_KEY.test(key)) return 'An attribute key is printable ASCII without spaces.'
    if ((RESERVED_ATTRIBUTES as readonly string[]).includes(key)) return `${key} is reserved by AWS: the wizard sets it from its own questions.`
    if (v.length > 1024) return 'An attribute value has at most 1024 characters.'
    if (!ATTR_VALUE.test(v)) return 'An attribute value is printable ASCII; spaces only between other characters.'
    if (key in current) return `${key} is already set to "${current[key]}".`
    if (Object.keys(current).length >= MAX_CUSTOM_ATTRIBUTES) return `AWS allows at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`
    const all = { ...reservedInUse, ...current, [key]: v }
    const size = Object.entries(all).reduce((n, [k, x]) => n + k.length + x.length, 0)
    if (size > MAX_ATTRIBUTE_CHARACTERS) return `Attributes can total at most ${MAX_ATTRIBUTE_CHARACTERS} characters.`
    return true
  }
}

export function registryPath(value: string): Verdict {
  return value.trim() === '' ? 'Type the path of the registry file.' : true
}
