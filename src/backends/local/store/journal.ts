import { createHash, randomBytes } from 'node:crypto'
import { closeSync, existsSync, fdatasync, fstatSync, ftruncateSync, futimesSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync, writeSync, writevSync } from 'node:fs'
import { open, readdir, readFile, rename, rm, truncate } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { CloudmapError } from '../../../registry/errors.js'
import type { LogHeader } from './boot.js'
import { bootId, logFromAnotherBoot } from './boot.js'
import type { RegistryPaths } from './paths.js'
import { MAIN, resolveFile } from './paths.js'
import type { Stamp } from './stamp.js'
import { sameStamp } from './stamp.js'

/**
 * How a write reaches the disk, so that a process killed (or a machine stopped) at any instant leaves the
 * registry as it was before the write or as it is after it, never in between, and every write that was
 * acknowledged survives:
 *
 * 1. the journal marker is created: "a write is being applied" (readers wait, see store/index.ts);
 * 2. the write, the full new content of every file it changes, is appended to the write-ahead log as one
 *    checksummed record (logRecord) and the log is fdatasynced: this is the commit point, and its only
 *    disk flush;
 * 3. each shard is written over itself (a new one is staged and renamed into place), then the registry
 *    file is written to the staging folder and renamed over itself, without a flush of their own;
 * 4. the marker is removed.
 *
 * The files written in 3 become durable at the next checkpoint: every file the log names is fsynced, with
 * its folder, and the log is deleted. A CLI process checkpoints after its write (the log is gone between
 * commands); serve checkpoints when its writes pause or the log grows large, so that a busy server pays
 * one flush per commit instead of one per file and folder.
 *
 * Recovery, under the lock: a marker left by a killed process means its write may be half applied; the
 * log's last whole record is applied again (whole contents, so applying twice changes nothing) and a torn
 * record after it (killed while appending: never acknowledged) is cut off. A log written before the machine
 * restarted (its header names another boot) may have lost any file written since the last checkpoint, so
 * every record is applied again, in order, and checkpointed, provided the registry file is one this log
 * wrote; if someone replaced it since (an editor, git checkout), the files are left as they are.
 */

export interface FileChange {
  /** Relative to the shard folder, or MAIN for the registry file. */
  file: string
  /** The new content; null removes the file. */
  content: string | null
}

/** A point of a write at which CLOUDMAP_TEST_CRASH_AT kills the process (crash tests). */
export type CrashPoint = 'locked' | 'staged' | 'committed' | 'overwriting' | 'applying' | 'applied'

interface Log {
  header: LogHeader
  /** The whole records, in order: each the changes of one commit. */
  writes: FileChange[][]
  /** Bytes of the header and the whole records; anything after is a torn record. */
  validBytes: number
  size: number
}

/**
 * A log larger than this is checkpointed even while writes keep coming. Each checkpoint fsyncs every file
 * written since, so rarer ones flush a file written by many commits once: loading 40,000 instances through
 * serve took 73 s with 1 MiB, 65 s with 8 MiB, 62 s with 32 MiB. The price is a longer pause for the writes
 * that wait on a checkpoint (wrk RegisterInstance p99: 39 ms with 2 MiB, 54 ms with 4, 95 ms with 16).
 * Recovery reads at most this much.
 */
export const CHECKPOINT_BYTES = 16 * 1024 * 1024

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

async function syncFile(path: string): Promise<void> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** fsync a folder, so the renames in it survive a power loss (a no-op where folders can't be opened). */
async function syncDir(path: string): Promise<void> {
  let handle
  try {
    handle = await open(path, 'r')
    await handle.sync()
  } catch {
    // Windows and some file systems don't fsync folders.
  } finally {
    await handle?.close()
  }
}

/**
 * rename, retried briefly where another process holding the target open makes it fail (Windows).
 * Synchronous, as the commit's other small file operations (see commit).
 */
function replaceSync(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (attempt >= 20 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25)
    }
  }
}

