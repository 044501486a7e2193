import type { CreateServiceRequest, HealthCheckConfig } from '../model/api-types.js'
import type { OperationName } from '../model/index.js'
import { CloudmapError } from '../registry/errors.js'
import { operationFailure, settleOperation } from '../registry/operations.js'
import type { Input, Output, Registry } from '../registry/registry.js'
import type { NamespaceAnswer, ServiceAnswer, WizardAnswers } from './answers.js'
import { instanceAttributes } from './answers.js'

export interface ApplyOptions {
  /** Set once Ctrl-C was pressed: the current call finishes, then everything made is removed. */
  interrupted(): boolean
  /** Progress lines. */
  log(line: string): void
  /** Options that reach the backend (--registry or --endpoint-url ...), for the commands a leftover needs. */
  commandOptions?: string

  /** Between GetOperation polls of an asynchronous operation (remote endpoints). */
  pollIntervalMs?: number
  /** Give up waiting for an operation after this long. */
  timeoutMs?: number
  sleep?(ms: number): Promise<void>
}

export interface Applied {
  namespaceId: string
  serviceIds: Map<string, string>
}

/** Why init stopped while creating: the failure (or the interruption) and what was undone. */
export class ApplyError extends Error {
  constructor(
    readonly failure: unknown,
    /** The AWS operation that failed, for the error text. */
    readonly operation: string,
    readonly interrupted: boolean,
    /** Resources the rollback could not remove (with the commands that would). */
    readonly leftovers: string[],
  ) {
    super(failure instanceof Error ? failure.message : String(failure))
  }
}

export class Interrupted extends Error {
  constructor() {
    super('Interrupted')
  }
}

/**
 * One step of the rollback: `run` removes the resource; `gone` tells, after a failed `run`, whether it is
 * gone all the same (a report must not list as left, with a command that would fail, what is not there).
 */
type Undo = { what: string; command: string; run(): Promise<void>; gone(): Promise<boolean> }

/** Whether a Get call says the resource does not exist (NamespaceNotFound, ServiceNotFound, InstanceNotFound). */
async function notFound(get: () => Promise<unknown>): Promise<boolean> {
  try {
    await get()
    return false
  } catch (error) {
    return error instanceof CloudmapError && error.kind === 'service' && /NotFound$/.test(error.code)
  }
}

/**
 * Make what the answers describe through the Registry port (so any backend works): the namespace, its
 * services, their instances, waiting for each asynchronous operation to succeed. On a failure or Ctrl-C,
 * what was made is removed again in reverse order, and the error says so.
 */
