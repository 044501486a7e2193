import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import type { OperationName } from '../../model/index.js'
import { CloudmapError, serviceError } from '../../registry/errors.js'
import type { Input, Output, Registry } from '../../registry/registry.js'
import type { ContextOptions } from './context.js'
import { createContext } from './context.js'
import { HANDLERS, isReadOnly } from './handlers/index.js'
import type { Handler } from './handlers/types.js'
import type { RegistryState } from './state.js'
import { emptyState, SCHEMA_VERSION } from './state.js'

export interface LocalRegistryOptions extends ContextOptions {
  /** The registry file; created on the first write. */
  path: string
}

/**
 * The embedded registry: one lowdb JSON file. Each call reads the file, runs the operation's handler on
 * the state, and writes the file back (atomically: lowdb writes a temp file and renames it) only when a
 * writing operation succeeded, so a rejected command never changes the file.
 */
export class LocalRegistry implements Registry {
  private readonly db: Low<RegistryState>

  constructor(private readonly options: LocalRegistryOptions) {
    this.db = new Low<RegistryState>(new JSONFile<RegistryState>(options.path), emptyState())
  }

  async invoke<K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>> {
    const handler = HANDLERS[op] as Handler<K>
    const state = await this.load()
    const ctx = createContext(this.options, state.sequence)
    const output = handler(state, input, ctx)
    if (!isReadOnly(op)) {
      state.sequence += 1
      await mkdir(dirname(this.options.path), { recursive: true })
      await this.db.write()
    }
    return output
  }

  async close(): Promise<void> {}

  private async load(): Promise<RegistryState> {
    try {
      await this.db.read()
    } catch (error) {
      throw new CloudmapError('other', `The registry file ${this.options.path} is not valid JSON (${(error as Error).message}). Fix or move it; cloudmap left it untouched.`)
    }
    // lowdb keeps the default data when the file does not exist yet.
    if (this.db.data === null || this.db.data === undefined) this.db.data = emptyState()
    const data = this.db.data as Partial<RegistryState>
    if (typeof data !== 'object' || Array.isArray(data) || typeof data.schemaVersion !== 'number' || typeof data.namespaces !== 'object') {
      throw new CloudmapError('other', `The file ${this.options.path} is not a cloudmap registry. Point --registry at another file; cloudmap left it untouched.`)
    }
    if (data.schemaVersion > SCHEMA_VERSION) {
      throw new CloudmapError('other', `The registry file ${this.options.path} has schema version ${data.schemaVersion}, newer than this cloudmap understands (${SCHEMA_VERSION}). Upgrade cloudmap; the file was left untouched.`)
    }
    return this.db.data
  }
}
