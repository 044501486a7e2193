import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HANDLERS } from '../../src/backends/local/handlers/index.js'
import type { LocalRegistryOptions } from '../../src/backends/local/local-registry.js'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { QUOTAS } from '../../src/backends/local/quotas.js'
import { OPERATIONS } from '../../src/model/index.js'
import type { OperationName } from '../../src/model/index.js'
import type { Input, Output } from '../../src/registry/registry.js'
import { describeRegistryContract } from '../contract/registry.contract.js'
import { errorCode } from '../contract/support.js'
import { tempRegistry } from '../helpers/cli.js'
import { readRegistry, rewriteRegistry } from '../store/files.js'

describeRegistryContract('local', async () => {
  const { dir } = tempRegistry()
  let tick = Date.parse('2026-01-02T03:04:05.678Z')
  const registry = new LocalRegistry({ path: join(dir, 'registry.json'), region: 'us-east-1', accountId: '123456789012', seed: 'contract', now: () => new Date(tick++) })
  return { registry }
})

const START = Date.parse('2026-03-04T05:06:07.000Z')

/** A local registry on a fresh file with a clock the test moves by hand. */
function local(options: Partial<LocalRegistryOptions> = {}) {
  const { path } = tempRegistry()
  const clock = { t: START }
  const registry = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'local', now: () => new Date(clock.t), ...options })
  const call = <K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>> => registry.invoke(op, input)
  const state = () => readRegistry(path)
  return { path, clock, registry, call, state }
}

