import { describe, expect, it } from 'vitest'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { encodeJson } from '../../src/output/wire-json.js'
import { tempRegistry } from '../helpers/cli.js'
import { fileVersion } from './files.js'

/**
 * serve answers DiscoverInstances from one kept view of the registry, and keeps what each question
 * found on that view (handlers/discovery.ts): every part of the question must tell answers apart, and a
 * change to the registry must show in the next answer.
 */
describe('DiscoverInstances on a kept view (serve)', () => {
  async function seeded() {
    const { path } = tempRegistry()
    const registry = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'kept', cacheReads: true })
    const { OperationId } = await registry.invoke('CreateHttpNamespace', { Name: 'ns' })
    const ns = (await registry.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
    const srv = (await registry.invoke('CreateService', { Name: 'web', NamespaceId: ns, HealthCheckCustomConfig: {} })).Service!.Id!
    for (const [id, stage] of [
      ['i-1', 'blue'],
      ['i-2', 'green'],
      ['i-3', 'green'],
    ]) {
      await registry.invoke('RegisterInstance', { ServiceId: srv, InstanceId: id, Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1', stage } })
    }
    await registry.invoke('UpdateInstanceCustomHealthStatus', { ServiceId: srv, InstanceId: 'i-3', Status: 'UNHEALTHY' })
    return { registry, srv }
  }

  const ids = async (registry: LocalRegistry, input: Record<string, unknown>) =>
    ((await registry.invoke('DiscoverInstances', { NamespaceName: 'ns', ServiceName: 'web', ...input })).Instances ?? []).map((i) => i.InstanceId).sort()

  it('tells apart every part of the question asked on the same view', async () => {
    const { registry } = await seeded()
    const before = fileVersion(registry)
    expect(await ids(registry, {})).toEqual(['i-1', 'i-2'])
    expect(await ids(registry, { HealthStatus: 'ALL' })).toEqual(['i-1', 'i-2', 'i-3'])
    expect(await ids(registry, { HealthStatus: 'UNHEALTHY' })).toEqual(['i-3'])
    expect(await ids(registry, { HealthStatus: 'ALL', QueryParameters: { stage: 'green' } })).toEqual(['i-2', 'i-3'])
    expect(await ids(registry, { HealthStatus: 'ALL', OptionalParameters: { stage: 'blue' } })).toEqual(['i-1'])
    expect(await ids(registry, { HealthStatus: 'ALL', MaxResults: 1 })).toHaveLength(1)
    await expect(ids(registry, { OwnerAccount: '999999999999' })).rejects.toMatchObject({ code: 'NamespaceNotFound' })
    // All of that was asked of one version of the registry.
    expect(fileVersion(registry)).toEqual(before)
    await registry.close()
  })

  it('shows a change in the next answer, and answers equal questions alike (in random order)', async () => {
    const { registry, srv } = await seeded()
    const first = await registry.invoke('DiscoverInstances', { NamespaceName: 'ns', ServiceName: 'web', HealthStatus: 'ALL' })
    const again = await registry.invoke('DiscoverInstances', { NamespaceName: 'ns', ServiceName: 'web', HealthStatus: 'ALL' })
    const byId = (r: typeof first) => [...(r.Instances ?? [])].sort((a, b) => a.InstanceId!.localeCompare(b.InstanceId!))
    expect(byId(again)).toEqual(byId(first))
    expect(again.InstancesRevision).toBe(first.InstancesRevision)

    await registry.invoke('UpdateInstanceCustomHealthStatus', { ServiceId: srv, InstanceId: 'i-3', Status: 'HEALTHY' })
    expect(await ids(registry, {})).toEqual(['i-1', 'i-2', 'i-3'])
    await registry.invoke('RegisterInstance', { ServiceId: srv, InstanceId: 'i-2', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.2', stage: 'blue' } })
    const changed = await registry.invoke('DiscoverInstances', { NamespaceName: 'ns', ServiceName: 'web', QueryParameters: { stage: 'blue' } })
    expect(changed.Instances!.map((i) => [i.InstanceId, i.Attributes!.AWS_INSTANCE_IPV4]).sort()).toEqual([
      ['i-1', '10.0.0.1'],
      ['i-2', '10.0.0.2'],
    ])
    expect(changed.InstancesRevision! > first.InstancesRevision!).toBe(true)
    await registry.close()
  })

  it('the wire encoder writes the kept summaries as it writes any answer', async () => {
    const { registry } = await seeded()
    for (let i = 0; i < 3; i++) {
      const answer = await registry.invoke('DiscoverInstances', { NamespaceName: 'ns', ServiceName: 'web', HealthStatus: 'ALL' })
      // A plain copy (nothing frozen, nothing kept) encodes to the same text.
      const copy = { Instances: answer.Instances!.map((s) => ({ ...s, Attributes: { ...s.Attributes } })), InstancesRevision: answer.InstancesRevision }
      expect(encodeJson(answer)).toBe(encodeJson(copy))
      expect(JSON.parse(encodeJson(answer)).Instances).toHaveLength(3)
    }
    await registry.close()
  })
})
