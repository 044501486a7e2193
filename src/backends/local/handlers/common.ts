import type { OperationType } from '../../../model/api-types.js'
import { serviceError } from '../../../registry/errors.js'
import type { HandlerContext } from '../context.js'
import { newOperationId } from '../context.js'
import type { NamespaceRecord, OperationRecord, RegistryState, ServiceRecord } from '../state.js'

/** AWS accepts an id or an ARN wherever it takes a namespace or service id; the id is the ARN's last part. */
export function idFromIdOrArn(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value
}

export function findNamespace(state: RegistryState, idOrArn: string): NamespaceRecord {
  const ns = state.namespaces[idFromIdOrArn(idOrArn)]
  if (!ns) throw serviceError('NamespaceNotFound', `Namespace not found: ${idOrArn}`)
  return ns
}

export function findService(state: RegistryState, idOrArn: string): ServiceRecord {
  const srv = state.services[idFromIdOrArn(idOrArn)]
  if (!srv) throw serviceError('ServiceNotFound', `Service not found: ${idOrArn}`)
  return srv
}

export function invalidInput(message: string): Error {
  return serviceError('InvalidInput', message)
}

/**
 * Record an asynchronous operation. Locally it completes at once (Status SUCCESS), so scripts that
 * poll get-operation see the final state on their first call.
 */
export function recordOperation(state: RegistryState, ctx: HandlerContext, type: OperationType, targets: Record<string, string>): string {
  const now = ctx.now().toISOString()
  const op: OperationRecord = { Id: newOperationId(ctx), Type: type, Status: 'SUCCESS', CreateDate: now, UpdateDate: now, Targets: targets }
  state.operations[op.Id] = op
  return op.Id
}

/** ISO string in the registry -> Date for the output (the CLI renders it in local time). */
export function date(iso: string): Date {
  return new Date(iso)
}

/** Page through a list with AWS's MaxResults/NextToken contract; tokens are opaque offsets. */
export function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, defaultMax = 100): { page: T[]; NextToken?: string } {
  let start = 0
  if (nextToken !== undefined) {
    const decoded = /^[A-Za-z0-9_-]+$/.test(nextToken) ? Buffer.from(nextToken, 'base64url').toString('utf8') : ''
    const match = /^offset:(\d+)$/.exec(decoded)
    if (!match) throw invalidInput(`Invalid NextToken: ${nextToken}`)
    start = Number(match[1])
  }
  const size = maxResults ?? defaultMax
  if (!Number.isInteger(size) || size < 1 || size > 100) throw invalidInput('MaxResults must be between 1 and 100.')
  const page = items.slice(start, start + size)
  const end = start + page.length
  return end < items.length ? { page, NextToken: Buffer.from(`offset:${end}`, 'utf8').toString('base64url') } : { page }
}
