import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { FlatRegistry, Stamp } from '../../src/backends/local/store/index.js'
import { RegistryStore, registryPaths } from '../../src/backends/local/store/index.js'

/**
 * The whole registry at `path` as one object (schema 1's shape), read straight from its files, the way a
 * person or a script reading the JSON would: the registry file plus every shard.
 */
export function readRegistry(path: string): FlatRegistry & { operationSequence: number; waitingOperations: string[] } {
  const { dir } = registryPaths(path)
  const main = JSON.parse(readFileSync(path, 'utf8'))
  const folder = (name: string) => (existsSync(join(dir, name)) ? readdirSync(join(dir, name)).map((f) => JSON.parse(readFileSync(join(dir, name, f), 'utf8'))) : [])
  const instances: FlatRegistry['instances'] = {}
  for (const shard of folder('services')) instances[shard.serviceId] = shard.instances
  const operations: FlatRegistry['operations'] = {}
  for (const bucket of folder('operations')) Object.assign(operations, bucket.operations)
  return { ...main, instances, operations }
}

/** Every JSON file of the registry (registry file and shards) parses: nothing is half-written. */
export function registryFiles(path: string): string[] {
  const { dir } = registryPaths(path)
  const files = existsSync(path) ? [path] : []
  for (const sub of ['services', 'operations', 'request-tokens']) {
    if (existsSync(join(dir, sub))) for (const f of readdirSync(join(dir, sub))) files.push(join(dir, sub, f))
  }
  return files
}

/** Replace the registry at `path` by this content, laid out as the store lays it out. */
export async function rewriteRegistry(path: string, flat: FlatRegistry): Promise<void> {
  rmSync(path, { force: true })
  rmSync(registryPaths(path).dir, { recursive: true, force: true })
  await new RegistryStore(path).create(flat)
}

/** What identifies a version of the registry file: its stamp without the access time, which reading moves. */
export function fileVersion(registry: { stamp(): Stamp }): NonNullable<Stamp> {
  const { ino, size, mtimeNs, ctimeNs } = registry.stamp()!
  return { ino, size, mtimeNs, ctimeNs }
}
