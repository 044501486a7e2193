import { readFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createTcpServer } from 'node:net'
import type { AddressInfo, Server as TcpServer, Socket } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { HealthCheckConfig } from '../../src/model/api-types.js'
import type { LocalRegistry } from '../../src/backends/local/local-registry.js'
import type { HealthChecker, HealthOptions } from '../../src/serve/health/index.js'
import { startHealth } from '../../src/serve/health/index.js'
import type { RunningServe } from '../../src/serve/index.js'
import { runCliAsync, tempRegistry } from '../helpers/cli.js'
import { startServeProcess, until } from '../helpers/live.js'
import { serveHere } from '../helpers/serve.js'

/**
 * serve's health face against real endpoints on this machine: HTTP, HTTPS (self-signed certificate) and
 * TCP servers on ports from the OS, stopped and started again. Nothing here measures time: every wait is
 * a bounded poll for a condition.
 */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const NOW = new Date('2026-01-02T03:04:05.678Z')

type Answer = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

/** A target that can be stopped and started again on the same port, counting the requests it gets. */
interface Target {
  port: number
  /** Requests (HTTP, HTTPS) or connections (TCP) received so far. */
  count: number
  /** Connections open right now, and the most ever open at once. */
  open: number
  maxOpen: number
  answer: Answer
  stop(): Promise<void>
  start(): Promise<void>
}

async function startTarget(kind: 'http' | 'https' | 'tcp', answer: Answer = (_req, res) => void res.end('ok'), host = '127.0.0.1'): Promise<Target> {
  const sockets = new Set<Socket>()
  let server: HttpServer | TcpServer
  const target: Target = {
    port: 0,
    count: 0,
    open: 0,
    maxOpen: 0,
    answer,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
    },
    start: async () => {
      const onRequest = (req: IncomingMessage, res: ServerResponse) => {
        target.count++
        void target.answer(req, res)
      }
      server =
        kind === 'tcp'
          ? createTcpServer((socket) => {
              target.count++
              socket.end()
            })
          : kind === 'https'
            ? createHttpsServer({ key: readFileSync(join(FIXTURES, 'self-signed.key')), cert: readFileSync(join(FIXTURES, 'self-signed.crt')) }, onRequest)
            : createHttpServer(onRequest)
      server.on(kind === 'https' ? 'secureConnection' : 'connection', (socket: Socket) => {
        sockets.add(socket)
        target.open++
        target.maxOpen = Math.max(target.maxOpen, target.open)
        socket.once('close', () => {
          sockets.delete(socket)
          target.open--
        })
      })
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(target.port, host, () => resolve())
      })
      target.port = (server.address() as AddressInfo).port
    },
  }
  await target.start()
  return target
}

interface Setup {
  serve: RunningServe
  /** Stop serve (once; the test's end does it otherwise). */
  stop(): Promise<void>
  registry: LocalRegistry
  checker: HealthChecker
  path: string
  serviceId: string
  register(instanceId: string, port: number, extra?: Record<string, string>): Promise<void>
  health(): Promise<Record<string, string>>
  discover(filter?: string): Promise<string[]>
}

const running: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop()
})

/** serve on a registry with the health face (and nothing else), its checker at hand. */
async function serveWithHealth(path: string, options: Partial<HealthOptions> = {}): Promise<{ serve: RunningServe; checker: HealthChecker }> {
  let checker: HealthChecker | undefined
  const serve = await serveHere({
    registryPath: path,
    seed: 'health',
    now: () => NOW,
    faces: [
      {
        name: 'health',
        start: async (context) => {
          const started = await startHealth(context, { intervalMs: 1000, timeoutMs: 4000, concurrency: 16, ...options })
          checker = started.running
          return started
        },
      },
    ],
  })
  return { serve, checker: checker! }
}

