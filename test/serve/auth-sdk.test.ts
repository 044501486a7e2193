import { Sha256 } from '@aws-crypto/sha256-js'
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DiscoverInstancesCommand,
  GetOperationCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery'
import { SignatureV4 } from '@smithy/signature-v4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthServe } from './auth-support.js'
import { KEYS, startAuthServe } from './auth-support.js'

// Access control through the real AWS SDK for JavaScript v3: each refusal with AWS's error type, HTTP
// status and words, and nothing changed in the registry by a refused call.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

let auth: AuthServe
const clients: ServiceDiscoveryClient[] = []
function client(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, extra: Record<string, unknown> = {}): ServiceDiscoveryClient {
  const c = new ServiceDiscoveryClient({ endpoint: auth.serve.url, region: 'us-east-1', credentials, maxAttempts: 1, disableHostPrefix: true, ...extra })
  clients.push(c)
  return c
}
const ids: Record<string, string> = {}

/** What a refused call must leave as it was: the registry file (its stamp changes with every write). */
function stamp(): string {
  const s = auth.serve.registry.stamp()
  return s === null ? 'none' : `${s.ino}:${s.size}:${s.mtimeNs}`
}

async function refused(call: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  const before = stamp()
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined
  expect(error, 'the call should have been refused').toBeDefined()
  expect(stamp(), 'a refused call changes nothing').toBe(before)
  return { name: error!.name, status: error!.$metadata?.httpStatusCode, message: error!.message }
}

const deniedMessage = (user: string, action: string, resource: string) =>
  `User: arn:aws:iam::123456789012:user/${user} is not authorized to perform: servicediscovery:${action} on resource: ${resource} because no identity-based policy allows the servicediscovery:${action} action`

