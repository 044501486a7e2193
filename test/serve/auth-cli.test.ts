import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureAwsModels } from '../../scripts/aws-models.mjs'
import type { CliResult } from '../helpers/cli.js'
import { BIN, runCli, runProcess } from '../helpers/cli.js'
import { hermeticEnv, startServeProcess, until } from '../helpers/live.js'
import { AUTH_FILE, KEYS } from './auth-support.js'

// Access control at the command line: the built `cloudmap serve` with --auth, --read-only-auth,
// --auth-file and the serve_access_key_id settings, called by the real AWS CLI v2 (/usr/bin/aws; .ci/run
// installs Debian's awscli). Each refusal: exit 254, AWS's error type and words, registry unchanged.

const AWS = '/usr/bin/aws'
/** The AWS CLI's own service model. */
const AWS_MODEL = '/usr/lib/python3/dist-packages/awscli/botocore/data/servicediscovery/2017-03-14'


/** The hermetic environment (live.ts) with HOME here, and the AWS CLI's files kept in it. */
function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return hermeticEnv({ LANG: 'C.UTF-8', HOME: home, CLOUDMAP_CONFIG_DIR: join(home, '.config', 'cloudmap'), AWS_CONFIG_FILE: join(home, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'), AWS_PAGER: '', ...extra })
}

interface Serve {
  url: string
  registry: string
  stderr: () => string
  stop(): Promise<number>
}
const serves: Serve[] = []

/** `cloudmap serve --port 0 ARGS` on its own registry; resolves once it said what access control does. */
async function serve(args: string[], home: string, extraEnv: Record<string, string> = {}): Promise<Serve> {
  const registry = join(mkdtempSync(join(tmpdir(), 'cloudmap-auth-cli-')), 'registry.json')
  const started = await startServeProcess(['--registry', registry, ...args], cleanEnv(home, extraEnv))
  const s = { url: started.url, registry, stderr: () => started.live.stderr(), stop: () => started.stop() }
  serves.push(s)
  await until('serve to say what access control does', () => /cloudmap serve: (access control on|no access keys)/.test(s.stderr()))
  return s
}

let home = ''
let dataPath = ''

beforeAll(() => {
  if (!existsSync(AWS) || !existsSync(join(AWS_MODEL, 'service-2.json'))) throw new Error(`these tests need the AWS CLI v2 at ${AWS} with its model at ${AWS_MODEL} (.ci/run installs Debian's awscli)`)
  home = mkdtempSync(join(tmpdir(), 'cloudmap-auth-home-'))
  // The AWS CLI sends DiscoverInstances to data-<host>: give it its own model without that host prefix.
  dataPath = ensureAwsModels(home, AWS_MODEL)!
})

afterAll(async () => {
  for (const s of serves) await s.stop()
})

function aws(s: Serve, key: { accessKeyId: string; secretAccessKey: string } | 'unsigned', argv: string[]): Promise<CliResult> {
  const credentials: Record<string, string> = key === 'unsigned' ? {} : { AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey }
  return runProcess(AWS, ['servicediscovery', ...argv, '--endpoint-url', s.url, ...(key === 'unsigned' ? ['--no-sign-request'] : [])], cleanEnv(home, { ...credentials, AWS_DEFAULT_REGION: 'us-east-1', AWS_DATA_PATH: dataPath }))
}

function stampOf(s: Serve): string {
  const st = statSync(s.registry, { bigint: true, throwIfNoEntry: false })
  return st === undefined ? 'no registry file yet' : `${st.ino}:${st.size}:${st.mtimeNs}`
}

/** A call the AWS CLI must report as refused: exit 254, AWS's words, and the registry file untouched. */
async function refused(s: Serve, key: Parameters<typeof aws>[1], argv: string[], code: string, message: string | RegExp): Promise<void> {
  const before = stampOf(s)
  const r = await aws(s, key, argv)
  expect(r.status, r.stderr).toBe(254)
  expect(r.stdout).toBe('')
  const line = r.stderr.trim()
  const prefix = `An error occurred (${code}) when calling the `
  expect(line.startsWith(prefix), line).toBe(true)
  const said = line.replace(/^An error occurred \(\w+\) when calling the \w+ operation: /, '')
  if (typeof message === 'string') expect(said).toBe(message)
  else expect(said).toMatch(message)
  expect(stampOf(s), 'a refused call changes nothing').toBe(before)
}

const denied = (user: string, action: string, resource: string) =>
  `User: arn:aws:iam::123456789012:user/${user} is not authorized to perform: servicediscovery:${action} on resource: ${resource} because no identity-based policy allows the servicediscovery:${action} action`

describe('cloudmap serve --auth, --read-only-auth, --auth-file with the AWS CLI v2', { timeout: 90_000 }, () => {
  let s: Serve
  const ids: Record<string, string> = {}
  const json = async (key: Parameters<typeof aws>[1], argv: string[]) => {
    const r = await aws(s, key, argv)
    if (r.status !== 0) throw new Error(`aws ${argv.join(' ')}: ${r.stderr}`)
    return JSON.parse(r.stdout || '{}') as Record<string, any>
  }

  beforeAll(async () => {
    const authFile = join(home, 'auth.yaml')
    writeFileSync(authFile, AUTH_FILE)
    s = await serve(['--auth', `${KEYS.admin.accessKeyId}:${KEYS.admin.secretAccessKey}`, '--read-only-auth', `${KEYS.reader.accessKeyId}:${KEYS.reader.secretAccessKey}`, '--auth-file', authFile], home)
    const op = async (argv: string[]) => (await json(KEYS.admin, ['get-operation', '--operation-id', (await json(KEYS.admin, argv)).OperationId])).Operation.Targets.NAMESPACE as string
    ids.prod = await op(['create-http-namespace', '--name', 'prod'])
    ids.dev = await op(['create-http-namespace', '--name', 'dev'])
    ids.devWeb = (await json(KEYS.admin, ['create-service', '--name', 'web', '--namespace-id', ids.dev])).Service.Id
    const prodWeb = (await json(KEYS.admin, ['create-service', '--name', 'web', '--namespace-id', ids.prod])).Service
    ids.prodWeb = prodWeb.Id
    ids.prodWebArn = prodWeb.Arn
    ids.blue = (await json(KEYS.admin, ['create-service', '--name', 'blue', '--namespace-id', ids.prod, '--tags', 'Key=team,Value=blue'])).Service.Id
    const red = (await json(KEYS.admin, ['create-service', '--name', 'red', '--namespace-id', ids.prod, '--tags', 'Key=team,Value=red'])).Service
    ids.red = red.Id
    ids.redArn = red.Arn
    await json(KEYS.admin, ['register-instance', '--service-id', ids.prodWeb, '--instance-id', 'i-1', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.1'])
    // Twelve AWS CLI runs of a second or more each on a busy machine.
  }, 180_000)

  it('says at start that access control is on', () => {
    expect(s.stderr()).toMatch(/access control on: requests must be signed \(AWS Signature V4, service servicediscovery, region us-east-1\) with one of 8 access keys/)
  })

  it('a good key is answered', async () => {
    expect((await json(KEYS.admin, ['list-namespaces'])).Namespaces.map((n: { Name: string }) => n.Name).sort()).toEqual(['dev', 'prod'])
    expect((await json(KEYS.reader, ['list-services'])).Services).toHaveLength(4)
  })

  it('a wrong secret', async () => {
    await refused(s, { ...KEYS.admin, secretAccessKey: 'wrong' }, ['create-http-namespace', '--name', 'x'], 'InvalidSignatureException', /^The request signature we calculated does not match the signature you provided\./)
  })

  it('an unknown key', async () => {
    await refused(s, { accessKeyId: 'NOSUCHKEY', secretAccessKey: 'x' }, ['create-http-namespace', '--name', 'x'], 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  })

  it('unsigned (--no-sign-request)', async () => {
    await refused(s, 'unsigned', ['create-http-namespace', '--name', 'x'], 'MissingAuthenticationTokenException', 'Request is missing Authentication Token')
  })

  it('a read-only key writing', async () => {
    await refused(s, KEYS.reader, ['register-instance', '--service-id', ids.prodWeb, '--instance-id', 'i-2', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.2'], 'AccessDeniedException', denied('READERKEY', 'RegisterInstance', ids.prodWebArn))
  })

  it('a policy that allows discovery in one namespace only', async () => {
    expect((await json(KEYS.prod, ['discover-instances', '--namespace-name', 'prod', '--service-name', 'web'])).Instances.map((i: { InstanceId: string }) => i.InstanceId)).toEqual(['i-1'])
    await refused(s, KEYS.prod, ['discover-instances', '--namespace-name', 'dev', '--service-name', 'web'], 'AccessDeniedException', denied('prod-discovery', 'DiscoverInstances', `arn:aws:servicediscovery:us-east-1:123456789012:namespace/${ids.dev}`))
  })

  it('an explicit deny', async () => {
    await refused(
      s,
      KEYS.nodelete,
      ['delete-namespace', '--id', ids.dev],
      'AccessDeniedException',
      `User: arn:aws:iam::123456789012:user/no-delete is not authorized to perform: servicediscovery:DeleteNamespace on resource: arn:aws:servicediscovery:us-east-1:123456789012:namespace/${ids.dev} with an explicit deny in an identity-based policy`,
    )
  })

  it('a tag condition', async () => {
    await json(KEYS.blue, ['register-instance', '--service-id', ids.blue, '--instance-id', 'b-1', '--attributes', 'AWS_INSTANCE_IPV4=10.0.1.1'])
    await refused(s, KEYS.blue, ['register-instance', '--service-id', ids.red, '--instance-id', 'r-1', '--attributes', 'AWS_INSTANCE_IPV4=10.0.2.1'], 'AccessDeniedException', denied('team-blue', 'RegisterInstance', ids.redArn))
  })
})

describe('cloudmap serve: where keys come from, and serving without them', { timeout: 90_000 }, () => {
  it('an expired date (serve\'s clock 10 minutes ahead of the signer\'s)', async () => {
    const ahead = new Date(Date.now() + 10 * 60_000).toISOString()
    const s = await serve(['--auth', `${KEYS.admin.accessKeyId}:${KEYS.admin.secretAccessKey}`], home, { CLOUDMAP_NOW: ahead })
    await refused(s, KEYS.admin, ['create-http-namespace', '--name', 'late'], 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/)
  })

  it('the serve_access_key_id / serve_secret_access_key settings are the keys serve accepts', async () => {
    const settingsHome = mkdtempSync(join(tmpdir(), 'cloudmap-auth-settings-'))
    for (const [key, value] of [['serve_access_key_id', 'SETTINGSKEY'], ['serve_secret_access_key', 'settings-secret']]) {
      const r = runCli(['configure', 'set', key, value], { HOME: settingsHome, CLOUDMAP_CONFIG_DIR: join(settingsHome, '.config', 'cloudmap') })
      expect(r.status, r.stderr).toBe(0)
    }
    const s = await serve([], settingsHome)
    expect(s.stderr()).toMatch(/access control on: .* with one of 1 access key,/)
    expect((await aws(s, { accessKeyId: 'SETTINGSKEY', secretAccessKey: 'settings-secret' }, ['list-namespaces'])).status).toBe(0)
    await refused(s, KEYS.admin, ['create-http-namespace', '--name', 'x'], 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  })

  it('only one of the two settings set: serve refuses to start, naming the one missing and where the other was set (exit 253)', async () => {
    const halfHome = mkdtempSync(join(tmpdir(), 'cloudmap-auth-half-'))
    const config = join(halfHome, '.config', 'cloudmap')
    expect(runCli(['configure', 'set', 'serve_access_key_id', 'HALFKEY'], { HOME: halfHome, CLOUDMAP_CONFIG_DIR: config }).status).toBe(0)
    const r = await runProcess(process.execPath, [BIN, 'serve', '--port', '0', '--registry', join(halfHome, 'registry.json')], cleanEnv(halfHome))
    expect(r.status).toBe(253)
    expect(r.stderr).toMatch(/serve_secret_access_key is not set, but its pair is \(.+\): set both, or neither\. Run `cloudmap configure set serve_secret_access_key VALUE`\./)
    expect(existsSync(join(halfHome, 'registry.json')), 'nothing was written').toBe(false)
  })

  it('without keys every request is answered, and serve says so', async () => {
    const s = await serve([], home)
    expect(s.stderr()).toContain('cloudmap serve: no access keys: every request is accepted, signed or not')
    expect((await aws(s, 'unsigned', ['list-namespaces'])).status).toBe(0)
  })

  it('without keys on an address other than loopback: refused unless --allow-anonymous', async () => {
    const r = await runProcess(process.execPath, [BIN, 'serve', '--port', '0', '--host', '0.0.0.0', '--registry', join(home, 'anon.json')], cleanEnv(home))
    expect(r.status).toBe(255)
    expect(r.stderr).toBe(
      "\ncloudmap: [ERROR]: cloudmap serve won't answer anyone who can reach 0.0.0.0 without access keys: give --auth ACCESS_KEY_ID:SECRET, --read-only-auth, --auth-file FILE or the serve_access_key_id setting, or --allow-anonymous to accept every request.\n",
    )
    const s = await serve(['--host', '0.0.0.0', '--allow-anonymous'], home)
    expect(s.stderr()).toContain('no access keys: every request is accepted')
  })

  it('a bad --auth value is a usage error', async () => {
    const r = await runProcess(process.execPath, [BIN, 'serve', '--port', '0', '--auth', 'no-secret', '--registry', join(home, 'bad-flag.json')], cleanEnv(home))
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('--auth takes ACCESS_KEY_ID:SECRET')
  })
})

describe('bad auth files are refused at start with the file, the line and the reason', { timeout: 90_000 }, () => {
  const cases: [string, string, string, number, string][] = [
    ['YAML syntax', 'bad.yaml', 'users:\n  - name: a\n    keys: [\n', 4, ''],
    ['an Effect that is not Allow or Deny', 'effect.yaml', AUTH_FILE.replace('          - Effect: Deny', '          - Effect: Forbid'), 26, 'Effect must be "Allow" or "Deny", not "Forbid"'],
    ['an action Cloud Map does not have', 'action.yaml', AUTH_FILE.replace('servicediscovery:DiscoverInstancesRevision', 'servicediscovery:DiscoverEverything'), 11, 'servicediscovery has no action "DiscoverEverything"'],
    ['a key listed twice', 'twice.yaml', AUTH_FILE.replace(`id: ${KEYS.blue.accessKeyId}`, `id: ${KEYS.prod.accessKeyId}`), 31, `the access key ${KEYS.prod.accessKeyId} is listed twice`],
    [
      'JSON with an unknown condition operator',
      'policy.json',
      JSON.stringify({ users: [{ name: 'j', keys: [{ id: 'JKEY', secret: 's' }], policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'j' } } }] }] }] }, null, 2),
      20,
      '"StringEqualz" is not an IAM condition operator',
    ],
  ]
  it.each(cases)('%s', async (_name, fileName, text, line, reason) => {
    const file = join(home, fileName)
    writeFileSync(file, text)
    const r = await runProcess(process.execPath, [BIN, 'serve', '--port', '0', '--auth-file', file, '--registry', join(home, 'unused.json')], cleanEnv(home))
    expect(r.status).toBe(255)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(r.stderr).toContain(`cloudmap: [ERROR]: Bad auth file ${file}, line ${line}: ${reason}`)
  })
})
