import type { DnsConfig, HealthCheckConfig, HealthCheckCustomConfig, NamespaceType, OperationStatus, OperationType, ServiceTypeOption, Tag } from '../../model/api-types.js'

/**
 * Version of the registry layout. 1: everything in one JSON file. 2: the registry file holds namespaces,
 * services and tags; instances and operations live in shards beside it (store/paths.ts). A registry with
 * a newer version is refused, never rewritten; an older one is migrated on its first write.
 */
export const SCHEMA_VERSION = 2

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
  /**
   * How many instances the service's shard holds (absent: none). Kept by the store whenever it saves the
   * shard, so that listing services and counting a namespace's instances need not open every shard.
   */
  InstanceCount?: number
}

export interface InstanceRecord {
  Id: string
  CreatorRequestId?: string
  Attributes: Record<string, string>
  /** Custom health status (services with HealthCheckCustomConfig), from AWS_INIT_HEALTH_STATUS or updates. */
  CustomHealthStatus?: 'HEALTHY' | 'UNHEALTHY'
  /**
   * Route 53 health check status (services with HealthCheckConfig) as `cloudmap serve` last probed it,
   * and when it last changed. Absent until a probe changes it: a new Route 53 health check counts as
   * healthy until it has data. Written only when the status changes (src/serve/health/).
   */
  HealthCheckStatus?: ProbedHealthStatus
}

/** A probed status and the time it took that value (ISO-8601 UTC). Built in this key order. */
export interface ProbedHealthStatus {
  Status: 'HEALTHY' | 'UNHEALTHY'
  ChangedAt: string
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
  /** Position among all operations of the registry (ListOperations order); set by the store. */
  Seq?: number
}

/**
 * The instances of every service, by service id. A service's instances are read from its shard on first
 * use, so a call that touches one service reads one shard; changes are saved with the call.
 */
export interface InstanceShards {
  /** instanceId -> instance for the service (an empty record when it has none); mutate it to change them. */
  of(serviceId: string): Record<string, InstanceRecord>
  /** How many instances the service has, without reading its shard when it has not been read. */
  count(serviceId: string): number
  /** Forget the instances of a deleted service (its shard is removed with the call). */
  drop(serviceId: string): void
}

/**
 * Every operation ever submitted. They accumulate (each RegisterInstance adds one), so they are stored
 * in shards by id and only the ones a call needs are read: one by id, the waiting ones (indexed in the
 * registry file), those of one request token (indexed by token); all of them only for ListOperations.
 */
export interface OperationLog {
  get(id: string): OperationRecord | undefined
  /** Record a new operation (it gets the next Seq); mutate the returned record to change it later. */
  add(op: OperationRecord): void
  /** All operations in submission order. Reads every operation shard: ListOperations only. */
  all(): OperationRecord[]
  /** Operations still SUBMITTED or PENDING (with an Effect to apply), in submission order. */
  waiting(): OperationRecord[]
  /** Operations submitted with this scoped request token, in submission order. */
  withToken(token: string): OperationRecord[]
}

/** What handlers see and change: the registry file's records, and the sharded instances and operations. */
export interface RegistryState {
  schemaVersion: number
  namespaces: Record<string, NamespaceRecord>
  services: Record<string, ServiceRecord>
  /** serviceId -> instanceId -> instance */
  instances: InstanceShards
  operations: OperationLog
  /** resource ARN -> tags */
  tags: Record<string, Tag[]>
  /** Count of writes, used to derive ids when CLOUDMAP_SEED makes them reproducible. */
  sequence: number
}
