import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import type { FlatRegistry } from '../../src/backends/local/store/index.js'
import { RegistryStore, registryPaths } from '../../src/backends/local/store/index.js'
import { tempRegistry } from '../helpers/cli.js'
import { readRegistry } from './files.js'

function fingerprint(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      const info = statSync(p)
      if (info.isDirectory()) walk(p)
      else out.set(relative(dir, p), `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${info.mtimeMs} ${info.ino}`)
    }
  }
  walk(dir)
  return out
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()])
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort()
}

/** A registry with `namespaces` x `services` x `instances`, each instance with its REGISTER_INSTANCE operation and request token. */
function flat(namespaces: number, services: number, instances: number): FlatRegistry {
  const reg: FlatRegistry = { schemaVersion: 1, namespaces: {}, services: {}, instances: {}, operations: {}, tags: {}, sequence: 0 }
  let n = 0
  const id = (prefix: string, len: number) => `${prefix}${(n++).toString(36).padStart(len, '0')}`
  for (let a = 0; a < namespaces; a++) {
    const ns = id('ns-', 16)
    reg.namespaces[ns] = { Id: ns, Arn: `arn:aws:servicediscovery:us-east-1:123456789012:namespace/${ns}`, Name: `n${a}`, Type: 'HTTP', HttpName: `n${a}`, CreateDate: '2026-01-01T00:00:00.000Z' }
    for (let b = 0; b < services; b++) {
      const srv = id('srv-', 16)
      reg.services[srv] = { Id: srv, Arn: `arn:aws:servicediscovery:us-east-1:123456789012:service/${srv}`, Name: `s${b}`, NamespaceId: ns, Type: 'HTTP', CreateDate: '2026-01-01T00:00:00.000Z', InstancesRevision: String(instances) }
      reg.instances[srv] = {}
      for (let c = 0; c < instances; c++) {
        reg.instances[srv][`i-${c}`] = { Id: `i-${c}`, Attributes: { k: 'v' } }
        const op = `${createHash('md5').update(String(n++)).digest('hex')}-abcdefgh`
        reg.operations[op] = { Id: op, Type: 'REGISTER_INSTANCE', Status: 'SUCCESS', CreateDate: '2026-01-01T00:00:00.000Z', UpdateDate: '2026-01-01T00:00:00.000Z', Targets: { INSTANCE: `i-${c}`, SERVICE: srv }, ServiceId: srv, NamespaceId: ns, RequestToken: `RegisterInstance:${srv}:t${n}` }
        reg.sequence++
      }
    }
  }
  return reg
}

const options = (path: string) => ({ path, region: 'us-east-1', accountId: '123456789012', seed: 'layout', now: () => new Date('2026-02-03T04:05:06.000Z') })

