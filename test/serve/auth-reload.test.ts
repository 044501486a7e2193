import { writeFileSync } from 'node:fs'
import { ListNamespacesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../helpers/live.js'
import type { AuthServe } from './auth-support.js'
import { AUTH_FILE, KEYS, startAuthServe } from './auth-support.js'

// The auth file is reloaded when it changes, without a restart; a file with a mistake is not used (the
// last good rules stay) and the log says where the mistake is.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const NEW_KEY = { accessKeyId: 'NEWKEY', secretAccessKey: 'new-secret' }
const WITH_NEW_USER = `${AUTH_FILE}  - name: newcomer
    keys: [{ id: ${NEW_KEY.accessKeyId}, secret: ${NEW_KEY.secretAccessKey} }]
    policies:
      - { Version: "2012-10-17", Statement: { Effect: Allow, Action: "servicediscovery:List*", Resource: "*" } }
`

let auth: AuthServe
let client: ServiceDiscoveryClient

/** The first log line matching `pattern` after the first `from` lines (the shared bounded poll). */
function logged(pattern: RegExp, from: number): Promise<string> {
  return until(`a log line matching ${pattern}`, () => auth.logs.slice(from).find((line) => pattern.test(line)))
}

async function outcome(): Promise<string> {
  return client.send(new ListNamespacesCommand({})).then(
    () => 'answered',
    (e: Error) => e.name,
  )
}

beforeAll(async () => {
  auth = await startAuthServe()
  client = new ServiceDiscoveryClient({ endpoint: auth.serve.url, region: 'us-east-1', credentials: NEW_KEY, maxAttempts: 1 })
})

afterAll(async () => {
  client?.destroy()
  await auth?.serve.close()
})

describe('serve reloads the auth file when it changes', () => {
  it('a key added to the file is accepted without a restart, and one removed is refused', async () => {
    expect(await outcome()).toBe('UnrecognizedClientException')
    let from = auth.logs.length
    writeFileSync(auth.authFile, WITH_NEW_USER)
    expect(await logged(/reloaded the auth file/, from)).toBe(`cloudmap serve: reloaded the auth file ${auth.authFile}.`)
    expect(await outcome()).toBe('answered')

    // A mistake: the file is not used, the log says where, and the rules loaded before stay.
    from = auth.logs.length
    writeFileSync(auth.authFile, WITH_NEW_USER.replace('Effect: Allow, Action: "servicediscovery:List*"', 'Effect: Maybe, Action: "servicediscovery:List*"'))
    expect(await logged(/Bad auth file/, from)).toBe(
      `cloudmap serve: Bad auth file ${auth.authFile}, line 85: Effect must be "Allow" or "Deny", not "Maybe"; keeping the access rules loaded before.`,
    )
    expect(await outcome()).toBe('answered')

    from = auth.logs.length
    writeFileSync(auth.authFile, AUTH_FILE)
    await logged(/reloaded the auth file/, from)
    expect(await outcome()).toBe('UnrecognizedClientException')
    // The keys given on the command line stay whatever the file says.
    const admin = new ServiceDiscoveryClient({ endpoint: auth.serve.url, region: 'us-east-1', credentials: KEYS.admin, maxAttempts: 1 })
    await admin.send(new ListNamespacesCommand({}))
    admin.destroy()
  })
})
