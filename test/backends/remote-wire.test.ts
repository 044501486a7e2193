import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runCliAsync as runCli, tempRegistry } from '../helpers/cli.js'

/**
 * The remote backend on the wire, against a scripted JSON 1.1 endpoint on a port from the OS: which host
 * it calls, what it prints from the raw body, how service and transport errors read.
 */
interface Seen {
  authorization?: string
  host: string
  target: string
  body: string
}
let server: Server
let url: string
const seen: Seen[] = []
let answer: (target: string, attempt: number) => { status: number; body: string } | undefined

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', async () => {
      const target = String(req.headers['x-amz-target'] ?? '')
      seen.push({ host: String(req.headers.host), authorization: req.headers.authorization, target, body })
      const reply = answer(target, seen.filter((s) => s.target === target).length)
      if (reply === undefined) return setTimeout(() => res.destroy(), 5_000) // never answers in time
      res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1' })
      res.end(reply.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

beforeEach(() => {
  seen.length = 0
})

const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' }

describe('remote endpoint on the wire', async () => {
  it('DiscoverInstances goes to the endpoint host itself, without the model\'s data- prefix', async () => {
    answer = () => ({ status: 200, body: '{"Instances": [], "InstancesRevision": 85648075627387284}' })
    const r = await runCli(['discover-instances', '--namespace-name', 'n', '--service-name', 's', '--endpoint-url', url], creds)
    expect(r.stderr).toBe('')
    expect(seen.map((s) => s.host)).toEqual([new URL(url).host])
    expect(seen[0].target).toBe('Route53AutoNaming_v20170314.DiscoverInstances')
    // InstancesRevision above 2^53 printed exactly (AWS's own example value).
    expect(r.stdout).toBe('{\n    "Instances": [],\n    "InstancesRevision": 85648075627387284\n}\n')
  })

  it('timestamps keep the microseconds the service sent', async () => {
    answer = () => ({ status: 200, body: '{"Operation": {"Id": "op", "Status": "SUCCESS", "CreateDate": 1795629551.803617, "UpdateDate": 1587652426.313}}' })
    const r = await runCli(['get-operation', '--operation-id', 'op', '--endpoint-url', url], creds)
    expect(r.stdout).toContain('"CreateDate": "2026-11-25T17:59:11.803617+00:00"')
    expect(r.stdout).toContain('"UpdateDate": "2020-04-23T14:33:46.313000+00:00"')
  })

  it('a service error reads as the AWS CLI prints it, code after the last # of __type, exit 254', async () => {
    answer = () => ({ status: 400, body: '{"__type": "com.amazonaws.servicediscovery#NamespaceNotFound", "message": "Namespace not found"}' })
    const r = await runCli(['get-namespace', '--id', 'ns-x', '--endpoint-url', url], creds)
    expect(r.status).toBe(254)
    expect(r.stderr).toBe('\ncloudmap: [ERROR]: An error occurred (NamespaceNotFound) when calling the GetNamespace operation: Namespace not found\n')
  })

  it('throttling is retried with backoff and succeeds when the service recovers', async () => {
    answer = (_t, attempt) => (attempt < 3 ? { status: 400, body: '{"__type": "ThrottlingException", "message": "Rate exceeded"}' } : { status: 200, body: '{"Namespaces": []}' })
    const r = await runCli(['list-namespaces', '--endpoint-url', url], creds)
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe('{\n    "Namespaces": []\n}\n')
    expect(seen).toHaveLength(3)
  })

  it('a server error that persists: the status as code, the body as message, "reached max retries: 2"', async () => {
    answer = () => ({ status: 500, body: '<html>boom</html>' })
    const r = await runCli(['list-namespaces', '--endpoint-url', url], creds)
    expect(r.status).toBe(254)
    expect(seen).toHaveLength(3)
    expect(r.stderr).toBe('\ncloudmap: [ERROR]: An error occurred (500) when calling the ListNamespaces operation (reached max retries: 2): <html>boom</html>\n')
  })

  it('never touches the local registry file, on success or failure', async () => {
    const { path } = tempRegistry()
    answer = (target) => (target.endsWith('CreateHttpNamespace') ? { status: 200, body: '{"OperationId": "op-1"}' } : { status: 400, body: '{"__type": "InvalidInput", "message": "bad"}' })
    expect((await runCli(['create-http-namespace', '--name', 'n', '--endpoint-url', url, '--registry', path], creds)).status).toBe(0)
    expect((await runCli(['get-namespace', '--id', 'x', '--endpoint-url', url], { ...creds, CLOUDMAP_REGISTRY: path })).status).toBe(254)
    expect(existsSync(path)).toBe(false)
  })

  it('an endpoint that does not answer in --cli-read-timeout seconds: 255 "Read timeout on endpoint URL"', async () => {
    answer = () => undefined
    const r = await runCli(['list-namespaces', '--endpoint-url', url, '--cli-read-timeout', '1'], creds)
    expect(r.status).toBe(255)
    expect(r.stderr).toBe(`\ncloudmap: [ERROR]: Read timeout on endpoint URL: "${url}/"\n`)
  })

  it('--no-sign-request sends no Authorization header and needs no credentials', async () => {
    answer = () => ({ status: 200, body: '{"Namespaces": []}' })
    const r = await runCli(['list-namespaces', '--endpoint-url', url, '--no-sign-request'], { AWS_DEFAULT_REGION: 'us-east-1' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(seen[0].authorization).toBeUndefined()
  })

  it('AWS_ENDPOINT_URL_SERVICEDISCOVERY selects the endpoint like --endpoint-url', async () => {
    answer = () => ({ status: 200, body: '{"Namespaces": []}' })
    const r = await runCli(['list-namespaces'], { ...creds, AWS_ENDPOINT_URL_SERVICEDISCOVERY: url })
    expect(r.status).toBe(0)
    expect(seen).toHaveLength(1)
  })
})

describe('backend aws', () => {
  it('the configured backend aws goes to AWS itself: without credentials it stops before any request (253)', async () => {
    const { dir } = tempRegistry()
    const env = { CLOUDMAP_CONFIG_DIR: dir }
    expect((await runCli(['configure', 'set', 'backend', 'aws'], env)).status).toBe(0)
    const r = await runCli(['list-namespaces', '--debug'], env)
    expect(r.status).toBe(253)
    expect(r.stderr).toContain('calling ListNamespaces on AWS in us-east-1')
    expect(r.stderr).toContain('Unable to locate credentials.')
  })
})
