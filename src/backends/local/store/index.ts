import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { open, readFile, rename } from 'node:fs/promises'
import { CloudmapError } from '../../../registry/errors.js'
import { SCHEMA_VERSION } from '../state.js'
import type { RegistryState } from '../state.js'
import type { FlatRegistry, MainDocument } from './documents.js'
import { emptyMain, parseMain, splitRegistry } from './documents.js'
import type { Appended, CrashPoint, FileChange, LoggedFiles } from './journal.js'
import type { Lock } from './lock.js'
import type { RegistryPaths } from './paths.js'
import { MAIN, registryPaths } from './paths.js'
import { logFromAnotherBoot } from './boot.js'
import { Snapshot } from './snapshot.js'
import type { Stamp } from './stamp.js'
import { sameStamp } from './stamp.js'

export type { FlatRegistry } from './documents.js'
export { registryPaths } from './paths.js'
export type { Stamp } from './stamp.js'
export { sameStamp } from './stamp.js'

export interface StoreOptions {
  /** How long a writer waits for the lock before giving up (default 60 s). */
  lockTimeoutMs?: number
  /** Messages for the user that are not errors (a migration); default: stderr. */
  notice?: (message: string) => void
  /** Tests: kill this process at a point of a write (CLOUDMAP_TEST_CRASH_AT). */
  crashAt?: CrashPoint
  /**
   * Keep the last view read and answer later reads from it while the registry file's stamp says nothing
   * was written since (a long-running server; a CLI process reads once and gains nothing).
   */
  cacheReads?: boolean
  /**
   * Make written files durable (checkpoint the write-ahead log, store/journal.ts) when writes pause or the
   * log grows large, instead of after every write: a server's writes then cost one flush each.
   */
  checkpointWhenIdle?: boolean
}

/** How long writes must pause before a server checkpoints. */
const CHECKPOINT_IDLE_MS = 200

interface Opened {
  snapshot: Snapshot
  stamp: Stamp
  /** The schema version of the file when it is older than ours (the write migrates it), and its text. */
  migrate?: { version: number; text: string }
}

/** Whether a write is being committed and applied (a writer is at it, or was killed doing so). */
function pendingJournal(paths: RegistryPaths): boolean {
  return existsSync(paths.journal)
}

/**
 * The lock and the journal are loaded by writes only: a read (discover-instances in a script's loop)
 * starts faster without them.
 */
const writing = () => Promise.all([import('./journal.js'), import('./lock.js')]).then(([journal, lock]) => ({ ...journal, ...lock }))

interface QueuedWrite {
  fn: (state: RegistryState) => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
  settled?: boolean
}

/** At most this many queued writes are saved in one commit. */
const MAX_BATCH = 64

/** How long a commit may wait for the writes that lately came together (group commit). */
const GATHER_MS = 0.5

/** How long the number of writes that came together is remembered. */
const CONCURRENCY_MEMORY_MS = 100

/**
 * How much of the registry (characters of file text) a server's committed view keeps for its next write,
 * the files most recently used first: a write then reads and parses only files it has not used lately.
 * Loading 40,000 instances through serve took as long with 2 MiB as with 16 (53 s), with a peak RSS of
 * 249 MB against 407 MB: parsed, a file takes several times its text.
 */
const WRITE_VIEW_CHARS = 2 * 1024 * 1024

/** A read that raced writers this many times is done under the lock instead. */
const OPTIMISTIC_READS = 8

/**
 * The registry on disk (layout: store/paths.ts). Reads take no lock: they read the registry file, then
 * the shards the handler needs, and retry if a write was committed meanwhile. Writes are serialised
 * across processes by the lock, see the registry after any interrupted write is finished, and save only
 * the files that changed, all or none (store/journal.ts), and only when the handler succeeded.
 */
export class RegistryStore {
  readonly paths: RegistryPaths

  constructor(
    path: string,
    private readonly options: StoreOptions = {},
  ) {
    this.paths = registryPaths(path)
  }

