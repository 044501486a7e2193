import { expect, it } from 'vitest'
import type { Operation, Tag } from '../../src/model/api-types.js'
import type { OperationName } from '../../src/model/index.js'
import type { Input, Output, Registry } from '../../src/registry/registry.js'

export interface ContractBackend {
  registry: Registry
  /**
   * Where this backend knowingly departs from AWS (moto): the case is an expected failure, with its reason
   * and the failure it must show (a pattern of the error's first line).
   */
  departure?: (rule: string) => Departure | undefined
}

export interface Departure {
  reason: string
  failure: RegExp
}

export type Call = <K extends OperationName>(op: K, input: Input<K>) => Promise<Output<K>>

export interface Harness {
  backend: ContractBackend
  call: Call
}

export type MakeBackend = () => Promise<ContractBackend>

/**
 * One contract case on a fresh backend. The title names the AWS rule it checks (the API reference of the
 * operation, or the model's constraints). On a backend that knowingly departs from that rule the case
 * still runs, as an expected failure: it must fail, and fail as recorded, so that a case that starts to
 * pass, or fails for another reason, is reported.
 */
export function rule(makeBackend: MakeBackend, title: string, body: (h: Harness) => Promise<void>): void {
  it(title, async () => {
    const backend = await makeBackend()
    try {
      const call: Call = (op, input) => backend.registry.invoke(op, input)
      const departure = backend.departure?.(title)
      if (departure === undefined) return await body({ backend, call })
      const failure = await body({ backend, call }).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0],
      )
      if (failure === undefined) throw new Error(`expected to fail (${departure.reason}), but it passes now: take it out of the departures`)
      if (!departure.failure.test(failure)) {
        throw new Error(`expected to fail because ${departure.reason} (${departure.failure}), but it fails otherwise: ${failure}`)
      }
    } finally {
      await backend.registry.close()
    }
  })
}

/** The rejected error's AWS code and message, whichever backend raised it. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise
  } catch (error) {
    const e = error as { code?: string; name?: string; message?: string }
    return { code: e.code || e.name || 'Error', message: e.message ?? '' }
  }
  throw new Error('expected the call to be rejected')
}

export async function errorCode(promise: Promise<unknown>): Promise<string> {
  const { code, message } = await rejection(promise)
  // Messages tell the user what went wrong: never empty.
  expect(message.length).toBeGreaterThan(0)
  return code
}

/**
 * Wait for an asynchronous operation to finish, as clients of AWS poll GetOperation; a backend that
 * completes operations at once answers on the first call.
 */
export async function settled(call: Call, operationId: string, timeoutMs = 120_000): Promise<Operation> {
  const started = Date.now()
  for (let wait = 50; ; wait = Math.min(wait * 2, 2000)) {
    const { Operation } = await call('GetOperation', { OperationId: operationId })
    if (Operation!.Status === 'SUCCESS' || Operation!.Status === 'FAIL') return Operation!
    if (Date.now() - started > timeoutMs) throw new Error(`operation ${operationId} still ${Operation!.Status}`)
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
}

/** Submit, wait, expect SUCCESS, and return the operation. */
export async function succeeded(call: Call, pending: Promise<{ OperationId?: string }>): Promise<Operation> {
  const { OperationId } = await pending
  expect(OperationId).toEqual(expect.any(String))
  const op = await settled(call, OperationId!)
  expect(op, op.ErrorMessage).toMatchObject({ Status: 'SUCCESS' })
  return op
}

export async function httpNamespace(call: Call, name: string, extra: Partial<Input<'CreateHttpNamespace'>> = {}): Promise<string> {
  return (await succeeded(call, call('CreateHttpNamespace', { Name: name, ...extra }))).Targets!.NAMESPACE!
}

export async function publicNamespace(call: Call, name: string, extra: Partial<Input<'CreatePublicDnsNamespace'>> = {}): Promise<string> {
  return (await succeeded(call, call('CreatePublicDnsNamespace', { Name: name, ...extra }))).Targets!.NAMESPACE!
}

export async function privateNamespace(call: Call, name: string, vpc = 'vpc-0123456789abcdef0', extra: Partial<Input<'CreatePrivateDnsNamespace'>> = {}): Promise<string> {
  return (await succeeded(call, call('CreatePrivateDnsNamespace', { Name: name, Vpc: vpc, ...extra }))).Targets!.NAMESPACE!
}

export async function service(call: Call, input: Input<'CreateService'>): Promise<{ id: string; arn: string }> {
  const { Service } = await call('CreateService', input)
  return { id: Service!.Id!, arn: Service!.Arn! }
}

export async function register(call: Call, serviceId: string, instanceId: string, attributes: Record<string, string>): Promise<Operation> {
  return succeeded(call, call('RegisterInstance', { ServiceId: serviceId, InstanceId: instanceId, Attributes: attributes }))
}

export function tags(count: number, prefix = 'k'): Tag[] {
  return Array.from({ length: count }, (_, i) => ({ Key: `${prefix}${i}`, Value: `v${i}` }))
}

export function attributes(count: number, prefix = 'a'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, `v${i}`]))
}

/** Tags as a sorted comparable list (AWS does not promise an order). */
export function sortedTags(list: Tag[] | undefined): Tag[] {
  return [...(list ?? [])].sort((a, b) => a.Key.localeCompare(b.Key))
}
