import { Command } from '@oclif/core'
import { WATCH_FLAGS } from './watch-flags.js'
import { oclifFlags } from './own-flags.js'

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
  static override flags = oclifFlags(WATCH_FLAGS)

  async run(): Promise<void> {
    // Parsed by watch's own code (also reached without oclif, see src/cli/fast-path.ts).
    process.exitCode = await (await import('../watch/command.js')).watchFromArgv(this.argv)
  }
}