  /** Run a read-only call on a consistent view of the registry. Never writes, except to finish a write a killed process committed. */
  async read<T>(fn: (state: RegistryState) => T): Promise<T> {
    // A log left from before the machine restarted may hold writes the files lack: replay it first (once
    // per process: no restart happens while it runs).
    const restarted = !this.bootChecked && logFromAnotherBoot(this.paths)
    this.bootChecked ||= !restarted
    for (let attempt = 0; attempt < (restarted ? 0 : OPTIMISTIC_READS); attempt++) {
      // A kept view whose registry file is unchanged is the registry before any write being applied now.
      const kept = this.keptView()
      if (!kept && pendingJournal(this.paths)) {
        // A writer is applying its write (a few milliseconds): wait for it. A journal that stays is a
        // killed writer's, finished below under the lock.
        await new Promise((resolve) => setTimeout(resolve, 1 + 2 * attempt))
        continue
      }
      const opened = kept ?? this.openToKeep()
      const filesRead = opened.snapshot.filesRead
      let outcome: { value: T } | { error: unknown }
      try {
        outcome = { value: fn(opened.snapshot.state) }
      } catch (error) {
        outcome = { error }
      }
      // A kept view that read no file now is the registry as its stamp was a moment ago: consistent as it is.
      // A file that could not be parsed is not counted as read, and may be a shard being written over
      // itself: a failed call is checked against the journal and the stamp like any other.
      const readNothing = 'value' in outcome && opened === this.kept && opened.snapshot.filesRead === filesRead
      // Journal first, then the registry file: a write that began after the first check shows in one of them.
      if (readNothing || (!pendingJournal(this.paths) && sameStamp(opened.stamp, this.stamp()))) {
        if ('error' in outcome) throw outcome.error
        return outcome.value
      }
      // The kept view may now hold a shard of a newer write: never use it again.
      if (opened === this.kept) this.kept = undefined
    }
    return this.locked(async (io, lock) => {
      await this.recover(io, lock)
      return fn(this.open().snapshot.state)
    })
  }

  /** Whether this process has looked for a log from before a restart (and replayed it). */
  private bootChecked = false

  /** Under the lock: finish what a killed or restarted writer left (store/journal.ts). */
  private async recover(io: Awaited<ReturnType<typeof writing>>, lock: Lock): Promise<void> {
    await io.recover(this.paths, { sweep: lock.tookOver, afterRestart: !this.bootChecked, notice: this.notice })
    this.bootChecked = true
  }

  private readonly notice = (message: string): void => (this.options.notice ?? ((text: string) => process.stderr.write(`${text}\n`)))(message)

  /** A checkpoint waiting for writes to pause (checkpointWhenIdle). */
  private checkpointTimer: NodeJS.Timeout | undefined

  /**
   * After a commit: make its files durable now, or once writes pause (checkpointWhenIdle). The writes are
   * durable already (in the log), so a checkpoint that fails fails no write: it is said and tried again.
   */
  private async afterCommit(io: Awaited<ReturnType<typeof writing>>, logBytes: number): Promise<void> {
    clearTimeout(this.checkpointTimer)
    this.checkpointTimer = undefined
    if (!this.options.checkpointWhenIdle || logBytes > io.CHECKPOINT_BYTES) return this.checkpoint(io)
    this.scheduleCheckpoint()
  }

  private scheduleCheckpoint(): void {
    this.checkpointTimer = setTimeout(() => {
      // Writes under way: wait for them to pause.
      if (this.flushing) return this.scheduleCheckpoint()
      this.checkpointTimer = undefined
      void this.checkpointLocked()
    }, CHECKPOINT_IDLE_MS)
    this.checkpointTimer.unref()
  }

  /** A checkpoint on its own (no write to ride on): it takes the lock first. */
  private async checkpointLocked(): Promise<void> {
    await this.locked(async (io, lock) => {
      // A writer killed since (the lock taken over from it) may have left a write half applied, which only
      // the log can finish: finish it before the checkpoint deletes the log.
      await this.recover(io, lock)
      await this.checkpoint(io)
    }).catch((error: unknown) => this.checkpointFailed(error))
  }

  private async checkpoint(io: Awaited<ReturnType<typeof writing>>): Promise<void> {
    await io.checkpoint(this.paths, this.logged).then(
      () => (this.logged = undefined),
      (error: unknown) => this.checkpointFailed(error),
    )
  }

  /** The files this process's commits named in the write-ahead log, while it wrote every line of it. */
  private logged: LoggedFiles | undefined

  private checkpointFailed(error: unknown): void {
    this.notice(`cloudmap: could not checkpoint the registry's write-ahead log ${this.paths.log} (${(error as Error).message}); every write is in it, and it is kept until a later checkpoint.`)
  }

  /** Make every write durable in the files themselves (a server that stops). */
  async close(): Promise<void> {
    if (this.checkpointTimer === undefined) return
    clearTimeout(this.checkpointTimer)
    this.checkpointTimer = undefined
    await this.checkpointLocked()
  }

