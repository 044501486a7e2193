import { Command, Flags } from '@oclif/core'
import { reportFailure } from '../config/command-support.js'
import type { Face } from '../serve/faces.js'
import type { HealthChecker } from '../serve/health/index.js'
import type { GivenKey } from '../serve/auth/rules.js'
import type { Settings } from '../cli/settings.js'
import { CloudmapError } from '../registry/errors.js'

/** Health checks in flight at most (the others wait for their turn). */
const HEALTH_CONCURRENCY = 64

/** `cloudmap serve`: the local registry as a running Cloud Map (server code loads only here, see src/serve/). */
export class Serve extends Command {
  static override id = 'serve'
  static override summary = 'Serve the local registry over the AWS Cloud Map API (JSON 1.1), for AWS SDKs, the AWS CLI and Terraform.'
  static override description =
    'Answers Cloud Map API calls at http://HOST:PORT/ from the local registry file, which scripts may keep using at the same time. Point clients at it with --endpoint-url (AWS CLI, cloudmap) or AWS_ENDPOINT_URL_SERVICEDISCOVERY (SDKs, Terraform); the environment to set is printed on stderr at start. Port 0 picks a free port; the address is printed on stdout. With access keys (--auth, --read-only-auth, --auth-file) every request must carry a valid AWS Signature V4 and is checked against IAM policies. While it runs it probes the instances of services with a Route 53 health check (HTTP, HTTPS, TCP) every --health-interval seconds and records their status, which discover-instances and get-instances-health-status report; without serve nothing probes. With --dns-port it also answers DNS (UDP and TCP) for the DNS namespaces, as Route 53 answers for Cloud Map. SIGINT or SIGTERM finishes the requests in flight, then exits 0.'
  static override examples = ['<%= config.bin %> serve --port 4566', '<%= config.bin %> serve --dns-port 5300   # then: dig @127.0.0.1 -p 5300 <service>.<namespace>', 'AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x <%= config.bin %> list-namespaces --endpoint-url http://127.0.0.1:4566']
  static override flags = {
    port: Flags.integer({ description: 'TCP port to listen on (0: any free port).', default: 4566 }),
    host: Flags.string({ description: 'Address to listen on.', default: '127.0.0.1' }),
    registry: Flags.string({ description: 'Registry file (default: $CLOUDMAP_REGISTRY, else the user data directory).' }),
    region: Flags.string({ description: 'Region used in ARNs (default: $AWS_REGION, $AWS_DEFAULT_REGION, us-east-1).' }),
    'dns-port': Flags.integer({ description: 'Also answer DNS (UDP and TCP) for the DNS namespaces on this port (0: any free port); off unless given.' }),
    'dns-host': Flags.string({ description: 'Address DNS listens on (with --dns-port).', default: '127.0.0.1' }),
    auth: Flags.string({ description: 'Require AWS Signature V4: accept this access key with full access (repeatable).', multiple: true, helpValue: 'ACCESS_KEY_ID:SECRET' }),
    'read-only-auth': Flags.string({ description: 'Accept this access key for Get*, List* and Discover* calls only (repeatable).', multiple: true, helpValue: 'ACCESS_KEY_ID:SECRET' }),
    'auth-file': Flags.string({ description: 'Users, access keys and IAM policies (YAML or JSON); reloaded when it changes.', helpValue: 'FILE' }),
    'allow-anonymous': Flags.boolean({ description: 'Answer unsigned requests on an address other than loopback when no access key is given.', default: false }),
    'health-checks': Flags.boolean({
      description: 'Probe the instances of services with a Route 53 health check (HealthCheckConfig) and record their status; --no-health-checks leaves every status as last recorded.',
      default: true,
      allowNo: true,
    }),
    'health-interval': Flags.integer({ description: 'Seconds between two health checks of one instance (Route 53: 30).', default: 30, min: 1 }),
    'health-timeout': Flags.integer({ description: 'Seconds a health check may take before it counts as a failure.', default: 4, min: 1 }),
    ui: Flags.boolean({ description: 'Serve the live dashboard at /ui/ on the same port (--no-ui turns it off).', default: true, allowNo: true }),
  }

