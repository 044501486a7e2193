import { closeSync, openSync, readFileSync, readSync } from 'node:fs'
import { hostname, uptime } from 'node:os'
import type { RegistryPaths } from './paths.js'

/**
 * Which boot of the machine wrote the write-ahead log (store/journal.ts): a log from an earlier boot may
 * hold writes that never reached the files, so readers and writers replay it first. Kept apart from the
 * journal so that reads check it without loading the write path.
 */

/** The log's first line. */
export interface LogHeader {
  log: 1
  /** The boot the log was started in (lines of an earlier boot may not have reached the files). */
  boot: string
  /** SHA-256 of the registry file when the log was started (null: there was none). */
  base: string | null
  /** Names this log, so that the writer that started it knows it from another log in its place. */
  id?: string
}

let currentBoot: string | undefined
/** What names this boot of the machine: Linux's boot id, elsewhere the host and the time it started. */
export function bootId(): string {
  if (currentBoot === undefined) {
    // Tests: a process that plays the machine after a restart.
    currentBoot = process.env.CLOUDMAP_TEST_BOOT_ID || undefined
  }
  if (currentBoot === undefined) {
    try {
      currentBoot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
    } catch {
      // A start time read a few milliseconds apart can differ by a second: such a "restart" only costs a
      // replay of the log, which changes nothing.
      currentBoot = `${hostname()}@${Math.round(Date.now() / 1000 - uptime())}`
    }
  }
  return currentBoot
}

/** Whether a write-ahead log from before this machine's last restart is there (a reader must not trust the files then). */
export function logFromAnotherBoot(paths: RegistryPaths): boolean {
  let head: string
  try {
    const fd = openSync(paths.log, 'r')
    try {
      const buffer = Buffer.alloc(512)
      head = buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0))
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
  const end = head.indexOf('\n')
  if (end < 0) return false
  try {
    return (JSON.parse(head.slice(0, end)) as LogHeader).boot !== bootId()
  } catch {
    return false
  }
}
