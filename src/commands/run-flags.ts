import type { OwnFlags } from '../cli/own-flags.js'
import { BACKEND_FLAGS } from '../cli/own-flags.js'

/** cloudmap run's flags (before the -- that starts COMMAND): data only, loaded with the command table. */
export const RUN_FLAGS: OwnFlags = {
  'namespace-name': { type: 'string', description: 'The namespace (its name, as list-namespaces shows it).', required: true, helpValue: 'NAME' },
  'service-name': { type: 'string', description: 'The service to register in.', required: true, helpValue: 'NAME' },
  'instance-id': { type: 'string', description: 'The instance id (default: <hostname>-<pid>).', helpValue: 'ID' },
  port: { type: 'integer', description: 'AWS_INSTANCE_PORT.', min: 1, max: 65535, helpValue: 'PORT' },
  ipv4: { type: 'string', description: "AWS_INSTANCE_IPV4: an address, or auto for the host's primary (first non-internal) IPv4 address.", helpValue: 'ADDRESS|auto' },
  attributes: { type: 'string', description: 'More attributes: Key=Value,Key2=Value2 or JSON.', helpValue: 'ATTRIBUTES' },
  'health-cmd': { type: 'string', description: 'Readiness/health check: a shell command that exits 0 when COMMAND is ready.', helpValue: 'CMD', exclusive: ['health-http', 'health-tcp'] },
  'health-http': { type: 'string', description: 'Readiness/health check: a URL that answers 2xx or 3xx when COMMAND is ready.', helpValue: 'URL', exclusive: ['health-cmd', 'health-tcp'] },
  'health-tcp': { type: 'integer', description: 'Readiness/health check: a port on 127.0.0.1 that accepts connections when COMMAND is ready.', min: 1, max: 65535, helpValue: 'PORT', exclusive: ['health-cmd', 'health-http'] },
  'health-interval': { type: 'string', description: 'Seconds between checks (default 1).', helpValue: 'SECONDS' },
  ...BACKEND_FLAGS,
}
