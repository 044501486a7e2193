import type { OwnFlags } from '../cli/own-flags.js'
import { BACKEND_FLAGS } from '../cli/own-flags.js'

/** cloudmap watch's flags: data only, loaded with the command table. */
export const WATCH_FLAGS: OwnFlags = {
  'namespace-name': { type: 'string', description: 'The HttpName of the namespace.', required: true, helpValue: 'NAME' },
  'service-name': { type: 'string', description: 'The name of the service.', required: true, helpValue: 'NAME' },
  'query-parameters': { type: 'string', description: 'Only instances with these attributes: Key=Value,Key2=Value2 or JSON.', helpValue: 'ATTRIBUTES' },
  'optional-parameters': { type: 'string', description: 'Prefer instances with these attributes (as discover-instances).', helpValue: 'ATTRIBUTES' },
  'health-status': { type: 'string', description: 'Which instances by health (default HEALTHY, as discover-instances).', options: ['HEALTHY', 'UNHEALTHY', 'ALL', 'HEALTHY_OR_ELSE_ALL'] },
  output: { type: 'string', description: 'text: readable lines (a table of the current instances on a terminal); json: one JSON object per line.', options: ['text', 'json'], default: 'text' },
  exec: { type: 'string', description: 'Run this shell command after each change, with the discover-instances output on its standard input.', helpValue: 'CMD' },
  timeout: { type: 'string', description: 'Stop after this many seconds.', helpValue: 'SECONDS' },
  'until-count': { type: 'integer', description: 'Stop after this many events.', min: 1, helpValue: 'N' },
  interval: { type: 'string', description: 'Remote endpoints: seconds between DiscoverInstancesRevision calls (default 1).', helpValue: 'SECONDS' },
  ...BACKEND_FLAGS,
}
