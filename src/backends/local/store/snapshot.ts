import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LowSync } from 'lowdb'
import type { SyncAdapter } from 'lowdb'
import { CloudmapError } from '../../../registry/errors.js'
import type { OperationRecord, RegistryState } from '../state.js'
import { SCHEMA_VERSION } from '../state.js'
import type { InstanceShard, MainDocument, OperationBucket, TokenBucket } from './documents.js'
import { bySubmission, mainDocument, parseShard, serialize } from './documents.js'
import type { FileChange } from './journal.js'
import type { RegistryPaths } from './paths.js'
import { MAIN, operationBucket, resolveFile, serviceShard, tokenBucket } from './paths.js'

/**
 * Where a snapshot's shards come from: the files of a schema 2 registry, or (a schema 1 registry being
 * read or migrated) documents already split in memory, none of which exists on disk yet.
 */
export type ShardSource = { kind: 'files' } | { kind: 'memory'; files: Map<string, unknown> }

/**
 * A lowdb adapter for one registry file. Reading parses the file as it is on disk (null when absent);
 * writing does not touch the disk: it keeps the new text, which the store commits with the other files
 * of the call through the journal (store/journal.ts), or nothing when the text did not change.
 */
class RegistryFileAdapter<T> implements SyncAdapter<T> {
  /** The file's text on disk when read; null when it did not exist. */
  original: string | null = null
  /** After write(): the text to save, null to remove the file, undefined when nothing changes. */
  change: string | null | undefined

  constructor(
    private readonly load: () => { text: string | null; data: T | null },
    /** Whether a document is empty and its file should go (a service's shard without instances). */
    private readonly empty: (data: T) => boolean = () => false,
  ) {}

  read(): T | null {
    const { text, data } = this.load()
    this.original = text
    return data
  }

  write(data: T): void {
    const text = this.empty(data) ? null : serialize(data)
    this.change = text === this.original ? undefined : text
  }
}

interface Loaded<T> {
  db: LowSync<T>
  adapter: RegistryFileAdapter<T>
}

/**
 * One call's view of the registry: the registry file, read up front, and the shards the call's handler
 * asks for, read on first use (synchronously: handlers are synchronous). After a successful write the
 * store asks for changes(): every file the write used whose text changed, and nothing else.
 */
export class Snapshot {
  readonly state: RegistryState
  /** The files read, least recently used first (settle moves the ones a write used to the end). */
  private readonly files = new Map<string, Loaded<unknown>>()
  /**
   * The files used since the view was read or last settled: only these can have changed, as handlers
   * reach every record through load(). A kept view's other files are left out of changes() unseen.
   */
  private readonly used = new Set<string>([MAIN])
  /** Files looked for and not found (read once, like the others). */
  private readonly absent = new Set<string>()
  /** Operations submitted during this call. */
  private readonly added: OperationRecord[] = []

  constructor(
    private readonly paths: RegistryPaths,
    private readonly source: ShardSource,
    private readonly main: MainDocument,
    mainText: string | null,
  ) {
    const adapter = new RegistryFileAdapter<MainDocument>(() => ({ text: mainText, data: main }))
    const db = new LowSync<MainDocument>(adapter, main)
    db.read()
    this.files.set(MAIN, { db, adapter } as Loaded<unknown>)
    const shards = this
    this.state = {
      schemaVersion: SCHEMA_VERSION,
      namespaces: main.namespaces,
      services: main.services,
      tags: main.tags,
      sequence: main.sequence,
      instances: {
        of: (serviceId) => shards.load<InstanceShard>(serviceShard(serviceId), () => ({ serviceId, instances: {} }))!.db.data.instances,
        count: (serviceId) => {
          const loaded = shards.files.get(serviceShard(serviceId)) as Loaded<InstanceShard> | undefined
          return loaded ? Object.keys(loaded.db.data.instances).length : (main.services[serviceId]?.InstanceCount ?? 0)
        },
        // An empty shard is removed when the call is saved.
        drop: (serviceId) => {
          const loaded = shards.load<InstanceShard>(serviceShard(serviceId))
          if (loaded) loaded.db.data.instances = {}
        },
      },
      operations: {
        get: (id) => shards.operation(id),
        add: (op) => shards.addOperation(op),
        all: () => shards.allOperations(),
        waiting: () => shards.waiting(),
        withToken: (token) => {
          const ids = shards.load<TokenBucket>(tokenBucket(token))?.db.data.requestTokens[token] ?? []
          return ids.map((id) => shards.operation(id)).filter((op): op is OperationRecord => op !== undefined).sort(bySubmission)
        },
      },
    }
  }

