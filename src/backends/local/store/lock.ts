import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { CloudmapError } from '../../../registry/errors.js'

/**
 * The writers' lock of a registry: one lock file beside the registry file, created atomically with its
 * owner inside (a temp file hard-linked into place, which fails when the lock exists), removed on release.
 *
 * A lock is stale, and taken over, when its owner is gone:
 * - same host (and PID namespace): its process no longer exists, or the PID now belongs to a process that
 *   started later (checked at once, so a killed writer costs the next one nothing);
 * - otherwise (a registry on a network share): it was not refreshed for STALE_MS. A holder refreshes its
 *   lock's mtime every REFRESH_MS.
 * Breaking a stale lock is itself guarded by a short-lived `.break` file, so two processes that both find
 * it stale cannot both take it (the second would otherwise delete the first one's fresh lock).
 *
 * This does what proper-lockfile does (mkdir lock, mtime heartbeat) and more: proper-lockfile judges
 * staleness by mtime alone, so a killed writer blocks every other one for `stale` (at least 2 s), and a
 * live writer whose event loop is busy longer than that loses its lock.
 */

const REFRESH_MS = 5_000
const STALE_MS = 60_000
/** A `.break` file older than this was left by a process killed while breaking a lock. */
const BREAK_STALE_MS = 10_000

interface Owner {
  pid: number
  host: string
  /** /proc/self/ns/pid: PIDs compare only within one namespace. */
  pidns?: string
  /** Start time of the process (/proc/<pid>/stat field 22), to tell a reused PID. */
  start?: string
  since: string
  nonce: string
}

export interface Lock {
  /** Whether the lock was taken over from a process that died holding it (its write may have left files to clear). */
  tookOver: boolean
  release(): Promise<void>
}

export interface LockOptions {
  /** Give up after this long with a message naming the lock and its owner. */
  timeoutMs: number
}

function procStart(pid: number | 'self'): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

let self: Omit<Owner, 'since' | 'nonce'> | undefined
function me(): Omit<Owner, 'since' | 'nonce'> {
  if (!self) {
    let pidns: string | undefined
    try {
      pidns = readlinkSync('/proc/self/ns/pid')
    } catch {
      pidns = undefined
    }
    self = { pid: process.pid, host: hostname(), pidns, start: procStart('self') }
  }
  return self
}

function alive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
  }
  // The PID exists (or belongs to another user: EPERM); it is the owner unless it started at another time.
  if (owner.start === undefined) return true
  const start = procStart(owner.pid)
  return start === undefined || start === owner.start
}

/** Why the lock at `path` (with this owner and mtime) is stale, or undefined while its owner may be alive. */
function staleness(owner: Owner | undefined, mtimeMs: number): string | undefined {
  const age = Date.now() - mtimeMs
  if (owner === undefined) return age > STALE_MS ? `unreadable and ${Math.round(age / 1000)} s old` : undefined
  const here = me()
  if (owner.host === here.host && owner.pidns === here.pidns) return alive(owner) ? undefined : `process ${owner.pid} is gone`
  return age > STALE_MS ? `not refreshed for ${Math.round(age / 1000)} s` : undefined
}

async function readOwner(path: string): Promise<{ owner: Owner | undefined; mtimeMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)])
    let owner: Owner | undefined
    try {
      const parsed = JSON.parse(text) as Owner
      owner = typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' ? parsed : undefined
    } catch {
      owner = undefined
    }
    return { owner, mtimeMs: info.mtimeMs }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Create `path` holding `content`, failing with EEXIST when it exists: a temp file linked into place.
 * Synchronous: three operations of microseconds each, which a server makes for every commit.
 */
function createExclusive(path: string, content: string): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(temp, content, { flag: 'wx' })
  try {
    linkSync(temp, path)
  } finally {
    try {
      unlinkSync(temp)
    } catch {
      // Gone already: nothing to clean.
    }
  }
}

/**
 * Remove the lock if it is still the stale one we looked at (same nonce), under the `.break` guard.
 * False when another process is breaking it right now.
 */