/**
 * A commit's record in the log, and each changed file's content as bytes (written to the log, then to the
 * file). The contents go in raw, after a header naming each file and its length:
 *
 *   ~<SHA-256 of what follows the space> [["services/srv-1.json",1234],["@registry",567]]\n<contents>\n
 *
 * A record in JSON (what cloudmap wrote before, and still reads) escaped every quote and newline of
 * every file: for 330 KiB of content that cost more than serializing the document, and the log twice.
 * Lengths are in UTF-16 code units, as the log is read back as one string.
 */
function logRecord(changes: readonly FileChange[]): { record: Buffer[]; bytes: (Buffer | null)[] } {
  const head = `${JSON.stringify(changes.map((change) => [change.file, change.content === null ? null : change.content.length]))}\n`
  const bytes = changes.map((change) => (change.content === null ? null : Buffer.from(change.content, 'utf8')))
  const hash = createHash('sha256').update(head)
  for (const content of bytes) if (content) hash.update(content)
  const record = [Buffer.from(`~${hash.digest('hex')} ${head}`, 'utf8')]
  for (const content of bytes) if (content) record.push(content)
  record.push(NEWLINE)
  return { record, bytes }
}

const NEWLINE = Buffer.from('\n')

/** Write every byte of these buffers at the end of the file. */
function writeAll(fd: number, buffers: Buffer[]): void {
  let left = buffers
  for (;;) {
    let written = writevSync(fd, left)
    const rest: Buffer[] = []
    for (const buffer of left) {
      if (written >= buffer.length) written -= buffer.length
      else {
        rest.push(written > 0 ? buffer.subarray(written) : buffer)
        written = 0
      }
    }
    if (rest.length === 0) return
    left = rest
  }
}

/**
 * The commit record at `at` (a record as logRecord writes it, or a JSON line as earlier versions did),
 * or undefined when it is torn or damaged (nothing from there on was acknowledged).
 */
function parseRecord(text: string, at: number): { changes: FileChange[]; end: number } | undefined {
  const headEnd = text.indexOf('\n', at)
  if (headEnd < 0) return undefined
  if (text[at] !== '~') {
    // Earlier versions: checksum, space, the changes as JSON, on one line.
    const payload = text.slice(at + 65, headEnd)
    return text[at + 64] === ' ' && sha256(payload) === text.slice(at, at + 64) ? { changes: JSON.parse(payload) as FileChange[], end: headEnd + 1 } : undefined
  }
  if (text[at + 65] !== ' ') return undefined
  const head = text.slice(at + 66, headEnd + 1)
  let entries: unknown
  try {
    entries = JSON.parse(head)
  } catch {
    return undefined
  }
  if (!Array.isArray(entries)) return undefined
  const hash = createHash('sha256').update(head)
  const changes: FileChange[] = []
  let next = headEnd + 1
  for (const entry of entries) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !(entry[1] === null || (Number.isInteger(entry[1]) && entry[1] >= 0))) return undefined
    const [file, length] = entry as [string, number | null]
    if (length === null) {
      changes.push({ file, content: null })
      continue
    }
    const content = text.slice(next, next + length)
    if (content.length < length) return undefined
    hash.update(content)
    changes.push({ file, content })
    next += length
  }
  if (text[next] !== '\n' || hash.digest('hex') !== text.slice(at + 1, at + 65)) return undefined
  return { changes, end: next + 1 }
}

