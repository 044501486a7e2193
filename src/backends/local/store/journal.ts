import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { CloudmapError } from '../../../registry/errors.js'
import type { RegistryPaths } from './paths.js'
import { MAIN, resolveFile } from './paths.js'

/**
 * How a write reaches the disk, so that a process killed at any instant leaves the registry as it was
 * before the write or as it is after it, never in between (a write changes several files):
 *
 * 1. every new file is written to the staging folder and fsynced;
 * 2. the journal, listing which staged file replaces which registry file (and which files go), is
 *    written, fsynced and renamed into place: this rename is the commit point;
 * 3. the staged files are renamed over the registry's files (the registry file last), folders fsynced;
 * 4. the journal is removed.
 *
 * Killed before 2, nothing changed (the next writer clears the staging folder); killed after it, the next
 * writer, or a reader that finds the journal, takes the lock and finishes 3 and 4 (recover). Readers that
 * see no journal, and the same registry file before and after they read, saw one consistent version.
 */

export interface FileChange {
  /** Relative to the shard folder, or MAIN for the registry file. */
  file: string
  /** The new content; null removes the file. */
  content: string | null
}

interface JournalEntry {
  file: string
  /** Name of the new content in the staging folder; absent when the file is removed. */
  staged?: string
}

interface Journal {
  write: string
  files: JournalEntry[]
}

/** A point of a write at which CLOUDMAP_TEST_CRASH_AT kills the process (crash tests). */
export type CrashPoint = 'locked' | 'staged' | 'committed' | 'applying' | 'applied'

async function writeDurably(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx')
  try {
    await handle.writeFile(content, 'utf8')
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

/** rename, retried briefly where another process holding the target open makes it fail (Windows). */
async function replace(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (attempt >= 20 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}

export async function commit(paths: RegistryPaths, changes: readonly FileChange[], crash: (point: CrashPoint) => void = () => {}): Promise<void> {
  if (changes.length === 0) return
  const id = randomBytes(6).toString('hex')
  // The registry file is replaced last: a reader that sees it new sees every shard new as well.
  const ordered = [...changes].sort((a, b) => Number(a.file === MAIN) - Number(b.file === MAIN))
  const entries: JournalEntry[] = ordered.map((change, i) => (change.content === null ? { file: change.file } : { file: change.file, staged: `${id}-${i}.json` }))
  const journal: Journal = { write: id, files: entries }
  const temp = join(paths.staging, `${id}.journal`)
  const staged = [temp, ...entries.flatMap((e) => (e.staged === undefined ? [] : [join(paths.staging, e.staged)]))]
  try {
    await mkdir(paths.staging, { recursive: true })
    // The new files and the journal are written (and fsynced) at once; only the rename commits them.
    await Promise.all([
      writeDurably(temp, `${JSON.stringify(journal, null, 2)}\n`),
      ...ordered.map((change, i) => (change.content === null ? undefined : writeDurably(join(paths.staging, entries[i].staged!), change.content))),
    ])
    await syncDir(paths.staging)
    crash('staged')
    await rename(temp, paths.journal)
  } catch (error) {
    // Not committed: take back what was staged, so the next writer has nothing to sweep.
    await Promise.all(staged.map((file) => rm(file, { force: true }).catch(() => {})))
    throw error
  }
  await syncDir(paths.dir)
  crash('committed')
  await apply(paths, journal, crash)
}

async function apply(paths: RegistryPaths, journal: Journal, crash: (point: CrashPoint) => void = () => {}): Promise<void> {
  const dirs = new Set<string>()
  for (const [i, entry] of journal.files.entries()) {
    const target = resolveFile(paths, entry.file)
    dirs.add(dirname(target))
    if (entry.staged === undefined) {
      await rm(target, { force: true })
    } else {
      const from = join(paths.staging, entry.staged)
      try {
        await replace(from, target)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        // Already renamed by an earlier, interrupted apply of this journal; or the target's folder is new.
        if (!existsSync(from)) continue
        await mkdir(dirname(target), { recursive: true })
        await replace(from, target)
      }
    }
    if (i === 0 && journal.files.length > 1) crash('applying')
  }
  await Promise.all([...dirs].map(syncDir))
  crash('applied')
  // The removal need not be made durable now: the next write's commit point fsyncs this folder before
  // that write changes any file, so a journal that came back after a power loss is never replayed over a
  // file a later write made again; replayed alone, it changes nothing (its renames are done, its
  // removals already made). One fsync less for every write.
  await unlink(paths.journal)
}

/**
 * Under the lock: finish a committed write that was interrupted, and (`sweep`: the lock was taken over
 * from a process that died) clear what an uncommitted write left in the staging folder. True when a
 * committed write was finished.
 */
export async function recover(paths: RegistryPaths, sweep = true): Promise<boolean> {
  let text: string | undefined
  try {
    text = await readFile(paths.journal, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  let finished = false
  if (text !== undefined) {
    let journal: Journal
    try {
      journal = JSON.parse(text) as Journal
      if (!Array.isArray(journal.files)) throw new Error('no list of files')
    } catch (error) {
      throw new CloudmapError(
        'other',
        `The registry journal ${paths.journal} is damaged (${(error as Error).message}), so an interrupted write of ${paths.main} can't be finished. Restore the registry from a backup or version control and delete ${paths.journal}.`,
      )
    }
    await apply(paths, journal)
    finished = true
  }
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
