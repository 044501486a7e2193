import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { readFileSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli, runCliAsync, tempRegistry } from '../helpers/cli.js'
import type { ServeProcess } from '../helpers/live.js'
import { startServeProcess, until } from '../helpers/live.js'
import { apiCall, rawRequest, serveHere } from '../helpers/serve.js'
import type { RunningServe, ServeOptions } from '../../src/serve/index.js'

/**
 * `cloudmap serve` as an endpoint that never falls over (issue 10, items 5 and 6): whatever a client
 * sends, it gets an AWS-shaped answer or its connection is closed, and serve goes on answering.
 */

const stops: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

async function serveProcess(args: string[] = []): Promise<ServeProcess & { registry: string }> {
  const { path } = tempRegistry()
  const serve = await startServeProcess(['--registry', path, ...args])
  stops.push(() => serve.stop('SIGKILL'))
  return Object.assign(serve, { registry: path })
}

async function serveInProcess(options: Partial<ServeOptions> = {}): Promise<RunningServe> {
  const { path } = tempRegistry()
  const running = await serveHere({ registryPath: path, ...options })
  stops.push(() => running.close())
  return running
}

const json = (body: string) => JSON.parse(body) as Record<string, unknown>

describe('serve starts, or says in one line why not', () => {
  it('a busy port: exit 255, one AWS CLI-style line, no stack trace', async () => {
    const first = await serveProcess()
    const second = runCli(['serve', '--port', String(first.port), '--registry', first.registry])
    expect(second.status).toBe(255)
    expect(second.stderr).toBe(
      `\ncloudmap: [ERROR]: cloudmap serve can't listen on 127.0.0.1:${first.port}: the port is already in use (LocalStack also uses 4566); stop what uses it or choose another with --port (0 picks a free one).\n`,
    )
  })

  it.each([
    [['--port', '70000'], "cloudmap serve can't listen on 127.0.0.1:70000: a port is a number from 0 to 65535 (0 picks a free one)."],
    // TEST-NET-1 (RFC 5737): never an address of this machine, and binding to it sends nothing.
    [['--port', '0', '--host', '192.0.2.1', '--allow-anonymous'], "cloudmap serve can't listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine; use --host 127.0.0.1, or 0.0.0.0 for every address."],
  ])('a bad address or port %j: exit 255 and the reason', (args, message) => {
    const { path } = tempRegistry()
    const r = runCli(['serve', '--registry', path, ...args])
    expect(r.status).toBe(255)
    expect(r.stderr).toBe(`\ncloudmap: [ERROR]: ${message}\n`)
  })

  it('prints where it listens on stdout, and the environment for clients on stderr', async () => {
    const serve = await serveProcess()
    await until('the client environment', () => serve.live.stderr().includes('AWS_DISABLE_HOST_PREFIX_INJECTION'))
    expect(serve.live.stderr()).toContain(`export AWS_ENDPOINT_URL_SERVICEDISCOVERY=${serve.url}\n`)
    expect(serve.live.stderr()).toContain('export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1')
  })

  it('GET / answers a small JSON status for container health checks', async () => {
    const serve = await serveInProcess()
    const r = await rawRequest(serve.url, { method: 'GET' })
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json')
    expect(json(r.body)).toMatchObject({ status: 'ok', service: 'servicediscovery' })
  })
})

