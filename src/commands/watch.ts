import { Command, Flags } from '@oclif/core'
import { backendFlags } from './backend-flags.js'

/** `cloudmap watch`: a service's instances, then its changes (code in src/watch/, loaded only here). */
export class Watch extends Command {
  static override id = 'watch'
  static override summary = "Print a service's instances, then one event per change (added, removed, attributes or health changed)."
  static override description = `Shows what discover-instances returns now, then one event for each instance added, removed, or whose attributes or health changed, with the new InstancesRevision, until interrupted, --timeout or --until-count.

On the local registry watch is woken by the file system when the registry is written (no polling). On a remote endpoint it asks DiscoverInstancesRevision every --interval and calls DiscoverInstances only when the revision moved; AWS does not move the revision for health changes, so remotely health changes are seen only together with a registration change.

--query-parameters, --optional-parameters and --health-status filter as in discover-instances (default HEALTHY: an instance turning unhealthy is then "removed"; use --health-status ALL to see health-changed events).

--exec CMD runs CMD (through the shell) after each change with the new discover-instances output (JSON, as the AWS CLI prints it) on its standard input, and waits for it; changes while it runs are reported together after it.

Exit status: 0 when --until-count events were seen, or --timeout passed without --until-count; 124 when --timeout passed first with --until-count; the AWS CLI's codes when the first discover-instances fails.`
  static override examples = [
    '<%= config.bin %> watch --namespace-name example.local --service-name web',
    { description: 'One JSON object per line, every health state:', command: '<%= config.bin %> watch --namespace-name example.local --service-name web --health-status ALL --output json' },
    { description: 'Rewrite a config file on every change:', command: "<%= config.bin %> watch --namespace-name example.local --service-name web --exec 'jq -r \".Instances[].Attributes.AWS_INSTANCE_IPV4\" > upstreams.txt'" },
    { description: 'Wait up to 30 s for one change (a script):', command: '<%= config.bin %> watch --namespace-name example.local --service-name web --until-count 1 --timeout 30 --output json' },
  ]
  static override flags = {
    'namespace-name': Flags.string({ description: 'The HttpName of the namespace.', required: true, helpValue: 'NAME' }),
    'service-name': Flags.string({ description: 'The name of the service.', required: true, helpValue: 'NAME' }),
    'query-parameters': Flags.string({ description: 'Only instances with these attributes: Key=Value,Key2=Value2 or JSON.', helpValue: 'ATTRIBUTES' }),
    'optional-parameters': Flags.string({ description: 'Prefer instances with these attributes (as discover-instances).', helpValue: 'ATTRIBUTES' }),
    'health-status': Flags.string({ description: 'Which instances by health (default HEALTHY, as discover-instances).', options: ['HEALTHY', 'UNHEALTHY', 'ALL', 'HEALTHY_OR_ELSE_ALL'] }),
    output: Flags.string({ description: 'text: readable lines (a table of the current instances on a terminal); json: one JSON object per line.', options: ['text', 'json'], default: 'text' }),
    exec: Flags.string({ description: 'Run this shell command after each change, with the discover-instances output on its standard input.', helpValue: 'CMD' }),
    timeout: Flags.string({ description: 'Stop after this many seconds.', helpValue: 'SECONDS' }),
    'until-count': Flags.integer({ description: 'Stop after this many events.', min: 1, helpValue: 'N' }),
    interval: Flags.string({ description: 'Remote endpoints: seconds between DiscoverInstancesRevision calls (default 1).', helpValue: 'SECONDS' }),
    ...backendFlags,
  }

  async run(): Promise<void> {
    let flags
    try {
      flags = (await this.parse(Watch)).flags
    } catch (error) {
      ;(await import('../config/command-support.js')).reportFailure(error, 'watch')
      return
    }
    process.exitCode = await (await import('../watch/command.js')).watchCommand(flags)
  }
}
