/** Everything `cloudmap init` asks, as plain data: filled by prompts, by flags (--yes), or by both. */

export type NamespaceType = 'HTTP' | 'DNS_PRIVATE' | 'DNS_PUBLIC'
export type RecordSet = 'A' | 'AAAA' | 'A+AAAA' | 'SRV' | 'CNAME' | 'NONE'
export type RoutingPolicy = 'MULTIVALUE' | 'WEIGHTED'
export type HealthKind = 'none' | 'custom' | 'HTTP' | 'HTTPS' | 'TCP'

/** Keys moto and LocalStack accept (any keys do): offered by init for a local endpoint when none are configured. */
export const TEST_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' } as const

export type BackendAnswer =
  | { kind: 'local'; registryPath: string }
  | {
      kind: 'remote'
      endpointUrl: string
      region: string
      profile?: string
      /** Requests go unsigned (--no-sign-request): a local `cloudmap serve` without --auth. */
      noSignRequest?: boolean
      /** The test keys (test / test) that moto and LocalStack accept, when no credentials are configured. */
      testKeys?: boolean
    }

export interface NamespaceAnswer {
  type: NamespaceType
  name: string
  /** Private DNS namespaces only. */
  vpc?: string
}

export interface ServiceAnswer {
  name: string
  records: RecordSet
  /** Seconds; with DNS records only. */
  ttl?: number
  routingPolicy?: RoutingPolicy
  health: HealthKind
  /** HTTP and HTTPS Route 53 health checks. */
  resourcePath?: string
  /** Route 53 health checks. */
  failureThreshold?: number
}

export interface InstanceAnswer {
  /** The service's name. */
  service: string
  id: string
  ipv4?: string
  ipv6?: string
  cname?: string
  port?: number
  /** Custom attributes only (the AWS_ ones come from the fields above). */
  attributes: Record<string, string>
}

export interface WizardAnswers {
  backend: BackendAnswer
  namespace: NamespaceAnswer
  services: ServiceAnswer[]
  instances: InstanceAnswer[]
  /** Remember the backend in this configured profile after a successful run. */
  saveProfile?: string
}

export const NAMESPACE_TYPES: readonly NamespaceType[] = ['HTTP', 'DNS_PRIVATE', 'DNS_PUBLIC']
export const HEALTH_KINDS: readonly HealthKind[] = ['none', 'custom', 'HTTP', 'HTTPS', 'TCP']
export const RECORD_SETS: readonly RecordSet[] = ['A', 'AAAA', 'A+AAAA', 'SRV', 'CNAME', 'NONE']

/** Which instance attributes a service requires (RegisterInstance reference). */
export function instanceNeeds(service: ServiceAnswer): { ipv4: boolean; ipv6: boolean; eitherIp: boolean; cname: boolean; port: boolean } {
  const r = service.records
  return {
    ipv4: r === 'A' || r === 'A+AAAA',
    ipv6: r === 'AAAA' || r === 'A+AAAA',
    eitherIp: r === 'SRV',
    cname: r === 'CNAME',
    port: r === 'SRV' || service.health === 'HTTP' || service.health === 'HTTPS' || service.health === 'TCP',
  }
}

/** The AWS_ attributes and custom attributes of an instance, in the order RegisterInstance gets them. */
export function instanceAttributes(instance: InstanceAnswer): Record<string, string> {
  const attributes: Record<string, string> = {}
  if (instance.ipv4 !== undefined) attributes.AWS_INSTANCE_IPV4 = instance.ipv4
  if (instance.ipv6 !== undefined) attributes.AWS_INSTANCE_IPV6 = instance.ipv6
  if (instance.cname !== undefined) attributes.AWS_INSTANCE_CNAME = instance.cname
  if (instance.port !== undefined) attributes.AWS_INSTANCE_PORT = String(instance.port)
  return { ...attributes, ...instance.attributes }
}
