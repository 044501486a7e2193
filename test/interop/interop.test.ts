import type { ChildProcess } from 'node:child_process'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OutputFormat } from '../../src/output/render.js'
import { ensureAwsModels } from '../../scripts/aws-models.mjs'
import type { CliResult } from '../helpers/cli.js'
import { BIN, runProcess } from '../helpers/cli.js'
import { freePort } from '../helpers/moto.js'
import { needs } from '../helpers/needs.js'

// Interop: the real AWS CLI v2 (/usr/bin/aws with the 30-operation model) and cloudmap (node bin/run.js,
// the built CLI) against one moto_server. State is made through the AWS CLI, then the SAME read command
// runs through both and stdout, exit code and the error sentence on stderr must be identical. Writes made
// through cloudmap are checked by reading them back through both.
//
// When /usr/bin/aws, moto_server or the Python botocore model is missing: fails in CI (process.env.CI),
// skipped with the reason otherwise.

/** The AWS CLI v2 of the reference recipe (INTEROP_AWS_CLI points elsewhere, e.g. a missing path to see the skip). */
const AWS = process.env.INTEROP_AWS_CLI ?? '/usr/bin/aws'

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0
}

const hasAws = existsSync(AWS)
const hasMoto = onPath('moto_server')
// The AWS CLI gets botocore's 30-operation model without DiscoverInstances' `data-` host prefix.
const dataPath = hasAws && hasMoto ? ensureAwsModels() : undefined
const missing = [
  !hasAws && AWS,
  !hasMoto && 'moto_server',
  hasAws && hasMoto && !dataPath && "Python botocore's servicediscovery model",
].filter((m): m is string => typeof m === 'string')

needs(missing.join(', '), missing.length === 0, '.ci/run installs the AWS CLI; moto_server is pip install "moto[server]"')

const EXTRA_FORMATS: OutputFormat[] = ['text', 'table', 'yaml', 'yaml-stream']


async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.destroy()
        resolve(true)
      })
      sock.on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`moto_server did not listen on 127.0.0.1:${port}`)
}

/**
 * What of stderr must agree: nothing on success; on an error the message itself. 2.9.19 writes
 * "\n<message>\n" (argparse: usage, then "aws: error: <message>"), the current v2 and cloudmap
 * "\naws: [ERROR]: <message>\n" (argparse: "An error occurred (ParamValidation): <message>"); the current
 * v2 also strips the line (no trailing space after an empty service message).
 */
function stderrClass(stderr: string): string {
  if (stderr === '') return ''
  const service = /An error occurred \((?!ParamValidation)[^)]+\) when calling the \w+ operation:.*/.exec(stderr)
  if (service) return service[0].trimEnd()
  // argparse errors: 2.9.19 "aws: error: <message>" after the usage, the current v2 the message before it.
  const usage = /^(?:aws|cloudmap): error: (.*)$/m.exec(stderr) ?? /An error occurred \(ParamValidation\): ([^\n]*)\n[\s\S]*\nusage: /.exec(stderr)
  // argparse's wording of a bad choice changed between the versions ("Invalid choice, valid choices are:"
  // then a listing, vs "Found invalid choice 'xml'"): for "argument --x: ..." only the argument must agree.
  if (usage) return `usage: ${/^argument [^:]+:/.exec(usage[1])?.[0] ?? usage[1].trimEnd()}`
  // Other parameter errors: 2.9.19 prints the message alone, the current v2 (and cloudmap) after
  // "An error occurred (ParamValidation): ".
  return `other: ${stderr
    .replace(/^\n(?:(?:aws|cloudmap): (?:\[ERROR\]: )?)?/, '')
    .replace(/^An error occurred \(ParamValidation\): /, '')
    .trimEnd()}`
}

/** Random parts of a write's output (ids, ARNs, operation ids, request ids, dates) for comparing writes. */
function normalizeIds(text: string): string {
  return text
    .replace(/\bns-[a-z0-9]{8,}\b/g, 'ns-ID')
    .replace(/\bsrv-[a-z0-9]{8,}\b/g, 'srv-ID')
    .replace(/\b[a-z0-9]{32}-[a-z0-9]{8}\b/g, 'OPERATION-ID')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, 'UUID')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?/g, 'DATE')
}

