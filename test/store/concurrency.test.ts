import { existsSync, readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { registryPaths } from '../../src/backends/local/store/index.js'
import { ROOT, tempRegistry } from '../helpers/cli.js'
import { readRegistry, registryFiles } from './files.js'
import { cloudmap, seeded } from './processes.js'

// Real processes on one registry file: the built binary (npm run build first).
beforeAll(() => {
  expect(existsSync(`${ROOT}/dist/cli/fast-path.js`), 'run npm run build first').toBe(true)
})

describe('concurrent writers', () => {
  it('loses nothing when 60 register-instance processes write one registry at once', { timeout: 180_000 }, async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const before = readRegistry(path)
    const count = 60
    const runs = Array.from({ length: count }, (_, i) => cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', `i-${i}`, '--attributes', `n=${i}`]))
    const results = await Promise.all(runs.map((r) => r.done))
    for (const r of results) expect(r, r.stderr).toMatchObject({ status: 0 })
    const operationIds = results.map((r) => JSON.parse(r.stdout).OperationId as string)
    expect(new Set(operationIds).size).toBe(count)

    const after = readRegistry(path)
    expect(Object.keys(after.instances[serviceId]).sort()).toEqual(Array.from({ length: count }, (_, i) => `i-${i}`).sort())
    for (let i = 0; i < count; i++) expect(after.instances[serviceId][`i-${i}`].Attributes).toEqual({ n: String(i) })
    // Every write saw the one before it: sequence, revision and operation count moved by exactly one each.
    expect(after.sequence).toBe(before.sequence + count)
    expect(after.services[serviceId].InstancesRevision).toBe(String(count))
    expect(after.services[serviceId].InstanceCount).toBe(count)
    for (const id of operationIds) expect(after.operations[id]).toMatchObject({ Type: 'REGISTER_INSTANCE', Status: 'SUCCESS', Targets: { INSTANCE: expect.any(String), SERVICE: serviceId } })
    expect(Object.values(after.operations).map((op) => op.Seq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: Object.keys(after.operations).length }, (_, i) => i + 1))
    for (const file of registryFiles(path)) expect(() => JSON.parse(readFileSync(file, 'utf8')), file).not.toThrow()
    const paths = registryPaths(path)
    expect(existsSync(paths.lock)).toBe(false)
    expect(existsSync(paths.journal)).toBe(false)
  })

  it('loses nothing when processes and an in-process registry (as serve would use) write at once, while readers read', { timeout: 180_000 }, async () => {
    const { path } = tempRegistry()
    const { registry, serviceId } = await seeded(path)
    const processes = Array.from({ length: 24 }, (_, i) => cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', `p-${i}`, '--attributes', 'k=v']))
    const readers = Array.from({ length: 12 }, () => cloudmap(path, ['discover-instances', '--namespace-name', 'ns', '--service-name', 'web', '--max-results', '1000']))
    // The server side: many calls in flight at once in one process.
    const inProcess = Promise.all(Array.from({ length: 24 }, (_, i) => registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: `s-${i}`, Attributes: { k: 'v' } })))
    const [results, reads] = await Promise.all([Promise.all(processes.map((r) => r.done)), Promise.all(readers.map((r) => r.done)), inProcess])
    for (const r of results) expect(r, r.stderr).toMatchObject({ status: 0 })
    // Every reader saw a consistent registry: some prefix of the writes, with its matching revision.
    for (const r of reads) {
      expect(r, r.stderr).toMatchObject({ status: 0 })
      const { Instances, InstancesRevision } = JSON.parse(r.stdout) as { Instances: unknown[]; InstancesRevision: number }
      expect(Instances.length).toBe(InstancesRevision)
    }
    const ids = Object.keys(readRegistry(path).instances[serviceId]).sort()
    expect(ids).toEqual([...Array.from({ length: 24 }, (_, i) => `p-${i}`), ...Array.from({ length: 24 }, (_, i) => `s-${i}`)].sort())
    const listed = await registry.invoke('ListInstances', { ServiceId: serviceId })
    expect(listed.Instances).toHaveLength(48)
  })
})