describe('every answer is AWS-shaped', () => {
  it('carries x-amzn-RequestId and Date, as AWS answers do', async () => {
    const serve = await serveInProcess()
    const ok = await apiCall(serve.url, 'ListNamespaces', {})
    const error = await apiCall(serve.url, 'GetNamespace', { Id: 'ns-missing' })
    for (const r of [ok, error]) {
      expect(r.headers['x-amzn-requestid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(Number.isNaN(Date.parse(String(r.headers.date)))).toBe(false)
    }
    expect(ok.headers['x-amzn-requestid']).not.toBe(error.headers['x-amzn-requestid'])
    expect(error.status).toBe(400)
    expect(json(error.body).__type).toBe('NamespaceNotFound')
  })

  it.each([
    ['malformed JSON', { 'x-amz-target': 'Route53AutoNaming_v20170314.ListNamespaces', 'content-type': 'application/x-amz-json-1.1' }, '{"MaxResults": ', 400, 'SerializationException'],
    ['a JSON array', { 'x-amz-target': 'Route53AutoNaming_v20170314.ListNamespaces', 'content-type': 'application/x-amz-json-1.1' }, '[1]', 400, 'SerializationException'],
    ['a wrong content type', { 'x-amz-target': 'Route53AutoNaming_v20170314.ListNamespaces', 'content-type': 'text/plain' }, '{}', 400, 'SerializationException'],
    ['an unknown target', { 'x-amz-target': 'Route53AutoNaming_v20170314.DropEverything', 'content-type': 'application/x-amz-json-1.1' }, '{}', 400, 'UnknownOperationException'],
    ['no target', { 'content-type': 'application/x-amz-json-1.1' }, '{}', 400, 'UnknownOperationException'],
    ['a parameter of the wrong type', { 'x-amz-target': 'Route53AutoNaming_v20170314.ListNamespaces', 'content-type': 'application/x-amz-json-1.1' }, '{"MaxResults": "ten"}', 400, 'InvalidInput'],
  ])('%s gets %i %s', async (_what, headers, body, status, type) => {
    const serve = await serveInProcess()
    const r = await rawRequest(serve.url, { headers, body })
    expect(r.status).toBe(status)
    expect(json(r.body).__type).toBe(type)
    expect(typeof json(r.body).message).toBe('string')
    // And serve goes on answering.
    expect((await apiCall(serve.url, 'ListNamespaces', {})).status).toBe(200)
  })

  it('other paths and methods get 404 in the same error shape', async () => {
    const serve = await serveInProcess()
    const r = await rawRequest(serve.url, { method: 'PUT', path: '/anything', body: 'x' })
    expect(r.status).toBe(404)
    expect(json(r.body).__type).toBe('UnknownOperationException')
  })

  it('a body over 1 MiB is refused with 413, declared or streamed, and changes nothing', async () => {
    const serve = await serveInProcess()
    const big = JSON.stringify({ Name: 'big', Description: 'x'.repeat(1024 * 1024) })
    const declared = await rawRequest(serve.url, { headers: { 'x-amz-target': 'Route53AutoNaming_v20170314.CreateHttpNamespace', 'content-type': 'application/x-amz-json-1.1', 'content-length': String(Buffer.byteLength(big)) }, body: big })
    expect(declared.status).toBe(413)
    expect(json(declared.body).__type).toBe('SerializationException')
    const streamed = await rawRequest(serve.url, { headers: { 'x-amz-target': 'Route53AutoNaming_v20170314.CreateHttpNamespace', 'content-type': 'application/x-amz-json-1.1', 'transfer-encoding': 'chunked' }, body: big })
    expect(streamed.status).toBe(413)
    expect(json((await apiCall(serve.url, 'ListNamespaces', {})).body)).toEqual({ Namespaces: [] })
  })

  it('text with NUL characters and lone surrogates comes back as valid JSON, unchanged', async () => {
    const serve = await serveInProcess()
    const description = '\u00000\u0000 \ud800 "quoted" \\ é'
    const created = await apiCall(serve.url, 'CreateHttpNamespace', { Name: 'odd', Description: description })
    expect(created.status).toBe(200)
    const list = json((await apiCall(serve.url, 'ListNamespaces', {})).body) as { Namespaces: { Description: string }[] }
    expect(list.Namespaces[0].Description).toBe(description)
  })

  it('InstancesRevision is written as exact digits, not through a string placeholder', async () => {
    const serve = await serveInProcess()
    const op = json((await apiCall(serve.url, 'CreateHttpNamespace', { Name: 'rev' })).body).OperationId
    const ns = (json((await apiCall(serve.url, 'GetOperation', { OperationId: op })).body) as { Operation: { Targets: { NAMESPACE: string } } }).Operation.Targets.NAMESPACE
    const srv = (json((await apiCall(serve.url, 'CreateService', { Name: 'web', NamespaceId: ns })).body) as { Service: { Id: string } }).Service.Id
    await apiCall(serve.url, 'RegisterInstance', { ServiceId: srv, InstanceId: 'i-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })
    const r = await apiCall(serve.url, 'DiscoverInstancesRevision', { NamespaceName: 'rev', ServiceName: 'web' })
    expect(r.body).toBe('{"InstancesRevision":1}')
  })
})

describe('slow and many clients are shed or answered, never fatal', () => {
  function open(port: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket))
      socket.on('error', reject)
    })
  }
  const closed = (socket: Socket) => new Promise<string>((resolve) => {
    let text = ''
    socket.setEncoding('utf8').on('data', (d: string) => (text += d))
    socket.on('close', () => resolve(text))
  })

  it('a client that never finishes its headers is disconnected (slow loris)', async () => {
    const serve = await serveInProcess({ headersTimeoutMs: 300, requestTimeoutMs: 600 })
    const socket = await open(serve.port)
    const ended = closed(socket)
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Route53AutoNaming_v20170314.ListNamespaces\r\n')
    const answer = await ended
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
    expect((await apiCall(serve.url, 'ListNamespaces', {})).status).toBe(200)
  })

  it('a client that never finishes its body is disconnected', async () => {
    const serve = await serveInProcess({ headersTimeoutMs: 300, requestTimeoutMs: 600 })
    const socket = await open(serve.port)
    const ended = closed(socket)
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Route53AutoNaming_v20170314.ListNamespaces\r\nContent-Length: 100\r\n\r\n{')
    const answer = await ended
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
  })

  it('bytes that are not HTTP get 400 and a closed connection', async () => {
    const serve = await serveInProcess()
    const socket = await open(serve.port)
    const ended = closed(socket)
    socket.write('\u0016\u0003\u0001 this is not http\r\n\r\n')
    expect(await ended).toMatch(/^HTTP\/1\.1 400/)
  })

  it('1,000 connections at once are all answered', async () => {
    const serve = await serveProcess()
    const answers = await Promise.all(Array.from({ length: 1000 }, () => apiCall(serve.url, 'ListNamespaces', {})))
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1000)
  })
})

