/// <reference lib="dom" />
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HealthChecker } from '../../src/serve/health/index.js'
import { startHealth } from '../../src/serve/health/index.js'
import type { RunningServe } from '../../src/serve/index.js'
import { startUi } from '../../src/serve/ui/index.js'
import { runCliAsync, tempRegistry } from '../helpers/cli.js'
import type { Browser } from './browser.js'
import { chromiumAvailable, launchBrowser } from './browser.js'
import { serveHere } from '../helpers/serve.js'

// serve's own health checks on the dashboard: a real HTTP target that turns unhealthy and back; the page
// shows the status (live, from the registry) and the prober's last result and time.

describe.skipIf(!chromiumAvailable())('the dashboard with active health checks (headless chromium)', { timeout: 90_000 }, () => {
  const { path: registryPath } = tempRegistry()
  const env = { CLOUDMAP_REGISTRY: registryPath }
  let target: Server
  let answer = 200
  let serve: RunningServe
  let checker: HealthChecker | undefined
  let browser: Browser
  let page: Page

  const cli = async (...args: string[]) => {
    const result = await runCliAsync(args, env)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    return result.stdout.trim()
  }
  const row = () => page.locator('[data-service="api"] tr[data-instance="api-1"]')

  beforeAll(async () => {
    target = createServer((request, response) => {
      response.statusCode = request.url === '/health' ? answer : 404
      response.end()
    })
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve))
    const port = (target.address() as AddressInfo).port
    await cli('create-http-namespace', '--name', 'ops')
    const ns = await cli('list-namespaces', '--query', 'Namespaces[0].Id', '--output', 'text')
    const srv = await cli('create-service', '--name', 'api', '--namespace-id', ns, '--health-check-config', 'Type=HTTP,ResourcePath=/health,FailureThreshold=1', '--query', 'Service.Id', '--output', 'text')
    await cli('register-instance', '--service-id', srv, '--instance-id', 'api-1', '--attributes', `AWS_INSTANCE_IPV4=127.0.0.1,AWS_INSTANCE_PORT=${port}`)
    serve = await serveHere({
      registryPath,
      faces: [
        {
          name: 'health',
          start: async (ctx) => {
            const started = await startHealth(ctx, { intervalMs: 300, timeoutMs: 2000, concurrency: 4 })
            checker = started.running
            return started
          },
        },
        { name: 'ui', start: (ctx) => startUi(ctx, { probes: () => checker?.probes() ?? [] }) },
      ],
    })
    browser = await launchBrowser()
    page = await browser.context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await serve?.close()
    await new Promise((resolve) => target?.close(resolve))
  })

  it("shows the prober's last result and time beside the status, and follows it live", async () => {
    // The first probe has happened before the page reads, so the page has a result to show.
    await expect.poll(() => checker?.probes()[0]?.last?.detail, { timeout: 10_000 }).toBe('HTTP 200')
    await page.goto(`${serve.url}/ui/`)
    await page.locator('main[data-phase="ready"]').waitFor()
    expect(await row().getAttribute('data-health')).toBe('HEALTHY')
    expect(await row().locator('[data-probe]').getAttribute('data-probe')).toBe('pass')
    expect(await row().locator('[data-probe]').innerText()).toMatch(/last probe passed: HTTP 200 at .*\n?HTTP 127\.0\.0\.1:\d+\/health/)
    expect(await page.locator('[data-service="api"]').innerText()).toContain('probed by serve')

    // The target fails: one failed probe (FailureThreshold 1) records UNHEALTHY, and the page follows.
    answer = 503
    await expect.poll(() => row().getAttribute('data-health'), { timeout: 15_000 }).toBe('UNHEALTHY')
    expect(await row().locator('[data-probe]').innerText()).toContain('last probe failed: HTTP 503')
    answer = 200
    await expect.poll(() => row().getAttribute('data-health'), { timeout: 15_000 }).toBe('HEALTHY')
    expect(await row().locator('[data-probe]').innerText()).toContain('last probe passed: HTTP 200')
  })

  it('answers probe results only for a service id in a small JSON body', async () => {
    const ask = (body: string) => fetch(`${serve.url}/ui/probes`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
    expect((await ask('not json')).status).toBe(400)
    expect((await ask('{}')).status).toBe(400)
    expect((await ask(JSON.stringify({ ServiceId: 'x'.repeat(10_000) }))).status).toBe(413)
    const none = await ask(JSON.stringify({ ServiceId: 'srv-none' }))
    expect(await none.json()).toEqual({ Probing: true, Probes: [] })
  })
})
