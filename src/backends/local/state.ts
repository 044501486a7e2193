import type { DnsConfig, HealthCheckConfig, HealthCheckCustomConfig, NamespaceType, OperationStatus, OperationType, ServiceTypeOption, Tag } from '../../model/api-types.js'

/** Version of the registry file layout; a file with a newer one is refused, never rewritten. */
export const SCHEMA_VERSION = 1

/** Timestamps are stored as ISO-8601 UTC strings with milliseconds (AWS's precision), ids as AWS shapes them. */
export interface NamespaceRecord {
  Id: string
  Arn: string
  Name: string
  Type: NamespaceType
  Description?: string
  /**
   * The name DiscoverInstances takes; kept apart from Name as AWS does: equal to Name unless another
   * namespace already uses that HttpName, in which case AWS adds a generated suffix.
   */
  HttpName: string
  HostedZoneId?: string
  SoaTtl?: number
  Vpc?: string
  CreateDate: string
  CreatorRequestId?: string
}

export interface ServiceRecord {
  Id: string
  Arn: string
  Name: string
  NamespaceId: string
  Description?: string
  Type: 'HTTP' | 'DNS_HTTP' | 'DNS' | ServiceTypeOption
  DnsConfig?: DnsConfig
  HealthCheckConfig?: HealthCheckConfig
  HealthCheckCustomConfig?: HealthCheckCustomConfig
  CreateDate: string
  CreatorRequestId?: string
  /** Hash of the CreateService request, so a retry with the same CreatorRequestId is recognised. */
  RequestHash?: string
  /** Decimal digits of a 64-bit counter, strictly increasing on every register and deregister. */
  InstancesRevision: string
  /** Service-level attributes (UpdateServiceAttributes), at most 30 keys. */
  Attributes?: Record<string, string>
}

export interface InstanceRecord {
  Id: string
  CreatorRequestId?: string
  Attributes: Record<string, string>
  /** Custom health status (services with HealthCheckCustomConfig), from AWS_INIT_HEALTH_STATUS or updates. */
  CustomHealthStatus?: 'HEALTHY' | 'UNHEALTHY'
}

/**
 * What an asynchronous operation does when it completes. With no simulated delay it is applied at once;
 * with one, it waits in the operation record until the clock passes CompleteAt.
 */
export type OperationEffect =
  | { Kind: 'CreateNamespace'; Namespace: NamespaceRecord; Tags: Tag[] }
  | { Kind: 'DeleteNamespace'; NamespaceId: string }
  | { Kind: 'UpdateNamespace'; NamespaceId: string; Description?: string; SoaTtl?: number }
  | {
      Kind: 'UpdateService'
      ServiceId: string
      /** The service's settings after the update (absent members are removed). */
      Description?: string
      DnsConfig?: DnsConfig
      HealthCheckConfig?: HealthCheckConfig
      Type: ServiceRecord['Type']
    }
  | { Kind: 'RegisterInstance'; ServiceId: string; Instance: InstanceRecord; InitialHealth?: 'HEALTHY' | 'UNHEALTHY' }
  | { Kind: 'DeregisterInstance'; ServiceId: string; InstanceId: string }

export interface OperationRecord {
  Id: string
  Type: OperationType
  Status: OperationStatus
  ErrorMessage?: string
  ErrorCode?: string
  CreateDate: string
  UpdateDate: string
  Targets: Record<string, string>
  /** Namespace and service the operation concerns (ListOperations NAMESPACE_ID / SERVICE_ID filters). */
  NamespaceId?: string
  ServiceId?: string
  /** Idempotency: the scoped request token (CreatorRequestId / UpdaterRequestId) and a hash of the request. */
  RequestToken?: string
  RequestHash?: string
  /** Simulated latency: when the status turns PENDING and when the operation completes. */
  PendingAt?: string
  CompleteAt?: string
  /** The effect still to apply, while the operation is SUBMITTED or PENDING. */
  Effect?: OperationEffect
}

export interface RegistryState {
  schemaVersion: number
  namespaces: Record<string, NamespaceRecord>
  services: Record<string, ServiceRecord>
  /** serviceId -> instanceId -> instance */
  instances: Record<string, Record<string, InstanceRecord>>
  operations: Record<string, OperationRecord>
  /** resource ARN -> tags */
  tags: Record<string, Tag[]>
  /** Count of writes, used to derive ids when CLOUDMAP_SEED makes them reproducible. */
  sequence: number
}

export function emptyState(): RegistryState {
  return { schemaVersion: SCHEMA_VERSION, namespaces: {}, services: {}, instances: {}, operations: {}, tags: {}, sequence: 0 }
}
