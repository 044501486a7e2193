import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MainDocument } from '../../src/backends/local/store/documents.js'
import { parseMain } from '../../src/backends/local/store/documents.js'
import { registryPaths } from '../../src/backends/local/store/index.js'
import { serviceShard } from '../../src/backends/local/store/paths.js'
import { Snapshot } from '../../src/backends/local/store/snapshot.js'
import { tempRegistry } from '../helpers/cli.js'
import { seeded } from './processes.js'

/**
 * The view a server's write leaves for its next one (store/index.ts): it keeps the files most recently
 * used, within a budget, and a write compares only the files it used.
 */
describe("a server's kept write view", () => {
  async function twoServices() {
    const { path } = tempRegistry()
    const { registry, namespaceId, serviceId: a } = await seeded(path)
    const b = (await registry.invoke('CreateService', { Name: 'api', NamespaceId: namespaceId })).Service!.Id!
    for (const id of [a, b]) await registry.invoke('RegisterInstance', { ServiceId: id, InstanceId: 'i-1', Attributes: { k: 'v' } })
    const paths = registryPaths(path)
    const text = readFileSync(path, 'utf8')
    const view = new Snapshot(paths, { kind: 'files' }, parseMain(text, path).doc as MainDocument, text)
    const chars = (id: string) => readFileSync(join(paths.dir, serviceShard(id)), 'utf8').length
    return { a, b, view, text, chars }
  }

  it('keeps the files last used that fit its budget, the registry file always, and reads the others again when asked', async () => {
    const { a, b, view, text, chars } = await twoServices()
    view.state.instances.of(a)
    view.state.instances.of(b)
    expect(view.filesRead).toBe(3)
    expect(view.changes()).toEqual([])
    view.settle(text.length + chars(b))
    expect(view.filesRead).toBe(2)
    view.state.instances.of(b)
    expect(view.filesRead).toBe(2)
    view.state.instances.of(a)
    expect(view.filesRead).toBe(3)
    // A budget smaller than the registry file still keeps it.
    view.settle(0)
    expect(view.filesRead).toBe(1)
  })

  it('saves what a write changed in a file kept from an earlier one, and only the files this write used', async () => {
    const { a, b, view, text, chars } = await twoServices()
    view.state.instances.of(a)
    view.state.instances.of(b)
    view.settle(text.length + chars(a) + chars(b))
    view.state.instances.of(a)['i-2'] = { Id: 'i-2', Attributes: { k: 'w' } }
    const changes = view.changes()
    expect(changes.map((change) => change.file).sort()).toEqual(['@registry', serviceShard(a)])
    expect(JSON.parse(changes.find((change) => change.file === serviceShard(a))!.content!).instances['i-2']).toEqual({ Id: 'i-2', Attributes: { k: 'w' } })
    expect(view.state.services[a].InstanceCount).toBe(2)
    expect(view.state.services[b].InstanceCount).toBe(1)
  })
})
