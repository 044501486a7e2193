import type { Service } from '../model/api-types.js'
import { CloudmapError } from '../registry/errors.js'
import type { Output, Registry } from '../registry/registry.js'

/**
 * The custom attribute `cloudmap run` adds to the instances it registers: `<hostname>:<pid>` of the
 * wrapper. Cloud Map gives meaning only to keys starting with AWS_ (RegisterInstance.Attributes); any
 * other key of printable ASCII without spaces, up to 255 characters, is a free-form custom attribute
 * (it counts towards the 30 custom attributes and 5,000 characters of an instance).
 */
export const OWNER_ATTRIBUTE = 'CLOUDMAP_RUN_OWNER'

export function ownerValue(hostname: string, pid: number): string {
  return `${hostname}:${pid}`
}

function isServiceError(error: unknown, code: string): boolean {
  return error instanceof CloudmapError && error.kind === 'service' && error.code === code
}

/** Worth trying again: the endpoint did not answer or answered with a 5xx or throttling, not "your request is wrong". */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof CloudmapError)) return true
  if (error.kind === 'other') return true
  return error.kind === 'service' && (error.httpStatus >= 500 || /Throttl|RequestLimitExceeded|TooManyRequests/.test(error.code))
}

/** The service by namespace name (Name, as list-namespaces shows it) and service name, with its health settings. */
export async function findService(registry: Registry, namespaceName: string, serviceName: string): Promise<Service> {
  let namespaceId: string | undefined
  let token: string | undefined
  do {
    const page = await registry.invoke('ListNamespaces', token === undefined ? {} : { NextToken: token })
    namespaceId = page.Namespaces?.find((n) => n.Name === namespaceName)?.Id
    token = page.NextToken
  } while (namespaceId === undefined && token !== undefined)
  if (namespaceId === undefined) throw new CloudmapError('service', `No namespace named ${namespaceName}.`, 'NamespaceNotFound')
  let serviceId: string | undefined
  token = undefined
  do {
    const page: Output<'ListServices'> = await registry.invoke('ListServices', { Filters: [{ Name: 'NAMESPACE_ID', Values: [namespaceId], Condition: 'EQ' }], ...(token === undefined ? {} : { NextToken: token }) })
    serviceId = page.Services?.find((s) => s.Name === serviceName)?.Id
    token = page.NextToken
  } while (serviceId === undefined && token !== undefined)
  if (serviceId === undefined) throw new CloudmapError('service', `No service named ${serviceName} in namespace ${namespaceName}.`, 'ServiceNotFound')
  const { Service } = await registry.invoke('GetService', { Id: serviceId })
  return Service as Service
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Refuses an instance id another live `cloudmap run` (or anyone else) holds. An instance left by a
 * wrapper on this host whose process is gone (SIGKILL, a crash, a container restarted with the same
 * hostname and pid) is taken over: re-registering replaces it. Returns what was found, for the log.
 */
export async function claimInstanceId(registry: Registry, serviceId: string, instanceId: string, self: { hostname: string; pid: number }): Promise<string | undefined> {
  let attributes: Record<string, string>
  try {
    attributes = (await registry.invoke('GetInstance', { ServiceId: serviceId, InstanceId: instanceId })).Instance?.Attributes ?? {}
  } catch (error) {
    if (isServiceError(error, 'InstanceNotFound')) return undefined
    throw error
  }
  const owner = attributes[OWNER_ATTRIBUTE]
  const taken = `Instance ${instanceId} is already registered in service ${serviceId}`
  if (owner === undefined) throw new CloudmapError('other', `${taken}, and not by cloudmap run (it has no ${OWNER_ATTRIBUTE} attribute). Choose another --instance-id, or deregister it first.`)
  const colon = owner.lastIndexOf(':')
  const host = owner.slice(0, colon)
  const pid = Number(owner.slice(colon + 1))
  if (host !== self.hostname) {
    throw new CloudmapError('other', `${taken} by cloudmap run process ${pid} on host ${host}, which can't be checked from here. If it is gone, deregister it first: cloudmap deregister-instance --service-id ${serviceId} --instance-id ${instanceId}`)
  }
  if (pid !== self.pid && processRuns(pid)) throw new CloudmapError('other', `${taken} by cloudmap run process ${pid} on this host, which is still running.`)
  return `instance ${instanceId} was left registered by cloudmap run process ${pid}, which is gone; taking it over`
}
