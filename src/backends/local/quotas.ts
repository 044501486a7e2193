/**
 * AWS Cloud Map's default quotas and documented limits (Cloud Map quotas page and the API reference),
 * enforced by the local registry so that what works locally also fits in a real account.
 */
export const QUOTAS = {
  /** Namespaces per account and Region (adjustable in AWS). */
  namespacesPerRegion: 50,
  /** Public and private DNS namespaces that share one DNS name. */
  dnsNamespacesPerName: 8,
  /** Instances per namespace (adjustable in AWS). */
  instancesPerNamespace: 2000,
  /** Instances per service (not adjustable). */
  instancesPerService: 1000,
  /** Custom (non-AWS_) attributes per instance. */
  customAttributesPerInstance: 30,
  /** Sum of the lengths of all keys and values of an instance's attributes. */
  attributeCharactersPerInstance: 5000,
  /** Tags per resource (TooManyTagsException). */
  tagsPerResource: 50,
  /** Service attributes per service (ServiceAttributesLimitExceededException). */
  attributesPerService: 30,
} as const