beforeAll(async () => {
  auth = await startAuthServe()
  const admin = client(KEYS.admin)
  const namespace = async (name: string) => {
    const { OperationId } = await admin.send(new CreateHttpNamespaceCommand({ Name: name }))
    return (await admin.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!
  }
  ids.prod = await namespace('prod')
  ids.dev = await namespace('dev')
  const service = async (Name: string, NamespaceId: string, team?: string) =>
    (await admin.send(new CreateServiceCommand({ Name, NamespaceId, Tags: team ? [{ Key: 'team', Value: team }] : undefined }))).Service!
  const prodWeb = await service('web', ids.prod)
  ids.prodWeb = prodWeb.Id!
  ids.prodWebArn = prodWeb.Arn!
  ids.devWeb = (await service('web', ids.dev)).Id!
  ids.blue = (await service('blue', ids.prod, 'blue')).Id!
  const red = await service('red', ids.prod, 'red')
  ids.red = red.Id!
  ids.redArn = red.Arn!
  for (const ServiceId of [ids.prodWeb, ids.devWeb]) await admin.send(new RegisterInstanceCommand({ ServiceId, InstanceId: 'i-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } }))
})

afterAll(async () => {
  for (const c of clients) c.destroy()
  await auth?.serve.close()
})

describe('serve access control through the AWS SDK for JavaScript v3', () => {
  it('announces that access control is on', () => {
    expect(auth.serve.announce.join('\n')).toMatch(/access control on: requests must be signed .* with one of 8 access keys/)
  })

  it('a good key is answered', async () => {
    const { Namespaces } = await client(KEYS.admin).send(new ListNamespacesCommand({}))
    expect(Namespaces!.map((n) => n.Name).sort()).toEqual(['dev', 'prod'])
    expect((await client(KEYS.reader).send(new ListServicesCommand({}))).Services).toHaveLength(4)
  })

  it('a wrong secret: InvalidSignatureException, 400, nothing changed', async () => {
    const e = await refused(client({ ...KEYS.admin, secretAccessKey: 'wrong' }).send(new CreateHttpNamespaceCommand({ Name: 'wrong-secret' })))
    expect(e).toEqual({
      name: 'InvalidSignatureException',
      status: 400,
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    })
  })

  it('an unknown key: UnrecognizedClientException, 400, nothing changed', async () => {
    const e = await refused(client({ accessKeyId: 'NOSUCHKEY', secretAccessKey: 'x' }).send(new CreateHttpNamespaceCommand({ Name: 'unknown-key' })))
    expect(e).toEqual({ name: 'UnrecognizedClientException', status: 400, message: 'The security token included in the request is invalid.' })
  })

  it('unsigned: MissingAuthenticationTokenException, 400, nothing changed', async () => {
    const unsigned = client({ accessKeyId: '', secretAccessKey: '' }, { signer: { sign: async (request: unknown) => request } })
    const e = await refused(unsigned.send(new CreateHttpNamespaceCommand({ Name: 'unsigned' })))
    expect(e).toEqual({ name: 'MissingAuthenticationTokenException', status: 400, message: 'Request is missing Authentication Token' })
  })

  it('a date more than 5 minutes off: InvalidSignatureException, expired or not yet current, nothing changed', async () => {
    const past = await refused(client(KEYS.admin, { systemClockOffset: -10 * 60_000 }).send(new CreateHttpNamespaceCommand({ Name: 'expired' })))
    expect(past.name).toBe('InvalidSignatureException')
    expect(past.status).toBe(400)
    expect(past.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/)
    const future = await refused(client(KEYS.admin, { systemClockOffset: 10 * 60_000 }).send(new CreateHttpNamespaceCommand({ Name: 'future' })))
    expect(future.message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/)
  })

  it('a read-only key writing: AccessDeniedException naming the service, nothing changed', async () => {
    const e = await refused(client(KEYS.reader).send(new RegisterInstanceCommand({ ServiceId: ids.prodWeb, InstanceId: 'i-2', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.2' } })))
    expect(e).toEqual({ name: 'AccessDeniedException', status: 400, message: deniedMessage('READERKEY', 'RegisterInstance', ids.prodWebArn) })
    const create = await refused(client(KEYS.reader).send(new CreateHttpNamespaceCommand({ Name: 'by-reader' })))
    expect(create.message).toBe(deniedMessage('READERKEY', 'CreateHttpNamespace', 'arn:aws:servicediscovery:us-east-1:123456789012:*/*'))
  })

  it('a policy that allows discovery in one namespace only', async () => {
    const prod = client(KEYS.prod)
    const { Instances } = await prod.send(new DiscoverInstancesCommand({ NamespaceName: 'prod', ServiceName: 'web' }))
    expect(Instances!.map((i) => i.InstanceId)).toEqual(['i-1'])
    const dev = await refused(prod.send(new DiscoverInstancesCommand({ NamespaceName: 'dev', ServiceName: 'web' })))
    expect(dev).toEqual({ name: 'AccessDeniedException', status: 400, message: deniedMessage('prod-discovery', 'DiscoverInstances', `arn:aws:servicediscovery:us-east-1:123456789012:namespace/${ids.dev}`) })
    const list = await refused(prod.send(new ListNamespacesCommand({})))
    expect(list.message).toBe(deniedMessage('prod-discovery', 'ListNamespaces', 'arn:aws:servicediscovery:us-east-1:123456789012:*/*'))
  })

  it('an explicit deny wins over an allow, in its own words; nothing changed', async () => {
    const nodelete = client(KEYS.nodelete)
    const e = await refused(nodelete.send(new DeleteNamespaceCommand({ Id: ids.dev })))
    expect(e).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: arn:aws:iam::123456789012:user/no-delete is not authorized to perform: servicediscovery:DeleteNamespace on resource: arn:aws:servicediscovery:us-east-1:123456789012:namespace/${ids.dev} with an explicit deny in an identity-based policy`,
    })
    expect((await nodelete.send(new ListNamespacesCommand({}))).Namespaces!.map((n) => n.Id)).toContain(ids.dev)
  })

  it("a source address condition: aws:SourceIp is the client's address", async () => {
    const fromLoopback = await client(KEYS.loopback).send(new ListNamespacesCommand({}))
    expect(fromLoopback.Namespaces!.length).toBeGreaterThan(0)
    const e = await refused(client(KEYS.office).send(new ListNamespacesCommand({})))
    expect(e).toEqual({ name: 'AccessDeniedException', status: 400, message: deniedMessage('office-only', 'ListNamespaces', 'arn:aws:servicediscovery:us-east-1:123456789012:*/*') })
  })

  it('a tag condition: registering is allowed in the service tagged team=blue only', async () => {
    const blue = client(KEYS.blue)
    await blue.send(new RegisterInstanceCommand({ ServiceId: ids.blue, InstanceId: 'b-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.1.1' } }))
    const e = await refused(blue.send(new RegisterInstanceCommand({ ServiceId: ids.red, InstanceId: 'r-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.2.1' } })))
    expect(e).toEqual({ name: 'AccessDeniedException', status: 400, message: deniedMessage('team-blue', 'RegisterInstance', ids.redArn) })
  })
  it("a key used with a session token: the token must be sent, and be that key's", async () => {
    expect((await client(KEYS.session).send(new ListNamespacesCommand({}))).Namespaces).toEqual(expect.any(Array))
    const invalid = { name: 'UnrecognizedClientException', status: 400, message: 'The security token included in the request is invalid.' }
    expect(await refused(client({ ...KEYS.session, sessionToken: 'another-token' }).send(new ListNamespacesCommand({})))).toEqual(invalid)
    expect(await refused(client({ accessKeyId: KEYS.session.accessKeyId, secretAccessKey: KEYS.session.secretAccessKey }).send(new ListNamespacesCommand({})))).toEqual(invalid)
  })
})

describe('signature checks on hand-made requests (AWS front end order and words)', () => {
  const body = JSON.stringify({ Name: 'by-hand' })
  async function signedHeaders(options: { region?: string; unsignable?: string[]; signable?: string[]; extra?: Record<string, string> } = {}): Promise<Record<string, string>> {
    const { hostname, port } = new URL(auth.serve.url)
    const signer = new SignatureV4({ credentials: KEYS.admin, region: options.region ?? 'us-east-1', service: 'servicediscovery', sha256: Sha256, applyChecksum: false })
    const request = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname,
        port: Number(port),
        path: '/',
        headers: { host: `${hostname}:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Route53AutoNaming_v20170314.CreateHttpNamespace', ...options.extra },
        body,
      },
      { unsignableHeaders: new Set(options.unsignable ?? []), signableHeaders: new Set(options.signable ?? []) },
    )
    return request.headers as Record<string, string>
  }
  async function send(headers: Record<string, string>, payload = body): Promise<{ status: number; body: unknown }> {
    const before = stamp()
    const response = await fetch(auth.serve.url, { method: 'POST', headers, body: payload })
    expect(stamp(), 'a refused call changes nothing').toBe(before)
    return { status: response.status, body: await response.json() }
  }

  it('a header the AWS SDKs never sign (user-agent) verifies when a client signed it', async () => {
    const headers = await signedHeaders({ signable: ['user-agent'], extra: { 'user-agent': 'curl/8  with   spaces' } })
    expect(headers.authorization).toContain('user-agent')
    const response = await fetch(auth.serve.url, { method: 'POST', headers, body })
    expect(response.status).toBe(200)
  })
  it('an algorithm other than AWS4-HMAC-SHA256, and both header and query-string authentication', async () => {
    const headers = await signedHeaders()
    expect((await send({ ...headers, authorization: headers.authorization.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512') })).body).toEqual({
      __type: 'IncompleteSignatureException',
      message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
    })
    const before = stamp()
    const both = await fetch(`${auth.serve.url}/?X-Amz-Algorithm=AWS4-HMAC-SHA256`, { method: 'POST', headers, body })
    expect(await both.json()).toEqual({ __type: 'InvalidSignatureException', message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header." })
    expect(stamp()).toBe(before)
  })
  it('a body changed after signing does not verify', async () => {
    expect(await send(await signedHeaders(), JSON.stringify({ Name: 'tampered' }))).toEqual({
      status: 400,
      body: { __type: 'InvalidSignatureException', message: expect.stringMatching(/^The request signature we calculated does not match/) },
    })
  })
  it('Host and X-Amz-Date must be signed', async () => {
    expect((await send(await signedHeaders({ unsignable: ['host'] }))).body).toEqual({ __type: 'InvalidSignatureException', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." })
    expect((await send(await signedHeaders({ unsignable: ['x-amz-date'] }))).body).toEqual({ __type: 'InvalidSignatureException', message: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization." })
  })
  it('a sent security token must be signed, and must be the key\'s', async () => {
    const headers = await signedHeaders()
    expect((await send({ ...headers, 'x-amz-security-token': 'token' })).body).toEqual({
      __type: 'InvalidSignatureException',
      message: "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.",
    })
  })
  it('a credential scoped to another region', async () => {
    expect((await send(await signedHeaders({ region: 'eu-west-1' }))).body).toEqual({ __type: 'InvalidSignatureException', message: "Credential should be scoped to a valid region, not 'eu-west-1'." })
  })
  it('an Authorization header missing its parts: IncompleteSignatureException listing them', async () => {
    const headers = await signedHeaders()
    expect((await send({ ...headers, authorization: 'AWS4-HMAC-SHA256 Credential=ADMINKEY/20260101/us-east-1/servicediscovery/aws4_request' })).body).toEqual({
      __type: 'IncompleteSignatureException',
      message:
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=ADMINKEY/20260101/us-east-1/servicediscovery/aws4_request",
    })
    const credential = headers.authorization.replace(/Credential=[^,]*/, 'Credential=ADMINKEY/us-east-1/servicediscovery/aws4_request')
    expect((await send({ ...headers, authorization: credential })).body).toEqual({
      __type: 'IncompleteSignatureException',
      message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'ADMINKEY/us-east-1/servicediscovery/aws4_request'",
    })
    expect((await send({ ...headers, 'x-amz-date': '2026-01-01' })).body).toEqual({
      __type: 'IncompleteSignatureException',
      message: "Date must be in ISO-8601 'basic format'. Got '2026-01-01'. See http://en.wikipedia.org/wiki/ISO_8601",
    })
  })
})

describe('presigned requests (SigV4 query-string authentication)', () => {
  /** A presigned call: the signature in the query string, X-Amz-Target and Content-Type kept as headers (a JSON API reads them there). */
  async function presigned(key: { accessKeyId: string; secretAccessKey: string }, op: string, input: unknown, options: { signingDate?: Date; expiresIn?: number } = {}) {
    const { hostname, port } = new URL(auth.serve.url)
    const signer = new SignatureV4({ credentials: key, region: 'us-east-1', service: 'servicediscovery', sha256: Sha256, applyChecksum: false })
    const body = JSON.stringify(input)
    const request = await signer.presign(
      { method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', query: {}, headers: { host: `${hostname}:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Route53AutoNaming_v20170314.${op}` }, body },
      { unhoistableHeaders: new Set(['x-amz-target', 'content-type']), ...options },
    )
    return { query: new URLSearchParams(request.query as Record<string, string>), headers: request.headers as Record<string, string>, body }
  }
  async function send(call: { query: URLSearchParams; headers: Record<string, string>; body: string }, changes = false): Promise<{ status: number; body: Record<string, unknown> }> {
    const before = stamp()
    const response = await fetch(`${auth.serve.url}/?${call.query}`, { method: 'POST', headers: call.headers, body: call.body })
    const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> }
    if (!changes) expect(stamp(), 'a refused call changes nothing').toBe(before)
    return answer
  }

  it('a presigned call is answered, and its policy applies as to a signed one', async () => {
    const made = await send(await presigned(KEYS.admin, 'CreateHttpNamespace', { Name: 'presigned' }), true)
    expect(made.status).toBe(200)
    expect(made.body.OperationId).toEqual(expect.any(String))
    const denied = await send(await presigned(KEYS.reader, 'CreateHttpNamespace', { Name: 'presigned-by-reader' }))
    expect(denied).toMatchObject({ status: 400, body: { __type: 'AccessDeniedException' } })
  })
  it('past X-Amz-Date + X-Amz-Expires it has expired; X-Amz-Expires must be 1 s to 7 days', async () => {
    const old = await presigned(KEYS.admin, 'ListNamespaces', {}, { signingDate: new Date(Date.now() - 120_000), expiresIn: 60 })
    const expired = await send(old)
    expect(expired.body.__type).toBe('InvalidSignatureException')
    expect(expired.body.message).toMatch(new RegExp(`^Signature expired: ${old.query.get('X-Amz-Date')} is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 60 sec\\.\\)$`))
    // Still within its hour, though older than the five minutes a header-signed request gets.
    expect((await send(await presigned(KEYS.admin, 'ListNamespaces', {}, { signingDate: new Date(Date.now() - 600_000), expiresIn: 3600 }))).status).toBe(200)
    const call = await presigned(KEYS.admin, 'ListNamespaces', {})
    call.query.set('X-Amz-Expires', '0')
    expect((await send(call)).body).toEqual({ __type: 'IncompleteSignatureException', message: "X-Amz-Expires must be a whole number of seconds from 1 to 604800 (seven days), not '0'." })
  })
  it('missing parameters are listed; a changed body or parameter does not verify', async () => {
    const call = await presigned(KEYS.admin, 'ListNamespaces', {})
    const partial = { ...call, query: new URLSearchParams({ 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Date': call.query.get('X-Amz-Date')! }) }
    expect((await send(partial)).body).toEqual({
      __type: 'IncompleteSignatureException',
      message:
        "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
    })
    expect((await send({ ...call, body: JSON.stringify({ MaxResults: 1 }) })).body.message).toMatch(/^The request signature we calculated does not match/)
    const longer = await presigned(KEYS.admin, 'ListNamespaces', {})
    longer.query.set('X-Amz-Expires', '7200')
    expect((await send(longer)).body.__type).toBe('InvalidSignatureException')
  })
})
