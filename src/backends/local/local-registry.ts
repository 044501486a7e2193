import type { OperationName } from '../../model/index.js'
import { CloudmapError } from '../../registry/errors.js'
import type { Input, Output, Registry } from '../../registry/registry.js'
import type { ContextOptions, HandlerContext } from './context.js'
import { createContext, nextCall } from './context.js'
import { HANDLERS, isReadOnly } from './handlers/index.js'
import type { Handler } from './handlers/types.js'
import type { RegistryState } from './state.js'
import type { Stamp } from './store/index.js'
import type { CrashPoint } from './store/journal.js'
import { RegistryStore } from './store/index.js'
import { resolveFile, serviceShard } from './store/paths.js'

export interface LocalRegistryOptions extends ContextOptions {
  /** The registry file; created on the first write, with its shard folder beside it (store/paths.ts). */
  path: string
  /** How long a write waits for another process's write to finish (default: CLOUDMAP_LOCK_TIMEOUT_MS, else 60 s). */
  lockTimeoutMs?: number
  /** Messages for the user that are not errors (a migration of an older registry); default: stderr. */
  notice?: (message: string) => void
  /** Answer reads from the last view while the registry file is unchanged (a long-running server). */
  cacheReads?: boolean
  /** Make writes durable in the files when writes pause, not after each one (a server: store/journal.ts). */
  checkpointWhenIdle?: boolean
}

const CRASH_POINTS: readonly string[] = ['locked', 'staged', 'committed', 'overwriting', 'applying', 'applied']

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
 * only when it succeeded, saves the files it changed, atomically (write-ahead log, temp files, rename).
 */
export class LocalRegistry implements Registry {
  private readonly store: RegistryStore

  constructor(private readonly options: LocalRegistryOptions) {
    const crashAt = process.env.CLOUDMAP_TEST_CRASH_AT
    this.store = new RegistryStore(options.path, {
      lockTimeoutMs: options.lockTimeoutMs ?? envNumber('CLOUDMAP_LOCK_TIMEOUT_MS'),
      notice: options.notice,
      crashAt: crashAt !== undefined && CRASH_POINTS.includes(crashAt) ? (crashAt as CrashPoint) : undefined,
      cacheReads: options.cacheReads,
      checkpointWhenIdle: options.checkpointWhenIdle,
    })
  }

  /** The registry file. */
  get path(): string {
    return this.store.paths.main
  }

  /** Its stamp now: changes with every committed write (the change feed compares it). */
  stamp(): Stamp {
    return this.store.stamp()
  }

  /**
   * Read the registry's state on a consistent view, outside any operation (serve's views: DNS, health
   * schedule, dashboard, access control's resource lookups). fn must not change the state.
   */
  readState<T>(fn: (state: RegistryState) => T): Promise<T> {
    return this.store.read(fn)
  }

  /**
   * Change the registry outside any operation, through the same lock and journal as every write (serve's
   * health checks record their results so). fn's changes are saved only when it returns; a write that
   * changes nothing writes nothing.
   */
  writeState<T>(fn: (state: RegistryState, ctx: HandlerContext) => T): Promise<T> {
    const call = nextCall(this.options)
    return this.store.write((state) => fn(state, createContext(this.options, state.sequence, call)))
  }

  /** Where a registry file's shard lives (the change feed's views compare shard stamps). */
  shardFile(serviceId: string): string {
    return resolveFile(this.store.paths, serviceShard(serviceId))
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

  async close(): Promise<void> {
    await this.store.close()
  }
}
