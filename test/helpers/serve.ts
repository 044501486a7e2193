import { request } from 'node:http'
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import type { RunningServe, ServeOptions } from '../../src/serve/index.js'
import { startServe } from '../../src/serve/index.js'

/** serve in this process on a free loopback port, quiet, region us-east-1, account 123456789012, unless told otherwise. */
export function serveHere(options: Pick<ServeOptions, 'registryPath'> & Partial<ServeOptions>): Promise<RunningServe> {
  return startServe({ region: 'us-east-1', accountId: '123456789012', host: '127.0.0.1', port: 0, log: () => {}, ...options })
}

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One raw HTTP request (no client-side normalisation of the path or headers). */
export function rawRequest(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawAnswer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: options.method ?? 'POST', path: options.path ?? '/', headers: options.headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A JSON 1.1 call as an unsigned client makes it. */
export function apiCall(url: string, operation: string, input: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return rawRequest(url, {
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Route53AutoNaming_v20170314.${operation}`, ...headers },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  })
}

/**
 * A POST signed with SigV4 for servicediscovery, as an SDK or the dashboard signs it (over host, the
 * headers given and the body), answered as its status and JSON body.
 */
export async function signedRequest(
  url: string,
  key: { accessKeyId: string; secretAccessKey: string },
  options: { path?: string; headers?: Record<string, string>; body: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { hostname, port, host } = new URL(url)
  const path = options.path ?? '/'
  const signer = new SignatureV4({ service: 'servicediscovery', region: 'us-east-1', credentials: key, sha256: Sha256 })
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname, port: Number(port), path, query: {}, headers: { host, ...options.headers }, body: options.body })
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'))
  const answer = await rawRequest(url, { method: 'POST', path, headers, body: options.body })
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> }
}
