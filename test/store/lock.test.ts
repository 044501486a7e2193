import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { beforeAll, describe, expect, it } from 'vitest'
import { acquireLock, inspectLock } from '../../src/backends/local/store/lock.js'
import { registryPaths } from '../../src/backends/local/store/index.js'
import { ROOT, tempRegistry } from '../helpers/cli.js'
import { readRegistry } from './files.js'
import { cloudmap, seeded, sleep } from './processes.js'

beforeAll(() => {
  expect(existsSync(`${ROOT}/dist/cli/fast-path.js`), 'run npm run build first').toBe(true)
})

function pidns(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid')
  } catch {
    return undefined
  }
}

/** A PID that no process has any more: a process that ran and exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(r.stdout)
}

function writeLock(path: string, owner: Record<string, unknown>, ageMs = 0): void {
  writeFileSync(path, `${JSON.stringify({ since: new Date().toISOString(), nonce: 'f00d', ...owner })}\n`)
  const t = new Date(Date.now() - ageMs)
  utimesSync(path, t, t)
}

async function register(path: string, serviceId: string, id: string, env: Record<string, string> = {}) {
  const started = Date.now()
  const r = await cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', id, '--attributes', 'k=v'], env).done
  return { ...r, ms: Date.now() - started }
}

describe('the registry lock', () => {
  it('is taken over at once from a writer that was killed (its process is gone)', async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const lock = registryPaths(path).lock
    writeLock(lock, { pid: deadPid(), host: hostname(), pidns: pidns() })
    expect((await inspectLock(lock))!.stale).toMatch(/^process \d+ is gone$/)
    // A 20 s lock timeout: the write must not wait it out.
    const r = await register(path, serviceId, 'after-crash', { CLOUDMAP_LOCK_TIMEOUT_MS: '20000' })
    expect(r, r.stderr).toMatchObject({ status: 0 })
    expect(r.ms).toBeLessThan(10_000)
    expect(existsSync(lock)).toBe(false)
    expect(readRegistry(path).instances[serviceId]['after-crash']).toBeDefined()
  })

  it('is taken over when its PID now belongs to another process (PID reuse)', async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const lock = registryPaths(path).lock
    writeLock(lock, { pid: process.pid, host: hostname(), pidns: pidns(), start: '1' })
    if (existsSync('/proc/self/stat')) {
      expect((await inspectLock(lock))!.stale).toBe(`process ${process.pid} is gone`)
      expect(await register(path, serviceId, 'reused', { CLOUDMAP_LOCK_TIMEOUT_MS: '20000' })).toMatchObject({ status: 0 })
    }
  })

  it('is taken over from another host once it has not been refreshed for a minute, and waited for before', async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const lock = registryPaths(path).lock
    writeLock(lock, { pid: 4242, host: 'build-agent-7' })
    const waited = await register(path, serviceId, 'blocked', { CLOUDMAP_LOCK_TIMEOUT_MS: '400' })
    expect(waited.status).toBe(255)
    expect(waited.stderr).toContain(`Timed out after 0.4 s waiting for the registry lock ${lock}, held by process 4242 on build-agent-7 since`)
    expect(waited.stderr).toContain(`If no cloudmap is running against this registry any more, delete ${lock}.`)
    expect(existsSync(lock)).toBe(true)

    writeLock(lock, { pid: 4242, host: 'build-agent-7' }, 5 * 60_000)
    expect(await register(path, serviceId, 'after', { CLOUDMAP_LOCK_TIMEOUT_MS: '20000' })).toMatchObject({ status: 0 })
    expect(Object.keys(readRegistry(path).instances[serviceId])).toEqual(['after'])
  })

  it('makes a writer wait for the holder, then go on', async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const held = await acquireLock(registryPaths(path).lock, { timeoutMs: 1_000 })
    const writer = register(path, serviceId, 'patient')
    await sleep(1_000)
    expect(readRegistry(path).instances[serviceId]).toBeUndefined()
    await held.release()
    const r = await writer
    expect(r, r.stderr).toMatchObject({ status: 0 })
    expect(r.ms).toBeGreaterThanOrEqual(1_000)
    expect(readRegistry(path).instances[serviceId].patient).toBeDefined()
  })

  it('queues callers of one process without polling each other, in order', async () => {
    const { path } = tempRegistry()
    const lockPath = `${path}.lock`
    const order: number[] = []
    await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const lock = await acquireLock(lockPath, { timeoutMs: 5_000 })
        order.push(i)
        expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid)
        await sleep(20)
        await lock.release()
      }),
    )
    expect(order).toEqual([0, 1, 2, 3])
    expect(existsSync(lockPath)).toBe(false)
  })

  it('lets exactly one of many processes take over a stale lock: 20 writers started at once on a dead writer\'s lock all succeed', { timeout: 120_000 }, async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    writeLock(registryPaths(path).lock, { pid: deadPid(), host: hostname(), pidns: pidns() })
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => register(path, serviceId, `w-${i}`)))
    for (const r of results) expect(r, r.stderr).toMatchObject({ status: 0 })
    const state = readRegistry(path)
    expect(Object.keys(state.instances[serviceId])).toHaveLength(20)
    expect(state.services[serviceId].InstancesRevision).toBe('20')
  })
})
