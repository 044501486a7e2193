import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'

/** The key the person typed in: kept in this tab only (memory and sessionStorage), never sent anywhere but in signatures. */
export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** An error answer of the API: `{"__type": …, "message": …}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message)
  }

  /** The signature is missing, unknown or wrong: the person has to give (another) key. */
  get needsKey(): boolean {
    return AUTH_ERRORS.has(this.type)
  }

  get denied(): boolean {
    return this.type === 'AccessDeniedException'
  }
}

// AWS's front end answers these for a missing, unknown or malformed signature (cloudmap-runtime.md, SigV4 errors).
const AUTH_ERRORS = new Set([
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'IncompleteSignature',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'ExpiredTokenException',
])

const TARGET_PREFIX = 'Route53AutoNaming_v20170314.'

/** What serve's prober last saw of each instance of a service. */
export interface ProbesAnswer {
  /** Whether serve probes at all (--no-health-checks: no). */
  Probing: boolean
  Probes: { InstanceId: string; Target: string; Status: string; Last?: { Healthy: boolean; Detail: string; At: string } }[]
}

/**
 * Cloud Map's JSON 1.1 API as the page calls it: `POST /` on the origin that served the page, signed
 * with SigV4 for service `servicediscovery` when a key was given, exactly as an AWS SDK would sign it.
 */
export class CloudMapClient {
  private signer: SignatureV4 | undefined

  constructor(
    readonly region: string,
    credentials?: Credentials,
  ) {
    this.useKey(credentials)
  }

  get signed(): boolean {
    return this.signer !== undefined
  }

  useKey(credentials: Credentials | undefined): void {
    this.signer = credentials ? new SignatureV4({ service: 'servicediscovery', region: this.region, credentials, sha256: Sha256 }) : undefined
  }

  /** One Cloud Map API call. */
  call<T>(operation: string, input: Record<string, unknown>): Promise<T> {
    return this.post('/', { 'x-amz-target': TARGET_PREFIX + operation }, input)
  }

  /** The health prober's last results for a service (serve's own, signed the same way; not in the Cloud Map API). */
  probes(serviceId: string): Promise<ProbesAnswer> {
    return this.post('/ui/probes', {}, { ServiceId: serviceId })
  }

  private async post<T>(path: string, extra: Record<string, string>, input: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify(input)
    let headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', ...extra }
    if (this.signer) {
      const signed = await this.signer.sign({
        method: 'POST',
        protocol: location.protocol,
        hostname: location.hostname,
        port: location.port ? Number(location.port) : undefined,
        path,
        query: {},
        // The browser sends Host itself (scripts may not set it); it is signed as the browser will send it.
        headers: { ...headers, host: location.host },
        body,
      })
      headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'))
    }
    const response = await fetch(path, { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store' })
    const text = await response.text()
    let parsed: Record<string, unknown> = {}
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    } catch {
      throw new ApiError(response.status, 'InvalidResponse', `The server answered ${response.status} with something that is not JSON.`)
    }
    if (!response.ok) {
      const type = String(parsed.__type ?? parsed.code ?? 'UnknownError').replace(/^.*#/, '')
      throw new ApiError(response.status, type, String(parsed.message ?? parsed.Message ?? `HTTP ${response.status}`))
    }
    return parsed as T
  }
}

/** The region serve signs and answers for, from its status document (`GET /`). */
export async function serverRegion(): Promise<string> {
  const response = await fetch('/', { credentials: 'omit', cache: 'no-store' })
  const status = (await response.json()) as { region?: string }
  return status.region ?? 'us-east-1'
}

const KEY_STORE = 'cloudmap.dashboard.key'

/** The key given in this tab, if any (sessionStorage: gone when the tab closes, never shared with other tabs). */
export function storedKey(): Credentials | undefined {
  try {
    const text = sessionStorage.getItem(KEY_STORE)
    const value = text ? (JSON.parse(text) as Credentials) : undefined
    return value?.accessKeyId && value.secretAccessKey ? value : undefined
  } catch {
    return undefined
  }
}

export function storeKey(credentials: Credentials | undefined): void {
  try {
    if (credentials) sessionStorage.setItem(KEY_STORE, JSON.stringify(credentials))
    else sessionStorage.removeItem(KEY_STORE)
  } catch {
    // Storage refused (private mode): the key stays in memory for this page only.
  }
}
