import { readFileSync, statSync, utimesSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { tempRegistry } from '../helpers/cli.js'
import { fileVersion } from './files.js'

/**
 * The store's invariant that serve's read cache and the change feed rest on: every write that changes a
 * file changes the registry file too, and a write that changes nothing writes nothing.
 */
describe('the registry file moves with every write', () => {
  async function seeded() {
    const { path } = tempRegistry()
    const registry = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'stamp' })
    const { OperationId } = await registry.invoke('CreateHttpNamespace', { Name: 'ns' })
    const ns = (await registry.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
    const srv = (await registry.invoke('CreateService', { Name: 'web', NamespaceId: ns, HealthCheckCustomConfig: {} })).Service!.Id!
    await registry.invoke('RegisterInstance', { ServiceId: srv, InstanceId: 'i-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })
    return { path, registry, srv }
  }

  it('a write outside any operation that changes only a shard still changes the registry file', async () => {
    const { path, registry, srv } = await seeded()
    const before = readFileSync(path, 'utf8')
    await registry.writeState((state) => {
      state.instances.of(srv)['i-1'].CustomHealthStatus = 'UNHEALTHY'
    })
    expect(readFileSync(path, 'utf8')).not.toBe(before)
    const health = await registry.invoke('GetInstancesHealthStatus', { ServiceId: srv })
    expect(health.Status).toEqual({ 'i-1': 'UNHEALTHY' })
  })

  it('a write that changes nothing leaves the registry file as it was', async () => {
    const { path, registry } = await seeded()
    const before = readFileSync(path, 'utf8')
    const stamp = fileVersion(registry)
    await registry.writeState(() => {})
    expect(readFileSync(path, 'utf8')).toBe(before)
    expect(fileVersion(registry)).toEqual(stamp)
  })
  it("moves the written files' mtime forward even when the file clock has not (a coarse clock: two writes in one tick)", async () => {
    const { path, registry, srv } = await seeded()
    const shard = registry.shardFile(srv)
    // The files look written a minute from now: a clock that did not move since gives the same mtime again.
    const ahead = new Date(Date.now() + 60_000)
    for (const file of [path, shard]) utimesSync(file, ahead, ahead)
    const before = { main: statSync(path, { bigint: true }), shard: statSync(shard, { bigint: true }) }
    await registry.invoke('UpdateInstanceCustomHealthStatus', { ServiceId: srv, InstanceId: 'i-1', Status: 'UNHEALTHY' })
    await registry.invoke('UpdateInstanceCustomHealthStatus', { ServiceId: srv, InstanceId: 'i-1', Status: 'HEALTHY' })
    const after = { main: statSync(path, { bigint: true }), shard: statSync(shard, { bigint: true }) }
    // The shard is written over itself (same inode) and is back to its old size: only its mtime tells the versions apart.
    expect(after.shard.ino).toBe(before.shard.ino)
    expect(after.shard.size).toBe(before.shard.size)
    expect(after.shard.mtimeNs).toBeGreaterThan(before.shard.mtimeNs)
    expect(after.main.mtimeNs).toBeGreaterThan(before.main.mtimeNs)
  })
})
