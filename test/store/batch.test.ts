import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RegistryStore } from '../../src/backends/local/store/index.js'
import { tempRegistry } from '../helpers/cli.js'
import { readRegistry } from './files.js'
import { seeded } from './processes.js'

describe('writes in flight at once in one process (a server)', () => {
  it('are saved in order, each seeing the ones before it', async () => {
    const { path } = tempRegistry()
    const { registry, serviceId } = await seeded(path)
    const before = readRegistry(path).sequence
    const ops = await Promise.all(Array.from({ length: 30 }, (_, i) => registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: `i-${i}`, Attributes: { n: String(i) } })))
    const state = readRegistry(path)
    expect(state.sequence).toBe(before + 30)
    expect(Object.keys(state.instances[serviceId])).toEqual(Array.from({ length: 30 }, (_, i) => `i-${i}`))
    expect(state.services[serviceId].InstancesRevision).toBe('30')
    // Operations in the order the calls were made.
    expect(ops.map((o) => state.operations[o.OperationId!].Seq)).toEqual([...ops.map((o) => state.operations[o.OperationId!].Seq)].sort((a, b) => a! - b!))
  })

  it('leave no trace of one that fails, even half way through its changes, and save the others', async () => {
    const { path } = tempRegistry()
    const { registry, serviceId } = await seeded(path)
    const store = new RegistryStore(path)
    const calls = [
      ...Array.from({ length: 5 }, (_, i) => store.write((state) => void (state.tags[`arn:good:${i}`] = [{ Key: 'k', Value: String(i) }]))),
      store.write((state) => {
        state.tags['arn:bad'] = [{ Key: 'half', Value: 'made' }]
        state.instances.of(serviceId).ghost = { Id: 'ghost', Attributes: {} }
        throw new Error('refused half way')
      }),
      ...Array.from({ length: 5 }, (_, i) => store.write((state) => void (state.tags[`arn:good:${i + 5}`] = [{ Key: 'k', Value: String(i + 5) }]))),
    ]
    const results = await Promise.allSettled(calls)
    expect(results.map((r) => r.status)).toEqual([...Array(5).fill('fulfilled'), 'rejected', ...Array(5).fill('fulfilled')])
    expect((results[5] as PromiseRejectedResult).reason.message).toBe('refused half way')
    const tags = JSON.parse(readFileSync(path, 'utf8')).tags
    expect(Object.keys(tags).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `arn:good:${i}`).sort())
    expect(readRegistry(path).instances[serviceId]).toBeUndefined()
    // And the registry goes on working.
    await registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'after', Attributes: {} })
    expect(Object.keys(readRegistry(path).instances[serviceId])).toEqual(['after'])
  })
})
