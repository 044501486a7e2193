import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import type { FlatRegistry } from '../../src/backends/local/store/index.js'
import { registryPaths } from '../../src/backends/local/store/index.js'
import { ROOT, runCli, tempRegistry } from '../helpers/cli.js'
import { readRegistry } from './files.js'

beforeAll(() => {
  expect(existsSync(`${ROOT}/dist/cli/fast-path.js`), 'run npm run build first').toBe(true)
})

const START = Date.parse('2026-05-06T07:08:09.000Z')

/**
 * A schema 1 registry file, as cloudmap wrote it before sharding: everything in one JSON document,
 * operations in submission order, no Seq, no InstanceCount. Made by running calls on a current registry
 * and writing its content back in the old shape.
 */
async function schema1(path: string, delayed = false) {
  const scratch = tempRegistry().path
  const clock = { t: START }
  const registry = new LocalRegistry({ path: scratch, region: 'us-east-1', accountId: '123456789012', seed: 'v1', now: () => new Date(clock.t) })
  const { OperationId } = await registry.invoke('CreateHttpNamespace', { Name: 'old', CreatorRequestId: 'ns-token' })
  const ns = (await registry.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
  const srv = (await registry.invoke('CreateService', { Name: 'api', NamespaceId: ns })).Service!.Id!
  const registered: string[] = []
  for (let i = 0; i < 5; i++) registered.push((await registry.invoke('RegisterInstance', { ServiceId: srv, InstanceId: `i-${i}`, CreatorRequestId: `req-${i}`, Attributes: { n: String(i) } })).OperationId!)
  if (delayed) {
    const slow = new LocalRegistry({ path: scratch, region: 'us-east-1', accountId: '123456789012', seed: 'v1', now: () => new Date(clock.t), operationDelayMs: 1_000 })
    registered.push((await slow.invoke('RegisterInstance', { ServiceId: srv, InstanceId: 'late', Attributes: {} })).OperationId!)
  }
  const current = readRegistry(scratch)
  const operations: FlatRegistry['operations'] = {}
  for (const op of Object.values(current.operations).sort((a, b) => a.Seq! - b.Seq!)) {
    const { Seq: _seq, ...old } = op
    operations[op.Id] = old
  }
  const services: FlatRegistry['services'] = {}
  for (const [id, s] of Object.entries(current.services)) {
    const { InstanceCount: _count, ...old } = s
    services[id] = old
  }
  const v1 = { schemaVersion: 1, namespaces: current.namespaces, services, instances: current.instances, operations, tags: current.tags, sequence: current.sequence }
  const text = JSON.stringify(v1, null, 2)
  writeFileSync(path, text)
  return { ns, srv, registered, text, operationOrder: Object.keys(operations) }
}

const cli = (path: string, ...args: string[]) => runCli([...args, '--output', 'json'], { CLOUDMAP_REGISTRY: path })

describe('a registry of an older schema version', () => {
  it('is read as it is, without being rewritten', async () => {
    const { path } = tempRegistry()
    const { srv, registered, text } = await schema1(path)
    const listed = cli(path, 'list-instances', '--service-id', srv)
    expect(listed, listed.stderr).toMatchObject({ status: 0, stderr: '' })
    expect(JSON.parse(listed.stdout).Instances.map((i: { Id: string }) => i.Id)).toEqual(['i-0', 'i-1', 'i-2', 'i-3', 'i-4'])
    expect(JSON.parse(cli(path, 'get-operation', '--operation-id', registered[2]).stdout).Operation).toMatchObject({ Type: 'REGISTER_INSTANCE', Status: 'SUCCESS' })
    expect(readFileSync(path, 'utf8')).toBe(text)
    expect(existsSync(registryPaths(path).dir)).toBe(false)
  })

  it('is migrated by the first write, keeping the old file as a backup, with nothing lost', async () => {
    const { path } = tempRegistry()
    const { srv, registered, text, operationOrder } = await schema1(path)
    const r = cli(path, 'register-instance', '--service-id', srv, '--instance-id', 'new', '--attributes', 'k=v')
    expect(r.status, r.stderr).toBe(0)
    const backup = `${path}.v1.bak`
    expect(r.stderr).toBe(`cloudmap: upgraded the registry ${path} from schema version 1 to 2 (instances and operations are now in ${registryPaths(path).dir}); the previous file is kept as ${backup}.\n`)
    expect(readFileSync(backup, 'utf8')).toBe(text)

    const main = JSON.parse(readFileSync(path, 'utf8'))
    expect(main.schemaVersion).toBe(2)
    expect(main).not.toHaveProperty('instances')
    expect(main).not.toHaveProperty('operations')
    const state = readRegistry(path)
    expect(Object.keys(state.instances[srv])).toEqual(['i-0', 'i-1', 'i-2', 'i-3', 'i-4', 'new'])
    expect(state.services[srv]).toMatchObject({ InstanceCount: 6, InstancesRevision: '6' })
    // Operations keep their order (ListOperations) and are found by id; request tokens still recognise a retry.
    const listed = JSON.parse(cli(path, 'list-operations').stdout).Operations.map((o: { Id: string }) => o.Id)
    expect(listed.slice(0, operationOrder.length)).toEqual(operationOrder)
    expect(listed).toHaveLength(operationOrder.length + 1)
    for (const id of registered) expect(JSON.parse(cli(path, 'get-operation', '--operation-id', id).stdout).Operation.Id).toBe(id)
    const retry = cli(path, 'register-instance', '--service-id', srv, '--instance-id', 'i-3', '--creator-request-id', 'req-3', '--attributes', 'n=3')
    expect(JSON.parse(retry.stdout).OperationId).toBe(registered[3])
    // Done once: the next write says nothing.
    expect(cli(path, 'create-http-namespace', '--name', 'after').stderr).toBe('')
  })

  it('carries over operations still waiting (simulated delay), which complete after the migration', async () => {
    const { path } = tempRegistry()
    const { srv, registered } = await schema1(path, true)
    const late = registered[registered.length - 1]
    const later = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', now: () => new Date(START + 60_000), notice: () => {} })
    await later.invoke('CreateHttpNamespace', { Name: 'trigger' })
    expect(JSON.parse(readFileSync(path, 'utf8')).waitingOperations).toEqual([])
    expect((await later.invoke('GetOperation', { OperationId: late })).Operation!.Status).toBe('SUCCESS')
    expect(Object.keys(readRegistry(path).instances[srv])).toContain('late')
  })

  it('keeps the migration atomic: a refused first write migrates nothing', async () => {
    const { path } = tempRegistry()
    const { text } = await schema1(path)
    const r = cli(path, 'register-instance', '--service-id', 'srv-doesnotexist0000', '--instance-id', 'x', '--attributes', 'k=v')
    expect(r.status).toBe(254)
    expect(readFileSync(path, 'utf8')).toBe(text)
    expect(existsSync(`${path}.v1.bak`)).toBe(false)
    expect(existsSync(registryPaths(path).dir)).toBe(false)
  })
})
