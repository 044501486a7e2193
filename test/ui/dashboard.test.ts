/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser: they are typed with the DOM.
import { mkdirSync, mkdtempSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Face, FaceContext } from '../../src/serve/faces.js'
import type { RunningServe } from '../../src/serve/index.js'
import { startUi } from '../../src/serve/ui/index.js'
import { ROOT, runCliAsync, tempRegistry } from '../helpers/cli.js'
import { startServeProcess } from '../helpers/live.js'
import { needs } from '../helpers/needs.js'
import { rawRequest, serveHere } from '../helpers/serve.js'
import type { Browser } from './browser.js'
import { chromiumAvailable, launchBrowser } from './browser.js'

// The dashboard in a real browser (Debian's chromium through playwright-core) against serve started in
// this process, with data made by the built CLI as a person would make it.

const hasChromium = needs('chromium', chromiumAvailable(), 'apt-get install -y chromium (.ci/run does)')

/** Serve's clock and the page's, fixed: the screenshot and the operations' dates are the same every run. */
const FIXED_NOW = '2026-01-02T03:04:05.678Z'

/** GET a path of serve exactly as written (helpers/serve rawRequest: no client normalises `..` away). */
const get = (url: string, path: string) => rawRequest(url, { method: 'GET', path })

describe.skipIf(!hasChromium)('the dashboard at /ui/ (headless chromium)', { timeout: 90_000 }, () => {
  const { path: registryPath } = tempRegistry()
  const env = { CLOUDMAP_REGISTRY: registryPath }
  let serve: RunningServe
  let browser: Browser
  let page: Page
  let serviceId = ''
  let viewOpened = 0

  const cli = async (...args: string[]) => {
    const result = await runCliAsync(args, env)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    return result.stdout.trim()
  }
  const rows = (service: string) => page.locator(`[data-service="${service}"] tr[data-instance]`)

  beforeAll(async () => {
    // Two namespaces, a service with custom health checks, instances with attributes: all by the CLI.
    await cli('create-http-namespace', '--name', 'shop', '--description', 'The web shop')
    await cli('create-private-dns-namespace', '--name', 'billing.internal', '--vpc', 'vpc-0a1b2c3d')
    const shop = await cli('list-namespaces', '--query', "Namespaces[?Name=='shop'].Id", '--output', 'text')
    const billing = await cli('list-namespaces', '--query', "Namespaces[?Name=='billing.internal'].Id", '--output', 'text')
    serviceId = await cli('create-service', '--name', 'web', '--namespace-id', shop, '--health-check-custom-config', 'FailureThreshold=1', '--query', 'Service.Id', '--output', 'text')
    const invoices = await cli('create-service', '--name', 'invoices', '--namespace-id', billing, '--dns-config', 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=SRV,TTL=30}]', '--query', 'Service.Id', '--output', 'text')
    await cli('register-instance', '--service-id', serviceId, '--instance-id', 'web-1', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.1,AWS_INSTANCE_PORT=8080,zone=eu-west-1a')
    await cli('register-instance', '--service-id', serviceId, '--instance-id', 'web-2', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.2,AWS_INSTANCE_PORT=8080,zone=eu-west-1b')
    await cli('register-instance', '--service-id', invoices, '--instance-id', 'inv-1', '--attributes', 'AWS_INSTANCE_IPV4=10.1.0.1,AWS_INSTANCE_PORT=9000')

    const ui: Face = {
      name: 'ui',
      // Counts how often the live view is asked for: a page that is not open must cost the API nothing.
      start: (ctx: FaceContext) => startUi({ ...ctx, view: () => (viewOpened++, ctx.view()) }),
    }
    serve = await serveHere({ registryPath, seed: 'ui', now: () => new Date(FIXED_NOW), faces: [ui] })
    browser = await launchBrowser()
    page = await browser.context.newPage()
    await page.clock.setFixedTime(new Date(FIXED_NOW))
  })

  afterAll(async () => {
    await browser?.close()
    await serve?.close()
  })

  it('costs the API nothing while no page is open: the live view is opened by the first page', async () => {
    for (let i = 0; i < 5; i++) {
      const answer = await fetch(`${serve.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Route53AutoNaming_v20170314.ListNamespaces' }, body: '{}' })
      expect(answer.status).toBe(200)
    }
    expect(viewOpened).toBe(0)
  })

  it('lists what the CLI created: namespaces, services, instances with attributes, health, DnsConfig, revision, operations', async () => {
    await page.goto(`${serve.url}/ui/`)
    await page.locator('main[data-phase="ready"]').waitFor()
    expect(viewOpened).toBe(1)
    await expect.poll(() => page.locator('[data-link]').getAttribute('data-link')).toBe('live')

    expect(await page.locator('[data-namespace]').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-namespace')))).toEqual(['billing.internal', 'shop'])
    expect(await rows('web').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-instance')))).toEqual(['web-1', 'web-2'])
    expect(await rows('invoices').count()).toBe(1)
    const web1 = page.locator('[data-service="web"] tr[data-instance="web-1"]')
    await expect.poll(() => web1.innerText()).toContain('zone=eu-west-1a')
    expect(await web1.innerText()).toContain('AWS_INSTANCE_PORT=8080')
    // Custom health starts HEALTHY; a service without health checks reports UNKNOWN (as DiscoverInstances does).
    expect(await web1.getAttribute('data-health')).toBe('HEALTHY')
    expect(await web1.innerText()).toContain('HEALTHY')
    expect(await page.locator('[data-service="invoices"] tr[data-instance="inv-1"]').getAttribute('data-health')).toBe('UNKNOWN')
    const invoices = await page.locator('[data-service="invoices"]').innerText()
    expect(invoices).toContain('SRV (TTL 30s)')
    expect(invoices).toContain('MULTIVALUE')
    expect(await page.locator('[data-service="web"]').innerText()).toContain('custom')
    expect(await page.locator('[data-service="web"] [data-revision]').innerText()).toBe('2')
    const operations = await page.locator('#operations').innerText()
    expect(operations).toContain('REGISTER_INSTANCE')
    expect(operations).toContain('SUCCESS')
  })

  it('shows an instance registered by `cloudmap register-instance` without reloading', async () => {
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'))
    await cli('register-instance', '--service-id', serviceId, '--instance-id', 'web-3', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.3,zone=eu-west-1c')
    // A generous bound for a shared machine: how soon is measured by `npm run bench`, not here.
    await page.locator('[data-service="web"] tr[data-instance="web-3"]').waitFor({ timeout: 10_000 })
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page')
    expect(await page.locator('[data-service="web"] [data-revision]').innerText()).toBe('3')
  })

  it('shows an instance made unhealthy by update-instance-custom-health-status as UNHEALTHY', async () => {
    await cli('update-instance-custom-health-status', '--service-id', serviceId, '--instance-id', 'web-2', '--status', 'UNHEALTHY')
    const web2 = page.locator('[data-service="web"] tr[data-instance="web-2"]')
    await expect.poll(() => web2.getAttribute('data-health'), { timeout: 10_000 }).toBe('UNHEALTHY')
    expect(await web2.locator('.badge').innerText()).toContain('UNHEALTHY')
    expect(await web2.locator('.badge').getAttribute('class')).toContain('health-unhealthy')
  })

  it('narrows the list by the search box (names and attribute values) and is keyboard navigable', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.keyboard.press('/')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search')
    await page.keyboard.type('eu-west-1b')
    await expect.poll(() => rows('web').count()).toBe(1)
    expect(await rows('web').first().getAttribute('data-instance')).toBe('web-2')
    expect(await page.locator('[data-namespace]').count()).toBe(1)
    expect(await page.locator('[data-search-result]').innerText()).toBe('showing 1 of 4 instances')
    await page.keyboard.press('Escape')
    await expect.poll(() => rows('web').count()).toBe(3)
    await page.locator('input[type="search"]').fill('billing')
    await expect.poll(() => page.locator('[data-namespace]').evaluateAll((s) => s.map((e) => e.getAttribute('data-namespace')))).toEqual(['billing.internal'])
    await page.locator('input[type="search"]').fill('')
    // Before the search box, the skip link, which moves focus to the registry; after it, the navigation.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toMatch(/^#ns-/)
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the registry')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')
  })

  it('is readable at 1280x800 (screenshot for the README) and on a narrow window', async () => {
    await page.locator('[data-service="web"] tr[data-instance="web-3"]').waitFor()
    await page.evaluate(() => window.scrollTo(0, 0))
    // The README's screenshot is refreshed only when asked (CLOUDMAP_UPDATE_SCREENSHOT=1): a test run leaves the checkout as it was.
    const shots = process.env.CLOUDMAP_UPDATE_SCREENSHOT ? join(ROOT, 'docs') : mkdtempSync(join(tmpdir(), 'cloudmap-dashboard-'))
    mkdirSync(shots, { recursive: true })
    await page.screenshot({ path: join(shots, 'dashboard.png') })
    await page.setViewportSize({ width: 400, height: 800 })
    // Nothing wider than the window: the tables scroll inside their own boxes.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  it('serves only its own files, with strict types, nosniff and a Content-Security-Policy', async () => {
    for (const path of ['/ui/../registry.json', '/ui/%2e%2e/registry.json', '/ui/..%2fregistry.json', '/ui/../../../../etc/passwd', '/ui//etc/passwd']) {
      const answer = await get(serve.url, path)
      expect(answer.status, path).toBe(404)
      expect(answer.body, path).not.toContain('schema')
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff')
    }
    const index = await get(serve.url, '/ui/')
    expect(index.status).toBe(200)
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    expect(index.headers['content-security-policy']).toContain("default-src 'self'")
    expect(index.headers['content-security-policy']).toContain("script-src 'self'")
    expect(index.headers['content-security-policy']).not.toContain('unsafe-inline')
    // No inline script: the only script is the bundle, by URL.
    expect(index.body.match(/<script[^>]*>/g)).toEqual(['<script type="module" src="app.js">'])
    expect((await get(serve.url, '/ui/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await get(serve.url, '/ui/app.css')).headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await get(serve.url, '/ui')).status).toBe(308)
  })

  it("tells the page only that something changed: the stream carries no registry data", async () => {
    const events = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${serve.url}/ui/events`, (response) => {
        expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8')
        let text = ''
        let changed = false
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          text += chunk
          if (text.includes('event: ready') && !changed) {
            changed = true
            void cli('deregister-instance', '--service-id', serviceId, '--instance-id', 'web-3')
          }
          if (text.includes('event: change')) {
            req.destroy()
            resolve(text)
          }
        })
      })
      req.on('error', reject).end()
    })
    const data = events.split('\n').filter((l) => l.startsWith('data:'))
    expect(new Set(data)).toEqual(new Set(['data: ready', 'data: changed']))
    expect(events).not.toContain('web-3')
    expect(events).not.toContain(serviceId)
  })
})

