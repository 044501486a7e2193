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
  /** The name DiscoverInstances takes; kept apart from Name as AWS does. */
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
  /** Decimal digits of a 64-bit counter, strictly increasing on every register and deregister. */
  InstancesRevision: string
}

export interface InstanceRecord {
  Id: string
  CreatorRequestId?: string
  Attributes: Record<string, string>
  /** Custom health status (services with HealthCheckCustomConfig), from AWS_INIT_HEALTH_STATUS or updates. */
  CustomHealthStatus?: 'HEALTHY' | 'UNHEALTHY'
}

export interface OperationRecord {
  Id: string
  Type: OperationType
  Status: OperationStatus
  ErrorMessage?: string
  ErrorCode?: string
  CreateDate: string
  UpdateDate: string
  Targets: Record<string, string>
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
