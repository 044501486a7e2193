import { Command, Flags } from '@oclif/core'

/** `cloudmap serve`: the local registry over the AWS JSON 1.1 protocol (server code loads only here). */
export class Serve extends Command {
  static override id = 'serve'
  static override summary = 'Serve the local registry over the AWS Cloud Map API (JSON 1.1), for AWS SDKs, the AWS CLI and Terraform.'
  static override description =
    'Answers Cloud Map API calls at http://HOST:PORT/ from the local registry file, which scripts may keep using at the same time. Point clients at it with --endpoint-url (AWS CLI, cloudmap) or the SDKs\' endpoint setting. Requests are not authenticated. Port 0 picks a free port; the address is printed on stdout.'
  static override examples = ['<%= config.bin %> serve --port 4566', 'AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x <%= config.bin %> list-namespaces --endpoint-url http://127.0.0.1:4566']
  static override flags = {
    port: Flags.integer({ description: 'TCP port to listen on (0: any free port).', default: 4566 }),
    host: Flags.string({ description: 'Address to listen on.', default: '127.0.0.1' }),
    registry: Flags.string({ description: 'Registry file (default: $CLOUDMAP_REGISTRY, else the user data directory).' }),
    region: Flags.string({ description: 'Region used in ARNs (default: $AWS_REGION, $AWS_DEFAULT_REGION, us-east-1).' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve)
    const [{ createJson11Server }, { resolveSettings }, { LocalRegistry }] = await Promise.all([
      import('../server/json11.js'),
      import('../cli/settings.js'),
      import('../backends/local/local-registry.js'),
    ])
    const args = new Map<string, string>()
    if (flags.registry !== undefined) args.set('registry', flags.registry)
    if (flags.region !== undefined) args.set('region', flags.region)
    const settings = resolveSettings(args)
    const registry = new LocalRegistry({ path: settings.registryPath, region: settings.region, accountId: settings.accountId, seed: settings.seed, now: settings.now, operationDelayMs: settings.operationDelayMs })
    const server = createJson11Server(registry)
    await new Promise<void>((resolve) => server.listen(flags.port, flags.host, resolve))
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : flags.port
    this.log(`cloudmap serve: http://${flags.host}:${port}/ (registry ${settings.registryPath})`)
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => resolve()))
    })
  }
}
