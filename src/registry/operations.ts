import type { Operation } from '../model/api-types.js'
import { CloudmapError } from './errors.js'

export interface SettleOptions {
  /** Give up after this long (ms). */
  timeoutMs: number
  /** Between two GetOperation calls (ms). */
  intervalMs: number
  sleep?: (ms: number) => Promise<void>
}

/**
 * Poll an asynchronous Cloud Map operation (GetOperation) until it is done, SUCCESS or FAIL, within a
 * deadline. `getOperation` makes the call (through whatever retries or interruption checks the caller
 * wants); `op` names the call that started it, for the message when the wait gives up.
 */
export async function settleOperation(
  getOperation: (input: { OperationId: string }) => Promise<{ Operation?: Operation }>,
  operationId: string,
  op: string,
  options: SettleOptions,
): Promise<Operation> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    const { Operation } = await getOperation({ OperationId: operationId })
    if (Operation?.Status === 'SUCCESS' || Operation?.Status === 'FAIL') return Operation
    if (Date.now() > deadline) throw new CloudmapError('other', `Operation ${operationId} (${op}) is still ${Operation?.Status ?? 'unknown'}; gave up waiting.`)
    await sleep(options.intervalMs)
  }
}

/** A failed operation as the service error it reports. */
export function operationFailure(operation: Operation): CloudmapError {
  return new CloudmapError('service', operation.ErrorMessage ?? 'The operation failed.', operation.ErrorCode ?? 'OperationFailed')
}
