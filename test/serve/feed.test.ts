import { afterEach, describe, expect, it } from 'vitest'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { LocalFileFeed } from '../../src/feed/local-file-feed.js'
import type { LiveEvent } from '../../src/serve/live-view.js'
import { LiveView } from '../../src/serve/live-view.js'
import { runCliAsync, tempRegistry } from '../helpers/cli.js'
import { until } from '../helpers/live.js'

/**
 * The one change feed: a write by any process (here: the CLI) is announced through the file system,
 * and serve's live view tells exactly what changed.
 */

const closers: (() => void)[] = []
afterEach(() => {
  for (const close of closers.splice(0)) close()
})

function setup() {
  const { path } = tempRegistry()
  const registry = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'feed', cacheReads: true })
  const feed = new LocalFileFeed({ main: path, stamp: () => registry.stamp() })
  closers.push(() => feed.close())
  return { path, registry, feed }
}

const cli = (path: string, ...args: string[]) => runCliAsync([...args, '--registry', path])

describe('LocalFileFeed', () => {
  it('announces a write made by another process, once per write, and nothing for other files', async () => {
    const { path, feed } = setup()
    let signals = 0
    feed.subscribe(() => signals++)
    await cli(path, 'create-http-namespace', '--name', 'shop')
    await until('the first signal', () => signals >= 1)
    const after = signals
    expect(after).toBe(1)
    // A file beside the registry that is not the registry: no signal.
    const { writeFileSync } = await import('node:fs')
    writeFileSync(`${path}.notes`, 'unrelated')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(signals).toBe(after)
  })
})

describe('LiveView', () => {
  it('reports instances added, changed (health) and removed, and services and namespaces as they come and go', async () => {
    const { path, registry, feed } = setup()
    const view = await LiveView.open(registry, feed)
    closers.push(() => view.close())
    const events: LiveEvent[] = []
    view.subscribe((batch) => events.push(...batch))
    const describeEvent = (e: LiveEvent) => `${e.kind} ${e.change} ${e.kind === 'namespace' ? e.namespace.Name : e.kind === 'service' ? e.service.Name : e.instance.Id}`

    const op = (await cli(path, 'create-http-namespace', '--name', 'shop', '--query', 'OperationId', '--output', 'text')).stdout.trim()
    const ns = (await cli(path, 'get-operation', '--operation-id', op, '--query', 'Operation.Targets.NAMESPACE', '--output', 'text')).stdout.trim()
    const srv = (await cli(path, 'create-service', '--name', 'web', '--namespace-id', ns, '--health-check-custom-config', 'FailureThreshold=1', '--query', 'Service.Id', '--output', 'text')).stdout.trim()
    await cli(path, 'register-instance', '--service-id', srv, '--instance-id', 'i-1', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.1')
    await until('i-1 in the view', () => view.state.instances.get(srv)?.['i-1'])
    await cli(path, 'update-instance-custom-health-status', '--service-id', srv, '--instance-id', 'i-1', '--status', 'UNHEALTHY')
    await until('the health change', () => view.state.instances.get(srv)?.['i-1']?.CustomHealthStatus === 'UNHEALTHY')
    await cli(path, 'deregister-instance', '--service-id', srv, '--instance-id', 'i-1')
    await cli(path, 'delete-service', '--id', srv)
    await cli(path, 'delete-namespace', '--id', ns)
    await until('everything removed', () => Object.keys(view.state.namespaces).length === 0)
    expect(events.map(describeEvent)).toEqual([
      'namespace added shop',
      'service added web',
      'instance added i-1',
      'instance changed i-1',
      'instance removed i-1',
      'service removed web',
      'namespace removed shop',
    ])
    const changed = events.find((e) => e.kind === 'instance' && e.change === 'changed') as Extract<LiveEvent, { kind: 'instance' }>
    expect(changed.previous?.CustomHealthStatus).toBe('HEALTHY')
    expect(changed.instance.CustomHealthStatus).toBe('UNHEALTHY')
  })

  it('follows a stream of writes in refreshes at most a tenth of a second apart, and ends on the last state', async () => {
    const { registry, feed } = setup()
    const { OperationId } = await registry.invoke('CreateHttpNamespace', { Name: 'shop' })
    const ns = (await registry.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
    const srv = (await registry.invoke('CreateService', { Name: 'web', NamespaceId: ns })).Service!.Id!
    const view = await LiveView.open(registry, feed)
    closers.push(() => view.close())
    const refreshes: number[] = []
    view.subscribe(() => refreshes.push(performance.now()))
    const started = performance.now()
    // Each registration is its own commit, and each commit a change the feed announces.
    for (let i = 0; i < 60; i++) await registry.invoke('RegisterInstance', { ServiceId: srv, InstanceId: `i-${i}`, Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })
    await until('every instance in the view', () => Object.keys(view.state.instances.get(srv) ?? {}).length === 60)
    // Refreshes start at least 100 ms apart while changes keep coming: far fewer of them than writes.
    const elapsed = performance.now() - started
    expect(refreshes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1)
  })

  it('keeps the last good state when the registry is damaged, reports it, and recovers', async () => {
    const { path, registry, feed } = setup()
    await cli(path, 'create-http-namespace', '--name', 'shop')
    const view = await LiveView.open(registry, feed)
    closers.push(() => view.close())
    const errors: Error[] = []
    view.onError((error) => errors.push(error))
    const { readFileSync, writeFileSync, renameSync } = await import('node:fs')
    const good = readFileSync(path, 'utf8')
    // Replaced as an editor would (a new file renamed into place).
    writeFileSync(`${path}.tmp`, '{"schemaVersion": 2, "broken')
    renameSync(`${path}.tmp`, path)
    await until('the error', () => errors.length > 0)
    expect(errors[0].message).toContain(path)
    expect(Object.values(view.state.namespaces).map((n) => n.Name)).toEqual(['shop'])
    writeFileSync(`${path}.tmp`, good)
    renameSync(`${path}.tmp`, path)
    await cli(path, 'create-http-namespace', '--name', 'later')
    await until('recovery', () => Object.keys(view.state.namespaces).length === 2)
  })
})
