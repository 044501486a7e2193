import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestGate } from '../../src/serve/api/json11.js'
import { startAuth } from '../../src/serve/auth/index.js'
import type { RunningServe } from '../../src/serve/index.js'
import { startUi } from '../../src/serve/ui/index.js'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { tempRegistry } from '../helpers/cli.js'
import { serveHere, signedRequest } from '../helpers/serve.js'

// What access control looks up to decide a request must be what the request itself touches: the client's
// address on every path that is checked (the dashboard's probe results too), and the service
// DiscoverInstances names, found by the handler's own name rule.

const ACCOUNT = '123456789012'
const NEAR = { accessKeyId: 'NEARKEY', secretAccessKey: 'near-secret' }
const FAR = { accessKeyId: 'FARKEY', secretAccessKey: 'far-secret' }
const UPPER = { accessKeyId: 'UPPERKEY', secretAccessKey: 'upper-secret' }
type Key = typeof NEAR

describe('access control looks up what the request touches', () => {
  let serve: RunningServe
  let gate: RequestGate | undefined
  let serviceId = ''

  /** A request signed with key (SigV4), sent to path, answered as status and JSON. */
  const signed = (key: Key, path: string, target: string | undefined, input: unknown) =>
    signedRequest(serve.url, key, {
      path,
      headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': `Route53AutoNaming_v20170314.${target}` } : {}) },
      body: JSON.stringify(input),
    })
  const call = (key: Key, target: string, input: unknown) => signed(key, '/', target, input)

  beforeAll(async () => {
    const { dir, path } = tempRegistry()
    const authFile = join(dir, 'auth.json')
    const readHealth = (sourceIp: string) => [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'servicediscovery:GetInstancesHealthStatus', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': sourceIp } } }],
      },
    ]
    // An HTTP namespace names services exactly: "Web" is there, "web" is not.
    const seeding = new LocalRegistry({ path, region: 'us-east-1', accountId: ACCOUNT })
    const { OperationId } = await seeding.invoke('CreateHttpNamespace', { Name: 'shop' })
    const namespaceId = (await seeding.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
    serviceId = (await seeding.invoke('CreateService', { Name: 'Web', NamespaceId: namespaceId })).Service!.Id!
    await seeding.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'web-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })
    await seeding.close()
    writeFileSync(
      authFile,
      JSON.stringify({
        users: [
          { name: 'near', keys: [{ id: NEAR.accessKeyId, secret: NEAR.secretAccessKey }], policies: readHealth('127.0.0.0/8') },
          { name: 'far', keys: [{ id: FAR.accessKeyId, secret: FAR.secretAccessKey }], policies: readHealth('203.0.113.0/24') },
          {
            name: 'upper-web',
            keys: [{ id: UPPER.accessKeyId, secret: UPPER.secretAccessKey }],
            policies: [
              {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: 'servicediscovery:DiscoverInstances', Resource: '*' },
                  { Effect: 'Deny', Action: 'servicediscovery:DiscoverInstances', Resource: `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:service/${serviceId}` },
                ],
              },
            ],
          },
        ],
      }),
    )
    serve = await serveHere({
      registryPath: path,
      accountId: ACCOUNT,
      faces: [
        {
          name: 'auth',
          start: async (ctx) => {
            const started = await startAuth(ctx, { keys: [], authFile, allowAnonymous: false, host: '127.0.0.1', region: 'us-east-1', accountId: ACCOUNT })
            gate = started.gate
            return started
          },
        },
        // As `cloudmap serve` wires it: probe results are checked by the same gate as the API.
        { name: 'ui', start: (ctx) => startUi(ctx, { gate: () => gate, probes: () => [] }) },
      ],
    })
  })

  afterAll(async () => {
    await serve?.close()
  })

  it('the dashboard\'s probe results are checked against the client\'s address (aws:SourceIp), as API calls are', async () => {
    // The API and the dashboard agree: a loopback client may read health under the loopback rule only.
    expect((await call(NEAR, 'GetInstancesHealthStatus', { ServiceId: serviceId })).status).toBe(200)
    expect((await call(FAR, 'GetInstancesHealthStatus', { ServiceId: serviceId })).body.__type).toBe('AccessDeniedException')
    expect(await signed(NEAR, '/ui/probes', undefined, { ServiceId: serviceId })).toEqual({ status: 200, body: { Probing: true, Probes: [] } })
    const far = await signed(FAR, '/ui/probes', undefined, { ServiceId: serviceId })
    expect(far.status).toBe(400)
    expect(far.body.__type).toBe('AccessDeniedException')
  })

  it('DiscoverInstances is checked against the service the handler finds: names are exact in an HTTP namespace', async () => {
    // "Web" itself is denied by name of its ARN.
    const web = await call(UPPER, 'DiscoverInstances', { NamespaceName: 'shop', ServiceName: 'Web' })
    expect(web.body.__type).toBe('AccessDeniedException')
    expect(web.body.message).toContain(`service/${serviceId}`)
    // "web" is no service here: not "Web"'s deny, but the handler's answer that there is no such service.
    const lower = await call(UPPER, 'DiscoverInstances', { NamespaceName: 'shop', ServiceName: 'web' })
    expect(lower).toEqual({ status: 400, body: { __type: 'ServiceNotFound', message: 'No service named web in namespace shop.' } })
  })
})