  /** How many files this snapshot has read so far (a read that reads none needs no second look at the stamp). */
  get filesRead(): number {
    return this.files.size + this.absent.size
  }

  /** Whether asynchronous operations are waiting: a read completes the due ones in its view, so such a view is not kept. */
  get hasWaitingOperations(): boolean {
    return this.main.waitingOperations.length > 0 || this.added.length > 0
  }

  /** Read a file of the registry into this snapshot (once); undefined when it does not exist. */
  private load<T>(file: string, create?: () => T): Loaded<T> | undefined {
    const known = this.files.get(file) as Loaded<T> | undefined
    if (known) {
      this.used.add(file)
      return known
    }
    if (this.absent.has(file) && !create) return undefined
    const adapter = new RegistryFileAdapter<T>(
      () => (this.absent.has(file) ? { text: null, data: null } : this.readShard<T>(file)),
      file.startsWith('services/') ? (data) => Object.keys((data as InstanceShard).instances).length === 0 : undefined,
    )
    const db = new LowSync<T | null>(adapter as RegistryFileAdapter<T | null>, null)
    db.read()
    if (db.data === null) {
      if (!create) {
        this.absent.add(file)
        return undefined
      }
      db.data = create()
    }
    const loaded = { db, adapter } as Loaded<T>
    this.files.set(file, loaded as Loaded<unknown>)
    this.used.add(file)
    return loaded
  }

