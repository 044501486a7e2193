import { basename, dirname, join } from 'node:path'

/**
 * Where a registry's files are. The registry path (--registry, CLOUDMAP_REGISTRY) names the registry
 * file; its shards are in a folder beside it, named after it with `.d`:
 *
 *   registry.json                          schemaVersion, write sequence, namespaces, services, tags,
 *                                          ids of operations still waiting
 *   registry.json.d/services/<srv-id>.json the instances of one service
 *   registry.json.d/operations/<xx>.json   operations whose id starts with xx (at most 36² files)
 *   registry.json.d/request-tokens/<xx>.json  request token -> operation ids, by a hash of the token
 *
 * and, only while a write is under way or after one was killed:
 *
 *   registry.json.lock                     who is writing (store/lock.ts)
 *   registry.json.d/journal.json           a write is being committed and applied (store/journal.ts)
 *   registry.json.d/write-ahead.log        writes since the last checkpoint (while serve writes, or after a crash)
 *   registry.json.d/.staging/              new files of the write, before they are renamed into place
 *
 * Every file is indented JSON with keys in a fixed order, so a registry kept in git diffs line by line.
 */
export interface RegistryPaths {
  /** The registry file. */
  main: string
  /** The shard folder beside it. */
  dir: string
  lock: string
  journal: string
  log: string
  staging: string
}

export function registryPaths(main: string): RegistryPaths {
  const dir = join(dirname(main), `${basename(main)}.d`)
  return { main, dir, lock: `${main}.lock`, journal: join(dir, 'journal.json'), log: join(dir, 'write-ahead.log'), staging: join(dir, '.staging') }
}

/** A file of the registry, named relative to the shard folder; MAIN is the registry file itself. */
export const MAIN = '@registry'

/** A name that is safe as one path segment: ids as AWS shapes them pass unchanged. */
function segment(id: string): string {
  return /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/.test(id) ? id : `~${Buffer.from(id, 'utf8').toString('base64url').slice(0, 200)}`
}

export function serviceShard(serviceId: string): string {
  return `services/${segment(serviceId)}.json`
}

/** Operation ids are 32 lowercase alphanumerics, '-' and 8 more: the first two characters pick the shard. */
export function operationBucket(operationId: string): string {
  const prefix = operationId.slice(0, 2)
  return `operations/${/^[a-z0-9]{2}$/.test(prefix) ? prefix : '_'}.json`
}

/** Request tokens are free text: 256 shards by an FNV-1a hash. */
export function tokenBucket(token: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193)
  return `request-tokens/${((h >>> 0) & 0xff).toString(16).padStart(2, '0')}.json`
}

/** The absolute path of a registry file named relative to the shard folder. */
export function resolveFile(paths: RegistryPaths, file: string): string {
  return file === MAIN ? paths.main : join(paths.dir, file)
}
