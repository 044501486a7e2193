import type { BigIntStats } from 'node:fs'

/**
 * What identifies one version of a file of the registry: a write replaces it or writes over it, changing
 * one of these (store/journal.ts gives every written file a later mtime). Null: the file does not exist.
 */
export type Stamp = Pick<BigIntStats, 'ino' | 'size' | 'mtimeNs' | 'ctimeNs'> | null

export function sameStamp(a: Stamp, b: Stamp): boolean {
  if (a === null || b === null) return a === b
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs
}
