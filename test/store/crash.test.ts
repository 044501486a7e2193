import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { registryPaths } from '../../src/backends/local/store/index.js'
import { serviceShard } from '../../src/backends/local/store/paths.js'
import { ROOT, tempRegistry } from '../helpers/cli.js'
import { readRegistry, registryFiles } from './files.js'
import { cloudmap, seeded, serverRegistry, sleep } from './processes.js'

beforeAll(() => {
  expect(existsSync(`${ROOT}/dist/cli/fast-path.js`), 'run npm run build first').toBe(true)
})

function holdsLock(path: string, pid: number): boolean {
  try {
    return JSON.parse(readFileSync(registryPaths(path).lock, 'utf8')).pid === pid
  } catch {
    return false
  }
}

function expectValidFiles(path: string): void {
  for (const file of registryFiles(path)) expect(() => JSON.parse(readFileSync(file, 'utf8')), file).not.toThrow()
}

describe('a writer killed at any instant', () => {
  // CLOUDMAP_TEST_CRASH_AT kills the process (SIGKILL, from inside) at a given point of its write.
  const before = ['locked', 'staged'] as const
  const after = ['committed', 'applying', 'applied'] as const

  for (const point of [...before, ...after]) {
    const committed = (after as readonly string[]).includes(point)
    it(`killed at "${point}" leaves the registry as it was ${committed ? 'after' : 'before'} the write, and the next command carries on`, { timeout: 60_000 }, async () => {
      const { path } = tempRegistry()
      const { serviceId } = await seeded(path)
      const paths = registryPaths(path)
      const killed = await cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', 'victim', '--attributes', 'k=v'], { CLOUDMAP_TEST_CRASH_AT: point }).done
      expect(killed.signal).toBe('SIGKILL')
      expect(killed.stdout).toBe('')
      // The killed writer's lock is still there; its journal too once it had committed.
      expect(existsSync(paths.lock)).toBe(true)
      expect(existsSync(paths.journal)).toBe(committed)
      expectValidFiles(path)

      // A reader finishes a committed write (taking over the dead writer's lock) and sees it; it sees the old registry otherwise.
      const read = await cloudmap(path, ['list-instances', '--service-id', serviceId]).done
      expect(read, read.stderr).toMatchObject({ status: 0 })
      expect(JSON.parse(read.stdout).Instances.map((i: { Id: string }) => i.Id)).toEqual(committed ? ['victim'] : [])

      const next = await cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', 'next', '--attributes', 'k=v']).done
      expect(next, next.stderr).toMatchObject({ status: 0 })
      const state = readRegistry(path)
      expect(Object.keys(state.instances[serviceId]).sort()).toEqual(committed ? ['next', 'victim'] : ['next'])
      expect(state.services[serviceId].InstancesRevision).toBe(committed ? '2' : '1')
      expect(existsSync(paths.lock)).toBe(false)
      expect(existsSync(paths.journal)).toBe(false)
      expect(readdirSync(paths.staging)).toEqual([])
      expectValidFiles(path)
    })
  }

  /** A registry whose service's shard a CLI deregistration, killed while writing it over itself (shorter, not yet cut), left torn. */
  async function tornShard(prepare: (path: string, serviceId: string) => Promise<void> = async () => {}) {
    const { path } = tempRegistry()
    const { registry, serviceId } = await seeded(path)
    await registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'gone', Attributes: { note: 'x'.repeat(500) } })
    await registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'kept', Attributes: { k: 'v' } })
    const shard = join(registryPaths(path).dir, serviceShard(serviceId))
    const inode = statSync(shard).ino
    await prepare(path, serviceId)
    // Deregistering shortens the service's shard: its new content is written over the old, then cut.
    const killed = await cloudmap(path, ['deregister-instance', '--service-id', serviceId, '--instance-id', 'gone'], { CLOUDMAP_TEST_CRASH_AT: 'overwriting' }).done
    expect(killed.signal).toBe('SIGKILL')
    expect(statSync(shard).ino).toBe(inode)
    expect(() => JSON.parse(readFileSync(shard, 'utf8')), 'the shard is torn').toThrow()
    return { path, serviceId }
  }

  it("a server's kept view that meets the torn shard waits for the write to be finished instead of failing", { timeout: 60_000 }, async () => {
    let server!: LocalRegistry
    const { serviceId } = await tornShard(async (path) => {
      server = serverRegistry(path)
      // The kept view: read before the kill, without the shard.
      await server.invoke('ListNamespaces', {})
    })
    const listed = await server.invoke('ListInstances', { ServiceId: serviceId })
    expect(listed.Instances!.map((i) => i.Id)).toEqual(['kept'])
    await server.close()
  })

  it("a server's checkpoint when writes pause finishes the killed writer's write before deleting the log", { timeout: 60_000 }, async () => {
    let server!: LocalRegistry
    const { path, serviceId } = await tornShard(async (registryPath, id) => {
      server = serverRegistry(registryPath)
      // A write arms the server's checkpoint for when writes pause (200 ms).
      await server.invoke('UpdateServiceAttributes', { ServiceId: id, Attributes: { armed: 'yes' } })
    })
    await sleep(600)
    const read = await cloudmap(path, ['list-instances', '--service-id', serviceId]).done
    expect(read, read.stderr).toMatchObject({ status: 0 })
    expect(JSON.parse(read.stdout).Instances.map((i: { Id: string }) => i.Id)).toEqual(['kept'])
    expectValidFiles(path)
    await server.close()
  })

  it('killed while writing a shard over itself (shorter, not yet cut to length): the torn shard is mended from the log, and the write is there', { timeout: 60_000 }, async () => {
    const { path, serviceId } = await tornShard()
    const read = await cloudmap(path, ['list-instances', '--service-id', serviceId]).done
    expect(read, read.stderr).toMatchObject({ status: 0 })
    expect(JSON.parse(read.stdout).Instances.map((i: { Id: string }) => i.Id)).toEqual(['kept'])
    expectValidFiles(path)
    expect(readRegistry(path).services[serviceId]).toMatchObject({ InstanceCount: 1, InstancesRevision: '3' })
  })

  it('killed with SIGKILL in a loop, at random instants, with other writers running: the files stay valid and every acknowledged write is there', { timeout: 240_000 }, async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const acknowledged: string[] = []
    let killedMidway = 0
    const rounds = 12
    for (let round = 0; round < rounds; round++) {
      const writers = Array.from({ length: 3 }, (_, w) => {
        const id = `r${round}-w${w}`
        return { id, run: cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', id, '--attributes', `round=${round}`]) }
      })
      // Kill one writer somewhere in its life: starting, waiting for the lock, writing, or already done;
      // every other round, right while it holds the lock (a few milliseconds in which it writes).
      const victim = writers[round % writers.length]
      if (round % 2 === 0) {
        await sleep(40 + Math.floor(Math.random() * 260))
      } else {
        const deadline = Date.now() + 5_000
        while (Date.now() < deadline && !holdsLock(path, victim.run.child.pid!)) await sleep(1)
        await sleep(Math.random() * 4)
      }
      victim.run.child.kill('SIGKILL')
      for (const { id, run } of writers) {
        const r = await run.done
        if (r.status === 0) {
          expect(JSON.parse(r.stdout).OperationId).toEqual(expect.any(String))
          acknowledged.push(id)
        } else {
          expect(run, r.stderr).toBe(victim.run)
          killedMidway++
        }
      }
      expectValidFiles(path)
      // What is on disk at any moment is a registry: a reader gets a consistent answer.
      const read = await cloudmap(path, ['list-instances', '--service-id', serviceId, '--max-results', '100']).done
      expect(read, read.stderr).toMatchObject({ status: 0 })
      const listed = new Set(JSON.parse(read.stdout).Instances.map((i: { Id: string }) => i.Id))
      for (const id of acknowledged) expect(listed.has(id), `acknowledged ${id}`).toBe(true)
    }
    const final = await cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', 'final', '--attributes', 'k=v']).done
    expect(final, final.stderr).toMatchObject({ status: 0 })
    const state = readRegistry(path)
    for (const id of [...acknowledged, 'final']) expect(state.instances[serviceId][id], id).toBeDefined()
    // Registered instances and the service's revision agree: no write was half applied.
    const registered = Object.keys(state.instances[serviceId]).length
    expect(state.services[serviceId].InstancesRevision).toBe(String(registered))
    expect(state.services[serviceId].InstanceCount).toBe(registered)
    expect(acknowledged.length + killedMidway).toBe(rounds * 3)
    expect(killedMidway).toBeGreaterThan(0)
    expect(existsSync(registryPaths(path).lock)).toBe(false)
    expectValidFiles(path)
  })
})