/** The log, or undefined when there is none (or it has no whole header: it holds no commit). */
async function readLog(paths: RegistryPaths): Promise<Log | undefined> {
  let text: string
  try {
    text = await readFile(paths.log, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const headerEnd = text.indexOf('\n')
  if (headerEnd < 0) return undefined
  let header: LogHeader
  try {
    header = JSON.parse(text.slice(0, headerEnd)) as LogHeader
  } catch {
    return undefined
  }
  const writes: FileChange[][] = []
  let at = headerEnd + 1
  for (;;) {
    const record = parseRecord(text, at)
    if (!record) break
    writes.push(record.changes)
    at = record.end
  }
  return { header, writes, validBytes: Buffer.byteLength(text.slice(0, at)), size: Buffer.byteLength(text) }
}

/**
 * The files named in the log, known without reading it: a writer that appended every line of the log
 * keeps them, so that its checkpoint need not read back, hash and parse megabytes it just wrote.
 */
export interface LoggedFiles {
  /** The log's id (its header): a log deleted and started again may come back with the same stamp. */
  id: string
  files: Set<string>
  /** The log as this writer's last append left it. */
  end: Stamp
}

/** What a commit appended to the log. */
export interface Appended {
  /** The log's size after it. */
  bytes: number
  /** Every file the log names, when the lines before this commit's were all `before`'s. */
  logged: LoggedFiles | undefined
}

/**
 * Commit a write (steps 1-4 above). Resolves once it is durable and applied, with what it appended. Throws,
 * with nothing changed, when it could not be made durable. `before` is what the caller's previous commit
 * returned as logged, if any.
 */
export async function commit(
  paths: RegistryPaths,
  changes: readonly FileChange[],
  crash: (point: CrashPoint) => void = () => {},
  before?: LoggedFiles,
): Promise<Appended> {
  if (changes.length === 0) return { bytes: 0, logged: before }
  // The registry file is replaced last: a reader that sees it new sees every shard new as well.
  const ordered = [...changes].sort((a, b) => Number(a.file === MAIN) - Number(b.file === MAIN))
  const { record, bytes } = logRecord(ordered)
  // The small file operations are synchronous: each costs microseconds, where a round trip through
  // libuv's thread pool costs more than the operation, and a commit makes a dozen of them in turn. Only
  // the flush, which takes the disk's time, is awaited.
  mkdirSync(paths.staging, { recursive: true })
  crash('staged')
  writeFileSync(paths.journal, '')
  const fd = openSync(paths.log, 'a')
  let size: number
  let created: boolean
  let logged: LoggedFiles | undefined
  try {
    const found = fstatSync(fd, { bigint: true })
    size = Number(found.size)
    created = size === 0
    // Lines another process appended (a CLI write killed before its checkpoint) are known only by reading.
    const header = created ? newHeader(paths) : undefined
    logged = header ? { id: header.id!, files: new Set(), end: found } : before && sameStamp(before.end, found) ? before : undefined
    if (header) record.unshift(Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'))
    try {
      writeAll(fd, record)
      await datasync(fd)
    } catch (error) {
      // Not committed: take the line back, so that no later recovery applies it.
      try {
        ftruncateSync(fd, size)
      } catch {
        // The line is torn or whole but unacknowledged; with the marker gone, recovery never applies it alone.
      }
      rmSync(paths.journal, { force: true })
      throw error
    }
    for (const buffer of record) size += buffer.length
    if (logged) {
      for (const change of ordered) logged.files.add(change.file)
      logged.end = fstatSync(fd, { bigint: true })
    }
  } finally {
    closeSync(fd)
  }
  // A new log's name must survive a power loss too (once per log).
  if (created) await syncDir(paths.dir)
  crash('committed')
  apply(paths, ordered, crash, bytes)
  crash('applied')
  unlinkSync(paths.journal)
  return { bytes: size, logged }
}

const datasync = promisify(fdatasync)

function newHeader(paths: RegistryPaths): LogHeader {
  let main: string | null = null
  try {
    main = readFileSync(paths.main, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  return { log: 1, boot: bootId(), base: main === null ? null : sha256(main), id: randomBytes(8).toString('hex') }
}

/** The id in the log's header; undefined when it has none (an earlier version's) or can't be read. */
function logId(paths: RegistryPaths): string | undefined {
  let fd: number | undefined
  try {
    fd = openSync(paths.log, 'r')
    const start = Buffer.alloc(1024)
    const text = start.subarray(0, readSync(fd, start, 0, start.length, 0)).toString('utf8')
    const end = text.indexOf('\n')
    return end < 0 ? undefined : (JSON.parse(text.slice(0, end)) as LogHeader).id
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Write a shard that exists over itself: its bytes from the start, then cut to their length. The log holds
 * the whole content until a checkpoint, so a torn overwrite is mended as an unfinished rename would be
 * (recovery applies the log again), and a reader sees it torn only while the marker is there or once the
 * registry file moved, and so reads again (store/index.ts). Why not staged and renamed like the registry file:
 * on ext4, replacing a file by rename (or truncating it to zero) makes the kernel allocate its blocks at
 * once (auto_da_alloc), measured here at 100-150 µs a file against 5-17 µs for this. The registry file
 * itself is still renamed: its replacement is the stamp readers and the change feed go by (laterMtime).
 * False when the file does not exist yet or can't be opened for writing.
 */
function overwrite(target: string, bytes: Buffer, crash: (point: CrashPoint) => void): boolean {
  let fd: number
  try {
    fd = openSync(target, 'r+')
  } catch (error) {
    // Absent, or not writable (read-only, where its folder is not): staged and renamed instead.
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') return false
    throw error
  }
  try {
    const before = fstatSync(fd, { bigint: true })
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at, at)
    if (before.size > bytes.length) {
      // Killed here, the new content is followed by the end of the old one: a torn file, which recovery mends.
      crash('overwriting')
      ftruncateSync(fd, bytes.length)
    }
    const mtime = laterMtime(before.mtimeNs)
    futimesSync(fd, mtime, mtime)
  } finally {
    closeSync(fd)
  }
  return true
}

/**
 * A time for a file's new version, strictly after `previousNs` (its version before), in seconds. A version
 * of a registry file is known by its inode, size and times: the registry file's stamp (store/index.ts) and
 * serve's live view's shard stamps. But ext4 gives a freed inode to the next new file at once (the
 * registry file's inode alternates between two numbers), a shard written over itself keeps its inode,
 * sizes repeat, and on kernels whose file clock ticks every few milliseconds two writes in one tick get one
 * mtime: without this, such writes would look like no write at all.
 */
function laterMtime(previousNs: bigint | undefined): number {
  const nowNs = BigInt(Date.now()) * 1_000_000n
  // A millisecond later: a step of a microsecond was lost on the way (seconds as a double) every time here.
  const ns = previousNs !== undefined && previousNs >= nowNs ? previousNs + 1_000_000n : nowNs
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9
}

/** Write one commit's files in place: each shard over itself (a new one staged and renamed), the registry file staged and renamed, last. */
function apply(paths: RegistryPaths, changes: readonly FileChange[], crash: (point: CrashPoint) => void = () => {}, encoded?: readonly (Buffer | null)[]): void {
  const id = randomBytes(6).toString('hex')
  mkdirSync(paths.staging, { recursive: true })
  changes.forEach((change, i) => {
    const target = resolveFile(paths, change.file)
    const bytes = change.content === null ? null : (encoded?.[i] ?? Buffer.from(change.content, 'utf8'))
    if (bytes === null) {
      rmSync(target, { force: true })
    } else if (change.file === MAIN || !overwrite(target, bytes, crash)) {
      const staged = join(paths.staging, `${id}-${i}.json`)
      writeFileSync(staged, bytes)
      const mtime = laterMtime(statSync(target, { bigint: true, throwIfNoEntry: false })?.mtimeNs)
      utimesSync(staged, mtime, mtime)
      try {
        replaceSync(staged, target)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        // The target's folder is new (the first shard of its kind).
        mkdirSync(dirname(target), { recursive: true })
        replaceSync(staged, target)
      }
    }
    if (i === 0 && changes.length > 1) crash('applying')
  })
}

/**
 * Make every file the log names durable, then delete the log (under the lock). The deletion is not
 * flushed: a log that comes back after a power loss is from another boot and is applied again, which
 * changes nothing (its files are the ones written since), or is kept aside if the registry file changed.
 */
export async function checkpoint(paths: RegistryPaths, known?: LoggedFiles): Promise<void> {
  const now = statSync(paths.log, { bigint: true, throwIfNoEntry: false })
  let named: Iterable<string> | undefined
  if (now && known && sameStamp(known.end, now) && logId(paths) === known.id) named = known.files
  else {
    const log = now ? await readLog(paths) : undefined
    if (log) named = log.writes.flatMap((write) => write.map((change) => change.file))
  }
  if (named) {
    const files = new Set([...named].map((file) => resolveFile(paths, file)))
    const dirs = new Set([...files].map((file) => dirname(file)))
    await Promise.all([...files].map(syncFile))
    await Promise.all([...dirs].map(syncDir))
  }
  await rm(paths.log, { force: true })
}

/**
 * Under the lock: finish a write that a killed process committed, replay a log from before a restart
 * (`afterRestart`: looked for once per process, as no restart happens while it runs), and (`sweep`: the
 * lock was taken over from a process that died) clear what a write left in the staging folder. True
 * when files were written.
 */
export async function recover(paths: RegistryPaths, options: { sweep?: boolean; afterRestart?: boolean; notice?: (message: string) => void } = {}): Promise<boolean> {
  const { sweep = true, afterRestart = true, notice = () => {} } = options
  const marked = existsSync(paths.journal)
  let finished = false
  if (afterRestart && logFromAnotherBoot(paths)) {
    const log = await readLog(paths)
    if (log) {
      const main = await readFile(paths.main, 'utf8').catch(() => null)
      const known = new Set<string | null>([log.header.base])
      for (const write of log.writes) for (const change of write) if (change.file === MAIN) known.add(change.content === null ? null : sha256(change.content))
      if (known.has(main === null ? null : sha256(main))) {
        for (const write of log.writes) apply(paths, write)
        finished = log.writes.length > 0
      } else {
        const kept = `${paths.log}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`
        await rename(paths.log, kept)
        notice(`cloudmap: the registry file ${paths.main} was replaced since cloudmap last wrote it, before this machine restarted, so cloudmap left the registry as it is and did not replay its write-ahead log (kept as ${kept}).`)
      }
    }
    await checkpoint(paths)
  } else if (marked) {
    const log = await readLog(paths)
    if (log) {
      // A torn line is a commit that was never acknowledged: cut it off before anything follows it.
      if (log.validBytes < log.size) await truncate(paths.log, log.validBytes)
      const last = log.writes[log.writes.length - 1]
      if (last) {
        apply(paths, last)
        finished = true
      }
    } else {
      // A log without a whole header holds no commit (its writer was killed writing the first one): gone,
      // so that later commits start a new log rather than append where no reader finds them.
      await rm(paths.log, { force: true })
      await finishStagedJournal(paths)
    }
  }
  if (marked) await rm(paths.journal, { force: true })
  if (!finished && !sweep) return false
  let leftovers: string[] = []
  try {
    leftovers = await readdir(paths.staging)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await Promise.all(leftovers.map((name) => rm(join(paths.staging, name), { force: true, recursive: true })))
  return finished
}

/**
 * A journal left by cloudmap before the write-ahead log (0.x): it lists staged files to rename into place.
 * An empty marker (this version's) with no log is a write killed before its commit point: nothing to do.
 */
async function finishStagedJournal(paths: RegistryPaths): Promise<void> {
  const text = await readFile(paths.journal, 'utf8').catch(() => '')
  if (text.trim() === '') return
  let entries: { file: string; staged?: string }[]
  try {
    const journal = JSON.parse(text) as { files?: unknown }
    if (!Array.isArray(journal.files)) throw new Error('no list of files')
    entries = journal.files as { file: string; staged?: string }[]
  } catch (error) {
    throw new CloudmapError(
      'other',
      `The registry journal ${paths.journal} is damaged (${(error as Error).message}), so an interrupted write of ${paths.main} can't be finished. Restore the registry from a backup or version control and delete ${paths.journal}.`,
    )
  }
  for (const entry of entries) {
    const target = resolveFile(paths, entry.file)
    if (entry.staged === undefined) await rm(target, { force: true })
    else if (existsSync(join(paths.staging, entry.staged))) {
      mkdirSync(dirname(target), { recursive: true })
      replaceSync(join(paths.staging, entry.staged), target)
    }
  }
  await Promise.all([...new Set(entries.map((e) => dirname(resolveFile(paths, e.file))))].map(syncDir))
}
