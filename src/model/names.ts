/**
 * botocore's xform_name with '-' (the only place names change case):
 * 'CreateService' -> 'create-service', 'ResourceARN' -> 'resource-arn', 'TTL' -> 'ttl'.
 */
export function xformName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
}