  private readShard<T>(file: string): { text: string | null; data: T | null } {
    if (this.source.kind === 'memory') return { text: null, data: (this.source.files.get(file) as T | undefined) ?? null }
    const path = resolveFile(this.paths, file)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return { text: null, data: null }
      throw new CloudmapError('other', `The registry shard ${path} can't be read (${(error as Error).message}). Check its permissions; cloudmap left the registry ${this.paths.main} untouched.`)
    }
    return { text, data: parseShard(file, text, path, this.paths.main) as T }
  }

  private operation(id: string): OperationRecord | undefined {
    const ops = this.load<OperationBucket>(operationBucket(id))?.db.data.operations
    return ops && Object.hasOwn(ops, id) ? ops[id] : undefined
  }

  private addOperation(op: OperationRecord): void {
    op.Seq = ++this.main.operationSequence
    this.load<OperationBucket>(operationBucket(op.Id), () => ({ operations: {} }))!.db.data.operations[op.Id] = op
    if (op.RequestToken !== undefined) {
      const tokens = this.load<TokenBucket>(tokenBucket(op.RequestToken), () => ({ requestTokens: {} }))!.db.data.requestTokens
      ;(tokens[op.RequestToken] ??= []).push(op.Id)
    }
    this.added.push(op)
  }

  private waiting(): OperationRecord[] {
    // Operations added in this call are at hand; only the ones that still wait count. Looking each up
    // in its bucket again would cost every write of a large batch the whole batch (quadratic).
    const added = new Set(this.added.map((op) => op.Id))
    const saved = this.main.waitingOperations.filter((id) => !added.has(id)).map((id) => this.operation(id))
    return [...saved, ...this.added]
      .filter((op): op is OperationRecord => op !== undefined && op.Effect !== undefined)
      .sort(bySubmission)
  }

  private allOperations(): OperationRecord[] {
    let buckets: string[]
    if (this.source.kind === 'memory') {
      buckets = [...this.source.files.keys()].filter((f) => f.startsWith('operations/'))
    } else {
      try {
        buckets = readdirSync(join(this.paths.dir, 'operations'))
          .filter((name) => name.endsWith('.json'))
          .map((name) => `operations/${name}`)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        buckets = []
      }
    }
    for (const file of this.files.keys()) if (file.startsWith('operations/') && !buckets.includes(file)) buckets.push(file)
    const all: OperationRecord[] = []
    for (const file of buckets) all.push(...Object.values(this.load<OperationBucket>(file)?.db.data.operations ?? {}))
    return all.sort(bySubmission)
  }

  /** Read every shard (a migration writes them all). */
  loadAll(): void {
    if (this.source.kind !== 'memory') return
    for (const file of this.source.files.keys()) if (file !== MAIN) this.load(file)
  }

  /**
   * After its changes were committed the files hold what this snapshot holds, so a server's next write
   * may start from it instead of reading and parsing them again. It keeps the files most recently used
   * while their text adds up to at most `keepChars` (the registry file always), letting the others go:
   * read again when asked for.
   */
  settle(keepChars: number): void {
    for (const file of this.used) {
      const loaded = this.files.get(file)
      if (!loaded) continue
      if (loaded.adapter.change !== undefined) loaded.adapter.original = loaded.adapter.change
      loaded.adapter.change = undefined
      this.files.delete(file)
      this.files.set(file, loaded)
    }
    let chars = 0
    for (const loaded of this.files.values()) chars += loaded.adapter.original?.length ?? 0
    for (const [file, loaded] of this.files) {
      if (chars <= keepChars) break
      if (file === MAIN) continue
      chars -= loaded.adapter.original?.length ?? 0
      this.files.delete(file)
    }
    this.used.clear()
    this.used.add(MAIN)
    this.absent.clear()
    this.added.length = 0
  }

  /** The files to save after a successful write: those whose text changed, the registry file included. */
  changes(): FileChange[] {
    const main = this.main
    const state = this.state
    main.namespaces = state.namespaces
    main.services = state.services
    main.tags = state.tags
    main.sequence = state.sequence
    main.schemaVersion = SCHEMA_VERSION
    // The waiting index: operations that were waiting or were just added, less those that completed.
    const waiting = new Set([...main.waitingOperations, ...this.added.map((op) => op.Id)])
    main.waitingOperations = [...waiting].filter((id) => {
      const loaded = this.files.get(operationBucket(id)) as Loaded<OperationBucket> | undefined
      const op = loaded?.db.data.operations[id]
      return loaded === undefined || (op !== undefined && op.Effect !== undefined)
    })
    // Instance counts follow the shards that were used.
    for (const file of this.used) {
      if (!file.startsWith('services/')) continue
      const shard = (this.files.get(file) as Loaded<InstanceShard>).db.data
      const srv = main.services[shard.serviceId]
      if (!srv) continue
      const count = Object.keys(shard.instances).length
      if (count > 0) srv.InstanceCount = count
      else delete srv.InstanceCount
    }
    const mainLoaded = this.files.get(MAIN) as Loaded<MainDocument>
    mainLoaded.db.data = mainDocument(main)
    const changes: FileChange[] = []
    for (const file of this.used) {
      const loaded = this.files.get(file)!
      loaded.db.write()
      if (loaded.adapter.change !== undefined) changes.push({ file, content: loaded.adapter.change })
    }
    // Every write that changes a file moves the registry file too (its write count): readers that keep a
    // view while its stamp holds (serve) and the change feed see writes by that stamp alone, so a write
    // that changed only a shard (a recorded health status) must not leave it as it was.
    if (changes.length > 0 && !changes.some((change) => change.file === MAIN)) {
      state.sequence += 1
      main.sequence = state.sequence
      mainLoaded.db.data = mainDocument(main)
      mainLoaded.db.write()
      changes.push({ file: MAIN, content: mainLoaded.adapter.change! })
    }
    return changes
  }
}