export async function applyAnswers(registry: Registry, answers: Pick<WizardAnswers, 'namespace' | 'services' | 'instances'>, options: ApplyOptions): Promise<Applied> {
  const undo: Undo[] = []
  let current = ''
  const call = async <K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>> => {
    if (options.interrupted()) throw new Interrupted()
    current = op
    return registry.invoke(op, input)
  }
  /** Polls an asynchronous operation until it is done (SUCCESS or FAIL); `direct` (rolling back) ignores Ctrl-C. */
  const settle = async (operationId: string | undefined, op: string, direct: boolean) => {
    if (operationId === undefined) throw new CloudmapError('other', `${op} returned no OperationId.`)
    const getOperation = (input: { OperationId: string }) => (direct ? registry.invoke('GetOperation', input) : call('GetOperation', input))
    return settleOperation(getOperation, operationId, op, { timeoutMs: options.timeoutMs ?? 300_000, intervalMs: options.pollIntervalMs ?? 1000, sleep: options.sleep })
  }
  /** Polls an asynchronous operation until it succeeds; `direct` (rolling back) ignores Ctrl-C. */
  const wait = async (operationId: string | undefined, op: string, direct = false): Promise<Record<string, string>> => {
    const operation = await settle(operationId, op, direct)
    if (operation.Status === 'FAIL') throw operationFailure(operation)
    return operation.Targets ?? {}
  }

  try {
    const ns = answers.namespace
    const { OperationId } = await createNamespace(call, ns)
    const targets = await wait(OperationId, 'CreateNamespace')
    const namespaceId = targets.NAMESPACE
    if (namespaceId === undefined) throw new CloudmapError('other', 'The namespace operation succeeded without naming the namespace.')
    options.log(`✔ namespace ${ns.name} (${namespaceId})`)
    undo.push({
      what: `namespace ${ns.name} (${namespaceId})`,
      command: `cloudmap delete-namespace --id ${namespaceId}`,
      run: async () => void (await wait((await registry.invoke('DeleteNamespace', { Id: namespaceId })).OperationId, 'DeleteNamespace', true)),
      gone: () => notFound(() => registry.invoke('GetNamespace', { Id: namespaceId })),
    })

    const serviceIds = new Map<string, string>()
    for (const s of answers.services) {
      const { Service } = await call('CreateService', serviceInput(ns, s, namespaceId))
      const id = Service?.Id
      if (id === undefined) throw new CloudmapError('other', `CreateService returned no id for ${s.name}.`)
      serviceIds.set(s.name, id)
      options.log(`✔ service ${s.name} (${id})`)
      undo.push({
        what: `service ${s.name} (${id})`,
        command: `cloudmap delete-service --id ${id}`,
        run: async () => void (await registry.invoke('DeleteService', { Id: id })),
        gone: () => notFound(() => registry.invoke('GetService', { Id: id })),
      })
    }

    for (const i of answers.instances) {
      const serviceId = serviceIds.get(i.service)!
      const { OperationId: registered } = await call('RegisterInstance', { ServiceId: serviceId, InstanceId: i.id, Attributes: instanceAttributes(i) })
      undo.push({
        what: `instance ${i.id} of ${i.service}`,
        command: `cloudmap deregister-instance --service-id ${serviceId} --instance-id ${i.id}`,
        run: async () => {
          // Ctrl-C may come while the registration is still in progress: Cloud Map refuses another operation
          // on the instance until it is done, so let it finish first; one that failed left nothing to remove.
          if ((await settle(registered, 'RegisterInstance', true)).Status === 'FAIL') return
          await wait((await registry.invoke('DeregisterInstance', { ServiceId: serviceId, InstanceId: i.id })).OperationId, 'DeregisterInstance', true)
        },
        gone: () => notFound(() => registry.invoke('GetInstance', { ServiceId: serviceId, InstanceId: i.id })),
      })
      await wait(registered, 'RegisterInstance')
      options.log(`✔ instance ${i.id} in ${i.service}`)
    }
    if (options.interrupted()) throw new Interrupted()
    return { namespaceId, serviceIds }
  } catch (error) {
    const interrupted = error instanceof Interrupted || options.interrupted()
    const leftovers: string[] = []
    // An interruption was announced when it came (run-init.ts): said once.
    if (undo.length > 0 && !interrupted) options.log('Failed: removing what was created…')
    for (const step of undo.reverse()) {
      try {
        await step.run()
        options.log(`✖ removed ${step.what}`)
      } catch (undoError) {
        if (await step.gone()) {
          options.log(`✖ ${step.what} is gone`)
          continue
        }
        leftovers.push(`${step.what}: ${(undoError as Error).message} — remove it with: ${step.command}${options.commandOptions ? ` ${options.commandOptions}` : ''}`)
      }
    }
    throw new ApplyError(error, current, interrupted, leftovers)
  }
}

type Call = <K extends OperationName>(op: K, input: Input<K>) => Promise<Output<K>>

function createNamespace(call: Call, ns: NamespaceAnswer): Promise<{ OperationId?: string }> {
  switch (ns.type) {
    case 'HTTP':
      return call('CreateHttpNamespace', { Name: ns.name })
    case 'DNS_PRIVATE':
      return call('CreatePrivateDnsNamespace', { Name: ns.name, Vpc: ns.vpc ?? '' })
    case 'DNS_PUBLIC':
      return call('CreatePublicDnsNamespace', { Name: ns.name })
  }
}

export function serviceInput(ns: NamespaceAnswer, s: ServiceAnswer, namespaceId: string): CreateServiceRequest {
  const input: CreateServiceRequest = { Name: s.name, NamespaceId: namespaceId }
  if (s.records !== 'NONE') {
    const types = s.records === 'A+AAAA' ? (['A', 'AAAA'] as const) : ([s.records] as const)
    input.DnsConfig = { RoutingPolicy: s.routingPolicy ?? 'MULTIVALUE', DnsRecords: types.map((Type) => ({ Type, TTL: s.ttl ?? 60 })) }
  } else if (ns.type !== 'HTTP') {
    // A service without DNS records in a DNS namespace is discovered through the API only.
    input.Type = 'HTTP'
  }
  if (s.health === 'custom') input.HealthCheckCustomConfig = { FailureThreshold: 1 }
  else if (s.health !== 'none') {
    const check: HealthCheckConfig = { Type: s.health, FailureThreshold: s.failureThreshold ?? 1 }
    if (s.health !== 'TCP') check.ResourcePath = s.resourcePath ?? '/'
    input.HealthCheckConfig = check
  }
  return input
}
