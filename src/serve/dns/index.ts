import type { FaceContext, StartedFace } from '../faces.js'
import { DnsRecords, type Random } from './records.js'
import { startDnsServer } from './server.js'

export interface DnsFaceOptions {
  host: string
  /** 0: any free port, the same for UDP and TCP. */
  port: number
  /** Routing's random choices (seeded from CLOUDMAP_SEED for reproducible answers); Math.random by default. */
  random?: Random
}

/**
 * serve's DNS face: answers over UDP and TCP for every public and private DNS namespace, as Route 53
 * answers for Cloud Map's hosted zones. The records are recomputed from the live view on each change of
 * the registry (the one change feed; only the services that changed), so a CLI write shows in the next
 * answer, and a query costs a lookup.
 */
export async function startDns(context: FaceContext, options: DnsFaceOptions): Promise<StartedFace> {
  const view = await context.view()
  let records = DnsRecords.from(view.state)
  const unsubscribe = view.subscribe((_events, state) => {
    records = DnsRecords.from(state, records)
  })
  const random = options.random ?? ((max: number) => Math.floor(Math.random() * max))
  let server
  try {
    server = await startDnsServer({ host: options.host, port: options.port, zones: () => records, random })
  } catch (error) {
    unsubscribe()
    throw error
  }
  const address = server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`
  return {
    running: {
      close: async () => {
        unsubscribe()
        await server.close()
      },
    },
    announce: [
      `DNS: ${address} (UDP and TCP) answers for the registry's DNS namespaces (${records.zoneCount} now), authoritative only, no recursion.`,
      `  dig @${server.host} -p ${server.port} <service>.<namespace> A`,
    ],
  }
}