  async run(): Promise<void> {
    let running: Awaited<ReturnType<typeof import('../serve/index.js').startServe>>
    try {
      const { flags } = await this.parse(Serve)
      const [{ startServe }, { resolveSettings }, { clientEnvironment }] = await Promise.all([import('../serve/index.js'), import('../cli/settings.js'), import('../serve/announce.js')])
      const args = new Map<string, string>()
      if (flags.registry !== undefined) args.set('registry', flags.registry)
      if (flags.region !== undefined) args.set('region', flags.region)
      const settings = resolveSettings(args)
      const log = (line: string) => process.stderr.write(`${line}\n`)
      // The faces the flags ask for; each one's code is imported only when it starts.
      const faces: Face[] = []
      const keys = await givenKeys(flags, settings.configured)
      faces.push({
        name: 'auth',
        start: async (ctx) =>
          (await import('../serve/auth/index.js')).startAuth(ctx, {
            keys,
            authFile: flags['auth-file'],
            allowAnonymous: flags['allow-anonymous'],
            host: flags.host,
            region: settings.region,
            accountId: settings.accountId,
          }),
      })
      const dnsPort = flags['dns-port']
      if (dnsPort !== undefined) {
        const { seed } = settings
        faces.push({
          name: 'dns',
          start: async (ctx) => {
            const [{ startDns }, { seededRandom }] = await Promise.all([import('../serve/dns/index.js'), import('../backends/local/context.js')])
            return startDns(ctx, { host: flags['dns-host'], port: dnsPort, random: seed === undefined ? undefined : seededRandom(`${seed}:dns`) })
          },
        })
      }
      if (flags['health-checks']) {
        const health = { intervalMs: flags['health-interval'] * 1000, timeoutMs: flags['health-timeout'] * 1000, concurrency: HEALTH_CONCURRENCY }
        faces.push({ name: 'health', start: async (context) => (await import('../serve/health/index.js')).startHealth(context, health) })
      }
      if (flags.ui) {
        // The dashboard checks its own requests with the API's gate, and shows the prober's last results.
        const probes = flags['health-checks']
        faces.push({
          name: 'ui',
          start: async (ctx) =>
            (await import('../serve/ui/index.js')).startUi(ctx, {
              gate: () => ctx.face('auth')?.gate,
              probes: probes ? () => (ctx.face('health')?.running as HealthChecker | undefined)?.probes() ?? [] : undefined,
            }),
        })
      }
      running = await startServe({
        registryPath: settings.registryPath,
        region: settings.region,
        accountId: settings.accountId,
        seed: settings.seed,
        now: settings.now,
        operationDelayMs: settings.operationDelayMs,
        host: flags.host,
        port: flags.port,
        faces,
        log,
      })
      this.log(`cloudmap serve: ${running.url}/ (registry ${settings.registryPath})`)
      for (const line of running.announce) log(line)
      log(clientEnvironment(running.url, settings.region))
    } catch (error) {
      reportFailure(error, 'serve')
      return
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, stop)
        running.close().then(resolve, (error: unknown) => {
          reportFailure(error, 'serve')
          resolve()
        })
      }
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop)
    })
  }
}

/** Keys from --auth, --read-only-auth and the serve_access_key_id / serve_secret_access_key settings (full access). */
async function givenKeys(flags: { auth?: string[]; 'read-only-auth'?: string[] }, values: Settings['configured']): Promise<GivenKey[]> {
  const { parseKeyFlag } = await import('../serve/auth/rules.js')
  const keys: GivenKey[] = []
  for (const value of flags.auth ?? []) keys.push({ ...parseKeyFlag(value, '--auth'), access: 'full', source: '--auth' })
  for (const value of flags['read-only-auth'] ?? []) keys.push({ ...parseKeyFlag(value, '--read-only-auth'), access: 'read-only', source: '--read-only-auth' })
  const id = values.serve_access_key_id
  const secret = values.serve_secret_access_key
  if (id.value !== undefined || secret.value !== undefined) {
    if (id.value === undefined || secret.value === undefined) {
      const [set, unset] = id.value === undefined ? [secret, 'serve_access_key_id'] : [id, 'serve_secret_access_key']
      throw new CloudmapError('config', `${unset} is not set, but its pair is (${set.location}): set both, or neither. Run \`cloudmap configure set ${unset} VALUE\`.`)
    }
    keys.push({ ...parseKeyFlag(`${id.value}:${secret.value}`, 'The serve_access_key_id and serve_secret_access_key settings'), access: 'full', source: `the settings (${id.location})` })
  }
  return keys
}
