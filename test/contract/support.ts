import { expect, it } from 'vitest'
import type { Operation, Tag } from '../../src/model/api-types.js'
import type { OperationName } from '../../src/model/index.js'
import type { Input, Output, Registry } from '../../src/registry/registry.js'

export interface ContractBackend {
  registry: Registry
  /** Whether this backend departs from AWS on a rule (e.g. moto); such cases are skipped with the reason. */
  skip?: (rule: string) => string | undefined
}

export type Call = <K extends OperationName>(op: K, input: Input<K>) => Promise<Output<K>>

export interface Harness {
  backend: ContractBackend
  call: Call
}

export type MakeBackend = () => Promise<ContractBackend>

/**
 * One contract case on a fresh backend. The title names the AWS rule it checks (the API reference of the
 * operation, or the model's constraints); a backend that knowingly departs from that rule skips it.
 */
export function rule(makeBackend: MakeBackend, title: string, body: (h: Harness) => Promise<void>): void {
  it(title, async (context) => {
    const backend = await makeBackend()
    try {
      const reason = backend.skip?.(title)
      if (reason !== undefined) {
        context.skip(reason)
        return
      }
      const call: Call = (op, input) => backend.registry.invoke(op, input)
      await body({ backend, call })
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
