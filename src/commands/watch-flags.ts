import * as Flags from '@oclif/core/flags'
import { backendFlags } from './backend-flags.js'

/** cloudmap watch's flags, shared by its oclif command (help, completion) and the fast path that parses without oclif. */
export const watchFlags = {
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
