import type { OperationName } from '../../model/index.js'
import { CloudmapError } from '../../registry/errors.js'
import type { Input, Output, Registry } from '../../registry/registry.js'
import type { ContextOptions } from './context.js'
import { createContext, nextCall } from './context.js'
import { HANDLERS, isReadOnly } from './handlers/index.js'
import type { Handler } from './handlers/types.js'
import type { CrashPoint } from './store/journal.js'
import { RegistryStore } from './store/index.js'

export interface LocalRegistryOptions extends ContextOptions {
  /** The registry file; created on the first write, with its shard folder beside it (store/paths.ts). */
  path: string
  /** How long a write waits for another process's write to finish (default: CLOUDMAP_LOCK_TIMEOUT_MS, else 60 s). */
  lockTimeoutMs?: number
  /** Messages for the user that are not errors (a migration of an older registry); default: stderr. */
  notice?: (message: string) => void
}

const CRASH_POINTS: readonly string[] = ['locked', 'staged', 'committed', 'applying', 'applied']

function envNumber(name: string): number | undefined {
  const value = process.env[name]
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new CloudmapError('config', `${name} must be a number of milliseconds, not ${value}.`)
  return n
}

/**
 * The embedded registry: a lowdb JSON file and its shards (store/). A read runs the operation's handler
 * on a consistent view without taking the lock; a write takes the registry's lock, runs the handler and,
 * only when it succeeded, saves the files it changed, atomically (journal, temp files, fsync, rename).
 */
export class LocalRegistry implements Registry {
  private readonly store: RegistryStore

  constructor(private readonly options: LocalRegistryOptions) {
    const crashAt = process.env.CLOUDMAP_TEST_CRASH_AT
    this.store = new RegistryStore(options.path, {
      lockTimeoutMs: options.lockTimeoutMs ?? envNumber('CLOUDMAP_LOCK_TIMEOUT_MS'),
      notice: options.notice,
      crashAt: crashAt !== undefined && CRASH_POINTS.includes(crashAt) ? (crashAt as CrashPoint) : undefined,
    })
  }

  async invoke<K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>> {
    const handler = HANDLERS[op] as Handler<K>
    const call = nextCall(this.options)
    if (isReadOnly(op)) return this.store.read((state) => handler(state, input, createContext(this.options, state.sequence, call)))
    return this.store.write((state) => {
      const output = handler(state, input, createContext(this.options, state.sequence, call))
      state.sequence += 1
      return output
    })
  }

  async close(): Promise<void> {}
}
