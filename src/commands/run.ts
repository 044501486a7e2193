import { Command, Flags } from '@oclif/core'
import { backendFlags } from './backend-flags.js'

/** `cloudmap run`: registration that follows a process (code in src/run/, loaded only here). */
export class Run extends Command {
  static override id = 'run'
  static override strict = false
  static override summary = 'Run a command and keep it registered as an instance while it runs, as ECS does for a task.'
  static override description = `Starts COMMAND (everything after --) with this terminal, registers it as an instance of the service, and deregisters it when COMMAND exits, for any reason; cloudmap run then exits with COMMAND's exit status (128+N when killed by signal N). SIGINT, SIGTERM and SIGHUP are passed on to COMMAND.

The namespace and service must exist: they are looked up before COMMAND starts, and an unreachable registry or endpoint means COMMAND is not started.

With a readiness check (--health-cmd, --health-http or --health-tcp, every --health-interval seconds) the instance is discoverable only once the check passes. For a service with a custom health check (HealthCheckCustomConfig) it is registered at once as UNHEALTHY, turns HEALTHY when the check passes and follows the check while COMMAND runs; for other services it is registered when the check first passes.

The instance id defaults to <hostname>-<pid>. The instance carries a CLOUDMAP_RUN_OWNER attribute (<hostname>:<pid> of cloudmap run); an id already registered by another running cloudmap run, or by anyone else, is refused.`
  static override examples = [
    '<%= config.bin %> run --namespace-name example.local --service-name web --port 8080 --ipv4 auto -- node server.js',
    { description: 'Discoverable once /health answers 2xx, health kept in step (custom health service):', command: '<%= config.bin %> run --namespace-name example.local --service-name web --port 8080 --health-http http://127.0.0.1:8080/health --health-interval 2 -- ./server' },
    { description: 'As a container entrypoint against a cloudmap serve container:', command: '<%= config.bin %> run --endpoint-url http://registry:4566 --namespace-name example.local --service-name api --ipv4 auto --port 3000 -- node app.js' },
  ]
  static override flags = {
    'namespace-name': Flags.string({ description: 'The namespace (its name, as list-namespaces shows it).', required: true, helpValue: 'NAME' }),
    'service-name': Flags.string({ description: 'The service to register in.', required: true, helpValue: 'NAME' }),
    'instance-id': Flags.string({ description: 'The instance id (default: <hostname>-<pid>).', helpValue: 'ID' }),
    port: Flags.integer({ description: 'AWS_INSTANCE_PORT.', min: 1, max: 65535, helpValue: 'PORT' }),
    ipv4: Flags.string({ description: "AWS_INSTANCE_IPV4: an address, or auto for the host's primary (first non-internal) IPv4 address.", helpValue: 'ADDRESS|auto' }),
    attributes: Flags.string({ description: 'More attributes: Key=Value,Key2=Value2 or JSON.', helpValue: 'ATTRIBUTES' }),
    'health-cmd': Flags.string({ description: 'Readiness/health check: a shell command that exits 0 when COMMAND is ready.', helpValue: 'CMD', exclusive: ['health-http', 'health-tcp'] }),
    'health-http': Flags.string({ description: 'Readiness/health check: a URL that answers 2xx or 3xx when COMMAND is ready.', helpValue: 'URL', exclusive: ['health-cmd', 'health-tcp'] }),
    'health-tcp': Flags.integer({ description: 'Readiness/health check: a port on 127.0.0.1 that accepts connections when COMMAND is ready.', min: 1, max: 65535, helpValue: 'PORT', exclusive: ['health-cmd', 'health-http'] }),
    'health-interval': Flags.string({ description: 'Seconds between checks (default 1).', helpValue: 'SECONDS' }),
    ...backendFlags,
  }

  async run(): Promise<void> {
    // Everything after -- is COMMAND, never cloudmap's flags.
    const dashes = this.argv.indexOf('--')
    const own = dashes < 0 ? this.argv : this.argv.slice(0, dashes)
    const command = dashes < 0 ? [] : this.argv.slice(dashes + 1)
    let parsed
    try {
      parsed = await this.parse(Run, own)
    } catch (error) {
      ;(await import('../config/command-support.js')).reportFailure(error, 'run')
      return
    }
    // A wrapper exits with COMMAND's status as soon as it has cleaned up (nothing else to wait for).
    process.exit(await (await import('../run/command.js')).runCommand(parsed.flags, command, parsed.argv as string[]))
  }
}
