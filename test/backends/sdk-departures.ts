import type { Departure } from '../contract/support.js'

/**
 * Cases that fail whenever the contract runs through an AWS SDK: it serialises only the members the model
 * has, so ServiceChange never carries HealthCheckCustomConfig over the wire, and the rejection is
 * reachable only by calling the registry directly.
 */
export function sdkDeparture(title: string): Departure | undefined {
  return title.startsWith("UpdateService can't add, change or remove HealthCheckCustomConfig")
    ? { reason: 'the SDK drops members the model does not have', failure: /^Error: expected the call to be rejected$/ }
    : undefined
}