describe('local registry', () => {
  it('has a handler for every operation of the model (HANDLERS is exhaustive)', () => {
    for (const op of OPERATIONS) expect(typeof HANDLERS[op.name as OperationName], op.name).toBe('function')
  })

  it('leaves the registry file byte-for-byte untouched when a write is rejected', async () => {
    const { path, call } = local()
    const { OperationId } = await call('CreateHttpNamespace', { Name: 'kept' })
    const ns = (await call('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
    const before = readFileSync(path)
    const mtime = statSync(path).mtimeMs
    expect(await errorCode(call('CreateHttpNamespace', { Name: 'kept' }))).toBe('NamespaceAlreadyExists')
    expect(await errorCode(call('CreateService', { Name: 'bad name', NamespaceId: ns }))).toBe('InvalidInput')
    expect(await errorCode(call('TagResource', { ResourceARN: `arn:aws:servicediscovery:us-east-1:123456789012:namespace/${ns}`, Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' })) }))).toBe('TooManyTagsException')
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(statSync(path).mtimeMs).toBe(mtime)
  })

  it('never creates or rewrites the file for reads', async () => {
    const fresh = local()
    expect(await errorCode(fresh.call('GetNamespace', { Id: 'ns-x' }))).toBe('NamespaceNotFound')
    await fresh.call('ListNamespaces', {})
    expect(existsSync(fresh.path)).toBe(false)
  })

  it('rejects a negative operation delay as a configuration error', async () => {
    const { call } = local({ operationDelayMs: -1 })
    await expect(call('ListNamespaces', {})).rejects.toMatchObject({ kind: 'config' })
  })

  describe('seeded randomness (CLOUDMAP_SEED)', () => {
    async function run(seed: string) {
      const { call } = local({ seed })
      const { OperationId } = await call('CreateHttpNamespace', { Name: 'seeded' })
      const ns = (await call('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
      const srv = (await call('CreateService', { Name: 's', NamespaceId: ns })).Service!.Id!
      for (let i = 0; i < 6; i++) await call('RegisterInstance', { ServiceId: srv, InstanceId: `i-${i}`, Attributes: {} })
      const order = ((await call('DiscoverInstances', { NamespaceName: 'seeded', ServiceName: 's' })).Instances ?? []).map((i) => i.InstanceId).join(',')
      return { ns, srv, OperationId, order }
    }
    it('gives the same ids and discover-instances order for the same seed and calls', async () => {
      expect(await run('one')).toEqual(await run('one'))
      expect((await run('one')).ns).not.toBe((await run('two')).ns)
    })
  })

  describe('simulated operation delay (operationDelayMs)', () => {
    it('keeps an operation SUBMITTED, then PENDING from half the delay, and applies it (SUCCESS) once the clock passes CreateDate + delay', async () => {
      const { clock, call } = local({ operationDelayMs: 10_000 })
      const { OperationId } = await call('CreateHttpNamespace', { Name: 'slow', Tags: [{ Key: 'k', Value: 'v' }] })
      const op = async () => (await call('GetOperation', { OperationId: OperationId! })).Operation!
      const submitted = await op()
      expect(submitted).toMatchObject({ Status: 'SUBMITTED', Type: 'CREATE_NAMESPACE', CreateDate: new Date(START), UpdateDate: new Date(START) })
      const ns = submitted.Targets!.NAMESPACE!
      // The effect is not visible yet.
      expect(await errorCode(call('GetNamespace', { Id: ns }))).toBe('NamespaceNotFound')
      expect((await call('ListNamespaces', {})).Namespaces).toEqual([])
      expect(await errorCode(call('ListTagsForResource', { ResourceARN: `arn:aws:servicediscovery:us-east-1:123456789012:namespace/${ns}` }))).toBe('ResourceNotFoundException')
      // A second namespace of the same name is refused even while the first is being created.
      expect(await errorCode(call('CreateHttpNamespace', { Name: 'slow' }))).toBe('NamespaceAlreadyExists')

      clock.t = START + 4_999
      expect((await op()).Status).toBe('SUBMITTED')
      clock.t = START + 5_000
      expect(await op()).toMatchObject({ Status: 'PENDING', UpdateDate: new Date(START + 5_000) })
      expect(await errorCode(call('GetNamespace', { Id: ns }))).toBe('NamespaceNotFound')
      expect((await call('ListOperations', { Filters: [{ Name: 'STATUS', Values: ['SUBMITTED', 'PENDING'], Condition: 'IN' }] })).Operations).toEqual([{ Id: OperationId, Status: 'PENDING' }])

      clock.t = START + 10_000
      expect(await op()).toMatchObject({ Status: 'SUCCESS', CreateDate: new Date(START), UpdateDate: new Date(START + 10_000) })
      expect((await call('GetNamespace', { Id: ns })).Namespace).toMatchObject({ Name: 'slow' })
      expect((await call('ListTagsForResource', { ResourceARN: `arn:aws:servicediscovery:us-east-1:123456789012:namespace/${ns}` })).Tags).toEqual([{ Key: 'k', Value: 'v' }])
    })

    it('completes an operation even when the clock passes its time between two processes (the state is in the file)', async () => {
      const first = local({ operationDelayMs: 1_000 })
      const { OperationId } = await first.call('CreateHttpNamespace', { Name: 'later' })
      expect(first.state().operations[OperationId!].Status).toBe('SUBMITTED')
      const second = new LocalRegistry({ path: first.path, region: 'us-east-1', accountId: '123456789012', now: () => new Date(START + 60_000) })
      expect((await second.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Status).toBe('SUCCESS')
      // Reads don't write: the next write persists the completion.
      expect(first.state().operations[OperationId!].Status).toBe('SUBMITTED')
      await second.invoke('CreateHttpNamespace', { Name: 'other' })
      expect(first.state().operations[OperationId!].Status).toBe('SUCCESS')
      expect(Object.values(first.state().namespaces).map((n) => n.Name).sort()).toEqual(['later', 'other'])
    })

    it('registers and deregisters instances only on completion: InstancesRevision moves then, and a second request for the same instance meanwhile is a DuplicateRequest', async () => {
      const { clock, call } = local({ operationDelayMs: 1_000 })
      const { OperationId } = await call('CreateHttpNamespace', { Name: 'inst' })
      clock.t += 1_000
      const ns = (await call('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
      const srv = (await call('CreateService', { Name: 's', NamespaceId: ns })).Service!.Id!
      const revision = async () => (await call('DiscoverInstancesRevision', { NamespaceName: 'inst', ServiceName: 's' })).InstancesRevision
      const r0 = await revision()

      const reg = await call('RegisterInstance', { ServiceId: srv, InstanceId: 'i-1', CreatorRequestId: 'r', Attributes: { k: 'v' } })
      expect((await call('ListInstances', { ServiceId: srv })).Instances).toEqual([])
      expect(await revision()).toBe(r0)
      expect(await errorCode(call('RegisterInstance', { ServiceId: srv, InstanceId: 'i-1', Attributes: { k: 'other' } }))).toBe('DuplicateRequest')
      expect(await errorCode(call('DeregisterInstance', { ServiceId: srv, InstanceId: 'i-1' }))).toBe('DuplicateRequest')
      // A retry of the same request is not a duplicate: it gets the same operation.
      expect((await call('RegisterInstance', { ServiceId: srv, InstanceId: 'i-1', CreatorRequestId: 'r', Attributes: { k: 'v' } })).OperationId).toBe(reg.OperationId)
      // Another instance of the same service is independent.
      await call('RegisterInstance', { ServiceId: srv, InstanceId: 'i-2', Attributes: {} })

      clock.t += 1_000
      expect((await call('ListInstances', { ServiceId: srv })).Instances!.map((i) => i.Id).sort()).toEqual(['i-1', 'i-2'])
      const r1 = await revision()
      expect(r1! > r0!).toBe(true)

      const dereg = await call('DeregisterInstance', { ServiceId: srv, InstanceId: 'i-1' })
      expect((await call('GetInstance', { ServiceId: srv, InstanceId: 'i-1' })).Instance!.Id).toBe('i-1')
      expect(await revision()).toBe(r1)
      clock.t += 1_000
      expect((await call('GetOperation', { OperationId: dereg.OperationId! })).Operation!.Status).toBe('SUCCESS')
      expect(await errorCode(call('GetInstance', { ServiceId: srv, InstanceId: 'i-1' }))).toBe('InstanceNotFound')
      expect((await revision())! > r1!).toBe(true)
    })

    it('keeps the old service settings until an UpdateService completes, and refuses a second update meanwhile (DuplicateRequest)', async () => {
      const { clock, call } = local({ operationDelayMs: 500 })
      const { OperationId } = await call('CreatePublicDnsNamespace', { Name: 'upd.example.com' })
      clock.t += 500
      const ns = (await call('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
      const srv = (await call('CreateService', { Name: 's', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } })).Service!.Id!
      const change = { DnsConfig: { DnsRecords: [{ Type: 'A' as const, TTL: 5 }] } }
      await call('UpdateService', { Id: srv, Service: change })
      expect(await errorCode(call('UpdateService', { Id: srv, Service: change }))).toBe('DuplicateRequest')
      expect((await call('GetService', { Id: srv })).Service!.DnsConfig!.DnsRecords).toEqual([{ Type: 'A', TTL: 60 }])
      clock.t += 500
      expect((await call('GetService', { Id: srv })).Service!.DnsConfig!.DnsRecords).toEqual([{ Type: 'A', TTL: 5 }])
    })

    it('reports FAIL with ErrorCode and ErrorMessage when the effect can no longer be applied, and changes nothing', async () => {
      const { clock, call } = local({ operationDelayMs: 1_000 })
      const created = await call('CreateHttpNamespace', { Name: 'doomed' })
      clock.t += 1_000
      const ns = (await call('GetOperation', { OperationId: created.OperationId! })).Operation!.Targets!.NAMESPACE!
      const del = await call('DeleteNamespace', { Id: ns })
      // While the delete waits the namespace is still there: a second delete or an update is a DuplicateRequest ...
      expect((await call('GetNamespace', { Id: ns })).Namespace!.Name).toBe('doomed')
      expect(await errorCode(call('DeleteNamespace', { Id: ns }))).toBe('DuplicateRequest')
      expect(await errorCode(call('UpdateHttpNamespace', { Id: ns, Namespace: { Description: 'x' } }))).toBe('DuplicateRequest')
      // ... and a service created in it meanwhile makes the delete fail when its time comes.
      await call('CreateService', { Name: 'late', NamespaceId: ns })
      clock.t += 1_000
      const op = (await call('GetOperation', { OperationId: del.OperationId! })).Operation!
      expect(op).toMatchObject({ Status: 'FAIL', ErrorCode: 'INTERNAL_FAILURE', UpdateDate: new Date(clock.t) })
      expect(op.ErrorMessage).toMatch(/still has 1 service/)
      expect((await call('GetNamespace', { Id: ns })).Namespace!.ServiceCount).toBe(1)
      expect((await call('ListOperations', { Filters: [{ Name: 'STATUS', Values: ['FAIL'] }] })).Operations).toEqual([{ Id: del.OperationId, Status: 'FAIL' }])
    })

    it('completes every due operation, each at its own completion time, when the clock jumps past several', async () => {
      const { clock, call } = local({ operationDelayMs: 100 })
      const a = await call('CreateHttpNamespace', { Name: 'first' })
      clock.t += 30
      const b = await call('CreateHttpNamespace', { Name: 'second' })
      clock.t += 10_000
      const ops = await Promise.all([a, b].map(async (o) => (await call('GetOperation', { OperationId: o.OperationId! })).Operation!))
      expect(ops.map((o) => [o.Status, o.UpdateDate!.getTime() - START])).toEqual([['SUCCESS', 100], ['SUCCESS', 130]])
      expect((await call('ListNamespaces', {})).Namespaces!.map((n) => n.Name).sort()).toEqual(['first', 'second'])
    })
  })

  describe('quotas (QUOTAS, AWS defaults)', () => {
    it(`allows ${QUOTAS.namespacesPerRegion} namespaces per Region, then ResourceLimitExceeded`, async () => {
      const { call } = local()
      for (let i = 0; i < QUOTAS.namespacesPerRegion; i++) await call('CreateHttpNamespace', { Name: `ns-${i}` })
      expect(await errorCode(call('CreateHttpNamespace', { Name: 'one-too-many' }))).toBe('ResourceLimitExceeded')
    })

    it(`allows ${QUOTAS.dnsNamespacesPerName} DNS namespaces with one name, then ResourceLimitExceeded`, async () => {
      const { call } = local()
      await call('CreatePublicDnsNamespace', { Name: 'popular.example.com' })
      for (let i = 1; i < QUOTAS.dnsNamespacesPerName; i++) await call('CreatePrivateDnsNamespace', { Name: 'popular.example.com', Vpc: `vpc-${i}` })
      expect(await errorCode(call('CreatePrivateDnsNamespace', { Name: 'popular.example.com', Vpc: 'vpc-last' }))).toBe('ResourceLimitExceeded')
      // An HTTP namespace does not count, and gets its own HttpName.
      await call('CreateHttpNamespace', { Name: 'popular.example.com' })
    })

    /** A registry whose service already holds `count` instances, written straight into the file. */
    async function crowded(count: number, services = 1) {
      const r = local()
      const { OperationId } = await r.call('CreateHttpNamespace', { Name: 'crowd' })
      const ns = (await r.call('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
      const ids: string[] = []
      for (let s = 0; s < services; s++) ids.push((await r.call('CreateService', { Name: `s${s}`, NamespaceId: ns })).Service!.Id!)
      const state = r.state()
      let n = 0
      for (const id of ids) {
        state.instances[id] = {}
        for (let i = 0; i < count / services; i++, n++) state.instances[id][`i-${n}`] = { Id: `i-${n}`, Attributes: {} }
      }
      await rewriteRegistry(r.path, state)
      return { ...r, srv: ids[0] }
    }

    it(`allows ${QUOTAS.instancesPerService} instances per service (not adjustable), then ResourceLimitExceeded; re-registering one is still fine`, async () => {
      const { call, srv } = await crowded(QUOTAS.instancesPerService - 1)
      await call('RegisterInstance', { ServiceId: srv, InstanceId: 'last', Attributes: {} })
      expect(await errorCode(call('RegisterInstance', { ServiceId: srv, InstanceId: 'over', Attributes: {} }))).toBe('ResourceLimitExceeded')
      await call('RegisterInstance', { ServiceId: srv, InstanceId: 'last', Attributes: { updated: 'yes' } })
    })

    it(`allows ${QUOTAS.instancesPerNamespace} instances per namespace, then ResourceLimitExceeded`, async () => {
      const { call, srv } = await crowded(QUOTAS.instancesPerNamespace, 4)
      expect(await errorCode(call('RegisterInstance', { ServiceId: srv, InstanceId: 'over', Attributes: {} }))).toBe('ResourceLimitExceeded')
    })
  })
})
