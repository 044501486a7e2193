import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/moto.js'
import type { SeededBackend } from '../helpers/live.js'
import { seededBackend, startCli, stopAll, until } from '../helpers/live.js'

const SERVER = fileURLToPath(new URL('./fixtures/server.mjs', import.meta.url))

afterEach(stopAll)

interface Setup extends SeededBackend {
  port: number
  ready: string
  pidfile: string
}

async function setup(name: 'local' | 'serve'): Promise<Setup> {
  const seeded = await seededBackend(name)
  return { ...seeded, port: await freePort(), ready: join(seeded.dir, 'ready'), pidfile: join(seeded.dir, 'pid') }
}

/** `cloudmap run ... -- node server.mjs` for the fixture server. */
function runServer(s: Setup, service: 'custom' | 'plain', extra: string[] = []) {
  return startCli(
    ['run', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', service, '--instance-id', 'web-1', '--ipv4', '127.0.0.1', '--port', String(s.port), ...extra, '--', process.execPath, SERVER],
    { ...s.backend.env, PORT: String(s.port), READY: s.ready, PIDFILE: s.pidfile },
  )
}

const healthFlags = (s: Setup) => ['--health-http', `http://127.0.0.1:${s.port}/health`, '--health-interval', '0.1']

async function instance(s: Setup, serviceId: string): Promise<{ attributes: Record<string, string>; health: string } | undefined> {
  const { Instances } = await s.registry.invoke('ListInstances', { ServiceId: serviceId })
  const found = Instances?.find((i) => i.Id === 'web-1')
  if (!found) return undefined
  const { Status } = await s.registry.invoke('GetInstancesHealthStatus', { ServiceId: serviceId })
  return { attributes: found.Attributes ?? {}, health: Status?.['web-1'] ?? 'UNKNOWN' }
}

async function discoverable(s: Setup, service: string): Promise<string[]> {
  const { Instances } = await s.registry.invoke('DiscoverInstances', { NamespaceName: 'ns', ServiceName: service })
  return (Instances ?? []).map((i) => i.InstanceId!)
}

const hit = (s: Setup, path: string) => fetch(`http://127.0.0.1:${s.port}${path}`).catch(() => undefined)

describe.each(['local', 'serve'] as const)('cloudmap run on the %s backend', (name) => {
  it('custom health: registered UNHEALTHY, HEALTHY only after readiness, UNHEALTHY when the check fails, deregistered on exit with the exit code passed through', async () => {
    const s = await setup(name)
    try {
      const run = runServer(s, 'custom', healthFlags(s))
      const registered = await until('registration', () => instance(s, s.custom))
      expect(registered.health).toBe('UNHEALTHY')
      expect(registered.attributes).toMatchObject({ AWS_INSTANCE_IPV4: '127.0.0.1', AWS_INSTANCE_PORT: String(s.port), CLOUDMAP_RUN_OWNER: `${hostname()}:${run.child.pid}` })
      await until('the server to listen', () => existsSync(s.pidfile))
      expect(await discoverable(s, 'custom')).toEqual([])
      writeFileSync(s.ready, '')
      await until('HEALTHY', async () => (await instance(s, s.custom))?.health === 'HEALTHY')
      expect(await discoverable(s, 'custom')).toEqual(['web-1'])
      rmSync(s.ready)
      await until('UNHEALTHY again', async () => (await instance(s, s.custom))?.health === 'UNHEALTHY')
      expect(await discoverable(s, 'custom')).toEqual([])
      writeFileSync(s.ready, '')
      await until('HEALTHY again', async () => (await instance(s, s.custom))?.health === 'HEALTHY')
      await hit(s, '/exit?code=5')
      const end = await run.done
      expect(end.status).toBe(5)
      expect(await instance(s, s.custom)).toBeUndefined()
      expect(end.stderr).toContain('deregistered instance web-1')
    } finally {
      await s.backend.stop()
    }
  })

  it('no custom health: registered only once the check passes; deregistered when COMMAND crashes', async () => {
    const s = await setup(name)
    try {
      const run = runServer(s, 'plain', healthFlags(s))
      await until('the server to listen', () => existsSync(s.pidfile))
      // The check has failed at least once the server answers: still nothing registered.
      await until('a failed check', async () => (await hit(s, '/health'))?.status === 503)
      expect(await instance(s, s.plain)).toBeUndefined()
      writeFileSync(s.ready, '')
      await until('registration', () => instance(s, s.plain))
      expect(await discoverable(s, 'plain')).toEqual(['web-1'])
      await hit(s, '/crash')
      const end = await run.done
      expect(end.status).toBe(1)
      expect(await instance(s, s.plain)).toBeUndefined()
    } finally {
      await s.backend.stop()
    }
  })

  it('SIGTERM to the wrapper reaches COMMAND; deregistered, COMMAND\'s exit code passed through', async () => {
    const s = await setup(name)
    try {
      const run = runServer(s, 'plain')
      await until('registration', () => instance(s, s.plain))
      await until('the server to listen', () => existsSync(s.pidfile))
      run.child.kill('SIGTERM')
      const end = await run.done
      expect(end.status).toBe(3) // the server's own SIGTERM handler
      expect(await instance(s, s.plain)).toBeUndefined()
    } finally {
      await s.backend.stop()
    }
  })

  it('COMMAND killed by a signal: exit status 128+N, deregistered', async () => {
    const s = await setup(name)
    try {
      const run = runServer(s, 'plain')
      await until('registration', () => instance(s, s.plain))
      const pid = Number(await until('the server pid', () => existsSync(s.pidfile) && readFileSync(s.pidfile, 'utf8')))
      process.kill(pid, 'SIGHUP')
      const end = await run.done
      expect(end.status).toBe(129)
      expect(await instance(s, s.plain)).toBeUndefined()
    } finally {
      await s.backend.stop()
    }
  })

  it('refuses an instance id held by another running cloudmap run, or registered by someone else, without starting COMMAND', async () => {
    const s = await setup(name)
    try {
      const first = runServer(s, 'plain')
      await until('registration', () => instance(s, s.plain))
      const marker = join(s.dir, 'second-started')
      const second = startCli(['run', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'plain', '--instance-id', 'web-1', '--', 'touch', marker], s.backend.env)
      const refused = await second.done
      expect(refused.status).toBe(255)
      expect(refused.stderr).toContain(`by cloudmap run process ${first.child.pid} on this host, which is still running`)
      expect(refused.stderr).toContain('touch was not started')
      expect(existsSync(marker)).toBe(false)
      await first.stop()

      await s.registry.invoke('RegisterInstance', { ServiceId: s.plain, InstanceId: 'web-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })
      const third = await startCli(['run', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'plain', '--instance-id', 'web-1', '--', 'touch', marker], s.backend.env).done
      expect(third.status).toBe(255)
      expect(third.stderr).toContain('not by cloudmap run (it has no CLOUDMAP_RUN_OWNER attribute)')
      expect(existsSync(marker)).toBe(false)
    } finally {
      await s.backend.stop()
    }
  })

  it('a wrapper SIGKILLed leaves its instance; the next run with that id on this host takes it over', async () => {
    const s = await setup(name)
    try {
      const run = runServer(s, 'plain')
      await until('registration', () => instance(s, s.plain))
      const pid = Number(await until('the server pid', () => existsSync(s.pidfile) && readFileSync(s.pidfile, 'utf8')))
      run.child.kill('SIGKILL')
      // The orphaned COMMAND, which nobody told, still holds the wrapper's output pipes: end it too.
      await until('the wrapper to be gone', () => run.child.signalCode !== null)
      process.kill(pid, 'SIGKILL')
      await run.done
      expect(await instance(s, s.plain)).toBeDefined()
      const again = await startCli(['run', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'plain', '--instance-id', 'web-1', '--', process.execPath, '-e', 'process.exit(0)'], s.backend.env).done
      expect(again.stderr).toContain(`was left registered by cloudmap run process ${run.child.pid}, which is gone; taking it over`)
      expect(again.status).toBe(0)
      expect(await instance(s, s.plain)).toBeUndefined()
    } finally {
      await s.backend.stop()
    }
  })
})

describe('cloudmap run readiness checks', () => {
  it('--health-tcp: a custom health instance turns HEALTHY once COMMAND accepts connections', async () => {
    const s = await setup('local')
    const run = runServer(s, 'custom', ['--health-tcp', String(s.port), '--health-interval', '0.1'])
    await until('HEALTHY', async () => (await instance(s, s.custom))?.health === 'HEALTHY')
    expect(await discoverable(s, 'custom')).toEqual(['web-1'])
    await run.stop()
    expect((await run.done).status).toBe(3)
    expect(await instance(s, s.custom)).toBeUndefined()
  })

  it('--health-cmd: registered once the command exits 0', async () => {
    const s = await setup('local')
    const run = runServer(s, 'plain', ['--health-cmd', `test -f '${s.ready}'`, '--health-interval', '0.1'])
    await until('the server to listen', () => existsSync(s.pidfile))
    expect(await instance(s, s.plain)).toBeUndefined()
    writeFileSync(s.ready, '')
    await until('registration', () => instance(s, s.plain))
    await run.stop()
    expect(await instance(s, s.plain)).toBeUndefined()
  })
})

describe('cloudmap run failure cases', () => {
  it('an unreachable endpoint at start: COMMAND is not started, exit 255', async () => {
    const port = await freePort()
    const marker = join(mkdtempSync(join(tmpdir(), 'cloudmap-run-')), 'started')
    const r = await startCli(['run', '--endpoint-url', `http://127.0.0.1:${port}`, '--namespace-name', 'ns', '--service-name', 'plain', '--', 'touch', marker], { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' }).done
    expect(r.status).toBe(255)
    expect(r.stderr).toContain(`Could not connect to the endpoint URL: "http://127.0.0.1:${port}/"`)
    expect(r.stderr).toContain('touch was not started')
    expect(existsSync(marker)).toBe(false)
  })

  it('an unknown service: COMMAND is not started, exit 254', async () => {
    const s = await setup('local')
    const r = await startCli(['run', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'nope', '--', 'true']).done
    expect(r.status).toBe(254)
    expect(r.stderr).toContain('ServiceNotFound: No service named nope in namespace ns.')
  })

  it('COMMAND not found: exit 127; nothing left registered', async () => {
    const s = await setup('local')
    const r = await startCli(['run', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'plain', '--instance-id', 'web-1', '--', 'no-such-command-here']).done
    expect(r.status).toBe(127)
    expect(await instance(s, s.plain)).toBeUndefined()
  })

  it('the endpoint gone when COMMAND exits: retries, then says what was left registered; COMMAND\'s exit code kept', async () => {
    const s = await setup('serve')
    const run = runServer(s, 'plain')
    await until('registration', () => instance(s, s.plain))
    await until('the server to listen', () => existsSync(s.pidfile))
    await s.backend.stop()
    await hit(s, '/exit?code=7')
    const end = await run.done
    expect(end.status).toBe(7)
    expect(end.stderr).toContain('could not deregister instance web-1 in service plain')
    expect(end.stderr).toContain(`it is still registered; remove it with: cloudmap deregister-instance --service-id ${s.plain} --instance-id web-1`)
    expect(await instance(s, s.plain)).toBeDefined()
  })

  it('usage: COMMAND must come after --', async () => {
    const r = await startCli(['run', '--namespace-name', 'ns', '--service-name', 'plain', 'true']).done
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('COMMAND goes after --: cloudmap run [flags] -- true')
  })
})