async function setup(config: HealthCheckConfig, options: Partial<HealthOptions> = {}): Promise<Setup> {
  const { path } = tempRegistry()
  const { serve, checker } = await serveWithHealth(path, options)
  let stopped: Promise<void> | undefined
  const stop = () => (stopped ??= serve.close())
  running.push(stop)
  const registry = serve.registry
  const created = await registry.invoke('CreateHttpNamespace', { Name: 'health' })
  const namespaceId = (await registry.invoke('GetOperation', { OperationId: created.OperationId! })).Operation!.Targets!.NAMESPACE!
  const serviceId = (await registry.invoke('CreateService', { Name: 'web', NamespaceId: namespaceId, HealthCheckConfig: config })).Service!.Id!
  return {
    serve,
    stop,
    registry,
    checker,
    path,
    serviceId,
    register: async (instanceId, port, extra = {}) => {
      await registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: instanceId, Attributes: { AWS_INSTANCE_IPV4: '127.0.0.1', AWS_INSTANCE_PORT: String(port), ...extra } })
    },
    health: async () => ((await registry.invoke('GetInstancesHealthStatus', { ServiceId: serviceId })).Status ?? {}) as Record<string, string>,
    discover: async (filter = 'HEALTHY') => {
      const found = await registry.invoke('DiscoverInstances', { NamespaceName: 'health', ServiceName: 'web', HealthStatus: filter as 'HEALTHY' })
      return (found.Instances ?? []).map((i) => i.InstanceId!).sort()
    },
  }
}

const probed = (s: Setup, instanceId: string) => s.checker.probes().find((p) => p.instanceId === instanceId)

describe('cloudmap serve health flags', () => {
  it('announces the health checks, and refuses an interval under 1 s in the usual words (exit 252)', async () => {
    const { path } = tempRegistry()
    const bad = await runCliAsync(['serve', '--port', '0', '--registry', path, '--health-interval', '0'])
    expect(bad.status).toBe(252)
    expect(bad.stderr).toContain('--health-interval')
    const serve = await startServeProcess(['--registry', path, '--health-interval', '2', '--health-timeout', '1'])
    running.push(async () => void (await serve.stop()))
    const stderr = await until('the announce line', () => (serve.live.stderr().includes('health checks:') ? serve.live.stderr() : undefined))
    expect(stderr).toContain('health checks: Route 53 HTTP/HTTPS/TCP checks probed every 2 s (timeout 1 s)')
  })
})