async function breakStale(path: string, nonce: string | undefined): Promise<boolean> {
  const guard = `${path}.break`
  try {
    const handle = await open(guard, 'wx')
    await handle.close()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const info = await stat(guard).catch(() => undefined)
    if (info && Date.now() - info.mtimeMs > BREAK_STALE_MS) await unlink(guard).catch(() => {})
    return false
  }
  try {
    const current = await readOwner(path)
    if (current && current.owner?.nonce === nonce) await unlink(path).catch(() => {})
  } finally {
    await unlink(guard).catch(() => {})
  }
  return true
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Callers in this process queue here first, so they don't poll the lock file against each other. */
const queues = new Map<string, Promise<void>>()

export async function acquireLock(path: string, options: LockOptions): Promise<Lock> {
  const previous = queues.get(path) ?? Promise.resolve()
  let done!: () => void
  const mine = new Promise<void>((resolve) => (done = resolve))
  const tail = previous.then(() => mine)
  queues.set(path, tail)
  const leave = () => {
    done()
    if (queues.get(path) === tail) queues.delete(path)
  }
  await previous
  try {
    const { release, tookOver } = await acquireFile(path, options)
    return {
      tookOver,
      release: async () => {
        try {
          await release()
        } finally {
          leave()
        }
      },
    }
  } catch (error) {
    leave()
    throw error
  }
}

async function acquireFile(path: string, { timeoutMs }: LockOptions): Promise<{ release: () => Promise<void>; tookOver: boolean }> {
  const owner: Owner = { ...me(), since: new Date().toISOString(), nonce: randomBytes(8).toString('hex') }
  const content = `${JSON.stringify(owner)}\n`
  const deadline = Date.now() + timeoutMs
  let tookOver = false
  let madeFolder = false
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      createExclusive(path, content)
      break
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' && !madeFolder) {
        // A registry's first write: its folder does not exist yet. Created, but said, so that a mistyped
        // --registry does not go unnoticed.
        const created = await mkdir(dirname(path), { recursive: true })
        if (created !== undefined) process.stderr.write(`cloudmap: created the folder ${dirname(path)} for the registry\n`)
        madeFolder = true
        continue
      }
      if (code !== 'EEXIST') {
        throw new CloudmapError('other', `Can't create the registry lock ${path} (${(error as Error).message}). Check that its folder exists and is writable.`)
      }
    }
    const current = await readOwner(path)
    if (current === undefined) continue
    if (staleness(current.owner, current.mtimeMs) !== undefined && (await breakStale(path, current.owner?.nonce))) {
      tookOver = true
      continue
    }
    if (Date.now() > deadline) {
      const who = current.owner ? `process ${current.owner.pid} on ${current.owner.host} since ${current.owner.since}` : 'an unknown process'
      throw new CloudmapError(
        'other',
        `Timed out after ${timeoutMs < 10_000 ? (timeoutMs / 1000).toFixed(1) : Math.round(timeoutMs / 1000)} s waiting for the registry lock ${path}, held by ${who}. If no cloudmap is running against this registry any more, delete ${path}.`,
      )
    }
    // Jitter spreads out many waiters (CI running dozens of commands at once).
    await sleep(wait / 2 + Math.random() * wait)
  }
  const timer = setInterval(() => {
    const now = new Date()
    utimes(path, now, now).catch(() => {})
  }, REFRESH_MS)
  timer.unref()
  const release = async () => {
    clearInterval(timer)
    // Only our own lock is removed (one taken over from us while we hung is not ours any more).
    let text: string | undefined
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      text = undefined
    }
    if (text === content) {
      try {
        unlinkSync(path)
      } catch {
        // Removed by whoever took it over.
      }
    }
  }
  return { release, tookOver }
}

/** Test and diagnostics: who holds the lock, if anyone, and whether it is stale. */
export async function inspectLock(path: string): Promise<{ owner: Owner | undefined; stale: string | undefined } | undefined> {
  const current = await readOwner(path)
  return current && { owner: current.owner, stale: staleness(current.owner, current.mtimeMs) }
}
