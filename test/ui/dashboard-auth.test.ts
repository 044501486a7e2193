/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser: they are typed with the DOM.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuth } from '../../src/serve/auth/index.js'
import type { RequestGate } from '../../src/serve/api/json11.js'
import type { RunningServe } from '../../src/serve/index.js'
import { startUi } from '../../src/serve/ui/index.js'
import { runCliAsync, tempRegistry } from '../helpers/cli.js'
import type { Browser } from './browser.js'
import { chromiumAvailable, launchBrowser } from './browser.js'
import { serveHere, signedRequest } from '../helpers/serve.js'

// The dashboard with access control on: it asks for a key, signs its API calls with it (SigV4, in the
// browser), and shows exactly what the key's IAM policy lets the API show.

const ACCOUNT = '123456789012'
const SHOP_KEY = { id: 'AKIDSHOPVIEWER', secret: 'shop-viewer-secret-0123456789' }
const ADMIN_KEY = { id: 'AKIDDASHADMIN', secret: 'admin-secret-0123456789' }

describe.skipIf(!chromiumAvailable())('the dashboard with access control on (headless chromium)', { timeout: 90_000 }, () => {
  const { dir, path: registryPath } = tempRegistry()
  const env = { CLOUDMAP_REGISTRY: registryPath }
  let serve: RunningServe
  let browser: Browser
  let page: Page
  let shopServiceId = ''
  let billingId = ''
  let invoicesServiceId = ''
  const sent: string[] = []
  let gate: RequestGate | undefined

  const cli = async (...args: string[]) => {
    const result = await runCliAsync(args, env)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    return result.stdout.trim()
  }
  const namespaces = () => page.locator('[data-namespace]').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-namespace')))
  const signIn = async (key: { id: string; secret: string }) => {
    await page.locator('form.key-form').waitFor()
    await page.getByLabel('Access key ID').fill(key.id)
    await page.getByLabel('Secret access key').fill(key.secret)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  beforeAll(async () => {
    await cli('create-http-namespace', '--name', 'shop')
    await cli('create-http-namespace', '--name', 'billing')
    const shopId = await cli('list-namespaces', '--query', "Namespaces[?Name=='shop'].Id", '--output', 'text')
    billingId = await cli('list-namespaces', '--query', "Namespaces[?Name=='billing'].Id", '--output', 'text')
    shopServiceId = await cli('create-service', '--name', 'web', '--namespace-id', shopId, '--query', 'Service.Id', '--output', 'text')
    invoicesServiceId = await cli('create-service', '--name', 'invoices', '--namespace-id', billingId, '--query', 'Service.Id', '--output', 'text')
    await cli('register-instance', '--service-id', shopServiceId, '--instance-id', 'web-1', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.1')
    await cli('register-instance', '--service-id', invoicesServiceId, '--instance-id', 'inv-1', '--attributes', 'AWS_INSTANCE_IPV4=10.1.0.1,secret-looking=billing-only')

    // The shop viewer may list (those actions have no resource in IAM), and read and discover in the shop
    // namespace only: the dashboard must show it the shop namespace and nothing of billing.
    const authFile = join(dir, 'auth.json')
    const shopArn = `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:namespace/${shopId}`
    writeFileSync(
      authFile,
      JSON.stringify({
        users: [
          {
            name: 'shop-viewer',
            keys: [SHOP_KEY],
            policies: [
              {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: ['servicediscovery:ListNamespaces', 'servicediscovery:ListServices', 'servicediscovery:ListOperations'], Resource: '*' },
                  { Effect: 'Allow', Action: ['servicediscovery:Get*', 'servicediscovery:DiscoverInstances'], Resource: [shopArn, `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:service/${shopServiceId}`] },
                ],
              },
            ],
          },
        ],
      }),
    )
    serve = await serveHere({
      registryPath,
      accountId: ACCOUNT,
      faces: [
        {
          name: 'auth',
          start: async (ctx) => {
            const started = await startAuth(ctx, { keys: [{ accessKeyId: ADMIN_KEY.id, secretAccessKey: ADMIN_KEY.secret, access: 'full', source: 'test' }], authFile, allowAnonymous: false, host: '127.0.0.1', region: 'us-east-1', accountId: ACCOUNT })
            gate = started.gate
            return started
          },
        },
        // As `cloudmap serve` wires it: probe results are checked by the same gate as the API.
        { name: 'ui', start: (ctx) => startUi(ctx, { gate: () => gate, probes: () => [] }) },
      ],
    })
    browser = await launchBrowser()
    page = await browser.context.newPage()
    page.on('request', (request) => sent.push(`${request.url()}\n${JSON.stringify(request.headers())}\n${request.postData() ?? ''}`))
  })

  afterAll(async () => {
    await browser?.close()
    await serve?.close()
  })

  it('asks for a key, and says so when a key is refused', async () => {
    await page.goto(`${serve.url}/ui/`)
    await page.locator('main[data-phase="needs-key"]').waitFor()
    expect(await page.locator('[data-namespace]').count()).toBe(0)
    await signIn({ id: SHOP_KEY.id, secret: 'not-the-secret' })
    await expect.poll(() => page.locator('form.key-form [role="alert"]').textContent(), { timeout: 10_000 }).toContain('InvalidSignatureException')
    expect(await page.locator('[data-namespace]').count()).toBe(0)
  })

  it('with a key allowed one namespace, shows only that namespace and its operations', async () => {
    await signIn(SHOP_KEY)
    await page.locator('main[data-phase="ready"]').waitFor({ timeout: 10_000 })
    expect(await namespaces()).toEqual(['shop'])
    expect(await page.locator('[data-service="web"] tr[data-instance="web-1"]').count()).toBe(1)
    const text = await page.locator('body').innerText()
    expect(text).not.toContain('billing')
    expect(text).not.toContain('inv-1')
    expect(text).not.toContain(billingId)
    expect(text).toContain('1 more not readable with this key')
    // Operations of the billing namespace are not shown (GetOperation is denied there).
    expect(await page.locator('#operations').innerText()).toContain(shopServiceId)
  })

  it('re-reads with the key when something changes', async () => {
    await cli('register-instance', '--service-id', shopServiceId, '--instance-id', 'web-2', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.2')
    await page.locator('[data-service="web"] tr[data-instance="web-2"]').waitFor({ timeout: 10_000 })
    expect(await namespaces()).toEqual(['shop'])
  })

  it('signs every API call, never sends the secret, and keeps the key in this tab only', async () => {
    const apiCalls = sent.filter((s) => s.includes('route53autonaming_v20170314') || s.includes('Route53AutoNaming_v20170314'))
    expect(apiCalls.length).toBeGreaterThan(0)
    for (const call of sent) expect(call).not.toContain(SHOP_KEY.secret)
    expect(apiCalls.filter((c) => c.includes(`Credential=${SHOP_KEY.id}/`)).length).toBeGreaterThan(0)
    expect(await page.evaluate(() => localStorage.length)).toBe(0)
    expect(await page.evaluate(() => document.cookie)).toBe('')
  })

  it('answers probe results only to a signed request allowed to read that service\'s health', async () => {
    const unsigned = await fetch(`${serve.url}/ui/probes`, { method: 'POST', body: JSON.stringify({ ServiceId: shopServiceId }) })
    expect(unsigned.status).toBe(400)
    expect(((await unsigned.json()) as { __type: string }).__type).toBe('MissingAuthenticationTokenException')
    // Signed like an API call (as the page signs it): allowed for the shop's service, denied for billing's.
    const signed = (serviceId: string) =>
      signedRequest(serve.url, { accessKeyId: SHOP_KEY.id, secretAccessKey: SHOP_KEY.secret }, { path: '/ui/probes', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ServiceId: serviceId }) })
    expect(await signed(shopServiceId)).toEqual({ status: 200, body: { Probing: true, Probes: [] } })
    const denied = await signed(invoicesServiceId)
    expect(denied.status).toBe(400)
    expect(denied.body.__type).toBe('AccessDeniedException')
  })

  it('forgets the key on request; a full-access key then sees every namespace', async () => {
    await page.getByRole('button', { name: 'Forget key' }).click()
    await page.locator('main[data-phase="needs-key"]').waitFor()
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
    await signIn(ADMIN_KEY)
    await page.locator('main[data-phase="ready"]').waitFor({ timeout: 10_000 })
    expect(await namespaces()).toEqual(['billing', 'shop'])
  })
})