describe('serve health checks', () => {
  it('flips an HTTP instance after exactly FailureThreshold failed probes, and back after as many good ones, at a 1 s interval', async () => {
    const threshold = 3
    const s = await setup({ Type: 'HTTP', ResourcePath: '/health', FailureThreshold: threshold })
    const paths: string[] = []
    const agents: string[] = []
    const target = await startTarget('http', (req, res) => {
      paths.push(req.url ?? '')
      agents.push(req.headers['user-agent'] ?? '')
      res.end('ok')
    })
    running.push(() => target.stop())
    await s.register('web-1', target.port)
    const revision = (await s.registry.invoke('DiscoverInstancesRevision', { NamespaceName: 'health', ServiceName: 'web' })).InstancesRevision
    await until('a first good probe', () => probed(s, 'web-1')?.last?.healthy)
    expect(paths[0]).toBe('/health')
    expect(agents[0]).toMatch(/^Amazon-Route53-Health-Check-Service /)
    expect((await s.health())['web-1']).toBe('HEALTHY')

    /**
     * Answer `status` from now on. Before answering the k-th such probe, note the status the registry
     * reports; hold probe threshold + 1 until the registry shows the flip (the instance is not probed
     * again while one of its probes is in flight, so the flip came from the first `threshold` answers).
     */
    const answerWith = async (status: number, expected: string) => {
      const seen: string[] = []
      let flippedWhileHeld: boolean | undefined
      target.answer = async (_req, res) => {
        const k = seen.push((await s.health())['web-1'])
        if (k === threshold + 1) flippedWhileHeld = await until(`${expected} while probe ${k} is held`, async () => (await s.health())['web-1'] === expected, 3_000).then(() => true, () => false)
        res.statusCode = status
        res.end()
      }
      await until(`probe ${threshold + 1} to be held and released`, () => flippedWhileHeld !== undefined)
      return { seen, flippedWhileHeld }
    }

    const down = await answerWith(503, 'UNHEALTHY')
    expect(down.seen.slice(0, threshold)).toEqual(['HEALTHY', 'HEALTHY', 'HEALTHY'])
    expect(down.flippedWhileHeld).toBe(true)
    expect(await s.discover()).toEqual([])
    expect(await s.discover('UNHEALTHY')).toEqual(['web-1'])

    // A status change is not a registration: InstancesRevision stays ("The health status updates don't
    // update InstancesRevision").
    expect((await s.registry.invoke('DiscoverInstancesRevision', { NamespaceName: 'health', ServiceName: 'web' })).InstancesRevision).toBe(revision)
    const stored = await s.registry.readState((state) => state.instances.of(s.serviceId)['web-1'])
    expect(Object.keys(stored)).toEqual(['Id', 'Attributes', 'HealthCheckStatus'])
    expect(stored.HealthCheckStatus).toEqual({ Status: 'UNHEALTHY', ChangedAt: NOW.toISOString() })

    const up = await answerWith(302, 'HEALTHY')
    expect(up.seen.slice(0, threshold)).toEqual(['UNHEALTHY', 'UNHEALTHY', 'UNHEALTHY'])
    expect(up.flippedWhileHeld).toBe(true)
    expect(await s.discover()).toEqual(['web-1'])
  })

  it('HTTPS with a self-signed certificate: discovery drops a stopped instance, falls back to all when none is healthy, and returns instances that come back', async () => {
    const s = await setup({ Type: 'HTTPS', FailureThreshold: 1 }, { intervalMs: 300, timeoutMs: 2000 })
    const a = await startTarget('https')
    const b = await startTarget('https')
    running.push(() => a.stop(), () => b.stop())
    await s.register('a', a.port)
    await s.register('b', b.port)
    await until('good probes of both over HTTPS', () => probed(s, 'a')?.last?.healthy && probed(s, 'b')?.last?.healthy)
    expect(await s.discover()).toEqual(['a', 'b'])

    await a.stop()
    await until('a to leave discovery', async () => (await s.discover()).join() === 'b')
    expect(await s.discover('HEALTHY_OR_ELSE_ALL')).toEqual(['b'])
    expect(await s.discover('UNHEALTHY')).toEqual(['a'])

    await b.stop()
    await until('b to leave discovery', async () => (await s.discover()).length === 0)
    // HEALTHY_OR_ELSE_ALL fails open: with no healthy instance it returns them all.
    expect(await s.discover('HEALTHY_OR_ELSE_ALL')).toEqual(['a', 'b'])
    expect(await s.discover('ALL')).toEqual(['a', 'b'])

    await a.start()
    await until('a to come back', async () => (await s.discover()).join() === 'a')
    expect(await s.discover('HEALTHY_OR_ELSE_ALL')).toEqual(['a'])

    // Registering b again makes a new health check, which starts healthy (RegisterInstance.InstanceId);
    // b is still down, so the next probe takes it out again.
    await s.register('b', b.port, { version: '2' })
    expect((await s.health()).b).toBe('HEALTHY')
    await until('b, registered again, to be found down again', async () => (await s.health()).b === 'UNHEALTHY')
  })

  it('TCP: a refused connection is a failure, an accepted one a success', async () => {
    const s = await setup({ Type: 'TCP', FailureThreshold: 1 }, { intervalMs: 300, timeoutMs: 2000 })
    const tcp = await startTarget('tcp')
    running.push(() => tcp.stop())
    await s.register('db', tcp.port)
    await until('a TCP connection', () => tcp.count > 0 && probed(s, 'db')?.last?.healthy)
    await tcp.stop()
    await until('db down', async () => (await s.health()).db === 'UNHEALTHY')
    expect(probed(s, 'db')?.last?.detail).toBe('connection refused')
    await tcp.start()
    await until('db back', async () => (await s.health()).db === 'HEALTHY')
  })

  it('HTTP: a redirect is a healthy result, never followed', async () => {
    const s = await setup({ Type: 'HTTP', FailureThreshold: 1 }, { intervalMs: 300, timeoutMs: 2000 })
    const elsewhere = await startTarget('http')
    const redirect = await startTarget('http', (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${elsewhere.port}/` })
      res.end()
    })
    running.push(() => elsewhere.stop(), () => redirect.stop())
    await s.register('web', redirect.port)
    await until('a probe answered with a redirect', () => probed(s, 'web')?.last?.detail === 'HTTP 302')
    expect(probed(s, 'web')?.target).toBe(`HTTP 127.0.0.1:${redirect.port}/`)
    expect((await s.health()).web).toBe('HEALTHY')
    expect(elsewhere.count).toBe(0)
  })

  it('probes AWS_INSTANCE_IPV6 when there is no IPv4 address, and only the IPv4 address when there are both', async () => {
    const s = await setup({ Type: 'HTTP', FailureThreshold: 1 }, { intervalMs: 300, timeoutMs: 2000 })
    // One server on both stacks: it answers 200 over IPv6 and 503 over IPv4, so the results tell which was asked.
    const v6 = await startTarget('http', (req, res) => {
      res.statusCode = req.socket.remoteAddress === '::1' ? 200 : 503
      res.end()
    }, '::')
    running.push(() => v6.stop())
    await s.registry.invoke('RegisterInstance', { ServiceId: s.serviceId, InstanceId: 'v6', Attributes: { AWS_INSTANCE_IPV6: '::1', AWS_INSTANCE_PORT: String(v6.port) } })
    await until('a probe over IPv6', () => probed(s, 'v6')?.last?.healthy)
    expect(probed(s, 'v6')?.target).toBe(`HTTP [::1]:${v6.port}/`)
    // Both: "Cloud Map creates a health check that uses the IPv4 address" (HealthCheckConfig).
    await s.registry.invoke('RegisterInstance', { ServiceId: s.serviceId, InstanceId: 'both', Attributes: { AWS_INSTANCE_IPV4: '127.0.0.1', AWS_INSTANCE_IPV6: '::1', AWS_INSTANCE_PORT: String(v6.port) } })
    await until('both, checked on IPv4, to be down', async () => (await s.health()).both === 'UNHEALTHY')
    expect(probed(s, 'both')?.last?.detail).toBe('HTTP 503')
    expect((await s.health()).v6).toBe('HEALTHY')
  })

  it('follows UpdateService: a changed health check is probed its new way, a removed one no more', async () => {
    const s = await setup({ Type: 'TCP', FailureThreshold: 1 }, { intervalMs: 300, timeoutMs: 2000 })
    const created = await s.registry.invoke('CreatePublicDnsNamespace', { Name: 'health.example' })
    const namespaceId = (await s.registry.invoke('GetOperation', { OperationId: created.OperationId! })).Operation!.Targets!.NAMESPACE!
    const dns = { DnsRecords: [{ Type: 'A' as const, TTL: 60 }] }
    const serviceId = (await s.registry.invoke('CreateService', { Name: 'api', NamespaceId: namespaceId, DnsConfig: dns, HealthCheckConfig: { Type: 'HTTP', ResourcePath: '/live', FailureThreshold: 1 } })).Service!.Id!
    const paths: string[] = []
    const target = await startTarget('http', (req, res) => {
      paths.push(req.url ?? '')
      res.end()
    })
    running.push(() => target.stop())
    await s.registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'api-1', Attributes: { AWS_INSTANCE_IPV4: '127.0.0.1', AWS_INSTANCE_PORT: String(target.port) } })
    await until('an HTTP probe of /live', () => paths.includes('/live'))

    await s.registry.invoke('UpdateService', { Id: serviceId, Service: { DnsConfig: dns, HealthCheckConfig: { Type: 'HTTP', ResourcePath: '/ready', FailureThreshold: 2 } } })
    await until('an HTTP probe of /ready', () => paths.includes('/ready'))
    expect(probed(s, 'api-1')?.target).toBe(`HTTP 127.0.0.1:${target.port}/ready`)

    // UpdateService "deletes omitted HealthCheckConfig": no check, so AWS reports UNKNOWN.
    await s.registry.invoke('UpdateService', { Id: serviceId, Service: { DnsConfig: dns } })
    await until('api-1 to leave the schedule', () => probed(s, 'api-1') === undefined)
    expect((await s.registry.invoke('GetInstancesHealthStatus', { ServiceId: serviceId })).Status).toEqual({ 'api-1': 'UNKNOWN' })

    // Added again, of another type: probed that way.
    await s.registry.invoke('UpdateService', { Id: serviceId, Service: { DnsConfig: dns, HealthCheckConfig: { Type: 'TCP', FailureThreshold: 1 } } })
    await until('a TCP probe', () => probed(s, 'api-1')?.last?.detail === 'connected')
  })

  it('status changes that happen together are recorded in one write', async () => {
    const s = await setup({ Type: 'HTTP', FailureThreshold: 1 }, { intervalMs: 300, timeoutMs: 4000 })
    const count = 10
    // Hold every probe until all ten instances are being probed, then answer them all at once.
    const held: ServerResponse[] = []
    let failing = false
    const target = await startTarget('http', (_req, res) => {
      if (!failing) return void res.end()
      held.push(res)
      if (held.length === count) for (const r of held.splice(0)) r.writeHead(503).end()
    })
    running.push(() => target.stop())
    for (let i = 0; i < count; i++) await s.register(`web-${i}`, target.port)
    await until('a good probe of each', () => s.checker.probes().filter((p) => p.last?.healthy).length === count)
    const writes = () => s.registry.readState((state) => state.sequence)
    const before = await writes()
    failing = true
    await until('all ten down', async () => Object.values(await s.health()).every((status) => status === 'UNHEALTHY'))
    // One write for the ten (two when the first results were already being written as the last arrived).
    expect((await writes()) - before).toBeLessThanOrEqual(2)
  })

  it('a hanging target is cut by the timeout and slows neither the other probes nor the API', async () => {
    const s = await setup({ Type: 'HTTP', FailureThreshold: 1 }, { intervalMs: 300, timeoutMs: 3000 })
    const hang = await startTarget('http', () => {})
    const ok = await startTarget('http')
    running.push(() => hang.stop(), () => ok.stop())
    await s.register('hang', hang.port)
    await until('the hanging probe', () => hang.count === 1)
    await s.register('ok', ok.port)
    // While the first probe of `hang` waits for an answer, `ok` is probed again and again and the API answers.
    const before = ok.count
    await until('three probes of ok', () => ok.count >= before + 3)
    const answered = await fetch(`${s.serve.url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'Route53AutoNaming_v20170314.DiscoverInstances', 'content-type': 'application/x-amz-json-1.1', authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/servicediscovery/aws4_request, SignedHeaders=host, Signature=00' },
      body: JSON.stringify({ NamespaceName: 'health', ServiceName: 'web', HealthStatus: 'ALL' }),
    })
    expect(answered.status).toBe(200)
    expect(((await answered.json()) as { Instances: unknown[] }).Instances).toHaveLength(2)
    await until('hang cut by the timeout', async () => (await s.health()).hang === 'UNHEALTHY')
    expect(probed(s, 'hang')?.last?.detail).toBe('no answer within 3000 ms')
    expect((await s.health()).ok).toBe('HEALTHY')
    // No pile-up: one probe of an instance at a time. Probes every 300 ms piling up behind a 3 s timeout would
    // hold about ten connections; the target may see the next probe's connection in the same turn as it
    // notices the timed-out one close, hence 2.
    expect(hang.maxOpen).toBeLessThanOrEqual(2)
  })

  it('a CLI command run beside serve sees the recorded status; an instance deregistered leaves the schedule', async () => {
    const s = await setup({ Type: 'HTTP', FailureThreshold: 1 }, { intervalMs: 300, timeoutMs: 2000 })
    const target = await startTarget('http')
    running.push(() => target.stop())
    await s.register('web-1', target.port)
    await until('a good probe', () => probed(s, 'web-1')?.last?.healthy)
    await target.stop()
    await until('web-1 down', async () => (await s.health())['web-1'] === 'UNHEALTHY')
    const cli = await runCliAsync(['get-instances-health-status', '--service-id', s.serviceId, '--registry', s.path, '--output', 'json'])
    expect(cli.stderr).toBe('')
    expect(JSON.parse(cli.stdout)).toEqual({ Status: { 'web-1': 'UNHEALTHY' } })
    const discovered = await runCliAsync(['discover-instances', '--namespace-name', 'health', '--service-name', 'web', '--health-status', 'HEALTHY_OR_ELSE_ALL', '--registry', s.path, '--output', 'json'])
    expect(JSON.parse(discovered.stdout).Instances.map((i: { HealthStatus: string }) => i.HealthStatus)).toEqual(['UNHEALTHY'])

    // Deregistered from the CLI: the view reports it and serve stops probing it.
    await s.register('web-2', target.port)
    await until('web-2 to join the schedule', () => probed(s, 'web-2'))
    const gone = await runCliAsync(['deregister-instance', '--service-id', s.serviceId, '--instance-id', 'web-2', '--registry', s.path])
    expect(gone.status).toBe(0)
    await until('web-2 to leave the schedule', () => probed(s, 'web-2') === undefined)

    // Without serve nothing probes: the endpoint is back, but the last recorded status stands.
    await s.stop()
    await target.start()
    const after = await runCliAsync(['get-instances-health-status', '--service-id', s.serviceId, '--instances', 'web-1', '--registry', s.path, '--output', 'json'])
    expect(JSON.parse(after.stdout)).toEqual({ Status: { 'web-1': 'UNHEALTHY' } })

    // serve started again goes on from the recorded status, and finds the endpoint back.
    const again = await serveWithHealth(s.path, { intervalMs: 300, timeoutMs: 2000 })
    running.push(() => again.serve.close())
    expect(again.checker.probes().map((p) => [p.instanceId, p.status])).toEqual([['web-1', 'UNHEALTHY']])
    await until('web-1 back', async () => (await again.serve.registry.invoke('GetInstancesHealthStatus', { ServiceId: s.serviceId })).Status?.['web-1'] === 'HEALTHY')
  })
})