  /**
   * Run a writing call under the lock; when fn returns, save what it changed. When it throws, nothing is
   * written (the registry file stays byte-for-byte as it was).
   *
   * Writes that arrive while another is being saved (a server with many requests in flight) are saved
   * together, in order, in one commit: one lock and one journal for all of them. Each still sees the ones
   * before it, and one that throws leaves no trace (the others are run again without it).
   */
  write<T>(fn: (state: RegistryState) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject })
      this.noteConcurrentWrites(this.queue.length + this.committing)
      if (!this.flushing) void this.flush()
    })
  }

  private readonly queue: QueuedWrite[] = []
  private flushing = false

  /**
   * How many writes were waiting at once lately (queued, or in the commit under way): a server's clients
   * that were answered together send their next writes together, a moment later.
   */
  private concurrentWrites = { peak: 0, at: 0 }
  /** Writes in the commit under way. */
  private committing = 0

  private noteConcurrentWrites(count: number): void {
    const now = performance.now()
    if (count >= this.concurrentWrites.peak || now - this.concurrentWrites.at > CONCURRENCY_MEMORY_MS) this.concurrentWrites = { peak: count, at: now }
  }

  /**
   * Group commit: before a commit, wait a moment (at most GATHER_MS, one turn of the event loop at a time)
   * for as many writes as were lately waiting at once. Without it, writers answered together split into
   * groups that keep missing each other's commits: four clients made commits of 1 and 3 writes, in turn,
   * never 4. One writer at a time (a CLI command, a lone client) never waits.
   */
  private async gather(): Promise<void> {
    const expected = performance.now() - this.concurrentWrites.at > CONCURRENCY_MEMORY_MS ? 1 : this.concurrentWrites.peak
    const deadline = performance.now() + GATHER_MS
    while (this.queue.length < expected && performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve))
  }

  private async flush(): Promise<void> {
    this.flushing = true
    try {
      while (this.queue.length > 0) {
        let batch: QueuedWrite[] | undefined
        await this.gather()
        try {
          const saved = await this.locked(async (io, lock) => {
            this.crash('locked')
            await this.recover(io, lock)
            // Taken now rather than before the lock: writes that arrived meanwhile share this commit.
            batch = this.queue.splice(0, MAX_BATCH)
            this.committing = batch.length
            const { saved, logBytes } = await this.saveBatch(batch, io.commit)
            if (logBytes > 0) await this.afterCommit(io, logBytes)
            return saved
          })
          // Answered once the lock is released, so a process that exits right after leaves no lock behind.
          for (const { entry, value } of saved) {
            entry.settled = true
            entry.resolve(value)
          }
        } catch (error) {
          // The registry could not be read or saved (or the lock not taken): every write of the batch
          // that was still waiting fails.
          for (const entry of batch ?? this.queue.splice(0, MAX_BATCH)) if (!entry.settled) entry.reject(error)
        } finally {
          this.committing = 0
        }
      }
    } finally {
      this.flushing = false
    }
  }

  /** Run the batch's writes on one view and commit them; the ones that threw are rejected at once. */
  private async saveBatch(
    batch: QueuedWrite[],
    commit: (paths: RegistryPaths, changes: FileChange[], crash: (point: CrashPoint) => void, before?: LoggedFiles) => Promise<Appended>,
  ): Promise<{ saved: { entry: QueuedWrite; value: unknown }[]; logBytes: number }> {
    let pending = batch
    for (;;) {
      const opened = this.reusableWriteView() ?? this.open()
      this.writeView = undefined
      const values: unknown[] = []
      const failed = pending.findIndex((entry) => {
        try {
          values.push(entry.fn(opened.snapshot.state))
          return false
        } catch (error) {
          entry.settled = true
          entry.reject(error)
          return true
        }
      })
      if (failed >= 0) {
        // Its changes may be half made: run the others again on a fresh view, without it.
        pending = pending.filter((_, i) => i !== failed)
        if (pending.length === 0) return { saved: [], logBytes: 0 }
        continue
      }
      if (opened.migrate) opened.snapshot.loadAll()
      const changes = opened.snapshot.changes()
      if (opened.migrate) await this.backup(opened.migrate)
      const appended = await commit(this.paths, changes, (point) => this.crash(point), this.logged)
      this.logged = appended.logged
      if (this.options.cacheReads && !opened.migrate) {
        opened.snapshot.settle(WRITE_VIEW_CHARS)
        this.writeView = { ...opened, stamp: this.stamp() }
      }
      return { saved: pending.map((entry, i) => ({ entry, value: values[i] })), logBytes: appended.bytes }
    }
  }

  /** Create a registry with all of this in one write (benchmarks, imports); refused when it exists. */
  async create(flat: FlatRegistry): Promise<void> {
    await this.locked(async (io, lock) => {
      await this.recover(io, lock)
      if (existsSync(this.paths.main) || existsSync(this.paths.dir)) throw new CloudmapError('other', `The registry ${this.paths.main} already exists; choose a new path.`)
      const files = splitRegistry(flat)
      const snapshot = new Snapshot(this.paths, { kind: 'memory', files }, files.get(MAIN) as MainDocument, null)
      snapshot.loadAll()
      await io.commit(this.paths, snapshot.changes())
      await io.checkpoint(this.paths)
    })
  }

  private async locked<T>(fn: (io: Awaited<ReturnType<typeof writing>>, lock: Lock) => Promise<T>): Promise<T> {
    const io = await writing()
    const timeoutMs = this.options.lockTimeoutMs ?? 60_000
    const lock = await io.acquireLock(this.paths.lock, { timeoutMs })
    try {
      return await fn(io, lock)
    } finally {
      await lock.release()
    }
  }

  /**
   * The view the last write committed (cacheReads: a server), which the next write starts from while the
   * registry file is the one it wrote: no other process wrote since (every write replaces that file).
   */
  private writeView: Opened | undefined

  private reusableWriteView(): Opened | undefined {
    return this.writeView && sameStamp(this.writeView.stamp, this.stamp()) ? this.writeView : undefined
  }

  /** The view kept by the last read (cacheReads), while the registry file is unchanged. */
  private kept: Opened | undefined

  /** The kept view, when the registry file has not changed since it was read. */
  private keptView(): Opened | undefined {
    if (this.kept && sameStamp(this.kept.stamp, this.stamp())) return this.kept
    this.kept = undefined
    return undefined
  }

  /** Read the registry, and keep the view for later reads (cacheReads) unless operations are waiting. */
  private openToKeep(): Opened {
    const opened = this.open()
    if (this.options.cacheReads && opened.stamp !== null && !opened.migrate && !opened.snapshot.hasWaitingOperations) this.kept = opened
    return opened
  }

  private crash(point: CrashPoint): void {
    if (this.options.crashAt === point) process.kill(process.pid, 'SIGKILL')
  }

  /** The stamp of the registry file now: it changes with every write (store/journal.ts renames it last). */
  stamp(): Stamp {
    return statSync(this.paths.main, { bigint: true, throwIfNoEntry: false }) ?? null
  }

  /** Read the registry file and make a snapshot of it; refuse, untouched, a file that is not a registry we can use. */
  private open(): Opened {
    const { main, dir } = this.paths
    let fd: number
    try {
      fd = openSync(main, 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(main, error)
      // A registry file deleted while its shards were kept would silently lose or mix data.
      const shards = existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')) : []
      if (shards.length > 0) {
        throw new CloudmapError(
          'other',
          `The registry file ${main} is missing, but its shard folder ${dir} is there. Restore ${main} from a backup or version control, or delete ${dir} to start a new registry; cloudmap changed nothing.`,
        )
      }
      const doc = emptyMain()
      return { snapshot: new Snapshot(this.paths, { kind: 'files' }, doc, null), stamp: null }
    }
    let stamp: Stamp
    let text: string
    try {
      const info = fstatSync(fd, { bigint: true })
      stamp = info
      if (info.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' })
      text = readFileSync(fd, 'utf8')
    } catch (error) {
      throw unreadable(main, error)
    } finally {
      closeSync(fd)
    }
    const parsed = parseMain(text, main)
    if (parsed.version === SCHEMA_VERSION) {
      return { snapshot: new Snapshot(this.paths, { kind: 'files' }, parsed.doc as MainDocument, text), stamp }
    }
    // An older layout: read it as it is (reads never write); the next write migrates it.
    const files = splitRegistry(parsed.doc as FlatRegistry)
    return { snapshot: new Snapshot(this.paths, { kind: 'memory', files }, files.get(MAIN) as MainDocument, text), stamp, migrate: { version: parsed.version, text } }
  }

  /** Keep the registry file as it was before a migration, beside it: registry.json.v1.bak. */
  private async backup({ version, text }: { version: number; text: string }): Promise<void> {
    let backup = `${this.paths.main}.v${version}.bak`
    const existing = await readFile(backup, 'utf8').catch(() => undefined)
    if (existing !== undefined && existing !== text) backup = `${this.paths.main}.v${version}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`
    if (existing !== text) {
      const temp = `${backup}.${process.pid}.tmp`
      const handle = await open(temp, 'w')
      try {
        await handle.writeFile(text, 'utf8')
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, backup)
    }
    const notice = this.options.notice ?? ((message: string) => process.stderr.write(`${message}\n`))
    notice(
      `cloudmap: upgraded the registry ${this.paths.main} from schema version ${version} to ${SCHEMA_VERSION} (instances and operations are now in ${this.paths.dir}); the previous file is kept as ${backup}.`,
    )
  }
}

function unreadable(path: string, error: unknown): CloudmapError {
  return new CloudmapError('other', `The registry file ${path} can't be read (${(error as Error).message}). Check that it is a file you may read, or point --registry (or CLOUDMAP_REGISTRY) at another one; cloudmap left it untouched.`)
}
