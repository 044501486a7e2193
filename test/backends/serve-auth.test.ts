import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { startAuth } from '../../src/serve/auth/index.js'
import type { FaceContext } from '../../src/serve/faces.js'
import { describeRegistryContract } from '../contract/registry.contract.js'
import { throughServe } from './through-serve.js'
import { tempRegistry } from '../helpers/cli.js'

/**
 * The contract suite through serve with access control on: every call signed by the AWS SDK with a
 * key from an auth file (SigV4 checked) and authorized by its policy (IAM evaluated), so that access control
 * changes no answer a caller with full access gets. The registry runs on the contract's ticking clock;
 * the signature check on the real one (the SDK signs with it).
 */
describeRegistryContract('remote (cloudmap serve with access control)', async () => {
  const { dir } = tempRegistry()
  let tick = Date.parse('2026-01-02T03:04:05.678Z')
  const local = new LocalRegistry({ path: join(dir, 'registry.json'), region: 'us-east-1', accountId: '123456789012', seed: 'serve', now: () => new Date(tick++) })
  const context = { registry: local, now: () => new Date(), log: () => {} } as unknown as FaceContext
  // Allowed everything, through a condition: every call takes the whole path (resources and condition
  // keys looked up in the registry), not the shortcut of an unconditional full-access policy.
  const authFile = join(dir, 'auth.json')
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'servicediscovery:*', Resource: '*', Condition: { Null: { 'aws:PrincipalArn': 'false' } } }] }
  writeFileSync(authFile, JSON.stringify({ users: [{ name: 'contract', keys: [{ id: 'CONTRACTKEY', secret: 'contract-secret' }], policies: [policy] }] }))
  const { gate, running } = await startAuth(context, {
    keys: [],
    authFile,
    allowAnonymous: false,
    host: '127.0.0.1',
    region: 'us-east-1',
    accountId: '123456789012',
  })
  return throughServe(local, { id: 'CONTRACTKEY', secret: 'contract-secret' }, gate, async () => {
    await running?.close()
  })
})