describe('the ui face without a browser', () => {
  it('is on by default in `cloudmap serve`, off with --no-ui', async () => {
    const { path } = tempRegistry()
    for (const [flags, status] of [[[], 200], [['--no-ui'], 404]] as const) {
      const serve = await startServeProcess(['--registry', path, ...flags])
      const url = serve.url
      try {
        expect((await get(url, '/ui/')).status, flags.join(' ') || 'default').toBe(status)
        if (status === 200) {
          // serve wires the dashboard to its health prober (on by default).
          const probes = await fetch(`${url}/ui/probes`, { method: 'POST', body: JSON.stringify({ ServiceId: 'srv-none' }) })
          expect(await probes.json()).toEqual({ Probing: true, Probes: [] })
        }
      } finally {
        await serve.stop()
      }
    }
  })

  it('lets serve stop while a page is connected (its change stream is ended)', async () => {
    const { path } = tempRegistry()
    const serve = await serveHere({ registryPath: path, faces: [{ name: 'ui', start: (ctx) => startUi(ctx) }] })
    const ended = new Promise<string>((resolve, reject) => {
      httpRequest(`${serve.url}/ui/events`, (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          text += chunk
          if (text.includes('event: ready')) void serve.close()
        })
        response.on('end', () => resolve(text))
      })
        .on('error', reject)
        .end()
    })
    expect(await ended).toContain('event: ready')
  })

  it('refuses more change streams than its limit with 503, and other methods with 405', async () => {
    const { path } = tempRegistry()
    const serve = await serveHere({ registryPath: path, faces: [{ name: 'ui', start: (ctx) => startUi(ctx, { maxStreams: 1 }) }] })
    try {
      const first = new AbortController()
      const open = await fetch(`${serve.url}/ui/events`, { signal: first.signal })
      expect(open.status).toBe(200)
      const refused = await fetch(`${serve.url}/ui/events`)
      expect(refused.status).toBe(503)
      await refused.text()
      first.abort()
      const posted = await fetch(`${serve.url}/ui/`, { method: 'POST', body: 'x' })
      expect(posted.status).toBe(405)
      await posted.text()
    } finally {
      await serve.close()
    }
  })
})
