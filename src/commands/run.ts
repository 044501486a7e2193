import { Command } from '@oclif/core'
import { RUN_FLAGS } from './run-flags.js'
import { oclifFlags } from './own-flags.js'

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
  static override flags = oclifFlags(RUN_FLAGS)

  async run(): Promise<void> {
    // Parsed by run's own code (also reached without oclif, see src/cli/fast-path.ts).
    process.exit(await (await import('../run/command.js')).runFromArgv(this.argv))
  }
}
