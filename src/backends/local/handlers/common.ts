import { createHash } from 'node:crypto'
import type { Tag } from '../../../model/api-types.js'
import type { CloudmapError } from '../../../registry/errors.js'
import { serviceError } from '../../../registry/errors.js'
import { QUOTAS } from '../quotas.js'
import type { NamespaceRecord, RegistryState, ServiceRecord } from '../state.js'

/** AWS accepts an id or an ARN wherever it takes a namespace or service id; the id is the ARN's last part. */
export function idFromIdOrArn(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value
}

/** The record with this id, or with this ARN (which must be the record's own: same kind, Region and account). */
function lookup<T extends { Arn: string }>(records: Record<string, T>, idOrArn: string): T | undefined {
  const record = records[idFromIdOrArn(idOrArn)]
  return record && (!idOrArn.startsWith('arn:') || record.Arn === idOrArn) ? record : undefined
}

export function findNamespace(state: RegistryState, idOrArn: string): NamespaceRecord {
  const ns = lookup(state.namespaces, idOrArn)
  if (!ns) throw serviceError('NamespaceNotFound', `Namespace not found: ${idOrArn}`)
  return ns
}

export function findService(state: RegistryState, idOrArn: string): ServiceRecord {
  const srv = lookup(state.services, idOrArn)
  if (!srv) throw serviceError('ServiceNotFound', `Service not found: ${idOrArn}`)
  return srv
}

export function invalidInput(message: string): CloudmapError {
  return serviceError('InvalidInput', message)
}

/** ISO string in the registry -> Date for the output (the CLI renders it in local time). */
export function date(iso: string): Date {
  return new Date(iso)
}

/** A stable digest of a request, to tell a retry (same token, same request) from a reuse of the token. */
export function requestHash(request: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (typeof value === 'bigint') return value.toString()
    if (Array.isArray(value)) return value.map(canonical)
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
    }
    return value
  }
  return createHash('sha256').update(JSON.stringify(canonical(request))).digest('hex')
}

/** DNS names compare case-insensitively; HTTP-only names exactly. */
export function sameName(a: string, b: string, dns: boolean): boolean {
  return dns ? a.toLowerCase() === b.toLowerCase() : a === b
}

/**
 * Tags given to a create operation or TagResource (lengths were checked against the model): keys unique
 * within the request, and the `aws:` prefix reserved for AWS.
 */
export function checkTags(tags: readonly Tag[]): void {
  const seen = new Set<string>()
  for (const tag of tags) {
    if (seen.has(tag.Key)) throw invalidInput(`Tag key ${tag.Key} appears more than once in the request; give each key once.`)
    seen.add(tag.Key)
  }
  checkTagKeysNotReserved(tags.map((t) => t.Key))
}

export function checkTagKeysNotReserved(keys: readonly string[]): void {
  const reserved = keys.find((k) => k.toLowerCase().startsWith('aws:'))
  if (reserved !== undefined) throw invalidInput(`Tag keys starting with "aws:" are reserved for AWS use: ${reserved}`)
}

export function checkTagCount(count: number, resource: string): void {
  if (count > QUOTAS.tagsPerResource) {
    throw serviceError('TooManyTagsException', `A resource can have at most ${QUOTAS.tagsPerResource} tags; ${resource} would have ${count}. Remove some with untag-resource first.`)
  }
}

/** The next revision: strictly greater than the last, as a 64-bit decimal string. */
export function bumpRevision(srv: ServiceRecord): void {
  srv.InstancesRevision = (BigInt(srv.InstancesRevision) + 1n).toString()
}

/** One filter's validated condition values (EQ and BEGINS_WITH take exactly one). */
export function filterValues(name: string, condition: string, values: readonly string[], allowed: readonly string[]): void {
  if (!allowed.includes(condition)) {
    throw invalidInput(`Condition ${condition} is not supported for the ${name} filter; use ${allowed.join(' or ')}.`)
  }
  if ((condition === 'EQ' || condition === 'BEGINS_WITH') && values.length !== 1) {
    throw invalidInput(`The ${name} filter with condition ${condition} takes exactly one value, not ${values.length}.`)
  }
  if (condition === 'IN' && values.length < 1) throw invalidInput(`The ${name} filter with condition IN takes at least one value.`)
}

/**
 * Page through a list with AWS's MaxResults/NextToken contract (MaxResults 1-100, default 100); tokens
 * are opaque. The List operations that filter do so after paging, as AWS documents ("Cloud Map gets
 * MaxResults namespaces and then filters them"), so a page may be empty and still carry a NextToken.
 */
export function paginate<T>(items: readonly T[], maxResults: number | undefined, nextToken: string | undefined, defaultMax = 100): { page: T[]; NextToken?: string } {
  let start = 0
  if (nextToken !== undefined) {
    const decoded = /^[A-Za-z0-9_-]+$/.test(nextToken) ? Buffer.from(nextToken, 'base64url').toString('utf8') : ''
    const match = /^offset:(\d+)$/.exec(decoded)
    if (!match) throw invalidInput(`The NextToken is not one this registry handed out: ${nextToken}. Start again without it (--starting-token or --next-token).`)
    start = Number(match[1])
  }
  const size = maxResults ?? defaultMax
  const page = items.slice(start, start + size)
  const end = start + page.length
  return end < items.length ? { page, NextToken: Buffer.from(`offset:${end}`, 'utf8').toString('base64url') } : { page }
}
