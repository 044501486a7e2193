import { operationFailure, settleOperation } from '../registry/operations.js'
import type { Registry } from '../registry/registry.js'
import type { BackendIndex } from './export.js'
import type { Change, RunContext } from './plan.js'
import { PHASES } from './plan.js'

export interface ExecuteOptions {
  /** Changes of one phase in flight at once (instances): many, so a local registry commits them together. */
  concurrency: number
  /** Set once Ctrl-C was pressed: calls in flight finish, nothing new starts. */
  interrupted(): boolean
  /** Called as each change is done. */
  done?(change: Change): void
  /** Between GetOperation polls of an operation still in progress. */
  pollIntervalMs?: number
  /** Give up waiting for one operation after this long. */
  timeoutMs?: number
  sleep?(ms: number): Promise<void>
}

export interface Failure {
  change: Change
  error: unknown
  /** The AWS operation that failed. */
  operation: string
}

/** Why apply stopped: the change that failed (or Ctrl-C), what was done and what was not. */
export class ApplyStopped extends Error {
  constructor(
    readonly failure: Failure | undefined,
    readonly done: Change[],
    readonly notDone: Change[],
  ) {
    super(failure ? (failure.error instanceof Error ? failure.error.message : String(failure.error)) : 'Interrupted')
  }
}

/** Namespaces one at a time (each waits for its operation); everything else `concurrency` at a time. */
const SEQUENTIAL = new Set<string>(['namespaces', 'namespace settings'])

/**
 * Carry out planned changes in dependency order, waiting for asynchronous operations. The first failure
 * (or Ctrl-C) stops it: calls in flight finish, nothing new starts, and ApplyStopped says what was done and
 * what was not. Running the same apply again plans only what is left.
 */
export async function executeChanges(registry: Registry, index: BackendIndex, changes: readonly Change[], options: ExecuteOptions): Promise<Change[]> {
  /** A context per change, which remembers the AWS operation it called last (for the error text). */
  const contextFor = (onCall: (op: string) => void): RunContext => {
    const invoke: Registry['invoke'] = (op, input) => {
      onCall(op)
      return registry.invoke(op, input)
    }
    return {
      registry: { invoke, close: () => registry.close() },
      index,
      wait: async (operationId, op) => {
        // AWS always names an operation; an endpoint that answers without one (moto's namespace updates) did it at once.
        if (operationId === undefined) return {}
        const operation = await settleOperation((input) => invoke('GetOperation', input), operationId, op, { timeoutMs: options.timeoutMs ?? 300_000, intervalMs: options.pollIntervalMs ?? 1000, sleep: options.sleep })
        if (operation.Status === 'FAIL') {
          onCall(op)
          throw operationFailure(operation)
        }
        return operation.Targets ?? {}
      },
    }
  }
  const done: Change[] = []
  let failure: Failure | undefined
  const stopped = () => failure !== undefined || options.interrupted()
  for (const phase of PHASES) {
    const queue = changes.filter((c) => c.phase === phase)
    const settling: { change: Change; settle: () => Promise<void>; operation: () => string }[] = []
    const finished = (change: Change) => {
      done.push(change)
      options.done?.(change)
    }
    const pool = (count: number, work: () => Promise<void>) => Promise.all(Array.from({ length: SEQUENTIAL.has(phase) ? 1 : Math.max(1, Math.min(options.concurrency, count)) }, work))
    let next = 0
    await pool(queue.length, async () => {
      while (next < queue.length && !stopped()) {
        const change = queue[next++]
        let operation = ''
        try {
          const settle = await change.run(contextFor((op) => (operation = op)))
          if (settle) settling.push({ change, settle, operation: () => operation })
          else finished(change)
        } catch (error) {
          failure ??= { change, error, operation }
        }
      }
    })
    // Calls already made are waited for even after a failure or Ctrl-C, so the report is exact.
    let waited = 0
    await pool(settling.length, async () => {
      while (waited < settling.length) {
        const entry = settling[waited++]
        try {
          await entry.settle()
          finished(entry.change)
        } catch (error) {
          failure ??= { change: entry.change, error, operation: entry.operation() }
        }
      }
    })
    if (stopped()) break
  }
  if (stopped()) {
    const finished = new Set(done)
    throw new ApplyStopped(failure, changes.filter((c) => finished.has(c)), changes.filter((c) => !finished.has(c)))
  }
  return done
}