describe('the sharded layout', () => {
  it('touches only the files of the service a call concerns: the registry file, its shard, an operation shard and a token shard', async () => {
    const { dir, path } = tempRegistry()
    const content = flat(4, 5, 40)
    await new RegistryStore(path).create(content)
    const [srv, other] = Object.keys(content.services)
    const registry = new LocalRegistry(options(path))
    const before = fingerprint(dir)
    const { OperationId } = await registry.invoke('RegisterInstance', { ServiceId: srv, InstanceId: 'new', CreatorRequestId: 'token', Attributes: { k: 'v' } })
    const touched = changed(before, fingerprint(dir))
    expect(touched).toHaveLength(4)
    expect(touched).toContain('registry.json')
    expect(touched).toContain(`registry.json.d/services/${srv}.json`)
    expect(touched).toContain(`registry.json.d/operations/${OperationId!.slice(0, 2)}.json`)
    expect(touched.filter((f) => f.startsWith('registry.json.d/request-tokens/'))).toHaveLength(1)
    expect(touched.some((f) => f.includes(other))).toBe(false)

    // Reads of one service read one shard (and write nothing).
    const quiet = fingerprint(dir)
    expect((await registry.invoke('DiscoverInstances', { NamespaceName: 'n0', ServiceName: 's0', MaxResults: 1000 })).Instances).toHaveLength(41)
    expect((await registry.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Status).toBe('SUCCESS')
    expect(changed(quiet, fingerprint(dir))).toEqual([])
  })

  it('keeps the count of instances beside each service, so listing services reads no shard', async () => {
    const { path } = tempRegistry()
    const content = flat(1, 3, 7)
    await new RegistryStore(path).create(content)
    const main = JSON.parse(readFileSync(path, 'utf8'))
    for (const srv of Object.values(main.services) as { InstanceCount: number }[]) expect(srv.InstanceCount).toBe(7)
    // Move the shards away: ListServices still answers from the registry file alone.
    const { dir } = registryPaths(path)
    renameSync(join(dir, 'services'), join(dir, 'services-away'))
    const registry = new LocalRegistry(options(path))
    expect((await registry.invoke('ListServices', {})).Services!.map((s) => s.InstanceCount)).toEqual([7, 7, 7])
  })

  it('removes a service\'s shard when its last instance goes, and with the service', async () => {
    const { path } = tempRegistry()
    const registry = new LocalRegistry(options(path))
    const { OperationId } = await registry.invoke('CreateHttpNamespace', { Name: 'n' })
    const ns = (await registry.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
    const srv = (await registry.invoke('CreateService', { Name: 's', NamespaceId: ns })).Service!.Id!
    const shard = join(registryPaths(path).dir, 'services', `${srv}.json`)
    expect(existsSync(shard)).toBe(false)
    await registry.invoke('RegisterInstance', { ServiceId: srv, InstanceId: 'a', Attributes: {} })
    expect(JSON.parse(readFileSync(shard, 'utf8'))).toEqual({ serviceId: srv, instances: { a: { Id: 'a', Attributes: {} } } })
    await registry.invoke('DeregisterInstance', { ServiceId: srv, InstanceId: 'a' })
    expect(existsSync(shard)).toBe(false)
    expect(JSON.parse(readFileSync(path, 'utf8')).services[srv]).not.toHaveProperty('InstanceCount')
    await registry.invoke('DeleteService', { Id: srv })
    expect(JSON.parse(readFileSync(path, 'utf8')).services).toEqual({})
  })

  it('is deterministic: the same calls give byte-identical files, indented, keys in a fixed order', async () => {
    const run = async () => {
      const { dir, path } = tempRegistry()
      const registry = new LocalRegistry(options(path))
      const { OperationId } = await registry.invoke('CreateHttpNamespace', { Name: 'n', CreatorRequestId: 'c', Tags: [{ Key: 'team', Value: 'a' }] })
      const ns = (await registry.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
      const srv = (await registry.invoke('CreateService', { Name: 's', NamespaceId: ns })).Service!.Id!
      for (const id of ['b', 'a', 'c']) await registry.invoke('RegisterInstance', { ServiceId: srv, InstanceId: id, CreatorRequestId: id, Attributes: { z: '1', a: '2' } })
      await registry.invoke('DeregisterInstance', { ServiceId: srv, InstanceId: 'a' })
      return new Map([...fingerprint(dir)].map(([name, print]) => [name, print.split(' ')[0]]))
    }
    const first = await run()
    expect(await run()).toEqual(first)
    const { path } = tempRegistry()
    const registry = new LocalRegistry(options(path))
    await registry.invoke('CreateHttpNamespace', { Name: 'n' })
    const text = readFileSync(path, 'utf8')
    expect(text.endsWith('}\n')).toBe(true)
    expect(Object.keys(JSON.parse(text))).toEqual(['schemaVersion', 'sequence', 'operationSequence', 'namespaces', 'services', 'tags', 'waitingOperations'])
    expect(text).toContain('\n  "namespaces": {\n    "ns-')
  })

  it('retries a read that a write overtook, so it answers from one version of the registry', async () => {
    const { path } = tempRegistry()
    const registry = new LocalRegistry(options(path))
    await registry.invoke('CreateHttpNamespace', { Name: 'n' })
    const store = new RegistryStore(path)
    let calls = 0
    const seen = await store.read((state) => {
      calls++
      if (calls === 1) {
        // Another process commits a write while this read is under way (what the store's rename does).
        const doc = JSON.parse(readFileSync(path, 'utf8'))
        doc.sequence = 99
        writeFileSync(`${path}.tmp`, JSON.stringify(doc, null, 2))
        renameSync(`${path}.tmp`, path)
      }
      return state.sequence
    })
    expect(calls).toBe(2)
    expect(seen).toBe(99)
  })
})