const ESCAPING_ATTRIBUTES =
  '{"AWS_INSTANCE_IPV4": "10.0.2.1", "unicode": "café ✓ 日本 한국어", "emoji": "rocket 🚀", "quote": "say \\"hi\\"", ' +
  '"backslash": "C:\\\\dir", "tab": "a\\tb", "newline": "l1\\nl2", "controls": "\\u0001\\u001f\\u007f", ' +
  '"separators": "\\u2028\\u2029", "empty": "", "b": "first", "10": "ten", "9": "nine", "a": "last"}'

describe.skipIf(missing.length > 0)('interop: /usr/bin/aws and cloudmap against one moto_server', () => {
  let moto: ChildProcess | undefined
  let port = 0
  let home = ''
  const ids: Record<string, string> = {}

  const baseEnv = (): Record<string, string> => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  })
  const aws = (argv: readonly string[]) =>
    runProcess(AWS, ['servicediscovery', ...argv, '--endpoint-url', `http://127.0.0.1:${port}`], { ...baseEnv(), AWS_DATA_PATH: dataPath ?? '' })
  const cloudmap = (argv: readonly string[]) =>
    runProcess(process.execPath, [BIN, ...argv, '--endpoint-url', `http://127.0.0.1:${port}`], { ...baseEnv(), CLOUDMAP_REGISTRY: join(home, 'unused-registry.json') })

  /** The AWS CLI with global options before the service name, cloudmap with them before the command. */
  const awsBefore = (globals: readonly string[], argv: readonly string[]) =>
    runProcess(AWS, [...globals, 'servicediscovery', ...argv, '--endpoint-url', `http://127.0.0.1:${port}`], { ...baseEnv(), AWS_DATA_PATH: dataPath ?? '' })
  const cloudmapBefore = (globals: readonly string[], argv: readonly string[]) =>
    runProcess(process.execPath, [BIN, ...globals, ...argv, '--endpoint-url', `http://127.0.0.1:${port}`], { ...baseEnv(), CLOUDMAP_REGISTRY: join(home, 'unused-registry.json') })

  /** aws, failing loudly: for the state the comparisons read. */
  async function awsOk(argv: readonly string[]): Promise<Record<string, unknown>> {
    const r = await aws(argv)
    if (r.status !== 0) throw new Error(`aws ${argv.join(' ')} exited ${r.status}: ${r.stderr}`)
    return r.stdout === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>)
  }

  /** The same command through both; stdout, exit code and stderr class must be identical. */
  async function same(argv: readonly string[], expectedCode = 0, globals: readonly string[] = []): Promise<CliResult> {
    const [a, c] = await Promise.all(globals.length === 0 ? [aws(argv), cloudmap(argv)] : [awsBefore(globals, argv), cloudmapBefore(globals, argv)])
    const label = [...globals, ...argv].join(' ')
    expect(a.status, `aws ${label}: ${a.stderr}`).toBe(expectedCode)
    expect(c.stdout, `stdout of ${label}`).toBe(a.stdout)
    expect(stderrClass(c.stderr), `stderr of ${label}`).toBe(stderrClass(a.stderr))
    expect(c.status, `exit code of ${label}`).toBe(a.status)
    return a
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'cloudmap-interop-'))
    port = await freePort()
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true })
    await waitForPort(port, 30_000)

    // State, made through the AWS CLI.
    const op = async (argv: string[]) => {
      const { OperationId } = (await awsOk(argv)) as { OperationId: string }
      const { Operation } = (await awsOk(['get-operation', '--operation-id', OperationId])) as { Operation: { Targets: Record<string, string> } }
      return { opId: OperationId, target: Operation.Targets }
    }
    const [http, priv, pub] = await Promise.all([
      op(['create-http-namespace', '--name', 'interop-http', '--description', 'HTTP "ns" ✓', '--tags', 'Key=env,Value=dev']),
      op(['create-private-dns-namespace', '--name', 'private.interop.test', '--vpc', 'vpc-12345678', '--properties', 'DnsProperties={SOA={TTL=60}}']),
      op(['create-public-dns-namespace', '--name', 'myapp.com']),
    ])
    ids.nsHttp = http.target.NAMESPACE
    ids.opHttp = http.opId
    ids.nsPriv = priv.target.NAMESPACE
    ids.nsMyapp = pub.target.NAMESPACE
    const service = async (argv: string[]) => ((await awsOk(argv)) as { Service: { Id: string } }).Service.Id
    ;[ids.srvWeb, ids.srvApi, ids.srvEdge, ids.srvFrontend] = await Promise.all([
      service(['create-service', '--name', 'web', '--namespace-id', ids.nsPriv, '--description', 'web', '--dns-config', `NamespaceId=${ids.nsPriv},RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60},{Type=SRV,TTL=30}]`, '--health-check-custom-config', 'FailureThreshold=1']),
      service(['create-service', '--name', 'api', '--namespace-id', ids.nsHttp, '--description', 'API ✓ 日本', '--type', 'HTTP']),
      service(['create-service', '--name', 'edge', '--namespace-id', ids.nsHttp]),
      service(['create-service', '--name', 'frontend', '--namespace-id', ids.nsMyapp]),
    ])
    const register = (srv: string, id: string, attrs: string) => awsOk(['register-instance', '--service-id', srv, '--instance-id', id, '--attributes', attrs])
    await Promise.all([register(ids.srvWeb, 'i-web-1', 'AWS_INSTANCE_IPV4=10.0.0.1,AWS_INSTANCE_PORT=80'), register(ids.srvApi, 'i-api-1', 'version=1.0,active=yes,AWS_INSTANCE_IPV4=10.0.1.1'), register(ids.srvFrontend, '1', 'AWS_INSTANCE_IPV4=54.20.10.1,stage=beta,version=1.0,active=yes')])
    await Promise.all([register(ids.srvWeb, 'i-web-2', 'AWS_INSTANCE_IPV4=10.0.0.2,AWS_INSTANCE_PORT=8080'), register(ids.srvApi, 'i-api-2', 'version=2.0,active=no,AWS_INSTANCE_IPV4=10.0.1.2'), register(ids.srvFrontend, '2', 'AWS_INSTANCE_IPV4=54.20.10.2,stage=beta,version=2.0,active=no')])
    await Promise.all([register(ids.srvWeb, 'i-web-3', '{"AWS_INSTANCE_IPV4": "10.0.0.3"}'), register(ids.srvEdge, 'i-edge-1', ESCAPING_ATTRIBUTES)])
  }, 90_000)

  afterAll(async () => {
    if (dataPath) rmSync(dataPath, { recursive: true, force: true })
    if (moto?.pid !== undefined && moto.exitCode === null) {
      const exited = new Promise((r) => moto?.once('exit', r))
      try {
        process.kill(-moto.pid, 'SIGTERM') // its own process group (detached): the pyenv shim's exec chain
      } catch {
        moto.kill('SIGTERM')
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
    }
  })

  describe('reads: the same command through both, byte for byte', () => {
    const reads: [string, () => string[]][] = [
      ['list-namespaces', () => ['list-namespaces']],
      ['get-namespace (HTTP, tags, quoted description)', () => ['get-namespace', '--id', ids.nsHttp]],
      ['get-namespace (private DNS)', () => ['get-namespace', '--id', ids.nsPriv]],
      ['get-namespace (public DNS, walk-through)', () => ['get-namespace', '--id', ids.nsMyapp]],
      ['list-namespaces --query', () => ['list-namespaces', '--query', 'Namespaces[].[Name, Type]']],
      ['list-services', () => ['list-services']],
      ['get-service (DNS config, custom health)', () => ['get-service', '--id', ids.srvWeb]],
      ['get-service (HTTP, non-ASCII description)', () => ['get-service', '--id', ids.srvApi]],
      ['list-instances', () => ['list-instances', '--service-id', ids.srvWeb]],
      ['list-instances --page-size 1 (three pages)', () => ['list-instances', '--service-id', ids.srvWeb, '--page-size', '1']],
      ['get-instance (escaping, non-ASCII, integer-like keys)', () => ['get-instance', '--service-id', ids.srvEdge, '--instance-id', 'i-edge-1']],
      ['list-instances (escaping)', () => ['list-instances', '--service-id', ids.srvEdge]],
      ['get-instances-health-status', () => ['get-instances-health-status', '--service-id', ids.srvWeb]],
      ['get-operation', () => ['get-operation', '--operation-id', ids.opHttp]],
      ['list-operations', () => ['list-operations']],
      ['list-tags-for-resource', () => ['list-tags-for-resource', '--resource-arn', `arn:aws:servicediscovery:us-east-1:123456789012:namespace/${ids.nsHttp}`]],
    ]
    for (const [title, argv] of reads) it(title, async () => void (await same(argv())))

    const discover: [string, () => string[]][] = [
      ['discover-instances: the walk-through (--query-parameters version=1.0,active=yes)', () => ['discover-instances', '--namespace-name', 'myapp.com', '--service-name', 'frontend', '--query-parameters', 'version=1.0,active=yes']],
      ['discover-instances --query-parameters --optional-parameters', () => ['discover-instances', '--namespace-name', 'interop-http', '--service-name', 'api', '--query-parameters', 'version=1.0', '--optional-parameters', 'active=yes']],
      ['discover-instances (escaping)', () => ['discover-instances', '--namespace-name', 'interop-http', '--service-name', 'edge']],
    ]
    for (const [title, argv] of discover) it(title, async () => void (await same(argv())))
  })

  describe('other output formats', () => {
    const reads: [string, () => string[]][] = [
      ['list-namespaces', () => ['list-namespaces']],
      ['get-service', () => ['get-service', '--id', ids.srvWeb]],
      ['list-instances --page-size 1', () => ['list-instances', '--service-id', ids.srvWeb, '--page-size', '1']],
      ['get-instance (escaping)', () => ['get-instance', '--service-id', ids.srvEdge, '--instance-id', 'i-edge-1']],
      ['list-operations', () => ['list-operations']],
    ]
    for (const format of EXTRA_FORMATS) {
      for (const [title, argv] of reads) {
        it(`${title} --output ${format}`, async () => void (await same([...argv(), '--output', format])))
      }
    }
  })

  describe('errors: same exit code and "An error occurred" sentence', () => {
    it('get-namespace with an unknown id (254)', async () => void (await same(['get-namespace', '--id', 'ns-doesnotexist'], 254)))
    it('get-service with an unknown id (254)', async () => void (await same(['get-service', '--id', 'srv-doesnotexist'], 254)))
    it('get-instance with an unknown instance (254)', async () => void (await same(['get-instance', '--service-id', ids.srvWeb, '--instance-id', 'i-nope'], 254)))
    it('get-operation with an unknown id: empty message (254)', async () => void (await same(['get-operation', '--operation-id', 'nope'], 254)))
    it('discover-instances in an unknown namespace (254)', async () => void (await same(['discover-instances', '--namespace-name', 'nope', '--service-name', 'api'], 254)))
    it('a missing required option (252)', async () => void (await same(['get-namespace'], 252)))
    it('an invalid --output choice (252)', async () => void (await same(['list-namespaces', '--output', 'xml'], 252)))
  })

  describe('the command line as the AWS CLI reads it', () => {
    it('global options before the command', async () => void (await same(['list-namespaces'], 0, ['--output', 'text'])))
    it('--query and --output before the command', async () => void (await same(['list-services'], 0, ['--query', 'Services[].Name', '--output', 'json'])))
    it('Unicode digits in an integer (Python int())', async () => void (await same(['list-services', '--max-results', '\u0663'])))
    it('a value that starts with - but has a space is a value', async () => void (await same(['get-namespace', '--id', '-a b'], 254)))
    it('a huge integer is echoed as given (252)', async () => void (await same(['list-services', '--max-results', '-99999999999999999999'], 252)))
    it('--cli-input-json file://missing (252)', async () => void (await same(['list-services', '--cli-input-json', 'file://missing'], 252)))
    it('an unknown --profile (255)', async () => void (await same(['list-services'], 255, ['--profile', 'nope'])))
    it('Invalid \\escape in JSON, as CPython words it (252)', async () => void (await same(['register-instance', '--service-id', ids.srvEdge, '--instance-id', 'x', '--attributes', '{"a": "\\q"}'], 252)))
  })

  describe('time zones: timestamps in the local zone as dateutil\'s tzlocal() gives them', () => {
    for (const tz of ['Europe/Amsterdam', 'XYZ-03:30', 'AEST-10AEDT,M10.1.0,M4.1.0/3']) {
      it(`TZ=${tz}`, async () => {
        const argv = ['list-namespaces', '--query', 'Namespaces[].CreateDate']
        const [a, c] = await Promise.all([
          runProcess(AWS, ['servicediscovery', ...argv, '--endpoint-url', `http://127.0.0.1:${port}`], { ...baseEnv(), TZ: tz, AWS_DATA_PATH: dataPath ?? '' }),
          runProcess(process.execPath, [BIN, ...argv, '--endpoint-url', `http://127.0.0.1:${port}`], { ...baseEnv(), TZ: tz, CLOUDMAP_REGISTRY: join(home, 'unused-registry.json') }),
        ])
        expect(a.status, a.stderr).toBe(0)
        expect(c.stdout).toBe(a.stdout)
      })
    }
  })

  describe('--query is jmespath.py', () => {
    it('numbers keep Python\'s types', async () => void (await same(['list-namespaces', '--query', '[`1.0`, avg(`[]`), `1e21`, `12345678901234567890`, to_number(\'1.50\'), sum(`[1, 0.5]`)]'])))
    it('string functions count and order by code point', async () => void (await same(['get-instance', '--service-id', ids.srvEdge, '--instance-id', 'i-edge-1', '--query', 'Instance.Attributes.[length(emoji), reverse(emoji), length(unicode), sort(values(@)), max(keys(@))]'])))
    it('a backtick literal that is not JSON is a string', async () => void (await same(['list-namespaces', '--query', '[`foo`, `  a b`]'])))
    it('an evaluation error in jmespath.py\'s words (255)', async () => void (await same(['list-namespaces', '--query', 'length(`1`)'], 255)))
    it('a comparison Python refuses (255)', async () => void (await same(['list-namespaces', '--query', '`1` < `"a"`'], 255)))
  })

  describe('writes through cloudmap, read back through both', () => {
    it('register-instance with escaping attributes is stored as the AWS CLI stores it', async () => {
      const argv = (id: string) => ['register-instance', '--service-id', ids.srvEdge, '--instance-id', id, '--attributes', ESCAPING_ATTRIBUTES]
      const [a, c] = await Promise.all([aws(argv('i-edge-aws')), cloudmap(argv('i-edge-cloudmap'))])
      expect(c.stderr).toBe('')
      expect(c.status).toBe(0)
      expect(normalizeIds(c.stdout)).toBe(normalizeIds(a.stdout))
      const [ga, gc] = await Promise.all([awsOk(['get-instance', '--service-id', ids.srvEdge, '--instance-id', 'i-edge-aws']), awsOk(['get-instance', '--service-id', ids.srvEdge, '--instance-id', 'i-edge-cloudmap'])])
      const attrs = (r: Record<string, unknown>) => JSON.stringify((r.Instance as { Attributes: unknown }).Attributes)
      expect(attrs(gc)).toBe(attrs(ga))
      await same(['get-instance', '--service-id', ids.srvEdge, '--instance-id', 'i-edge-cloudmap'])
    })

    it('create-service with DnsConfig and health check prints what the AWS CLI prints (ids aside)', async () => {
      const argv = ['create-service', '--name', 'twin', '--namespace-id', ids.nsPriv, '--creator-request-id', 'interop-fixed', '--dns-config', `NamespaceId=${ids.nsPriv},RoutingPolicy=WEIGHTED,DnsRecords=[{Type=CNAME,TTL=300}]`, '--health-check-config', 'Type=HTTPS,ResourcePath=/h,FailureThreshold=2']
      const [a, c] = await Promise.all([aws(argv), cloudmap(argv)])
      expect(c.stderr).toBe('')
      expect(c.status).toBe(a.status)
      expect(normalizeIds(c.stdout)).toBe(normalizeIds(a.stdout))
      // and what cloudmap created reads back identically through both
      await same(['get-service', '--id', (JSON.parse(c.stdout) as { Service: { Id: string } }).Service.Id])
    })

    it('create-http-namespace, deregister-instance and delete-service print what the AWS CLI prints (ids aside)', async () => {
      const [a, c] = await Promise.all([aws(['create-http-namespace', '--name', 'twin-aws']), cloudmap(['create-http-namespace', '--name', 'twin-cloudmap'])])
      expect(normalizeIds(c.stdout)).toBe(normalizeIds(a.stdout))
      expect([c.status, c.stderr]).toEqual([0, ''])
      const [da, dc] = await Promise.all([aws(['deregister-instance', '--service-id', ids.srvEdge, '--instance-id', 'i-edge-aws']), cloudmap(['deregister-instance', '--service-id', ids.srvEdge, '--instance-id', 'i-edge-cloudmap'])])
      expect(normalizeIds(dc.stdout)).toBe(normalizeIds(da.stdout))
      expect([dc.status, dc.stderr]).toEqual([0, ''])
      const mk = (name: string) => awsOk(['create-service', '--name', name, '--namespace-id', ids.nsHttp]).then((r) => (r.Service as { Id: string }).Id)
      const [s1, s2] = await Promise.all([mk('gone-1'), mk('gone-2')])
      const [xa, xc] = await Promise.all([aws(['delete-service', '--id', s1]), cloudmap(['delete-service', '--id', s2])])
      expect(xc).toEqual(xa) // both print nothing, exit 0
      await same(['list-services', '--query', 'Services[].Name'])
    })
  })
})
