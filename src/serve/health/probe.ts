import { request as httpRequest } from 'node:http'
import type { ClientRequest, IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect, isIP } from 'node:net'
import type { HealthCheckType } from '../../model/api-types.js'

/** Where and how one instance is checked: the registered address and port, never anything else. */
export interface ProbeTarget {
  type: HealthCheckType
  /** AWS_INSTANCE_IPV4, else AWS_INSTANCE_IPV6, exactly as registered. */
  address: string
  port: number
  /** HTTP and HTTPS: the path requested (HealthCheckConfig.ResourcePath, default "/"). */
  path: string
}

export interface ProbeResult {
  healthy: boolean
  /** What happened, for the operator: "HTTP 200", "HTTP 503", "connection refused", "timed out after 4000 ms". */
  detail: string
}

const STOPPED = 'stopped: serve is closing'

/**
 * Route 53's product token (its checkers send "Amazon-Route53-Health-Check-Service (ref …)"), so that an
 * application that recognises its health checker by User-Agent does here what it does on AWS.
 */
const USER_AGENT = 'Amazon-Route53-Health-Check-Service (cloudmap serve)'

/** A probe under way: its result, and how to end it at once (serve is closing). */
interface Started {
  result: Promise<ProbeResult>
  stop: () => void
}

/**
 * One probe, as a Route 53 health checker makes it [R53-HC]: HTTP and HTTPS pass on a 2xx or 3xx status
 * (a redirect is a result, never followed), HTTPS without verifying the certificate; TCP passes when a
 * connection is made. Everything must happen within timeoutMs, or the probe fails and its socket is
 * destroyed, so a hanging target costs one pending socket and nothing else. No request body and no
 * registry data are sent; the address is used as registered, never resolved as a name.
 */
export function probe(target: ProbeTarget, timeoutMs: number, inFlight?: Set<() => void>): Promise<ProbeResult> {
  if (isIP(target.address) === 0) return Promise.resolve({ healthy: false, detail: `${target.address} is not an IP address` })
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) return Promise.resolve({ healthy: false, detail: `${target.port} is not a port number` })
  const started = target.type === 'TCP' ? probeTcp(target, timeoutMs) : probeHttp(target, timeoutMs)
  inFlight?.add(started.stop)
  return started.result.finally(() => inFlight?.delete(started.stop))
}

function probeTcp(target: ProbeTarget, timeoutMs: number): Started {
  let stop = () => {}
  const result = new Promise<ProbeResult>((resolve) => {
    const socket = connect({ host: target.address, port: target.port })
    const done = (result: ProbeResult) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => done({ healthy: false, detail: `no connection within ${timeoutMs} ms` }), timeoutMs)
    socket.once('connect', () => done({ healthy: true, detail: 'connected' }))
    socket.on('error', (error: NodeJS.ErrnoException) => done({ healthy: false, detail: describeError(error) }))
    stop = () => done({ healthy: false, detail: STOPPED })
  })
  return { result, stop: () => stop() }
}

function probeHttp(target: ProbeTarget, timeoutMs: number): Started {
  let stop = () => {}
  const result = new Promise<ProbeResult>((resolve) => {
    const options = {
      host: target.address,
      port: target.port,
      path: target.path,
      method: 'GET',
      // One connection per probe, as each Route 53 checker opens its own.
      agent: false,
      headers: { 'user-agent': USER_AGENT, accept: '*/*' },
    } as const
    let req: ClientRequest
    const done = (result: ProbeResult) => {
      clearTimeout(timer)
      req.destroy()
      resolve(result)
    }
    const onResponse = (res: IncomingMessage) => {
      const status = res.statusCode ?? 0
      // Only the status line matters: the body is not read.
      res.destroy()
      done({ healthy: status >= 200 && status < 400, detail: `HTTP ${status}` })
    }
    req =
      target.type === 'HTTPS'
        ? // Route 53 does not validate the certificate of an HTTPS endpoint.
          httpsRequest({ ...options, rejectUnauthorized: false }, onResponse)
        : httpRequest(options, onResponse)
    const timer = setTimeout(() => done({ healthy: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs)
    req.on('error', (error: NodeJS.ErrnoException) => done({ healthy: false, detail: describeError(error) }))
    req.end()
    stop = () => done({ healthy: false, detail: STOPPED })
  })
  return { result, stop: () => stop() }
}

function describeError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ECONNRESET':
      return 'connection reset'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'address unreachable'
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
      return 'not an HTTP answer'
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message
  }
}