describe('stopping and recovering', () => {
  it('SIGTERM finishes the request in flight, then exits 0', async () => {
    const serve = await serveProcess()
    const body = JSON.stringify({ Name: 'late' })
    const socket = connect(serve.port, '127.0.0.1')
    let answer = ''
    socket.setEncoding('utf8').on('data', (d: string) => (answer += d))
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Route53AutoNaming_v20170314.CreateHttpNamespace\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`)
    // The request has reached serve (its headers are parsed) before the signal.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const exit = serve.stop('SIGTERM')
    socket.write(body.slice(5))
    expect(await exit).toBe(0)
    expect(answer).toMatch(/^HTTP\/1\.1 200/)
    expect(answer).toContain('"OperationId"')
    socket.destroy()
    const listed = runCli(['list-namespaces', '--registry', serve.registry, '--query', 'Namespaces[].Name', '--output', 'text'])
    expect(listed.stdout.trim()).toBe('late')
  })

  it('a registry damaged by hand makes requests fail with a clear error; serve recovers when it is fixed', async () => {
    const serve = await serveProcess()
    expect((await apiCall(serve.url, 'CreateHttpNamespace', { Name: 'keep' })).status).toBe(200)
    const good = readFileSync(serve.registry, 'utf8')
    writeFileSync(serve.registry, good.slice(0, 40))
    const broken = await apiCall(serve.url, 'ListNamespaces', {})
    expect(broken.status).toBe(500)
    expect(json(broken.body).__type).toBe('InternalFailure')
    expect(String(json(broken.body).message)).toContain(serve.registry)
    writeFileSync(serve.registry, good)
    const fixed = await apiCall(serve.url, 'ListNamespaces', {})
    expect(fixed.status).toBe(200)
    expect(fixed.body).toContain('"keep"')
  })

  it('two serves and CLI writers on one registry file see each other at once and lose nothing', async () => {
    const a = await serveProcess()
    const b = await startServeProcess(['--registry', a.registry])
    stops.push(() => b.stop('SIGKILL'))
    const op = json((await apiCall(a.url, 'CreateHttpNamespace', { Name: 'shared' })).body).OperationId
    // b answers from memory, and sees a's write at once.
    const ns = (json((await apiCall(b.url, 'GetOperation', { OperationId: op })).body) as { Operation: { Targets: { NAMESPACE: string } } }).Operation.Targets.NAMESPACE
    const srv = (json((await apiCall(b.url, 'CreateService', { Name: 'web', NamespaceId: ns })).body) as { Service: { Id: string } }).Service.Id
    const writes: Promise<unknown>[] = []
    for (let i = 0; i < 20; i++) {
      writes.push(apiCall(i % 2 ? a.url : b.url, 'RegisterInstance', { ServiceId: srv, InstanceId: `api-${i}`, Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } }))
      if (i % 5 === 0) writes.push(runCliAsync(['register-instance', '--registry', a.registry, '--service-id', srv, '--instance-id', `cli-${i}`, '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.2']))
    }
    await Promise.all(writes)
    for (const url of [a.url, b.url]) {
      const listed = json((await apiCall(url, 'ListInstances', { ServiceId: srv })).body) as { Instances: { Id: string }[] }
      expect(listed.Instances.map((i) => i.Id).sort()).toEqual([...Array.from({ length: 20 }, (_, i) => `api-${i}`), 'cli-0', 'cli-10', 'cli-15', 'cli-5'].sort())
    }
  })
})
